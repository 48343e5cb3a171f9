"""The PostgreSQL build store: `builds` plus one row per log line in `build_log_lines`.

The schema is created idempotently by ensure_schema (under an advisory lock so two processes
starting together do not race). Range scans are index range scans: the primary key on
builds.build_id, a partial index holding only failed builds, and the (build_id, line_no)
primary key of the log lines, which also returns a build's lines already in order.

Logs are read in bulk: one server-side cursor per range that aggregates each build's lines on
the server, fetched in large batches. Logs are written with COPY.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime

from bloqr_dagster.build_errors.stores.base import (
    FAILED_STAGES,
    Build,
    LogLine,
    PackedLog,
    StoreBase,
    check_no_stray_logs,
    check_positive,
    check_range,
    keyset_pages,
    mask_password,
    redact_url,
)
from bloqr_dagster.errors import BloqrError

_ADVISORY_LOCK = 0x6B10C5  # any constant unique to this schema
_FETCH = 1000  # builds per round trip while streaming logs

_STAGES_SQL = ", ".join(f"'{s}'" for s in FAILED_STAGES)
_SCHEMA = [
    f"""CREATE TABLE IF NOT EXISTS builds (
        build_id     BIGINT PRIMARY KEY,
        account_id   TEXT NOT NULL,
        project_id   TEXT NOT NULL,
        status       TEXT NOT NULL CHECK (status IN ('success', 'failure', 'canceled')),
        failed_stage TEXT CHECK (failed_stage IN ({_STAGES_SQL})),
        created_at   TIMESTAMPTZ NOT NULL,
        stopped_at   TIMESTAMPTZ
    )""",
    "CREATE INDEX IF NOT EXISTS builds_failed_idx ON builds (build_id) WHERE status = 'failure'",
    """CREATE TABLE IF NOT EXISTS build_log_lines (
        build_id BIGINT NOT NULL,
        line_no  INTEGER NOT NULL CHECK (line_no > 0),
        ts       TIMESTAMPTZ NOT NULL,
        message  TEXT NOT NULL,
        PRIMARY KEY (build_id, line_no)
    )""",
]

_BUILD_COLS = "build_id, account_id, project_id, status, failed_stage, created_at, stopped_at"


class PostgresBuildStore(StoreBase):
    def __init__(self, dsn: str, connect_timeout: int = 10) -> None:
        import psycopg2

        self.url = dsn
        self._psycopg2 = psycopg2
        try:
            self._db = psycopg2.connect(dsn, connect_timeout=connect_timeout, application_name="bloqr")
        except psycopg2.Error as exc:
            first = (str(exc).strip().splitlines() or ["unknown error"])[0]
            # libpq quotes a malformed URL, or a part of it, in its message
            raise BloqrError(f"build store {redact_url(dsn)}: cannot connect: {mask_password(first, dsn)}") from None
        with self._db.cursor() as cur:
            cur.execute("SET TIME ZONE 'UTC'")
        self._db.commit()
        try:
            # Row estimates for the per-build log subquery are large before ANALYZE has run, which
            # would make every range query pay for JIT compilation; these plans gain nothing from it.
            with self._db.cursor() as cur:
                cur.execute("SET jit = off")
            self._db.commit()
        except psycopg2.Error:  # a server without JIT (PostgreSQL < 11)
            self._db.rollback()

    @contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except self._psycopg2.Error as exc:
            self._rollback_quietly()
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise BloqrError(f"build store {redact_url(self.url)}: {mask_password(first, self.url)}") from None

    def _rollback_quietly(self) -> None:
        try:
            self._db.rollback()
        except self._psycopg2.Error:
            pass

    def _query(self, sql: str, params: tuple = ()) -> list[tuple]:
        """A short read: its own transaction, ended at once so no session sits idle in one."""
        with self._guard():
            try:
                with self._db.cursor() as cur:
                    cur.execute(sql, params)
                    return cur.fetchall()
            finally:
                self._db.rollback()

    def has_schema(self) -> bool:
        row = self._query("SELECT to_regclass('builds') IS NOT NULL AND to_regclass('build_log_lines') IS NOT NULL")
        return bool(row[0][0])

    def ensure_schema(self) -> None:
        with self._guard(), self._db, self._db.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", (_ADVISORY_LOCK,))
            for statement in _SCHEMA:
                cur.execute(statement)

    def max_build_id(self) -> int | None:
        return self._query("SELECT max(build_id) FROM builds")[0][0]

    def failed_builds(self, first_id: int, last_id: int, *, page_size: int = 5000) -> Iterator[list[Build]]:
        check_range(first_id, last_id)
        check_positive("page_size", page_size)
        sql = (f"SELECT {_BUILD_COLS} FROM builds WHERE status = 'failure' AND build_id > %s "
               "AND build_id <= %s ORDER BY build_id LIMIT %s")
        for rows in keyset_pages(lambda after, limit: self._query(sql, (after, last_id, limit)), first_id, page_size):
            yield [Build(*r) for r in rows]

    def builds_in_range(self, first_id: int, last_id: int) -> Iterator[Build]:
        check_range(first_id, last_id)
        sql = f"SELECT {_BUILD_COLS} FROM builds WHERE build_id > %s AND build_id <= %s ORDER BY build_id LIMIT %s"
        for rows in keyset_pages(lambda after, limit: self._query(sql, (after, last_id, limit)), first_id, 5000):
            yield from (Build(*r) for r in rows)

    def failed_build_ids_after(self, build_id: int, limit: int = 10000) -> list[int]:
        check_positive("limit", limit)
        rows = self._query(
            "SELECT build_id FROM builds WHERE status = 'failure' AND build_id > %s ORDER BY build_id LIMIT %s",
            (build_id, limit),
        )
        return [r[0] for r in rows]

    def stream_logs(self, first_id: int, last_id: int, *,
                    failed_only: bool = True) -> Iterator[tuple[int, str]]:
        # One stream at a time per store object: the cursor lives in the connection's transaction.
        check_range(first_id, last_id)
        status = "AND b.status = 'failure'" if failed_only else ""
        # The correlated subquery walks the (build_id, line_no) primary key, so each build's
        # lines arrive in order and are joined on the server; only one row per build travels.
        sql = (
            "SELECT b.build_id, (SELECT string_agg(l.message, E'\\n' ORDER BY l.line_no) "
            "FROM build_log_lines l WHERE l.build_id = b.build_id) "
            f"FROM builds b WHERE b.build_id BETWEEN %s AND %s {status} ORDER BY b.build_id"
        )
        with self._guard():
            cur = self._db.cursor(name=f"bloqr_logs_{id(self):x}")
            cur.itersize = _FETCH
            try:
                cur.execute(sql, (first_id, last_id))
                while True:
                    rows = cur.fetchmany(_FETCH)
                    if not rows:
                        break
                    for build_id, text in rows:
                        if text is not None:
                            yield build_id, text
            finally:
                try:
                    cur.close()
                except self._psycopg2.Error:
                    pass
                self._rollback_quietly()

    def failed_log_line_counts(self, first_id: int, last_id: int) -> dict[int, int]:
        check_range(first_id, last_id)
        rows = self._query(
            "SELECT l.build_id, count(*) FROM builds b JOIN build_log_lines l ON l.build_id = b.build_id "
            "WHERE b.status = 'failure' AND b.build_id BETWEEN %s AND %s GROUP BY l.build_id",
            (first_id, last_id),
        )
        return dict(rows)

    def log_page(self, build_id: int, cursor: int = 0, limit: int = 500) -> tuple[list[LogLine], int | None]:
        if cursor < 0 or limit <= 0:
            raise ValueError(f"log_page: cursor must be >= 0 and limit > 0, got {cursor}, {limit}")
        rows = self._query(
            "SELECT line_no, ts, message FROM build_log_lines WHERE build_id = %s AND line_no > %s "
            "ORDER BY line_no LIMIT %s",
            (build_id, cursor, limit + 1),
        )
        more = len(rows) > limit
        lines = [LogLine(*r) for r in rows[:limit]]
        return lines, (lines[-1].line_no if more else None)

    def insert(self, builds: Sequence[Build], logs: Mapping[int, Sequence[LogLine]]) -> None:
        from psycopg2.extras import execute_values

        check_no_stray_logs(builds, logs)
        if not builds:
            return
        rows = [(b.build_id, b.account_id, b.project_id, b.status, b.failed_stage, b.created_at, b.stopped_at)
                for b in builds]
        copy_buffer = _copy_text(builds, logs)
        with self._guard(), self._db, self._db.cursor() as cur:
            execute_values(
                cur,
                f"INSERT INTO builds ({_BUILD_COLS}) VALUES %s ON CONFLICT (build_id) DO UPDATE SET "
                "account_id = EXCLUDED.account_id, project_id = EXCLUDED.project_id, "
                "status = EXCLUDED.status, failed_stage = EXCLUDED.failed_stage, "
                "created_at = EXCLUDED.created_at, stopped_at = EXCLUDED.stopped_at",
                rows, page_size=1000,
            )
            cur.execute("DELETE FROM build_log_lines WHERE build_id = ANY(%s)", ([b.build_id for b in builds],))
            cur.copy_expert("COPY build_log_lines (build_id, line_no, ts, message) FROM STDIN", copy_buffer)

    def close(self) -> None:
        self._db.close()


def _copy_text(builds: Sequence[Build], logs: Mapping[int, Sequence[LogLine]]) -> io.StringIO:
    """COPY text-format rows for every log line, escaping a whole log at once for speed."""
    out: list[str] = []
    second_cache: dict[int, str] = {}
    for b in builds:
        packed = PackedLog.from_lines(logs.get(b.build_id, ()))
        if not len(packed):
            continue
        text = packed.text()
        if text.count("\n") != len(packed) - 1:
            raise ValueError(f"build {b.build_id}: a log message contains a newline")
        escaped = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\r", "\\r").split("\n")
        prefix = f"{b.build_id}\t"
        for line_no, (us, message) in enumerate(zip(packed.ts_us, escaped, strict=True), 1):
            sec, frac = divmod(us, 1_000_000)
            stamp = second_cache.get(sec)
            if stamp is None:
                stamp = second_cache[sec] = datetime.fromtimestamp(sec, UTC).strftime("%Y-%m-%d %H:%M:%S")
            out.append(f"{prefix}{line_no}\t{stamp}.{frac:06d}+00\t{message}\n")
    return io.StringIO("".join(out))
