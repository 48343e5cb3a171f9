"""Sensors: register new build-ID ranges, categorise new failures.

Both start RUNNING: `dg dev` (or a deployed daemon) then keeps the partitions and the build-error
lake current without anyone switching them on (the warehouse follows through its automation
conditions, bloqr_dagster/defs/warehouse). Each keeps a cursor and uses run keys, so a
re-evaluation never launches the same work twice.
"""

from itertools import groupby
from pathlib import Path

import dagster as dg
import pyarrow.parquet as pq

from bloqr_dagster.build_errors.ranges import range_for
from bloqr_dagster.defs.build_errors.backfill import blocking_build_error_backfills
from bloqr_dagster.defs.build_errors.jobs import RANGE_TAG, build_errors_job
from bloqr_dagster.defs.build_errors.partitions import (
    build_id_ranges,
    highest_registered_end,
    lowest_build_id,
    ranges_to_register,
)
from bloqr_dagster.defs.build_errors.resources import BuildStoreResource
from bloqr_dagster.warehouse import lake

# 20 s between evaluations + a run of one range (a few seconds) keeps "failed build lands" to
# "categorised" under a minute while the daemon runs.
NEW_FAILURES_INTERVAL_S = 20
# Bounds one tick's work when the sensor catches up with a large backlog; the cursor moves only
# past what was requested, so the rest follows on the next ticks.
MAX_RANGES_PER_TICK = 20
MAX_IDS_PER_TICK = 100_000


@dg.sensor(
    name="build_range_sensor",
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Registers new build-ID ranges (ascending) as the store's highest build id grows. "
                "Cursor: the end of the highest registered range.",
)
def build_range_sensor(context: dg.SensorEvaluationContext,
                       build_store: BuildStoreResource) -> dg.SensorResult | dg.SkipReason:
    registered_end = max(int(context.cursor or -1), highest_registered_end(context.instance))
    with build_store.open() as store:
        max_id = store.max_build_id()
        if max_id is None:
            return dg.SkipReason("the build store is empty")
        lowest = lowest_build_id(store) if registered_end < 0 else 0
    new = ranges_to_register(registered_end, max_id, build_store.range_width, lowest)
    if not new:
        return dg.SkipReason(f"no new range: highest build id {max_id} is in a registered range")
    return dg.SensorResult(
        dynamic_partitions_requests=[build_id_ranges.build_add_request([r.key for r in new])],
        cursor=str(new[-1].end),
    )


def highest_categorised_build_id(lake_dir: Path) -> int:
    """The highest build id in the lake's build_errors files (-1 when there are none).

    Files are named by zero-padded range key, so the last one in name order holds the highest ids.
    """
    files = sorted(lake.table_dir(lake_dir, "build_errors").glob("*.parquet"))
    for path in reversed(files):
        ids = pq.read_table(path, columns=["build_id"]).column("build_id")
        if len(ids):
            return int(max(ids.to_pylist()))
    return -1


@dg.sensor(
    name="new_failures_sensor",
    job=build_errors_job,
    minimum_interval_seconds=NEW_FAILURES_INTERVAL_S,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Requests a run for every build-ID range that received new failed builds. Cursor: "
                "the highest failed build id requested so far (starts after what the lake holds).",
)
def new_failures_sensor(context: dg.SensorEvaluationContext,
                        build_store: BuildStoreResource) -> dg.SensorResult | dg.SkipReason:
    # A running build-error backfill rescans whole ranges anyway: wait for it instead of
    # launching runs for the same ranges. The cursor stays, so nothing is lost meanwhile. A
    # backfill that no longer makes progress (left REQUESTED by a killed command) is not waited for.
    backfills = blocking_build_error_backfills(context.instance)
    if backfills:
        return dg.SkipReason(f"waiting for build-error backfill {backfills[0].backfill_id} to finish")
    cursor = int(context.cursor) if context.cursor else highest_categorised_build_id(build_store.lake_dir)
    width = build_store.range_width
    with build_store.open() as store:
        ids = store.failed_build_ids_after(cursor, limit=MAX_IDS_PER_TICK)
    if not ids:
        return dg.SkipReason(f"no failed build after {cursor}")
    by_range = [(rng, list(group)) for rng, group in groupby(ids, key=lambda i: range_for(i, width))]
    by_range = by_range[:MAX_RANGES_PER_TICK]
    new_cursor = by_range[-1][1][-1]

    # The ranges must exist before runs can target them; register any gap too, so that keys stay
    # ascending (and the build_range_sensor does not have to have run first).
    registered_end = max(highest_registered_end(context.instance), -1)
    to_add = [r.key for r in ranges_to_register(registered_end, by_range[-1][0].end, width,
                                                lowest_build_id=by_range[0][0].start)]
    requests = [
        dg.RunRequest(run_key=f"{rng.key}:{group[-1]}", partition_key=rng.key,
                      tags={RANGE_TAG: rng.key, "bloqr/trigger": "new_failures_sensor"})
        for rng, group in by_range
    ]
    context.log.info(f"{len(ids)} new failed builds in {len(requests)} ranges; cursor -> {new_cursor}")
    return dg.SensorResult(
        run_requests=requests,
        dynamic_partitions_requests=[build_id_ranges.build_add_request(to_add)] if to_add else [],
        cursor=str(new_cursor),
    )
