"""Warehouse fixtures: a temporary BLOQR_HOME and a small, hand-checkable lake.

The sample lake (see EXPECTED_* in the tests) spans two build-ID ranges and two UTC days:

  build  created (UTC)         primary error                 other errors
  101    2024-05-01 10:00      module_not_found  G_RESOLVE    G_ELIFECYCLE
  102    2024-05-01 12:00      lockfile_out_of_sync G_LOCK    G_LOCK (again), G_ELIFECYCLE
  103    2024-05-01 23:30      uncategorised (written as 2024-05-02 01:30+02:00)
  10004  2024-05-02 00:00:01   module_not_found  G_RESOLVE    G_ELIFECYCLE
  10005  2024-05-02 09:00      lockfile_out_of_sync G_LOCK
  10006  2024-05-02 10:00      timeout           G_TIMEOUT
  10007  2024-05-02 11:00      out_of_memory     G_OOM
  10008  failed build in the lake whose range has not been categorised yet
"""

from __future__ import annotations

import textwrap
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from bloqr_dagster.settings import Paths
from bloqr_dagster.warehouse import lake

RANGE_A = "000000000000-000000009999"
RANGE_B = "000000010000-000000019999"

G_RESOLVE = '✘ [ERROR] Could not resolve "<MODULE>"'
G_ELIFECYCLE = "ELIFECYCLE  Command failed with exit code <CODE>."
G_LOCK = "npm error Missing: <PACKAGE>@<VERSION> from lock file"
G_TIMEOUT = "Build exceeded the time limit of <DURATION>"
G_OOM = "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory"


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def error(build_id: int, created: datetime, line_no: int | None, code: str, group: str | None,
          tool: str | None, sample: str | None, primary: bool) -> dict:
    return dict(build_id=build_id, created_at=created, line_no=line_no, error_code=code, error_group=group,
                tool=tool, sample_line=sample, is_primary=primary, rules_version="rules-7")


def uncategorised(build_id: int, created: datetime) -> dict:
    return error(build_id, created, None, "uncategorised", None, None, None, True)


def failed(build_id: int, created: datetime, stage: str) -> dict:
    return dict(build_id=build_id, project_id=f"p{build_id % 3}", failed_stage=stage, created_at=created,
                stopped_at=created + timedelta(minutes=3), log_lines=120)


def stats(day: str, started: int, install: int, build: int, stopped: int, ok: int, bad: int, cancel: int) -> dict:
    return dict(day=datetime.fromisoformat(day).date(), builds_started=started, attempted_install=install,
                attempted_build_or_deploy=build, marked_stopped=stopped, succeeded=ok, failed=bad,
                canceled=cancel)


def run(run_id: str, workflow: str, trigger: str, started: str, seconds: float, ok: bool, **counters) -> dict:
    start = utc(started)
    row = dict(run_id=run_id, workflow=workflow, trigger=trigger, started_at=start,
               finished_at=start + timedelta(seconds=seconds), duration_s=seconds, succeeded=ok,
               configurations=None, configurations_warmed=None, cache_hits=None, sources_checked=None,
               sources_healthy=None, alerts=None, error=None)
    row.update(counters)
    return row


def step(run_id: str, workflow: str, op: str, started: str, seconds: float, attempts: int,
         err: str | None = None) -> dict:
    start = utc(started)
    return dict(run_id=run_id, workflow=workflow, step_key=f"filterlists__compiled_filter_lists.{op}",
                status="FAILURE" if err else "SUCCESS", started_at=start,
                finished_at=start + timedelta(seconds=seconds), duration_s=seconds, attempts=attempts, error=err)


def check(source: str, at: str, healthy: bool, latency: float | None, status: int | None = 200,
          rules: int = 50_000, failures: int = 0, alert: bool = False, err: str | None = None) -> dict:
    return dict(checked_at=utc(at), source=source, url=f"https://lists.example/{source}.txt", healthy=healthy,
                status_code=status, latency_ms=latency, rule_count=rules, expected_min_rules=1000, error=err,
                consecutive_failures=failures, alert=alert)


def write_sample_lake(paths: Paths) -> None:
    plus2 = timezone(timedelta(hours=2))
    lake.write_file(paths.lake, "build_errors", RANGE_A, [
        error(101, utc("2024-05-01 10:00"), 12, "module_not_found", G_RESOLVE, "wrangler",
              '✘ [ERROR] Could not resolve "tls"', True),
        error(101, utc("2024-05-01 10:00"), 20, "build_command_failed", G_ELIFECYCLE, "pnpm",
              "ELIFECYCLE  Command failed with exit code 1.", False),
        error(102, utc("2024-05-01 12:00"), 8, "lockfile_out_of_sync", G_LOCK, "npm",
              "npm error Missing: <PACKAGE>@<VERSION> from lock file", True),
        error(102, utc("2024-05-01 12:00"), 9, "lockfile_out_of_sync", G_LOCK, "npm",
              "npm error Missing: <PACKAGE>@<VERSION> from lock file", False),
        error(102, utc("2024-05-01 12:00"), 15, "build_command_failed", G_ELIFECYCLE, "npm",
              "ELIFECYCLE  Command failed with exit code 1.", False),
        uncategorised(103, datetime(2024, 5, 2, 1, 30, tzinfo=plus2)),
    ])
    lake.write_file(paths.lake, "build_errors", RANGE_B, [
        error(10004, utc("2024-05-02 00:00:01"), 30, "module_not_found", G_RESOLVE, "wrangler",
              '✘ [ERROR] Could not resolve "<MODULE>"', True),
        error(10004, utc("2024-05-02 00:00:01"), 44, "build_command_failed", G_ELIFECYCLE, "npm",
              "ELIFECYCLE  Command failed with exit code 2.", False),
        error(10005, utc("2024-05-02 09:00"), 3, "lockfile_out_of_sync", G_LOCK, "npm",
              "npm error Missing: @emnapi/runtime@<VERSION> from lock file (latest)", True),
        error(10006, utc("2024-05-02 10:00"), 1, "timeout", G_TIMEOUT, "platform",
              "Build exceeded the time limit of 20 minutes", True),
        error(10007, utc("2024-05-02 11:00"), 1, "out_of_memory", G_OOM, "node", G_OOM, True),
    ])
    lake.write_file(paths.lake, "failed_builds", RANGE_A, [
        failed(101, utc("2024-05-01 10:00"), "build"), failed(102, utc("2024-05-01 12:00"), "install"),
        failed(103, utc("2024-05-01 23:30"), "build"),
    ])
    lake.write_file(paths.lake, "failed_builds", RANGE_B, [
        failed(10004, utc("2024-05-02 00:00:01"), "deploy"), failed(10005, utc("2024-05-02 09:00"), "install"),
        failed(10006, utc("2024-05-02 10:00"), "build"), failed(10007, utc("2024-05-02 11:00"), "build"),
        failed(10008, utc("2024-05-02 12:00"), "build"),
    ])
    lake.write_file(paths.lake, "build_stats", RANGE_A, [stats("2024-05-01", 10, 9, 7, 1, 5, 3, 1)])
    lake.write_file(paths.lake, "build_stats", RANGE_B, [
        stats("2024-05-01", 4, 4, 3, 0, 2, 2, 0), stats("2024-05-02", 6, 5, 5, 2, 3, 2, 1),
    ])
    lake.write_file(paths.lake, "workflow_runs", "2024-05", [
        run("b1", "batch_compile", "schedule", "2024-05-01 01:00", 10.0, True, configurations=4, cache_hits=1),
        run("b2", "batch_compile", "manual", "2024-05-01 02:00", 20.0, True, configurations=2),
        run("b3", "batch_compile", "schedule", "2024-05-02 01:00", 30.0, False, configurations=0, error="source 3 failed"),
        run("w1", "cache_warming", "schedule", "2024-05-01 03:00", 5.0, True, configurations_warmed=5, cache_hits=3),
        run("w2", "cache_warming", "manual", "2024-05-01 04:00", 7.0, True, configurations_warmed=2, cache_hits=2),
        run("h1", "health_monitoring", "schedule", "2024-05-01 05:00", 2.0, True, sources_checked=5, sources_healthy=4,
            alerts=1),
        run("h2", "health_monitoring", "schedule", "2024-05-02 05:00", 4.0, True, sources_checked=5, sources_healthy=5,
            alerts=0),
        run("c1", "compile", "manual", "2024-05-01 06:00", 1.5, True, configurations=1, retries=1),
    ])
    lake.write_file(paths.lake, "workflow_steps", "2024-05", [
        step("c1", "compile", "validate", "2024-05-01 06:00", 0.1, 1),
        step("c1", "compile", "compile_sources", "2024-05-01 06:00:01", 1.2, 2),
        step("b3", "batch_compile", "validate", "2024-05-02 01:00", 0.2, 1),
        step("b3", "batch_compile", "compile_sources", "2024-05-02 01:00:01", 29.0, 3, err="source 3 failed"),
    ])
    lake.write_file(paths.lake, "health_checks", "checks", [
        check("easylist", "2024-04-02 12:00", False, None, status=None, err="timeout"),  # outside 30 days
        check("easylist", "2024-04-03 12:00", True, 80.0),
        check("easylist", "2024-05-01 06:00", True, 100.0),
        check("easylist", "2024-05-01 18:00", False, None, status=None, failures=1, err="timeout"),
        check("easylist", "2024-05-02 06:00", True, 50.0, rules=51_000),
        check("adguard_base", "2024-05-02 07:00", False, 250.0, status=500, failures=1),
        check("adguard_base", "2024-05-02 08:00", False, 300.0, status=500, failures=2, alert=True,
              err="HTTP 500"),
    ])


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    return Paths(tmp_path / "home")


@pytest.fixture
def sample_paths(paths: Paths) -> Paths:
    write_sample_lake(paths)
    return paths


def write_models(folder: Path, models: dict[str, str]) -> Path:
    """Write `<name>.sql` files (dedented) into folder; returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in models.items():
        (folder / f"{name}.sql").write_text(textwrap.dedent(text).lstrip())
    return folder
