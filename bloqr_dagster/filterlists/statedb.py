"""The filter-list state database (settings.Paths.state_db): one SQLite file, many small tables.

Each module that keeps state (registry, cache index, health history, workflow runs) creates its own
tables with `CREATE TABLE IF NOT EXISTS` on connect. WAL mode and a busy timeout let concurrent
Dagster steps (separate processes) read while one writes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def connect(path: Path, schema: str = "", *, immediate: bool = False) -> Iterator[sqlite3.Connection]:
    """One transaction: commits on success, rolls back on error; `schema` runs first.

    immediate=True takes the write lock up front (BEGIN IMMEDIATE), which serialises
    read-modify-write sequences (and lake exports done under them) across processes.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=30, isolation_level=None)
    conn.row_factory = sqlite3.Row
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA busy_timeout=30000")
        if schema:
            conn.executescript(schema)
        conn.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    finally:
        conn.close()
