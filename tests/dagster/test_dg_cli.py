"""The `dg` project: `dg check defs`, `dg list defs` and `dg launch` run as a user runs them (from the
checkout, on a temporary DAGSTER_HOME), and list every domain's assets, jobs, schedules and sensors."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

DG = Path(sys.executable).with_name("dg")
EXPECTED = {
    "assets": {"build_errors/failed_builds", "build_errors/categorized_build_errors",
               "filterlists/raw_filter_lists", "filterlists/compiled_filter_lists", "filterlists/source_health",
               "filterlists/workflow_metrics", "warehouse/stg_build_errors", "warehouse/error_groups_ranked"},
    "jobs": {"build_errors_job", "compile_job", "health_monitoring_job", "isolated_compile_job", "warehouse_job"},
    "schedules": {"cache_warming_schedule", "health_monitoring_schedule"},
    "sensors": {"build_range_sensor", "new_failures_sensor", "filter_partitions_sensor",
                "automation_condition_sensor", "radar_alert_sensor"},
    "resources": {"bloqr", "build_store", "filterlists", "radar"},
}


@pytest.fixture(scope="module")
def dg_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    base = tmp_path_factory.mktemp("dg")
    (base / "dagster_home").mkdir()
    shutil.copy(ROOT / "dagster.yaml", base / "dagster_home" / "dagster.yaml")
    env = {k: v for k, v in os.environ.items() if not k.startswith("BLOQR_")}
    # VIRTUAL_ENV: the venv we run in is the project's; dg warns when they differ
    return env | {"DAGSTER_HOME": str(base / "dagster_home"), "BLOQR_HOME": str(base / "bloqr"),
                  "VIRTUAL_ENV": sys.prefix, "COLUMNS": "200", "NO_COLOR": "1"}


def _dg(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(DG), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    print(f"$ dg {' '.join(args)}\n{proc.stdout}{proc.stderr}")  # shown with -s, and on failure
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc


def test_dg_check_defs(dg_env: dict[str, str]) -> None:
    out = _dg(dg_env, "check", "defs")
    assert "All definitions loaded successfully." in out.stdout + out.stderr
    assert "warning" not in (out.stdout + out.stderr).lower()


def test_dg_list_defs_lists_every_domain(dg_env: dict[str, str]) -> None:
    listed = json.loads(_dg(dg_env, "list", "defs", "--json").stdout)
    names = {
        "assets": {a["asset_key"] for a in listed["assets"]},
        **{kind: {x["name"] for x in listed[kind]} for kind in ("jobs", "schedules", "sensors", "resources")},
    }
    for kind, wanted in EXPECTED.items():
        assert wanted <= names[kind], (kind, wanted - names[kind])
    assert "warehouse_after_build_errors_sensor" not in names["sensors"]
    crons = {s["name"]: s["cron_schedule"] for s in listed["schedules"]}
    assert crons["cache_warming_schedule"] == "0 */6 * * *" and crons["health_monitoring_schedule"] == "0 * * * *"
    assert len(listed["asset_checks"]) > 50  # the model tests and the domain checks
    table = _dg(dg_env, "list", "defs", "--columns", "key,group,kinds").stdout
    for group in ("build_errors", "filterlists", "warehouse"):
        assert f"│ {group} " in table


def test_dg_launch_materializes_an_asset(dg_env: dict[str, str]) -> None:
    out = _dg(dg_env, "launch", "--assets", "warehouse/stg_health_checks")
    assert "RUN_SUCCESS" in out.stdout + out.stderr
    assert (Path(dg_env["BLOQR_HOME"]) / "warehouse.duckdb").is_file()
