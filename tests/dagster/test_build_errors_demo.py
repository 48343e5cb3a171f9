"""`bloqr demo`: offline, end to end, idempotent on re-run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[2]


def _demo(env: dict[str, str]) -> str:
    proc = subprocess.run([str(Path(sys.executable).parent / "bloqr"), "demo", "--builds", "3000"], env=env,
                          cwd=env["BLOQR_HOME"], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc.stdout


def test_demo_builds_everything_and_is_idempotent(tmp_path: Path) -> None:
    home = tmp_path / "bloqr"
    home.mkdir()
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path / "dagster_home"), "BLOQR_HOME": str(home)}
    env.pop("BLOQR_BUILD_STORE", None)
    first = _demo(env)
    assert "generated 3,000 demo builds" in first
    assert "check one_primary_row_per_failed_build: passed" in first
    assert "check no_private_values: passed" in first
    assert "Top error groups:" in first and "| rank | error_code | builds | error_group |" in first
    assert "Categorisation coverage:" in first
    assert "Regression radar: " in first  # what the radar flagged (tests/radar: the spike days themselves)
    assert str(home / "warehouse.duckdb") in first and "make ui" in first
    assert (tmp_path / "dagster_home" / "dagster.yaml").exists()
    rows = pq.read_table(home / "lake" / "build_errors").num_rows

    second = _demo(env)
    assert "demo builds already in" in second
    assert pq.read_table(home / "lake" / "build_errors").num_rows == rows
    # the coverage table is the same: nothing was counted twice
    assert first.split("Categorisation coverage:")[1].split("\n\n")[0] == \
        second.split("Categorisation coverage:")[1].split("\n\n")[0]
