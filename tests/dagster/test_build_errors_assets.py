"""The partitioned build-error assets, materialised through Dagster on a temp instance."""

from __future__ import annotations

from collections import Counter

import dagster as dg
import pyarrow.compute as pc

from bloqr_dagster.build_errors.ranges import parse_range_key
from bloqr_dagster.build_errors.stores import open_store
from bloqr_dagster.defs.build_errors.assets import (
    CATEGORIZED_BUILD_ERRORS,
    FAILED_BUILDS,
    categorized_build_errors,
    failed_builds,
)
from bloqr_dagster.defs.build_errors.resources import build_store

from .helpers import check_results, lake_rows, read_lake_file, register_all_ranges, run_ranges


def _store_truth(env) -> tuple[dict[int, str], int]:
    """failed build id -> range key, and the number of builds, straight from the store."""
    failed, total = {}, 0
    with open_store(env.store_url) as store:
        for build in store.builds_in_range(0, store.max_build_id()):
            total += 1
            if build.status == "failure":
                failed[build.build_id] = build.build_id // env.range_width
    return failed, total


def _error_keys(table) -> list[tuple]:
    return list(zip(table.column("build_id").to_pylist(), table.column("line_no").to_pylist(),
                    table.column("error_code").to_pylist(), table.column("is_primary").to_pylist(),
                    strict=True))


def test_multi_range_run_writes_every_range_and_a_rerun_never_duplicates(dagster_env) -> None:
    env = dagster_env
    keys = register_all_ranges(env)
    assert len(keys) >= 5
    defs = env.defs()

    first = run_ranges(env, keys[0], keys[-1], defs)
    assert first.success
    failed_truth, total = _store_truth(env)

    # one file per range and table, and the failed builds are exactly the store's
    for table in ("failed_builds", "build_stats", "build_errors"):
        assert sorted(p.stem for p in (env.lake / table).glob("*.parquet")) == keys
    failed_rows = lake_rows(env.lake, "failed_builds")
    assert sorted(failed_rows.column("build_id").to_pylist()) == sorted(failed_truth)
    stats = lake_rows(env.lake, "build_stats")
    assert pc.sum(stats.column("builds_started")).as_py() == total
    assert pc.sum(stats.column("failed")).as_py() == len(failed_truth)
    assert (pc.sum(stats.column("attempted_install")).as_py()
            >= pc.sum(stats.column("attempted_build_or_deploy")).as_py())

    errors = lake_rows(env.lake, "build_errors")
    primary = errors.filter(pc.equal(errors.column("is_primary"), True))
    assert Counter(primary.column("build_id").to_pylist()) == Counter(failed_truth.keys())
    keys_first = _error_keys(errors)
    assert len(keys_first) == len(set(keys_first)), "duplicate (build_id, line_no, error_code, is_primary)"
    assert errors.num_rows > primary.num_rows  # per-error rows besides the primary rows
    versions = errors.column("rules_version").to_pylist()
    assert versions and None not in versions

    # every range's build_errors rows hold only that range's builds
    for key in keys:
        rng = parse_range_key(key)
        ids = read_lake_file(env.lake, "build_errors", key).column("build_id").to_pylist()
        assert all(i in rng for i in ids)

    # per-range metadata on each partition's materialization
    mats = {ev.event_specific_data.materialization.partition: ev.event_specific_data.materialization
            for ev in first.get_asset_materialization_events()
            if ev.asset_key == CATEGORIZED_BUILD_ERRORS}
    assert sorted(mats) == keys
    md = mats[keys[1]].metadata
    expected = {"failed_builds", "errors", "categorised", "coverage_pct", "top_groups", "rules_version"}
    assert expected <= set(md)
    assert md["failed_builds"].value == sum(1 for r in failed_truth.values() if r == 1)
    assert "| error_code | error_group | builds |" in md["top_groups"].value

    checks = check_results(first)
    assert checks["one_primary_row_per_failed_build"].passed
    assert checks["no_private_values"].passed

    # the same multi-range run again: the same rows, no duplicates
    again = run_ranges(env, keys[0], keys[-1], defs)
    assert again.success
    errors2 = lake_rows(env.lake, "build_errors")
    assert errors2.num_rows == errors.num_rows
    assert sorted(_error_keys(errors2), key=repr) == sorted(keys_first, key=repr)
    assert lake_rows(env.lake, "failed_builds").num_rows == failed_rows.num_rows
    assert lake_rows(env.lake, "build_stats").num_rows == stats.num_rows
    assert not list(env.lake.rglob("*.tmp"))

    # both runs' materializations are recorded per partition
    materialized = env.instance.get_materialized_partitions(FAILED_BUILDS)
    assert materialized == set(keys)


def test_single_range_materialize_with_dg_materialize(dagster_env) -> None:
    env = dagster_env
    keys = register_all_ranges(env)
    result = dg.materialize([failed_builds, categorized_build_errors], instance=env.instance,
                            partition_key=keys[2], resources={"build_store": build_store()})
    assert result.success
    assert [p.stem for p in (env.lake / "build_errors").glob("*.parquet")] == [keys[2]]
