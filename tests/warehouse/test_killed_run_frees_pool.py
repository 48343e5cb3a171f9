"""`kill -9` of a warehouse run's process frees its pool slot: the next warehouse run completes.

Real processes: a dagster-daemon on a temp instance with the repository's dagster.yaml, runs
submitted with `dagster job launch`. The test holds the warehouse's build lock so the first run
is caught inside its op (holding the duckdb_warehouse slot), kills its process, and then a second
warehouse run must finish (it would wait forever for the slot without run monitoring's clean-up).
"""

from __future__ import annotations

import fcntl
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import pytest

from bloqr_dagster.cli import dagster_services as services
from bloqr_dagster.settings import Paths
from tests.warehouse.conftest import write_sample_lake

ROOT = Path(__file__).resolve().parents[2]
POOL = "duckdb_warehouse"
BOUND_S = 240  # slot freed (monitoring pass 30 s + 10 s grace) and a warehouse build, on a busy machine
PID = re.compile(r"Started process for run \(pid: (\d+)\)")


def _launch(env: dict[str, str]) -> str:
    before = set()
    with dg.DagsterInstance.get() as instance:
        before = {r.run_id for r in instance.get_runs()}
    subprocess.run([str(Path(sys.executable).parent / "dagster"), "job", "launch", "-j", "warehouse_job",
                    "-w", str(ROOT / "workspace.yaml")], cwd=ROOT, env=env, check=True, capture_output=True,
                   timeout=300)
    with dg.DagsterInstance.get() as instance:
        (run_id,) = {r.run_id for r in instance.get_runs(dg.RunsFilter(job_name="warehouse_job"))} - before
    return run_id


def _wait(what: str, predicate, timeout: float = BOUND_S, explain=lambda: ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.5)
    pytest.fail(f"{what}: not within {timeout:.0f}s\n{explain()}")


def _story(instance: dg.DagsterInstance, run_id: str, daemon_log: Path) -> str:
    """What the run and the daemon did, for a failure message."""
    run = instance.get_run_by_id(run_id)
    events = [f"{e.dagster_event.event_type_value if e.dagster_event else 'log'}: {(e.message or '')[:200]}"
              for e in instance.all_logs(run_id)][-15:]
    return (f"run {run_id} status {run.status if run else None}\n" + "\n".join(events)
            + "\n--- daemon log tail ---\n" + daemon_log.read_text(errors="replace")[-3000:])


def _worker_pid(instance: dg.DagsterInstance, run_id: str) -> int | None:
    for entry in instance.all_logs(run_id, of_type=dg.DagsterEventType.ENGINE_EVENT):
        found = PID.search(entry.message or "")
        if found:
            return int(found.group(1))
    return None


def _claimed(instance: dg.DagsterInstance, run_id: str) -> bool:
    info = instance.event_log_storage.get_concurrency_info(POOL)
    return any(slot.run_id == run_id for slot in info.claimed_slots)


def test_killed_warehouse_run_frees_its_slot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dagster_home, paths = tmp_path / "dagster_home", Paths(tmp_path / "bloqr")
    dagster_home.mkdir()
    (dagster_home / "dagster.yaml").write_text((ROOT / "dagster.yaml").read_text())
    write_sample_lake(paths)
    monkeypatch.setenv("DAGSTER_HOME", str(dagster_home))
    monkeypatch.setenv("BLOQR_HOME", str(paths.home))
    monkeypatch.delenv("BLOQR_BUILD_STORE", raising=False)
    env = os.environ.copy()
    # Without the automation sensor: its first tick builds the (missing) warehouse, a second writer that
    # could take the pool slot first and then wait on the lock this test holds.
    subprocess.run([str(Path(sys.executable).parent / "dagster"), "sensor", "stop", "automation_condition_sensor",
                    "-w", str(ROOT / "workspace.yaml")], cwd=ROOT, env=env, check=True, capture_output=True,
                   timeout=300)
    with dg.DagsterInstance.get() as instance, open(tmp_path / "daemon.log", "ab") as log:
        daemon = services.start_daemon(ROOT / "workspace.yaml", log)
        try:
            with open(paths.home / ".warehouse.duckdb.lock", "a+") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)  # the first run's op waits here, holding the slot
                first = _launch(env)
                explain = lambda: _story(instance, first, tmp_path / "daemon.log")  # noqa: E731
                _wait("first run holds the pool slot", lambda: _claimed(instance, first), explain=explain)
                pid = _wait("first run's worker pid", lambda: _worker_pid(instance, first), explain=explain)
                os.kill(pid, signal.SIGKILL)
                fcntl.flock(lock, fcntl.LOCK_UN)
            status = _wait("first run marked failed", lambda: (
                (run := instance.get_run_by_id(first)).is_finished and run.status))
            assert status == dg.DagsterRunStatus.FAILURE

            second = _launch(env)
            done = _wait("second warehouse run finished", lambda: (
                (run := instance.get_run_by_id(second)).is_finished and run.status))
            assert done == dg.DagsterRunStatus.SUCCESS, (tmp_path / "daemon.log").read_text()[-3000:]
            assert not _claimed(instance, first)
        finally:
            services.stop(daemon)
