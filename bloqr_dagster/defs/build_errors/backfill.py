"""Launch and follow build-error backfills on a Dagster instance (what `bloqr backfill` does).

A backfill made here is the same PartitionBackfill object the UI creates from "Materialize all"
on a partitioned asset: it appears under Runs > Backfills, and the daemon's backfill loop turns
it into runs (up to MAX_RANGES_PER_RUN ranges each, per the assets' backfill policy).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import dagster as dg
from dagster._core.definitions.assets.graph.asset_graph import AssetGraph
from dagster._core.execution.backfill import BulkActionStatus, PartitionBackfill
from dagster._core.utils import make_new_backfill_id
from dagster._time import get_current_timestamp

from bloqr_dagster.build_errors.ranges import BuildIdRange, range_for
from bloqr_dagster.defs.build_errors.assets import (
    CATEGORIZED_BUILD_ERRORS,
    FAILED_BUILDS,
    categorized_build_errors,
    failed_builds,
)
from bloqr_dagster.defs.build_errors.partitions import (
    build_id_ranges,
    ranges_to_register,
    register_ranges,
    registered_ranges,
)
from bloqr_dagster.warehouse import lake

ASSET_KEYS = [FAILED_BUILDS, CATEGORIZED_BUILD_ERRORS]
BACKFILL_TAG = "bloqr/backfill"
# Statuses of a backfill whose runs may still be launched or running.
ACTIVE_STATUSES = (BulkActionStatus.REQUESTED, BulkActionStatus.CANCELING, BulkActionStatus.FAILING)
FINISHED_OK = (BulkActionStatus.COMPLETED, BulkActionStatus.COMPLETED_SUCCESS)
# One run executes its steps in its own process one after the other: no subprocess per step.
IN_PROCESS_RUN_CONFIG = {"execution": {"config": {"in_process": {}}}}


def active_build_error_backfills(instance: dg.DagsterInstance) -> list[PartitionBackfill]:
    """Backfills not finished yet that target a build-error asset."""
    targets = set(ASSET_KEYS)
    out = []
    for status in ACTIVE_STATUSES:
        for backfill in instance.get_backfills(status=status):
            if backfill.asset_selection and targets & set(backfill.asset_selection):
                out.append(backfill)
    return out


def ensure_ranges(instance: dg.DagsterInstance, first_id: int, last_id: int, width: int,
                  lowest_build_id: int | None = None) -> tuple[list[str], list[str]]:
    """Register the missing ranges up to `last_id` (ascending) -> (keys targeted, keys added).

    Registration only appends above the highest registered range (keys must stay ascending);
    when nothing is registered yet it starts at the lower of `first_id` and the store's lowest id.
    """
    registered = registered_ranges(instance)
    registered_end = max((r.end for r in registered), default=-1)
    lowest = min(first_id, lowest_build_id) if lowest_build_id is not None else first_id
    added = register_ranges(instance, ranges_to_register(registered_end, last_id, width,
                                                         range_for(lowest, width).start))
    wanted = BuildIdRange(first_id, last_id)
    targeted = [r.key for r in registered_ranges(instance) if r.start <= wanted.end and r.end >= wanted.start]
    return targeted, added


def launch_backfill(instance: dg.DagsterInstance, range_keys: list[str], *,
                    title: str, tags: dict[str, str] | None = None, in_process: bool = True) -> str:
    """Create an asset backfill of both build-error assets over `range_keys`; returns its id."""
    missing = set(range_keys) - set(instance.get_dynamic_partitions(build_id_ranges.name))
    if missing:
        raise ValueError(f"ranges not registered: {sorted(missing)[:3]}")
    backfill_id = make_new_backfill_id()
    backfill = PartitionBackfill.from_asset_partitions(
        backfill_id=backfill_id,
        # The graph of the two assets is all a backfill needs to know: it stores only their keys
        # and partitions, and the daemon resolves them against the loaded code location.
        asset_graph=AssetGraph.from_assets([failed_builds, categorized_build_errors]),
        partition_names=list(range_keys),
        asset_selection=ASSET_KEYS,
        backfill_timestamp=get_current_timestamp(),
        tags={BACKFILL_TAG: "cli", **(tags or {})},
        dynamic_partitions_store=instance,
        all_partitions=False,
        title=title,
        description=f"{len(range_keys)} build-ID ranges, {range_keys[0]} .. {range_keys[-1]}",
        run_config=IN_PROCESS_RUN_CONFIG if in_process else None,
    )
    instance.add_backfill(backfill)
    return backfill_id


@dataclass(frozen=True)
class Progress:
    status: BulkActionStatus
    ranges_total: int
    ranges_done: int
    ranges_failed: int
    runs: Counter[str]

    @property
    def finished(self) -> bool:
        return self.status not in ACTIVE_STATUSES

    @property
    def succeeded(self) -> bool:
        complete = self.ranges_failed == 0 and self.ranges_done == self.ranges_total
        return self.status in FINISHED_OK and complete

    def line(self) -> str:
        runs = ", ".join(f"{n} {status.lower()}" for status, n in sorted(self.runs.items())) or "none yet"
        failed = f", {self.ranges_failed} failed" if self.ranges_failed else ""
        done = f"ranges {self.ranges_done}/{self.ranges_total} done{failed}"
        return f"{done} · runs: {runs} · {self.status.value}"


def backfill_progress(instance: dg.DagsterInstance, backfill_id: str, range_keys: list[str],
                      lake_dir: Path) -> Progress:
    """Where a backfill stands: its status, its runs, and how many of its ranges are done.

    A range counts as done once a run of this backfill materialised it, or once its build_errors
    file was replaced after the backfill started: a multi-range run reports its materialisations
    only when the step ends, but writes each range's file as soon as the range is done.
    """
    backfill = instance.get_backfill(backfill_id)
    if backfill is None:
        raise ValueError(f"no backfill {backfill_id!r} on this instance")
    runs = instance.get_runs(filters=dg.RunsFilter.for_backfill(backfill_id))
    run_ids = {r.run_id for r in runs}
    done: set[str] = set()
    if run_ids:
        records = instance.fetch_materializations(
            dg.AssetRecordsFilter(asset_key=CATEGORIZED_BUILD_ERRORS,
                                  after_timestamp=backfill.backfill_timestamp),
            limit=max(4 * len(range_keys), 100),
        ).records
        done = {r.partition_key for r in records if r.run_id in run_ids and r.partition_key}
    folder = lake.table_dir(lake_dir, "build_errors")
    for key in set(range_keys) - done:
        path = folder / f"{key}.parquet"
        if path.exists() and path.stat().st_mtime >= backfill.backfill_timestamp:
            done.add(key)
    failed = 0
    data = backfill.asset_backfill_data
    if data is not None:
        failed = sum(1 for ap in data.failed_and_downstream_subset.iterate_asset_partitions()
                     if ap.asset_key == CATEGORIZED_BUILD_ERRORS)
    run_statuses = Counter(r.status.value for r in runs)
    return Progress(backfill.status, len(range_keys), len(done), failed, run_statuses)


def daemon_alive(instance: dg.DagsterInstance) -> bool:
    """A live backfill daemon heartbeat (the daemon runs under `dagster dev` or `dagster-daemon run`)."""
    status = instance.get_daemon_statuses(["BACKFILL"]).get("BACKFILL")
    return bool(status and status.healthy)


def start_daemon(workspace: Path, log_file: IO[bytes]) -> subprocess.Popen:
    """`dagster-daemon run -w workspace` as a child process (stop it with stop_daemon)."""
    exe = shutil.which("dagster-daemon", path=str(Path(sys.executable).parent))
    exe = exe or shutil.which("dagster-daemon")
    cmd = [exe, "run"] if exe else [sys.executable, "-m", "dagster._daemon", "run"]
    return subprocess.Popen([*cmd, "-w", str(workspace)], stdout=log_file, stderr=subprocess.STDOUT,
                            env=os.environ.copy(), start_new_session=True)


def stop_daemon(proc: subprocess.Popen, timeout: float = 60) -> None:
    """SIGINT (a clean shutdown that also stops the code server), SIGKILL if it hangs."""
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def wait_for_daemon(instance: dg.DagsterInstance, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not daemon_alive(instance):
        if proc.poll() is not None:
            raise RuntimeError(f"dagster-daemon exited with code {proc.returncode}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"dagster-daemon sent no heartbeat within {timeout:.0f}s")
        time.sleep(1)
