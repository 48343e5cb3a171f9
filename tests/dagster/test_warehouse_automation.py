"""The warehouse follows the build-error lake through automation conditions, not a custom sensor:
evaluated with dg.evaluate_automation_conditions on a temp instance, as the daemon evaluates them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg

from bloqr_dagster.defs.build_errors.assets import CATEGORIZED_BUILD_ERRORS, FAILED_BUILDS
from bloqr_dagster.defs.warehouse.assets import UPDATE_AFTER_UPSTREAM

from .conftest import ROOT
from .helpers import register_all_ranges, run_ranges

WAREHOUSE = dg.AssetSelection.groups("warehouse")
BUILD_ERRORS = dg.AssetSelection.assets(FAILED_BUILDS, CATEGORIZED_BUILD_ERRORS)


def build_error_models(defs: dg.Definitions) -> set[str]:
    """The warehouse models that read the build-error lake, directly or through other models."""
    downstream = (BUILD_ERRORS.downstream() & WAREHOUSE).resolve(defs.resolve_asset_graph())
    return {key.path[-1] for key in downstream}


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
    assert requested == build_error_models(defs)  # the models over the build-error lake, and only those
    assert {"stg_build_errors", "error_groups_ranked"} <= requested
    assert not requested & {"stg_health_checks", "source_health_latest", "workflow_totals"}
    fourth = dg.evaluate_automation_conditions(defs=defs, instance=env.instance, asset_selection=WAREHOUSE,
                                               cursor=third.cursor)
    assert fourth.total_requested == 0  # requested once, not again on the next tick


def _wait_for(predicate, timeout: float, what: str):  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(1)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def _warehouse_runs(instance: dg.DagsterInstance) -> list[dg.DagsterRun]:
    return [r for r in instance.get_runs() if r.asset_selection and any(k.path[0] == "warehouse"
                                                                         for k in r.asset_selection)]


def _automation_runs(instance: dg.DagsterInstance) -> list[dg.DagsterRun]:
    return [r for r in _warehouse_runs(instance) if r.job_name != "warehouse_job"]


def _rebuilds_of(models: set[str], instance: dg.DagsterInstance) -> list[dg.DagsterRun]:
    """Automation runs that rebuild any of these models. The hourly health schedule runs in the
    daemon too: a test crossing the hour sees a rebuild of the health models, which is right."""
    return [r for r in _automation_runs(instance) if {k.path[-1] for k in r.asset_selection} & models]


def test_the_daemon_rebuilds_the_warehouse_once_after_new_build_errors(dagster_env, tmp_path: Path) -> None:
    """A real daemon: its first tick requests nothing, a new build-error materialization one run of
    the models over that lake table, and the following ticks nothing more."""
    env = dagster_env
    keys = register_all_ranges(env)
    # The lake holds every range first, so new_failures_sensor has nothing to launch meanwhile, and
    # the warehouse is built over it (as `make demo` leaves it): nothing is missing or new.
    defs = env.defs()
    run_ranges(env, keys[0], keys[-1], defs)
    defs.resolve_job_def("warehouse_job").execute_in_process(instance=env.instance)
    log = (tmp_path / "daemon.log").open("w")
    daemon = subprocess.Popen(
        [str(Path(sys.executable).with_name("dagster-daemon")), "run", "-w", str(ROOT / "workspace.yaml")],
        cwd=ROOT, env={**os.environ}, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    ticks = "Finished auto-materialization tick for automation_condition_sensor"
    models = build_error_models(defs)
    try:
        _wait_for(lambda: (tmp_path / "daemon.log").read_text().count(ticks) >= 1, 240, "the first tick")
        assert not _rebuilds_of(models, env.instance)
        run_ranges(env, keys[0], keys[0])
        run = _wait_for(lambda: _rebuilds_of(models, env.instance), 240, "a warehouse run")[-1]
        done = _wait_for(lambda: (r := env.instance.get_run_by_id(run.run_id)) and r.is_finished and r, 300,
                         "the warehouse run to finish")
        assert done.status == dg.DagsterRunStatus.SUCCESS
        assert {k.path[-1] for k in run.asset_selection} == models
        seen = (tmp_path / "daemon.log").read_text().count(ticks)
        _wait_for(lambda: (tmp_path / "daemon.log").read_text().count(ticks) >= seen + 2, 240, "two more ticks")
        rebuilds = _rebuilds_of(models, env.instance)
        assert len(rebuilds) == 1, [sorted(k.path[-1] for k in r.asset_selection) for r in rebuilds]
    finally:
        os.killpg(daemon.pid, signal.SIGINT)
        try:
            daemon.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(daemon.pid, signal.SIGKILL)
            daemon.wait()
        log.close()


def test_a_missing_warehouse_is_built_once(dagster_env) -> None:
    """A fresh instance with data but no warehouse yet: every model is requested once, not again."""
    env = dagster_env
    defs = env.defs()
    keys = register_all_ranges(env)
    run_ranges(env, keys[0], keys[-1], defs)
    first = dg.evaluate_automation_conditions(defs=defs, instance=env.instance, asset_selection=WAREHOUSE)
    models = {k.path[-1] for k in WAREHOUSE.resolve(defs.resolve_asset_graph())
              if defs.resolve_asset_graph().get(k).automation_condition is not None}
    assert {r.key.path[-1] for r in first.results if r.true_subset.size} == models
    second = dg.evaluate_automation_conditions(defs=defs, instance=env.instance, asset_selection=WAREHOUSE,
                                               cursor=first.cursor)
    assert second.total_requested == 0  # requested once; a failed build is not retried every tick
