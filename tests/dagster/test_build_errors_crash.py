"""A run killed in the middle of a range leaves every range's file wholly old or wholly new."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pyarrow.parquet as pq

from bloqr_dagster.build_errors.generator import generate
from bloqr_dagster.build_errors.stores import open_store

from .helpers import register_all_ranges, run_ranges

RUN_ALL_RANGES = """
import dagster as dg
from bloqr_dagster.definitions import load_defs
defs = load_defs()
with dg.DagsterInstance.get() as instance:
    keys = instance.get_dynamic_partitions("build_id_ranges")
    defs.resolve_job_def("build_errors_job").execute_in_process(instance=instance, tags={
        "dagster/asset_partition_range_start": keys[0], "dagster/asset_partition_range_end": keys[-1]})
"""


def _snapshot(lake, table: str) -> dict[str, object]:
    return {p.stem: pq.read_table(p) for p in sorted((lake / table).glob("*.parquet"))}


def test_kill_mid_range_leaves_each_range_wholly_old_or_new(dagster_env) -> None:
    env = dagster_env
    old_keys = register_all_ranges(env)
    run_ranges(env, old_keys[0], old_keys[-1])
    old = _snapshot(env.lake, "build_errors")

    # New content for the same ids (and more ranges), so old and new files differ everywhere.
    with open_store(env.store_url) as store:
        generate(store, 12_000, seed=99, start_id=1)
    keys = register_all_ranges(env)
    assert len(keys) > len(old_keys)

    proc = subprocess.Popen([sys.executable, "-c", RUN_ALL_RANGES], stderr=subprocess.PIPE, text=True,
                            env=os.environ.copy())
    killed_after = None
    try:
        assert proc.stderr is not None
        for line in proc.stderr:
            if f"range {keys[0]} (1/{len(keys)})" in line and "coverage" in line:
                # The first range's file was just replaced and the second is being scanned: freeze
                # the run, then let it go on in short slices until it is writing a range's file,
                # and kill it there, at the worst moment for atomicity.
                proc.send_signal(signal.SIGSTOP)
                killed_after = _step_until_writing(proc, env.lake / "build_errors")
                proc.send_signal(signal.SIGKILL)
                break
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(30)
    assert killed_after is not None, "the run finished before the test could kill it"
    assert proc.returncode == -signal.SIGKILL
    after_kill = _snapshot(env.lake, "build_errors")

    run_ranges(env, keys[0], keys[-1])  # a clean re-run completes every range
    new = _snapshot(env.lake, "build_errors")

    states = {}
    for key, table in after_kill.items():
        if key in old and table.equals(old[key]):
            states[key] = "old"
        elif table.equals(new[key]):
            states[key] = "new"
        else:
            raise AssertionError(f"range {key} is neither the old nor the new file")
    assert states[keys[0]] == "new"
    assert "old" in states.values(), states  # the run died before it reached the later ranges
    for key in old_keys:
        assert not old[key].equals(new[key])  # old and new were distinguishable


def _step_until_writing(proc: subprocess.Popen, folder, max_slices: int = 200) -> bool:
    """Resume a stopped process for ~2 ms at a time until a temporary lake file exists."""
    for _ in range(max_slices):
        if any(folder.glob(".*.tmp")):
            return True
        proc.send_signal(signal.SIGCONT)
        time.sleep(0.002)
        proc.send_signal(signal.SIGSTOP)
    return False
