"""The lake: one folder of Parquet files per table, each file replaced atomically.

Assets never write the DuckDB warehouse directly. A partitioned asset writes one file per
partition (`<table>/<partition key>.parquet`) by writing a temporary file and renaming it over
the old one, so re-running a partition replaces it wholesale and a crash leaves the old file.
The warehouse build (warehouse/models.py) reads these folders with `{{ source('lake', T) }}`.

TABLES is the contract between the writers (the Dagster assets) and the SQL models: its schemas
are enforced on write, and an empty folder still reads as a correctly typed empty relation.
"""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

_TS = pa.timestamp("us", tz="UTC")


@dataclass(frozen=True)
class LakeTable:
    name: str
    schema: pa.Schema
    producer: str  # the asset key (path joined by '/') that writes it
    description: str


def _table(name: str, producer: str, description: str, *fields: tuple[str, pa.DataType]) -> LakeTable:
    return LakeTable(name, pa.schema(list(fields)), producer, description)


TABLES: dict[str, LakeTable] = {
    t.name: t
    for t in [
        _table(
            "failed_builds", "build_errors/failed_builds",
            "Failed builds of a build-ID range (one file per range).",
            ("build_id", pa.int64()), ("project_id", pa.string()), ("failed_stage", pa.string()),
            ("created_at", _TS), ("stopped_at", _TS), ("log_lines", pa.int32()),
        ),
        _table(
            "build_stats", "build_errors/failed_builds",
            "Per range and day: how far builds got (all statuses), for the completion-rate model.",
            ("day", pa.date32()), ("builds_started", pa.int64()), ("attempted_install", pa.int64()),
            ("attempted_build_or_deploy", pa.int64()), ("marked_stopped", pa.int64()),
            ("succeeded", pa.int64()), ("failed", pa.int64()), ("canceled", pa.int64()),
        ),
        _table(
            "build_errors", "build_errors/categorized_build_errors",
            "Categorised failed builds of a range, one file per range so a range is replaced whole: "
            "a row per detected error, and every failed build has exactly one is_primary row (its "
            "primary error, or error_code 'uncategorised' with null line_no/group/tool). "
            "sample_line is masked.",
            ("build_id", pa.int64()), ("created_at", _TS), ("line_no", pa.int32()),
            ("error_code", pa.string()), ("error_group", pa.string()), ("tool", pa.string()),
            ("sample_line", pa.string()), ("is_primary", pa.bool_()), ("rules_version", pa.string()),
        ),
        _table(
            "workflow_runs", "filterlists/workflow_metrics",
            "One row per finished filter-list run (compile, batch_compile, cache_warming, health_monitoring, "
            "isolated_compile, fetch_sources), exported from the Dagster instance's run and event records.",
            ("run_id", pa.string()), ("workflow", pa.string()), ("trigger", pa.string()),
            ("partition", pa.string()), ("status", pa.string()),
            ("started_at", _TS), ("finished_at", _TS), ("duration_s", pa.float64()),
            ("succeeded", pa.bool_()), ("configurations", pa.int32()),
            ("configurations_warmed", pa.int32()), ("cache_hits", pa.int32()),
            ("sources_checked", pa.int32()), ("sources_healthy", pa.int32()), ("alerts", pa.int32()),
            ("steps", pa.int32()), ("retries", pa.int32()), ("error", pa.string()),
        ),
        _table(
            "workflow_steps", "filterlists/workflow_step_metrics",
            "One row per step of those runs: when it started and finished, attempts, outcome, error.",
            ("run_id", pa.string()), ("workflow", pa.string()), ("step_key", pa.string()),
            ("status", pa.string()), ("started_at", _TS), ("finished_at", _TS), ("duration_s", pa.float64()),
            ("attempts", pa.int32()), ("error", pa.string()),
        ),
        _table(
            "radar_settings", "radar/radar_settings",
            "Overrides of the regression radar's baselines and thresholds (window hour or day, setting, "
            "value); the defaults are in dbt_like_sql/radar_settings.sql.",
            ("window_kind", pa.string()), ("setting", pa.string()), ("value", pa.float64()),
            ("set_at", _TS),
        ),
        _table(
            "health_checks", "filterlists/source_health",
            "Source health check results, 30 days kept.",
            ("checked_at", _TS), ("source", pa.string()), ("url", pa.string()), ("healthy", pa.bool_()),
            ("status_code", pa.int32()), ("latency_ms", pa.float64()), ("rule_count", pa.int64()),
            ("expected_min_rules", pa.int64()), ("error", pa.string()),
            ("consecutive_failures", pa.int32()), ("alert", pa.bool_()),
        ),
    ]
}


def spec(table: str) -> LakeTable:
    if table not in TABLES:
        raise KeyError(f"unknown lake table {table!r} (known: {', '.join(sorted(TABLES))})")
    return TABLES[table]


def table_dir(lake: Path, table: str) -> Path:
    return lake / spec(table).name


def write_file(lake: Path, table: str, file_key: str, rows: pa.Table | list[dict]) -> Path:
    """Replace `<lake>/<table>/<file_key>.parquet` atomically with `rows` (cast to the schema)."""
    schema = spec(table).schema
    data = pa.Table.from_pylist(rows, schema=schema) if isinstance(rows, list) else rows
    data = data.select(schema.names).cast(schema)
    folder = table_dir(lake, table)
    folder.mkdir(parents=True, exist_ok=True)
    _sweep_stale_temp_files(folder, file_key)
    target = folder / f"{file_key}.parquet"
    fd, tmp = tempfile.mkstemp(prefix=f".{file_key}.", suffix=".tmp", dir=folder)
    os.close(fd)
    try:
        pq.write_table(data, tmp, compression="zstd")
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


STALE_TEMP_SECONDS = 3600


def _sweep_stale_temp_files(folder: Path, file_key: str) -> None:
    """Remove temp files a killed writer of this key left behind (old enough to be nobody's)."""
    cutoff = time.time() - STALE_TEMP_SECONDS
    for leftover in folder.glob(f".{file_key}.*.tmp"):
        try:
            if leftover.stat().st_mtime < cutoff:
                leftover.unlink()
        except FileNotFoundError:
            pass


def delete_file(lake: Path, table: str, file_key: str) -> None:
    (table_dir(lake, table) / f"{file_key}.parquet").unlink(missing_ok=True)


def read_table(lake: Path, table: str) -> pa.Table:
    """All files of a table as one Arrow table (empty, with the schema, when there are none)."""
    files = sorted(table_dir(lake, table).glob("*.parquet"))
    schema = TABLES[table].schema
    if not files:
        return schema.empty_table()
    return pa.concat_tables([pq.read_table(f, schema=schema) for f in files])


def duckdb_relation_sql(lake: Path, table: str) -> str:
    """SQL for a DuckDB FROM clause reading a lake table, typed even when the folder is empty."""
    folder = table_dir(lake, table)
    if any(folder.glob("*.parquet")):
        pattern = str(folder / "*.parquet").replace("'", "''")
        return f"read_parquet('{pattern}', union_by_name = true)"
    cols = ", ".join(
        f"CAST(NULL AS {_duckdb_type(f.type)}) AS \"{f.name}\"" for f in TABLES[table].schema
    )
    return f"(SELECT {cols} WHERE false)"


def _duckdb_type(t: pa.DataType) -> str:
    if pa.types.is_int64(t):
        return "BIGINT"
    if pa.types.is_int32(t):
        return "INTEGER"
    if pa.types.is_float64(t):
        return "DOUBLE"
    if pa.types.is_boolean(t):
        return "BOOLEAN"
    if pa.types.is_date32(t):
        return "DATE"
    if pa.types.is_timestamp(t):
        return "TIMESTAMPTZ"
    return "VARCHAR"
