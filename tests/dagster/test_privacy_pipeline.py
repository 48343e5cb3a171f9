"""No private value reaches the lake or the warehouse, and the privacy check blocks publishing.

The private-value corpus (tests/data/privacy/cases.jsonl) is planted in the failed builds of a real
embedded store, materialised range by range through the Dagster job, and the warehouse is built by
its job; the bytes of every Parquet file and of the DuckDB file, and every string value in them, are
searched for each secret.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import dagster as dg
import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from bloqr_dagster.build_errors import detectors, privacy
from bloqr_dagster.build_errors.stores import open_store
from bloqr_dagster.build_errors.stores.base import Build, LogLine
from bloqr_dagster.settings import Paths
from bloqr_dagster.warehouse import lake
from bloqr_dagster.warehouse.build import build_warehouse

from .helpers import register_all_ranges, run_ranges

CASES_FILE = Path(__file__).resolve().parents[1] / "data" / "privacy" / "cases.jsonl"
CASES = [json.loads(line) for line in CASES_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]
T0 = datetime(2026, 3, 4, 5, 0, tzinfo=UTC)


def _plant_corpus(store_url: str) -> dict[int, dict]:
    """One failed build per case (its log: a clone line, the case's line, the platform summary) and a
    successful build between each; returns build_id -> case."""
    builds, logs, by_build = [], {}, {}
    for i, case in enumerate(CASES):
        ok_id, failed_id = 2 * i + 1, 2 * i + 2
        created = T0 + timedelta(minutes=i)
        builds.append(Build(ok_id, "acct-1", "proj-1", "success", None, created, created + timedelta(seconds=30)))
        builds.append(Build(failed_id, "acct-1", "proj-1", "failure", "build", created,
                            created + timedelta(seconds=40)))
        messages = ["Cloning repository...", case["line"], "Failed: error occurred while running build command"]
        logs[failed_id] = [LogLine(n, created + timedelta(seconds=n), m) for n, m in enumerate(messages, 1)]
        by_build[failed_id] = case
    with open_store(store_url) as store:
        store.ensure_schema()
        store.insert(builds, logs)
    return by_build


def _strings(table: pa.Table) -> list[str]:
    return [v for col in table.columns if pa.types.is_string(col.type) for v in col.to_pylist() if v]


def _assert_no_secret(data: bytes, values: list[str], where: str) -> None:
    text = data.decode("latin-1")
    for case in CASES:
        for secret in case["secrets"]:
            # the raw bytes: compressed pages hold any 2-byte string by chance (`&3`), so short
            # secrets are checked in the decoded values only
            assert len(secret) < 6 or secret not in text, (where, case["id"])
            assert not any(secret in v for v in values), (where, case["id"])  # the decoded values


def test_private_corpus_never_reaches_the_lake_or_the_warehouse(empty_dagster_env) -> None:
    env = empty_dagster_env
    planted = _plant_corpus(env.store_url)
    keys = register_all_ranges(env)
    result = run_ranges(env, keys[0], keys[-1])
    assert result.success
    checks = {e.check_name: e.passed for e in result.get_asset_check_evaluations()}
    assert checks["no_private_values"]

    files = sorted(env.lake.rglob("*.parquet"))
    assert {f.parent.name for f in files} >= {"build_errors", "failed_builds", "build_stats"}
    errors = pa.concat_tables([pq.read_table(f) for f in sorted((env.lake / "build_errors").glob("*.parquet"))])
    located = {(b, n) for b, n in zip(errors.column("build_id").to_pylist(), errors.column("line_no").to_pylist(),
                                      strict=True)}
    # every planted line was detected, so its group and sample really went through the masking
    assert all((build_id, 2) in located for build_id in planted), sorted(set(planted) - {b for b, _ in located})
    for f in files:
        _assert_no_secret(f.read_bytes(), _strings(pq.read_table(f)), str(f))

    warehouse = env.defs().resolve_job_def("warehouse_job").execute_in_process(instance=env.instance)
    assert warehouse.success
    db = env.bloqr_home / "warehouse.duckdb"
    with duckdb.connect(str(db), read_only=True) as con:
        relations = con.execute("SELECT table_name, column_name FROM information_schema.columns "
                                "WHERE table_schema = 'main' AND data_type = 'VARCHAR'").fetchall()
        values = [v for table, column in relations
                  for (v,) in con.execute(f'SELECT DISTINCT "{column}" FROM "{table}"').fetchall() if v]
        groups = con.execute("SELECT count(*) FROM stg_build_errors WHERE error_group IS NOT NULL").fetchone()[0]
    assert groups >= len(CASES)
    _assert_no_secret(db.read_bytes(), values, str(db))


def _leaky_diagnose(real):
    """The engine with a masking fault: every sample line is the raw log line (a fault injected into the
    engine's public entry point, as no real input can make the masking skip a value it knows)."""
    def diagnose(text: str, rules=None):
        d = real(text, rules)
        lines = text.split("\n")
        leak = [dataclasses.replace(e, sample_line=lines[e.line_no - 1]) for e in d.errors]
        primary = next((h for h in leak if d.primary is not None and h.line_no == d.primary.line_no), None)
        return dataclasses.replace(d, errors=tuple(leak), primary=primary)
    return diagnose


def test_a_range_holding_a_private_value_is_not_published(empty_dagster_env,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    env = empty_dagster_env
    planted = _plant_corpus(env.store_url)
    keys = register_all_ranges(env)
    monkeypatch.setattr(detectors, "diagnose", _leaky_diagnose(detectors.diagnose))
    result = run_ranges_allowing_failure(env, keys[0], keys[-1])
    assert not result.success
    failures = [e for e in result.all_events if e.event_type == dg.DagsterEventType.STEP_FAILURE]
    message = failures[0].step_failure_data.error.message.strip()
    assert "\n" not in message and "was not published" in message
    build_id = int(message.split("build ")[1].split(":")[0])
    assert build_id in planted and "sample_line holds a private value (" in message
    assert not any(s in message for s in planted[build_id]["secrets"])  # names the kind, never the value
    assert len(failures) == 1  # no retry of rows that would fail again
    assert not list((env.lake / "build_errors").glob("*.parquet"))  # nothing half-published


def run_ranges_allowing_failure(env, first_key: str, last_key: str):
    job = env.defs().resolve_job_def("build_errors_job")
    tags = {"dagster/asset_partition_range_start": first_key, "dagster/asset_partition_range_end": last_key}
    return job.execute_in_process(instance=env.instance, tags=tags, raise_on_error=False)


def test_a_warehouse_holding_a_private_value_is_not_published(tmp_path: Path) -> None:
    paths = Paths(tmp_path / "home")
    key = "000000000000-000000009999"
    created = datetime(2024, 5, 1, 10, tzinfo=UTC)
    lake.write_file(paths.lake, "failed_builds", key, pa.table({
        "build_id": [101], "project_id": ["p"], "failed_stage": ["build"], "created_at": [created],
        "stopped_at": [created], "log_lines": [3]}, schema=lake.TABLES["failed_builds"].schema))
    lake.write_file(paths.lake, "build_stats", key, [{
        "day": created.date(), "builds_started": 1, "attempted_install": 1, "attempted_build_or_deploy": 1,
        "marked_stopped": 1, "succeeded": 0, "failed": 1, "canceled": 0}])

    def write_errors(sample: str) -> None:
        schema = lake.TABLES["build_errors"].schema
        lake.write_file(paths.lake, "build_errors", key, pa.table({
            "build_id": [101], "created_at": [created], "line_no": [2], "error_code": ["network_error"],
            "error_group": ["Error: connect ECONNREFUSED <IP>:<PORT>"], "tool": ["node"], "sample_line": [sample],
            "is_primary": [True], "rules_version": ["test"]}, schema=schema))

    write_errors("Error: connect ECONNREFUSED <IP>:5432")
    build_warehouse(paths)
    published = paths.warehouse.read_bytes()

    write_errors("Error: connect ECONNREFUSED db-primary.corp.example:5432 as ops@example.com")
    with pytest.raises(privacy.PrivateValueError) as err:
        build_warehouse(paths)
    message = str(err.value)
    assert "\n" not in message and "sample_line holds a private value" in message
    assert "(email)" in message or "(internal_host)" in message
    assert "ops@example.com" not in message and "db-primary" not in message
    assert paths.warehouse.read_bytes() == published  # the previous warehouse stays
    assert sorted(p.name for p in paths.warehouse.parent.iterdir() if p.name.endswith(".duckdb")) == \
        ["warehouse.duckdb"]  # no temporary file left behind
