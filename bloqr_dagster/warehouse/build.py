"""Build the SQL models into DuckDB and publish the result without ever blocking readers.

DuckDB lets one process open a file read-write, and while it does no other process may open the
file at all. Analysts keep `duckdb -readonly warehouse.duckdb` sessions open while backfills run,
so the published file is never opened for writing:

1. take an exclusive file lock (`.warehouse.lock`), so two builders never race;
2. build into a temporary file in the same folder: a fresh one when every model is rebuilt, else a
   plain copy of the published file so the models that are not selected keep their tables;
3. (re)build the selected models in dependency order, run their tests, refuse to go on when a
   column that carries log text (error_group, sample_line) holds a private value (privacy.py), then
   CHECKPOINT, close, fsync;
4. os.replace() the temporary file over the published one, then fsync the folder.

Step 4 is atomic: a new session sees either the old file or the new one, each complete. A reader
that opened the old file keeps its open file descriptor, so it goes on reading the old inode
until it reconnects. A failed build deletes its temporary file and leaves the published one alone.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import time
import uuid
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from bloqr_dagster.build_errors import privacy
from bloqr_dagster.errors import BloqrError
from bloqr_dagster.settings import Paths
from bloqr_dagster.warehouse.models import Model, ModelTest, Project, load_project
from bloqr_dagster.warehouse.query import readonly

# The file format every DuckDB >= 1.0 reads. The duckdb 2.x module writes a newer format by
# default, which the `duckdb` CLIs analysts have installed (1.x) refuse to open.
STORAGE_VERSION = "v1.0.0"
MODELS_TABLE = "_bloqr_models"  # one row per model: when it was last built, rows, test outcome
SAMPLE_ROWS = 5
PREVIEW_ROWS = 10
LOG_TEXT_COLUMNS = ("error_group", "sample_line")  # masked log text: scanned for private values
_SCAN_BATCH = 10_000
Log = Callable[[str], None]


@dataclass
class TestResult:
    model: str
    name: str
    description: str
    passed: bool
    failing_rows: int
    sample: list[dict[str, Any]]  # up to SAMPLE_ROWS offending rows
    sql: str


@dataclass
class ModelResult:
    name: str
    materialized: str
    rows: int
    columns: list[tuple[str, str]]  # (name, DuckDB type)
    seconds: float
    tests: list[TestResult]
    preview: list[tuple[Any, ...]]  # the first PREVIEW_ROWS rows


@dataclass
class BuildReport:
    path: Path
    models: list[ModelResult] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def tests(self) -> list[TestResult]:
        return [t for m in self.models for t in m.tests]

    @property
    def failed_tests(self) -> list[TestResult]:
        return [t for t in self.tests if not t.passed]

    def model(self, name: str) -> ModelResult:
        return next(m for m in self.models if m.name == name)


def build_warehouse(
    paths: Paths,
    select: Collection[str] | None = None,
    *,
    log: Log | None = None,
    sql_dir: Path | None = None,
) -> BuildReport:
    """Rebuild the selected models (all when None) and publish `paths.warehouse` atomically."""
    say = log or (lambda _msg: None)
    project = load_project(sql_dir)
    models = project.order(select)
    if not models:
        raise BloqrError("nothing selected to build")
    full = len(models) == len(project.models)
    published = paths.warehouse
    published.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with _writer_lock(published, say):
        _remove_stale_temps(published)
        temp = published.with_name(f".{published.stem}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp.duckdb")
        try:
            if not full and published.exists():
                shutil.copyfile(published, temp)
            report = _build_into(temp, project, models, paths, say)
            _fsync(temp)
            os.replace(temp, published)
            _fsync(published.parent)
        finally:
            for leftover in (temp, Path(f"{temp}.wal")):
                leftover.unlink(missing_ok=True)
    report.path = published
    report.seconds = time.perf_counter() - started
    failed = len(report.failed_tests)
    say(f"published {published} ({len(models)} model(s), {len(report.tests) - failed} test(s) passed, "
        f"{failed} failed) in {report.seconds:.2f}s")
    return report


def run_model_tests(
    paths: Paths, select: Collection[str] | None = None, *, sql_dir: Path | None = None
) -> list[TestResult]:
    """Run the selected models' tests against the published warehouse, read-only, no rebuild."""
    project = load_project(sql_dir)
    results: list[TestResult] = []
    with readonly(paths) as con:
        present = {row[0] for row in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_catalog = current_database()"
        ).fetchall()}
        for model in project.order(select):
            if model.name not in present:
                raise BloqrError(f"{model.label}: not built yet, so its tests cannot run")
            columns = {row[0] for row in con.execute(f"DESCRIBE {_quote(model.name)}").fetchall()}
            results.extend(_run_test(con, model, test, columns) for test in model.tests)
    return results


def _build_into(temp: Path, project: Project, models: list[Model], paths: Paths, say: Log) -> BuildReport:
    report = BuildReport(path=temp)
    con = duckdb.connect(str(temp), config={"storage_compatibility_version": STORAGE_VERSION})
    try:
        con.execute("SET TimeZone = 'UTC'")  # day boundaries in the models are UTC days
        existing = _relations(con)
        _check_upstream_present(project, models, existing)
        _drop_retired(con, project, existing)
        _ensure_models_table(con)
        for model in models:
            result = _build_model(con, model, paths, _relations(con).get(model.name))
            report.models.append(result)
            failed = [t.name for t in result.tests if not t.passed]
            say(f"built {model.name} ({result.materialized}): {result.rows} rows in {result.seconds:.2f}s; "
                f"{len(result.tests) - len(failed)}/{len(result.tests)} tests passed"
                + (f" (failed: {', '.join(failed)})" if failed else ""))
            _record(con, model, result)
        _refuse_private_values(con)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return report


def _refuse_private_values(con: duckdb.DuckDBPyConnection) -> None:
    """Raise PrivateValueError (nothing is published, the previous warehouse stays) when a log-text
    column of any table or view holds a private value; the message names where, never the value."""
    placeholders = ", ".join("?" for _ in LOG_TEXT_COLUMNS)
    columns = con.execute(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'main' "
        f"AND table_catalog = current_database() AND column_name IN ({placeholders}) ORDER BY 1, 2",
        list(LOG_TEXT_COLUMNS),
    ).fetchall()
    for table, column in columns:
        cursor = con.execute(f"SELECT DISTINCT {_quote(column)} FROM {_quote(table)} "
                             f"WHERE {_quote(column)} IS NOT NULL")
        while batch := cursor.fetchmany(_SCAN_BATCH):
            found = privacy.first_private((None, column, value) for (value,) in batch)
            if found is not None:
                raise privacy.PrivateValueError(f"{table}.{column} holds a private value ({found[2]}); the "
                                                "warehouse was not published (the previous one stays)")


def _build_model(con: duckdb.DuckDBPyConnection, model: Model, paths: Paths, kind_now: str | None) -> ModelResult:
    started = time.perf_counter()
    relation = _quote(model.name)
    # CREATE OR REPLACE cannot turn a view into a table (or back): drop the other kind first.
    if kind_now and kind_now != model.materialized:
        con.execute(f"DROP {kind_now.upper()} {relation}")
    sql = model.render(paths.lake)
    _run(con, f"CREATE OR REPLACE {model.materialized.upper()} {relation} AS\n{sql}", model.label)
    columns = [(row[0], row[1]) for row in con.execute(f"DESCRIBE {relation}").fetchall()]
    _check_declared_columns(model, [c for c, _ in columns])
    _comment(con, model)
    rows = con.execute(f"SELECT count(*) FROM {relation}").fetchone()[0]
    preview = con.execute(f"SELECT * FROM {relation} LIMIT {PREVIEW_ROWS}").fetchall()
    tests = [_run_test(con, model, test, {c for c, _ in columns}) for test in model.tests]
    return ModelResult(model.name, model.materialized, rows, columns, time.perf_counter() - started, tests, preview)


def _run_test(con: duckdb.DuckDBPyConnection, model: Model, test: ModelTest, columns: set[str]) -> TestResult:
    missing = [c for c in test.columns if c not in columns]
    if missing:
        raise BloqrError(f"{model.label}: test {test.name}: no column {missing[0]!r} "
                         f"(columns: {', '.join(sorted(columns))})")
    sql = test.failing_rows_sql(_quote(model.name))
    where = f"{model.label}: test {test.name}"
    count = _run(con, f"SELECT count(*) FROM ({sql})", where).fetchone()[0]
    sample: list[dict[str, Any]] = []
    if count:
        cursor = _run(con, f"SELECT * FROM ({sql}) LIMIT {SAMPLE_ROWS}", where)
        names = [d[0] for d in cursor.description]
        sample = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return TestResult(model.name, test.name, test.description, count == 0, count, sample, sql)


def _comment(con: duckdb.DuckDBPyConnection, model: Model) -> None:
    """Header docs become DuckDB comments: analysts see them in duckdb_tables()/duckdb_columns()."""
    relation = _quote(model.name)
    con.execute(f"COMMENT ON {model.materialized.upper()} {relation} IS {_string(model.description)}")
    for column, text in model.columns.items():
        if text:
            con.execute(f"COMMENT ON COLUMN {relation}.{_quote(column)} IS {_string(text)}")


def _check_declared_columns(model: Model, actual: list[str]) -> None:
    if model.columns and list(model.columns) != actual:
        raise BloqrError(f"{model.label}: header columns [{', '.join(model.columns)}] do not match "
                         f"the query's columns [{', '.join(actual)}]")


def _check_upstream_present(project: Project, models: list[Model], existing: dict[str, str]) -> None:
    """A partial build reads the refs it does not rebuild from the previous warehouse."""
    selected = {m.name for m in models}
    for model in models:
        for ref in model.refs:
            if ref not in selected and ref not in existing:
                raise BloqrError(f"{model.label}: ref('{ref}') has not been built yet; "
                                 f"build it first or select it too")


def _drop_retired(con: duckdb.DuckDBPyConnection, project: Project, existing: dict[str, str]) -> None:
    """Tables of model files that were deleted or renamed would otherwise live on forever."""
    for name, kind in existing.items():
        if name not in project.models and name != MODELS_TABLE:
            con.execute(f"DROP {kind.upper()} {_quote(name)}")
    if MODELS_TABLE in existing:
        con.execute(f"DELETE FROM {MODELS_TABLE} WHERE model NOT IN (SELECT unnest($1::VARCHAR[]))",
                    [list(project.models)])


def _ensure_models_table(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"""CREATE TABLE IF NOT EXISTS {MODELS_TABLE} (
        model VARCHAR PRIMARY KEY, materialized VARCHAR, description VARCHAR, rows BIGINT,
        built_at TIMESTAMPTZ, seconds DOUBLE, tests_passed INTEGER, tests_failed INTEGER,
        checksum VARCHAR)""")
    con.execute(f"COMMENT ON TABLE {MODELS_TABLE} IS 'The warehouse models: when each was last built, its rows "
                "and how many of its tests passed.'")


def _record(con: duckdb.DuckDBPyConnection, model: Model, result: ModelResult) -> None:
    failed = sum(not t.passed for t in result.tests)
    con.execute(
        f"INSERT OR REPLACE INTO {MODELS_TABLE} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [model.name, model.materialized, model.description, result.rows, datetime.now(UTC),
         round(result.seconds, 3), len(result.tests) - failed, failed, model.checksum],
    )


def _relations(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """name -> 'table' | 'view' for the main schema of the file being built."""
    rows = con.execute(
        "SELECT table_name, table_type FROM information_schema.tables "
        "WHERE table_schema = 'main' AND table_catalog = current_database()"
    ).fetchall()
    return {name: ("view" if kind == "VIEW" else "table") for name, kind in rows}


def _run(con: duckdb.DuckDBPyConnection, sql: str, where: str) -> duckdb.DuckDBPyConnection:
    try:
        return con.execute(sql)
    except duckdb.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise BloqrError(f"{where}: {first}") from None


@contextlib.contextmanager
def _writer_lock(published: Path, say: Log) -> Iterator[None]:
    lock_path = published.with_name(f".{published.name}.lock")
    with open(lock_path, "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            say(f"waiting for another warehouse build to finish ({lock_path})")
            fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _remove_stale_temps(published: Path) -> None:
    """Temporary files of builds that were killed (we hold the lock, so none is in use)."""
    for stale in published.parent.glob(f".{published.stem}.*.tmp.duckdb*"):
        stale.unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'
