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
