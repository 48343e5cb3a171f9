"""Helpers shared by the build-error Dagster tests."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pyarrow as pa
import pyarrow.parquet as pq

from bloqr_dagster.build_errors.stores import open_store
from bloqr_dagster.defs.build_errors.partitions import ranges_to_register, register_ranges


def register_all_ranges(env) -> list[str]:
    """Register every range of the env's store; returns all registered keys, ascending."""
    with open_store(env.store_url) as store:
        max_id = store.max_build_id()
    register_ranges(env.instance, ranges_to_register(-1, max_id, env.range_width))
    return list(env.instance.get_dynamic_partitions("build_id_ranges"))


def run_ranges(env, first_key: str, last_key: str, defs: dg.Definitions | None = None):
    """Materialise both assets (and their checks) for a range of ranges in one in-process run."""
    defs = defs or env.defs()
    job = defs.resolve_job_def("build_errors_job")
    tags = {"dagster/asset_partition_range_start": first_key, "dagster/asset_partition_range_end": last_key}
    return job.execute_in_process(instance=env.instance, tags=tags, raise_on_error=True)


def read_lake_file(lake: Path, table: str, key: str) -> pa.Table:
    return pq.read_table(lake / table / f"{key}.parquet")


def lake_rows(lake: Path, table: str) -> pa.Table:
    files = sorted((lake / table).glob("*.parquet"))
    return pa.concat_tables([pq.read_table(f) for f in files]) if files else pa.table({})


def check_results(result) -> dict[str, dg.AssetCheckEvaluation]:
    return {ev.check_name: ev for ev in result.get_asset_check_evaluations()}


def add_requested_backfill(env, keys: list[str], *, tags: dict[str, str] | None = None,
                           timestamp: float | None = None) -> str:
    """Store a REQUESTED asset backfill of both build-error assets, as if launched and not yet run.

    Test set-up only (the product launches through the webserver): it writes the backfill row
    directly, which needs Dagster's internal classes, so that sensor tests need no webserver.
    """
    import time

    from dagster._core.definitions.assets.graph.asset_graph import AssetGraph
    from dagster._core.execution.backfill import PartitionBackfill
    from dagster._core.utils import make_new_backfill_id

    from bloqr_dagster.defs.build_errors.assets import categorized_build_errors, failed_builds
    from bloqr_dagster.defs.build_errors.backfill import ASSET_KEYS

    backfill = PartitionBackfill.from_asset_partitions(
        backfill_id=make_new_backfill_id(),
        asset_graph=AssetGraph.from_assets([failed_builds, categorized_build_errors]),
        partition_names=list(keys), asset_selection=ASSET_KEYS,
        backfill_timestamp=time.time() if timestamp is None else timestamp,
        tags=tags or {}, dynamic_partitions_store=env.instance, all_partitions=False, title="test",
        description=None, run_config=None,
    )
    env.instance.add_backfill(backfill)
    return backfill.backfill_id
