"""Build-error backfills on a Dagster instance, read through its public methods only.

What `bloqr backfill` and the new-failures sensor need to know about backfills: which ones are
still active, which of those still make progress (a backfill left REQUESTED by a command that
was killed must not block anything forever), how far one is, and which ranges were categorised
under older rules. Backfills are launched through the webserver (bloqr_dagster/cli/backfill.py).
"""

from __future__ import annotations

import os
import socket
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from bloqr_dagster.build_errors.ranges import BuildIdRange, range_for
from bloqr_dagster.defs.build_errors.assets import CATEGORIZED_BUILD_ERRORS, FAILED_BUILDS
from bloqr_dagster.defs.build_errors.partitions import (
    build_id_ranges,
    ranges_to_register,
    register_ranges,
    registered_ranges,
)
from bloqr_dagster.warehouse import lake

ASSET_KEYS = [FAILED_BUILDS, CATEGORIZED_BUILD_ERRORS]
BACKFILL_TAG = "bloqr/backfill"
# The process that follows a backfill: when it is gone, nobody will finish or cancel it.
CLI_PID_TAG, CLI_HOST_TAG = "bloqr/cli-pid", "bloqr/cli-host"
ACTIVE_STATUSES = ("REQUESTED", "CANCELING", "FAILING")  # runs may still be launched or running
FINISHED_OK = ("COMPLETED", "COMPLETED_SUCCESS")
# A REQUESTED backfill with no run in progress and nothing new for this long is stuck (its
# daemon is gone): it no longer holds back the new-failures sensor or a new `bloqr backfill`.
STALE_AFTER_S = 15 * 60
IN_PROGRESS = [dg.DagsterRunStatus.QUEUED, dg.DagsterRunStatus.NOT_STARTED, dg.DagsterRunStatus.STARTING,
               dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.CANCELING]
CODE_VERSION_TAG = "dagster/code_version"


def status_of(backfill) -> str:
    return backfill.status.value


def active_build_error_backfills(instance: dg.DagsterInstance, limit: int = 200) -> list:
    """Backfills not finished yet that target a build-error asset (newest first)."""
    targets = set(ASSET_KEYS)
    return [b for b in instance.get_backfills(limit=limit)
            if status_of(b) in ACTIVE_STATUSES and targets & set(b.asset_selection or ())]


def runs_in_progress(instance: dg.DagsterInstance, backfill_id: str) -> int:
    filters = dg.RunsFilter(tags={"dagster/backfill": backfill_id}, statuses=IN_PROGRESS)
    return len(instance.get_run_records(filters=filters))


def last_activity(instance: dg.DagsterInstance, backfill) -> float:
    """When the backfill was created or one of its runs last changed (epoch seconds)."""
    records = instance.get_run_records(filters=dg.RunsFilter.for_backfill(backfill.backfill_id), limit=1,
                                       order_by="update_timestamp")
    latest = records[0].update_timestamp.timestamp() if records else 0.0
    return max(backfill.backfill_timestamp, latest)


def orphaned(backfill) -> bool:
    """Launched by a `bloqr backfill` on this machine that is no longer running."""
    tags = backfill.tags or {}
    pid = tags.get(CLI_PID_TAG)
    if not pid or tags.get(CLI_HOST_TAG) != socket.gethostname():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, ValueError):
        return False
    return False


def is_blocking(instance: dg.DagsterInstance, backfill, now: float | None = None,
                stale_after: float = STALE_AFTER_S) -> bool:
    """Does this active backfill still make progress (so others should wait for it)?

    A run in progress: yes. Otherwise only a REQUESTED backfill that is recent (a daemon picks it
    up within its 30-second loop) and whose launching command, if any, is still alive.
    CANCELING/FAILING without runs only wait for the daemon's next pass to be marked done.
    """
    if runs_in_progress(instance, backfill.backfill_id):
        return True
    if status_of(backfill) != "REQUESTED" or orphaned(backfill):
        return False
    now = time.time() if now is None else now
    return now - last_activity(instance, backfill) < stale_after


def blocking_build_error_backfills(instance: dg.DagsterInstance, stale_after: float = STALE_AFTER_S) -> list:
    return [b for b in active_build_error_backfills(instance) if is_blocking(instance, b, stale_after=stale_after)]


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


def categorised_versions(instance: dg.DagsterInstance, keys: list[str],
                         batch: int = 200) -> dict[str, str | None]:
    """range key -> the code version (rules version) of its latest categorisation (None: never)."""
    out: dict[str, str | None] = dict.fromkeys(keys)
    for start in range(0, len(keys), batch):
        wanted = set(keys[start:start + batch])
        cursor = None
        while wanted:
            page = instance.fetch_materializations(
                dg.AssetRecordsFilter(asset_key=CATEGORIZED_BUILD_ERRORS, asset_partitions=sorted(wanted)),
                limit=1000, cursor=cursor, ascending=False)
            for record in page.records:  # newest first: the first record of a range is its latest
                key = record.partition_key
                if key in wanted:
                    out[key] = record.asset_materialization.tags.get(CODE_VERSION_TAG)
                    wanted.discard(key)
            if not page.has_more:
                break
            cursor = page.cursor
    return out


def stale_ranges(instance: dg.DagsterInstance, current_version: str) -> list[str]:
    """Registered ranges whose latest categorisation ran under another rules version (ascending).

    Ranges never categorised are not stale: they are missing (a plain backfill covers them).
    """
    keys = list(instance.get_dynamic_partitions(build_id_ranges.name))
    versions = categorised_versions(instance, keys)
    return [k for k in keys if versions[k] is not None and versions[k] != current_version]


@dataclass(frozen=True)
class Progress:
    status: str
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
        return f"{done} · runs: {runs} · {self.status}"


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
    return Progress(status_of(backfill), len(range_keys), len(done), failed, run_statuses)
