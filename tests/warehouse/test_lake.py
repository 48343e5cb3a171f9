"""The lake writer: schema enforcement, atomic replacement, typed empty tables, temp-file sweep."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from bloqr_dagster.warehouse import lake

KEY = "000000000000-000000009999"


def _row(build_id: int, code: str = "timeout") -> dict:
    return dict(build_id=build_id, created_at=datetime(2026, 1, 1, tzinfo=UTC), line_no=1, error_code=code,
                error_group="g", tool="npm", sample_line="s", is_primary=True, rules_version="1")


def test_rewriting_a_key_replaces_the_file_wholesale(tmp_path: Path) -> None:
    lake.write_file(tmp_path, "build_errors", KEY, [_row(1), _row(2)])
    lake.write_file(tmp_path, "build_errors", KEY, [_row(3, "auth_error")])
    table = lake.read_table(tmp_path, "build_errors")
    assert table.column("build_id").to_pylist() == [3]
    assert [p.name for p in (tmp_path / "build_errors").iterdir()] == [f"{KEY}.parquet"]


def test_empty_table_is_typed_for_duckdb(tmp_path: Path) -> None:
    rel = duckdb.sql(f"SELECT * FROM {lake.duckdb_relation_sql(tmp_path, 'build_errors')}")
    assert rel.columns == lake.TABLES["build_errors"].schema.names
    assert rel.fetchall() == []


def test_rows_that_do_not_fit_the_schema_are_refused_and_nothing_is_written(tmp_path: Path) -> None:
    bad = _row(1) | {"build_id": "not a number"}
    with pytest.raises(Exception):  # noqa: B017 - pyarrow's conversion error type varies by version
        lake.write_file(tmp_path, "build_errors", KEY, [bad])
    folder = tmp_path / "build_errors"
    assert not folder.exists() or not list(folder.iterdir())


def test_unknown_table_is_named(tmp_path: Path) -> None:
    with pytest.raises(KeyError, match="unknown lake table 'nope'"):
        lake.write_file(tmp_path, "nope", KEY, [])


def test_stale_temp_files_of_a_killed_writer_are_swept(tmp_path: Path) -> None:
    folder = tmp_path / "build_errors"
    folder.mkdir()
    stale, fresh = folder / f".{KEY}.abc.tmp", folder / f".{KEY}.def.tmp"
    stale.write_bytes(b"half")
    fresh.write_bytes(b"in progress")
    old = time.time() - lake.STALE_TEMP_SECONDS - 10
    os.utime(stale, (old, old))
    lake.write_file(tmp_path, "build_errors", KEY, [_row(1)])
    assert not stale.exists() and fresh.exists()
