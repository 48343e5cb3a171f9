"""The warehouse follows the build-error lake through automation conditions, not a custom sensor:
evaluated with dg.evaluate_automation_conditions on a temp instance, as the daemon evaluates them."""

from __future__ import annotations

import dagster as dg

from bloqr_dagster.defs.warehouse.assets import UPDATE_AFTER_UPSTREAM

from .helpers import register_all_ranges, run_ranges

WAREHOUSE = dg.AssetSelection.groups("warehouse")
# The models that read the build-error lake, directly or through other models.
BUILD_ERROR_MODELS = {"stg_build_errors", "build_primary_errors", "error_groups_ranked", "error_trends_daily",
                      "categorization_coverage", "categorization_coverage_daily", "build_completion_rate",
                      "build_completion_rate_daily"}


def test_every_model_carries_the_condition_and_the_sensor_runs_by_default(dagster_env) -> None:
    defs = dagster_env.defs()
    graph = defs.resolve_asset_graph()
    models = [k for k in graph.get_all_asset_keys() if k.path[0] == "warehouse"]
    assert models and all(graph.get(k).automation_condition == UPDATE_AFTER_UPSTREAM for k in models)
    assert "warehouse_after_build_errors_sensor" not in {s.name for s in defs.sensors}
    sensor = defs.resolve_sensor_def("automation_condition_sensor")
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING


def test_no_rebuild_without_new_data_one_after_new_build_errors(dagster_env) -> None:
    env = dagster_env
    defs = env.defs()
    keys = register_all_ranges(env)
    run_ranges(env, keys[0], keys[-1], defs)
    defs.resolve_job_def("warehouse_job").execute_in_process(instance=env.instance)

    first = dg.evaluate_automation_conditions(defs=defs, instance=env.instance, asset_selection=WAREHOUSE)
    assert first.total_requested == 0  # the first evaluation only sets the baseline
    second = dg.evaluate_automation_conditions(defs=defs, instance=env.instance, asset_selection=WAREHOUSE,
                                               cursor=first.cursor)
    assert second.total_requested == 0  # nothing new: no rebuild

    run_ranges(env, keys[0], keys[0], defs)  # one range scanned again
    third = dg.evaluate_automation_conditions(defs=defs, instance=env.instance, asset_selection=WAREHOUSE,
                                              cursor=second.cursor)
    requested = {r.key.path[-1] for r in third.results if r.true_subset.size}
    assert requested == BUILD_ERROR_MODELS  # the models over the build-error lake, not the health ones
    fourth = dg.evaluate_automation_conditions(defs=defs, instance=env.instance, asset_selection=WAREHOUSE,
                                               cursor=third.cursor)
    assert fourth.total_requested == 0  # requested once, not again on the next tick
