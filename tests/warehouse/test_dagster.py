"""The warehouse as Dagster assets: specs and deps from the SQL, checks from the model headers,
materialization with check results, and subset runs that rebuild only what is selected."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest

from bloqr_dagster.definitions import load_defs
from bloqr_dagster.defs.resources import BloqrHome
from bloqr_dagster.defs.warehouse.assets import warehouse_assets
from bloqr_dagster.settings import Paths
from bloqr_dagster.warehouse import lake
from bloqr_dagster.warehouse.models import load_project
from bloqr_dagster.warehouse.query import run_query

from .conftest import RANGE_A, error, uncategorised, utc, write_models

KEY = dg.AssetKey


def asset_of(defs: dg.Definitions) -> dg.AssetsDefinition:
    """The multi-asset of the warehouse models."""
    (assets,) = {a for a in defs.assets
                 if isinstance(a, dg.AssetsDefinition) and any(k.path[0] == "warehouse" for k in a.keys)}
    return assets


def build_defs(sql_dir: Path) -> dg.Definitions:
    return dg.Definitions(assets=[warehouse_assets(sql_dir)])


def materialize(defs: dg.Definitions, paths: Paths, selection: list[str] | None = None) -> dg.ExecuteInProcessResult:
    return dg.materialize([asset_of(defs)], resources={"bloqr": BloqrHome(home=str(paths.home))},
                          selection=selection, instance=dg.DagsterInstance.ephemeral())


@pytest.fixture(scope="module")
def defs() -> dg.Definitions:
    return load_defs()


def test_specs_deps_and_checks_come_from_the_sql(defs: dg.Definitions) -> None:
    graph = defs.resolve_asset_graph()
    project = load_project()
    assert {k for k in graph.get_all_asset_keys() if k.path[0] == "warehouse"} == {
        KEY(["warehouse", name]) for name in project.models
    }
    node = graph.get(KEY(["warehouse", "build_primary_errors"]))
    assert node.parent_keys == {KEY(["warehouse", "stg_build_errors"]), KEY(["build_errors", "failed_builds"])}
    assert graph.get(KEY(["warehouse", "stg_build_errors"])).parent_keys == {
        KEY(["build_errors", "categorized_build_errors"])}
    assert graph.get(KEY(["warehouse", "stg_workflow_runs"])).parent_keys == {KEY(["filterlists", "workflow_metrics"])}
    assert graph.get(KEY(["warehouse", "stg_health_checks"])).parent_keys == {KEY(["filterlists", "source_health"])}
    assert node.group_name == "warehouse"
    assert node.description.startswith("One row per categorised failed build")
    assets = asset_of(defs)
    assert assets.can_subset and assets.op.pool == "duckdb_warehouse"
    checks = {(k.asset_key.path[-1], k.name) for k in assets.check_keys}
    assert ("build_primary_errors", "not_null_error_code") in checks
    assert ("error_trends_daily", "unique_day_error_code") in checks
    assert len(checks) == sum(len(m.tests) for m in project.models.values())
    job = defs.resolve_job_def("warehouse_job")
    assert KEY(["warehouse", "workflow_totals"]) in job.asset_layer.executable_asset_keys


def test_materialize_all_reports_rows_preview_and_checks(defs: dg.Definitions, sample_paths: Paths) -> None:
    result = materialize(defs, sample_paths)
    assert result.success
    mats = {m.asset_key.path[-1]: m for m in result.get_asset_materialization_events()}
    assert set(mats) == set(load_project().models)
    meta = mats["error_groups_ranked"].materialization.metadata
    assert meta["dagster/row_count"].value == 5
    assert meta["published_path"].value == str(sample_paths.warehouse)
    assert "| rank | error_code | error_group |" in meta["preview"].value
    schema = meta["dagster/column_schema"].value
    assert [c.name for c in schema.columns][:3] == ["rank", "error_code", "error_group"]
    assert schema.columns[0].type == "BIGINT" and schema.columns[0].description.startswith("1 = the root cause")
    evaluations = result.get_asset_check_evaluations()
    assert len(evaluations) == sum(len(m.tests) for m in load_project().models.values())
    assert all(e.passed for e in evaluations)
    assert all(e.severity == dg.AssetCheckSeverity.ERROR for e in evaluations)


def test_bad_data_shows_as_failed_checks(defs: dg.Definitions, sample_paths: Paths) -> None:
    lake.write_file(sample_paths.lake, "build_errors", RANGE_A, [
        error(101, utc("2024-05-01 10:00"), 12, None, "group", "npm", "line", True),
        uncategorised(102, utc("2024-05-01 12:00")),
        uncategorised(102, utc("2024-05-01 12:00")),
    ])
    result = materialize(defs, sample_paths, ["warehouse/stg_build_errors", "warehouse/build_primary_errors"])
    assert result.success  # checks report; they do not fail the run
    failed = {(e.asset_key.path[-1], e.check_name): e for e in result.get_asset_check_evaluations() if not e.passed}
    assert set(failed) == {("stg_build_errors", "not_null_error_code"),
                           ("build_primary_errors", "not_null_error_code"),
                           ("build_primary_errors", "unique_build_id")}
    dup = failed[("build_primary_errors", "unique_build_id")]
    assert dup.metadata["failing_rows"].value == 1
    assert "| build_id | duplicates |" in dup.metadata["sample"].value


def test_subset_rebuilds_only_the_selection(defs: dg.Definitions, sample_paths: Paths) -> None:
    assert materialize(defs, sample_paths).success
    built_at = dict(run_query(sample_paths, "SELECT model, built_at FROM _bloqr_models").rows)
    lake.write_file(sample_paths.lake, "workflow_runs", "later", [{
        "run_id": "b9", "workflow": "batch_compile", "trigger": "manual", "started_at": utc("2024-05-03"),
        "finished_at": utc("2024-05-03 00:00:05"), "duration_s": 5.0, "succeeded": True, "configurations": 3,
    }])
    result = materialize(defs, sample_paths, ["warehouse/stg_workflow_runs", "warehouse/workflow_totals"])
    assert {m.asset_key.path[-1] for m in result.get_asset_materialization_events()} == {
        "stg_workflow_runs", "workflow_totals"}
    assert {e.asset_key.path[-1] for e in result.get_asset_check_evaluations()} == {
        "stg_workflow_runs", "workflow_totals"}
    after = dict(run_query(sample_paths, "SELECT model, built_at FROM _bloqr_models").rows)
    assert {m for m in after if after[m] != built_at[m]} == {"stg_workflow_runs", "workflow_totals"}
    assert run_query(sample_paths, "SELECT runs FROM workflow_totals WHERE workflow = 'batch_compile'").rows == [(4,)]
    assert run_query(sample_paths, "SELECT count(*) FROM error_groups_ranked").rows == [(5,)]  # kept


def test_checks_without_their_model_run_against_the_published_file(tmp_path: Path, paths: Paths) -> None:
    sql = write_models(tmp_path / "sql", {
        "m": "/*\ndescription: d\ntests: [{unique: x}, {expression: x > 0}]\n*/\nSELECT unnest([1, 1, 2]) AS x",
        "n": "/*\ndescription: d\ntests: [{not_null: y}]\n*/\nSELECT 1 AS y",
    })
    defs = build_defs(sql)
    assert materialize(defs, paths).success
    m_built = run_query(paths, "SELECT built_at FROM _bloqr_models WHERE model = 'm'").rows
    selections = {
        "checks_only": dg.AssetSelection.checks_for_assets(KEY(["warehouse", "m"])),
        # model n rebuilt with its check, plus m's checks on the published m
        "mixed": dg.AssetSelection.assets(KEY(["warehouse", "n"])).without_checks()
        | dg.AssetSelection.checks_for_assets(KEY(["warehouse", "m"])),
    }
    jobs = [dg.define_asset_job(name, selection=selection) for name, selection in selections.items()]
    combined = dg.Definitions(assets=[asset_of(defs)], jobs=jobs, resources={"bloqr": BloqrHome(home=str(paths.home))})
    for name in selections:
        result = combined.resolve_job_def(name).execute_in_process(instance=dg.DagsterInstance.ephemeral())
        assert result.success
        materialized = {m.asset_key.path[-1] for m in result.get_asset_materialization_events()}
        assert materialized == (set() if name == "checks_only" else {"n"})
        verdicts = {e.check_name: e.passed for e in result.get_asset_check_evaluations()}
        assert verdicts == {"unique_x": False, "expression_x_0": True}
    assert run_query(paths, "SELECT built_at FROM _bloqr_models WHERE model = 'm'").rows == m_built  # never rebuilt


def test_warehouse_job_with_env_home(monkeypatch: pytest.MonkeyPatch, sample_paths: Paths) -> None:
    monkeypatch.setenv("BLOQR_HOME", str(sample_paths.home))
    defs = load_defs()
    result = defs.resolve_job_def("warehouse_job").execute_in_process(instance=dg.DagsterInstance.ephemeral())
    assert result.success
    assert run_query(sample_paths, "SELECT failed_builds FROM categorization_coverage").rows == [(7,)]
