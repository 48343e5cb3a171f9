"""Dagster's standard metadata on the lake-backed build-error assets and the warehouse models, read
back from the instance's materialization records and checked against the files themselves."""

from __future__ import annotations

from urllib.parse import unquote, urlparse

import dagster as dg
import pyarrow.parquet as pq

from bloqr_dagster.defs.build_errors.assets import CATEGORIZED_BUILD_ERRORS, FAILED_BUILDS
from bloqr_dagster.settings import paths
from bloqr_dagster.warehouse import lake
from bloqr_dagster.warehouse.query import run_query

from .helpers import register_all_ranges, run_ranges


def _latest(instance: dg.DagsterInstance, key: dg.AssetKey, partition: str | None = None) -> dict:
    records = instance.fetch_materializations(
        dg.AssetRecordsFilter(asset_key=key, asset_partitions=[partition] if partition else None), limit=1).records
    assert records, f"no materialization of {key.to_user_string()} {partition or ''}"
    return {k: v.value for k, v in records[0].asset_materialization.metadata.items()}


def _file(uri: str):
    parsed = urlparse(uri)
    assert parsed.scheme == "file"
    return unquote(parsed.path)


def test_build_error_partitions_and_warehouse_models_report_rows_schema_and_location(dagster_env) -> None:
    env = dagster_env
    defs = env.defs()
    keys = register_all_ranges(env)
    run_ranges(env, keys[0], keys[1], defs)
    for asset, table in ((FAILED_BUILDS, "failed_builds"), (CATEGORIZED_BUILD_ERRORS, "build_errors")):
        for key in keys[:2]:
            meta = _latest(env.instance, asset, key)
            path = _file(meta["dagster/uri"])
            assert path == str(lake.table_dir(env.lake, table) / f"{key}.parquet")
            assert meta["dagster/row_count"] == pq.ParquetFile(path).metadata.num_rows > 0
            assert [c.name for c in meta["dagster/column_schema"].columns] == lake.spec(table).schema.names

    assert defs.resolve_job_def("warehouse_job").execute_in_process(instance=env.instance).success
    home = paths(env.bloqr_home)
    for model in ("stg_build_errors", "build_primary_errors", "error_groups_ranked"):
        meta = _latest(env.instance, dg.AssetKey(["warehouse", model]))
        assert _file(meta["dagster/uri"]) == str(home.warehouse)
        assert meta["dagster/table_name"] == f"warehouse.main.{model}"
        result = run_query(home, f'SELECT * FROM "{model}"')
        assert meta["dagster/row_count"] == len(result.rows) > 0
        assert [c.name for c in meta["dagster/column_schema"].columns] == list(result.columns)
