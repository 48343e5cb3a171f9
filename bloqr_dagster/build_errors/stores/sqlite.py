"""The embedded build store: one SQLite file in WAL mode.

One process may write new builds while others read: WAL lets readers keep reading during a
write, every write is one short `BEGIN IMMEDIATE` transaction, reads are short keyset-paged
queries, and busy_timeout makes a second writer wait instead of failing.

A build's log is kept as two LZ4 blobs (the messages joined by newlines; the line timestamps as
little-endian int64 microsecond deltas, the first one from the epoch) so that scanning logs
costs one row read and one ~2 µs decompress per build instead of one row per line. LZ4 comes
from pyarrow, already a dependency; zlib costs ten times more per log at this size.
"""

from __future__ import annotations

import itertools
import sqlite3
import sys
from array import array
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from bloqr_dagster.build_errors.stores.base import (
    Build,
    LogLine,
    PackedLog,
    StoreBase,
    check_no_stray_logs,
    check_positive,
    check_range,
    from_us,
    keyset_pages,
    to_us,
)
from bloqr_dagster.errors import BloqrError

SCHEMA_VERSION = 1
_BUSY_TIMEOUT_S = 60.0
_STREAM_BATCH = 500  # builds per query while streaming logs: keeps read transactions short
_BIG_ENDIAN = sys.byteorder == "big"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS builds (
    build_id     INTEGER PRIMARY KEY,   -- the rowid: range scans walk the table b-tree
    account_id   TEXT NOT NULL,
    project_id   TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('success', 'failure', 'canceled')),
    failed_stage TEXT,
    created_at   INTEGER NOT NULL,      -- epoch microseconds, UTC
    stopped_at   INTEGER
);
CREATE INDEX IF NOT EXISTS builds_failed ON builds (build_id) WHERE status = 'failure';
CREATE TABLE IF NOT EXISTS build_logs (
    build_id   INTEGER PRIMARY KEY,
    line_count INTEGER NOT NULL,
    text_bytes INTEGER NOT NULL,        -- size of the utf-8 text before compression
    ts         BLOB NOT NULL,           -- lz4(int64 LE microsecond deltas, one per line)
    messages   BLOB NOT NULL            -- lz4(utf-8 messages joined by newlines)
);
"""

_BUILD_COLS = "build_id, account_id, project_id, status, failed_stage, created_at, stopped_at"


class SqliteBuildStore(StoreBase):
    def __init__(self, path: str | Path, url: str | None = None) -> None:
        self.path = Path(path)
        self.url = url or f"sqlite:///{self.path}"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=_BUSY_TIMEOUT_S, isolation_level=None,
                                       check_same_thread=False)
        except (OSError, sqlite3.Error) as exc:
            raise BloqrError(f"build store {self.url}: cannot open: {exc}") from None
        with self._guard():
            self._db.execute(f"PRAGMA busy_timeout = {int(_BUSY_TIMEOUT_S * 1000)}")
            mode = self._db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal":
                raise BloqrError(f"build store {self.url}: cannot switch to WAL mode (got {mode})")
            self._db.execute("PRAGMA synchronous = NORMAL")
            self._db.execute("PRAGMA cache_size = -16384")  # 16 MiB: scans are sequential, keep RSS low
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            _codec()  # load the LZ4 codec now rather than inside the first timed insert
            if version > SCHEMA_VERSION:
                raise BloqrError(f"build store {self.url}: schema version {version} is newer than "
                                 f"this bloqr_dagster understands ({SCHEMA_VERSION})")

    @contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.DatabaseError as exc:
            raise BloqrError(f"build store {self.url}: {exc}") from None

    def has_schema(self) -> bool:
        with self._guard():
            n = self._db.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('builds', 'build_logs')"
            ).fetchone()[0]
        return n == 2

    def ensure_schema(self) -> None:
        with self._guard():
            if self.has_schema():
                return
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def _fetcher(self, sql: str, last_id: int) -> Callable[[int, int], list]:
        """A page fetch for keyset_pages; `sql` takes (after, last_id, limit)."""
        def fetch(after: int, limit: int) -> list:
            with self._guard():
                return self._db.execute(sql, (after, last_id, limit)).fetchall()
        return fetch

    def max_build_id(self) -> int | None:
        with self._guard():
            return self._db.execute("SELECT max(build_id) FROM builds").fetchone()[0]

    def failed_builds(self, first_id: int, last_id: int, *, page_size: int = 5000) -> Iterator[list[Build]]:
        check_range(first_id, last_id)
        check_positive("page_size", page_size)
        sql = (f"SELECT {_BUILD_COLS} FROM builds INDEXED BY builds_failed "
               "WHERE status = 'failure' AND build_id > ? AND build_id <= ? ORDER BY build_id LIMIT ?")
        for rows in keyset_pages(self._fetcher(sql, last_id), first_id, page_size):
            yield [_build(r) for r in rows]

    def builds_in_range(self, first_id: int, last_id: int) -> Iterator[Build]:
        check_range(first_id, last_id)
        sql = f"SELECT {_BUILD_COLS} FROM builds WHERE build_id > ? AND build_id <= ? ORDER BY build_id LIMIT ?"
        for rows in keyset_pages(self._fetcher(sql, last_id), first_id, 5000):
            yield from map(_build, rows)

    def failed_build_ids_after(self, build_id: int, limit: int = 10000) -> list[int]:
        check_positive("limit", limit)
        with self._guard():
            rows = self._db.execute(
                "SELECT build_id FROM builds INDEXED BY builds_failed "
                "WHERE status = 'failure' AND build_id > ? ORDER BY build_id LIMIT ?",
                (build_id, limit),
            ).fetchall()
        return [r[0] for r in rows]

    def stream_logs(self, first_id: int, last_id: int, *,
                    failed_only: bool = True) -> Iterator[tuple[int, str]]:
        check_range(first_id, last_id)
        if failed_only:
            sql = ("SELECT l.build_id, l.text_bytes, l.messages FROM builds b INDEXED BY builds_failed "
                   "JOIN build_logs l ON l.build_id = b.build_id "
                   "WHERE b.status = 'failure' AND b.build_id > ? AND b.build_id <= ? AND l.line_count > 0 "
                   "ORDER BY b.build_id LIMIT ?")
        else:
            sql = ("SELECT build_id, text_bytes, messages FROM build_logs "
                   "WHERE build_id > ? AND build_id <= ? AND line_count > 0 ORDER BY build_id LIMIT ?")
        decompress = _codec().decompress
        for rows in keyset_pages(self._fetcher(sql, last_id), first_id, _STREAM_BATCH):
            for build_id, size, blob in rows:
                yield build_id, decompress(blob, decompressed_size=size, asbytes=True).decode("utf-8")

    def failed_log_line_counts(self, first_id: int, last_id: int) -> dict[int, int]:
        check_range(first_id, last_id)
        with self._guard():
            rows = self._db.execute(
                "SELECT l.build_id, l.line_count FROM builds b INDEXED BY builds_failed "
                "JOIN build_logs l ON l.build_id = b.build_id "
                "WHERE b.status = 'failure' AND b.build_id BETWEEN ? AND ? AND l.line_count > 0",
                (first_id, last_id),
            ).fetchall()
        return dict(rows)

    def log_page(self, build_id: int, cursor: int = 0, limit: int = 500) -> tuple[list[LogLine], int | None]:
        if cursor < 0 or limit <= 0:
            raise ValueError(f"log_page: cursor must be >= 0 and limit > 0, got {cursor}, {limit}")
        with self._guard():
            row = self._db.execute(
                "SELECT line_count, text_bytes, ts, messages FROM build_logs WHERE build_id = ?", (build_id,)
            ).fetchone()
        if row is None or cursor >= row[0]:
            return [], None
        count, size, ts_blob, msg_blob = row
        codec = _codec()
        deltas = array("q")
        deltas.frombytes(codec.decompress(ts_blob, decompressed_size=8 * count, asbytes=True))
        if _BIG_ENDIAN:
            deltas.byteswap()
        stamps = list(itertools.accumulate(deltas))
        messages = codec.decompress(msg_blob, decompressed_size=size, asbytes=True).decode("utf-8").split("\n")
        end = min(cursor + limit, count)
        lines = [LogLine(i + 1, from_us(stamps[i]), messages[i]) for i in range(cursor, end)]
        return lines, (end if end < count else None)

    def insert(self, builds: Sequence[Build], logs: Mapping[int, Sequence[LogLine]]) -> None:
        check_no_stray_logs(builds, logs)
        build_rows = [
            (b.build_id, b.account_id, b.project_id, b.status, b.failed_stage, to_us(b.created_at),
             None if b.stopped_at is None else to_us(b.stopped_at))
            for b in builds
        ]
        log_rows = [_encode_log(b.build_id, logs.get(b.build_id, ())) for b in builds]
        with self._guard():
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.executemany(f"INSERT OR REPLACE INTO builds ({_BUILD_COLS}) VALUES (?,?,?,?,?,?,?)",
                                     build_rows)
                self._db.executemany("INSERT OR REPLACE INTO build_logs VALUES (?,?,?,?,?)", log_rows)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def close(self) -> None:
        self._db.close()


def _build(row: tuple) -> Build:
    return Build(row[0], row[1], row[2], row[3], row[4], from_us(row[5]),
                 None if row[6] is None else from_us(row[6]))


_CODEC = None


def _codec():
    global _CODEC
    if _CODEC is None:
        import pyarrow

        _CODEC = pyarrow.Codec("lz4_raw")
    return _CODEC


def _encode_log(build_id: int, lines: Sequence[LogLine]) -> tuple[int, int, int, bytes, bytes]:
    packed = PackedLog.from_lines(lines)
    text = packed.text()
    if text.count("\n") != max(len(packed) - 1, 0):
        raise ValueError(f"build {build_id}: a log message contains a newline")
    ts = packed.ts_us
    deltas = array("q", [b - a for a, b in zip(itertools.chain((0,), ts), ts, strict=False)])
    if _BIG_ENDIAN:
        deltas.byteswap()
    raw = text.encode("utf-8")
    codec = _codec()
    return (build_id, len(packed), len(raw), codec.compress(deltas.tobytes(), asbytes=True),
            codec.compress(raw, asbytes=True))
