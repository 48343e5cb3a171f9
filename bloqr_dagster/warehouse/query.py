"""Read-only access to the published warehouse, for the CLI, the demo and tests.

Connections ATTACH the file READ_ONLY from a fresh in-memory database instead of calling
duckdb.connect(path): the duckdb module caches one database per path and process, so a second
connect() in a process that still holds a connection would silently reuse the file that was
open before the last publish. Attaching always opens the file that is published now.

DuckDB opens the path three times while it attaches (magic bytes, headers, then the file it reads
blocks from). A publish that lands between those opens gives it the old file's headers and the
new file's blocks ("Could not read enough bytes"). Such an open is retried: only when the file
was replaced meanwhile, so every other error still surfaces at once.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import duckdb

from bloqr_dagster.errors import BloqrError
from bloqr_dagster.settings import Paths

CATALOG = "warehouse"
OPEN_ATTEMPTS = 5  # each retry follows a publish; builds take far longer than an open


@dataclass
class QueryResult:
    columns: list[str]
    rows: list[tuple[Any, ...]]

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def markdown(self, max_rows: int = 20) -> str:
        return markdown_table(self.columns, self.rows[:max_rows])


def connect_readonly(paths: Paths) -> duckdb.DuckDBPyConnection:
    """A connection reading the published warehouse as it is now; never blocks or is blocked."""
    if not paths.warehouse.exists():
        raise BloqrError(f"no warehouse at {paths.warehouse} yet: materialize the warehouse assets first")
    for attempt in range(1, OPEN_ATTEMPTS + 1):
        before = _identity(paths)
        try:
            return _attach(paths)
        except duckdb.Error:
            if attempt == OPEN_ATTEMPTS or _identity(paths) == before:
                raise
    raise AssertionError("unreachable")


def _attach(paths: Paths) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    try:
        target = str(paths.warehouse).replace("'", "''")
        con.execute(f"ATTACH '{target}' AS {CATALOG} (READ_ONLY)")
        con.execute(f"USE {CATALOG}")
        con.execute("SET TimeZone = 'UTC'")
    except BaseException:
        con.close()
        raise
    return con


def _identity(paths: Paths) -> tuple[int, int] | None:
    """Which file the path names now (inode numbers are reused, so with its change time)."""
    try:
        stat = os.stat(paths.warehouse)
    except FileNotFoundError:
        return None
    return stat.st_ino, stat.st_ctime_ns


@contextlib.contextmanager
def readonly(paths: Paths) -> Iterator[duckdb.DuckDBPyConnection]:
    con = connect_readonly(paths)
    try:
        yield con
    finally:
        con.close()


def run_query(paths: Paths, sql: str, params: Sequence[Any] | None = None) -> QueryResult:
    """Run one statement on the published warehouse; SQL errors become a one-line BloqrError."""
    with readonly(paths) as con:
        try:
            cursor = con.execute(sql, params or [])
        except duckdb.Error as exc:
            raise BloqrError(f"query failed: {str(exc).strip().splitlines()[0]}") from None
        if cursor.description is None:
            return QueryResult([], [])
        return QueryResult([d[0] for d in cursor.description], cursor.fetchall())


def list_models(paths: Paths) -> QueryResult:
    """What is in the warehouse and when each model was last built."""
    return run_query(
        paths,
        "SELECT model, materialized, rows, built_at, tests_passed, tests_failed, description "
        "FROM _bloqr_models ORDER BY model",
    )


def markdown_table(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A GitHub-style markdown table (Dagster renders it in the asset's metadata)."""
    def cell(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, float):
            return f"{value:.4f}".rstrip("0").rstrip(".")
        return str(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)
