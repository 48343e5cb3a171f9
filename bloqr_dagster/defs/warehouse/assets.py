"""The SQL models as Dagster assets: one multi-asset, one AssetSpec per model file.

Building is all in bloqr_dagster.warehouse.build; this module only maps models to asset specs
(dependencies come from the models' ref/source calls) and build results to Dagster events.

Every model carries UPDATE_AFTER_UPSTREAM: the automation condition sensor (defs/automation.py)
requests the models whose inputs were materialized since they were last requested, once no
upstream run is in progress, in one run. Nothing new upstream, nothing requested.
"""

from collections.abc import Iterator
from pathlib import Path

import dagster as dg

from bloqr_dagster.defs.resources import BloqrHome
from bloqr_dagster.warehouse import lake
from bloqr_dagster.warehouse.build import ModelResult, TestResult, build_warehouse, run_model_tests
from bloqr_dagster.warehouse.models import Model, Project, load_project
from bloqr_dagster.warehouse.query import markdown_table

GROUP = "warehouse"
POOL = "duckdb_warehouse"  # dagster.yaml gives every pool one slot: warehouse writers never overlap

# Eager, adapted to a warehouse over partitioned lake tables. Requested once when the model is
# missing at its first evaluation (a fresh instance, a new model file: a later subset build needs
# every model it refs), and whenever an input was updated since the model was last requested or
# built; never while an input or the model itself is being materialized, which keeps it to one
# rebuild per batch of build-error runs, as the custom sensor this replaces did. Eager's "no
# dependency missing" part is left out: it would block every rebuild while one build-ID range or
# one source has never been materialized. `.since(...)` without eager's reset at the first
# evaluation, so that "missing at the first evaluation" is not forgotten at once.
_AC = dg.AutomationCondition
UPDATE_AFTER_UPSTREAM = (
    (_AC.missing().newly_true() | _AC.any_deps_updated()).since(_AC.newly_requested() | _AC.newly_updated())
    & ~_AC.any_deps_in_progress()
    & ~_AC.in_progress()
).with_label("eager: when missing, or after its inputs were updated; not while an upstream run is in progress")


def model_key(name: str) -> dg.AssetKey:
    return dg.AssetKey([GROUP, name])


def source_key(table: str) -> dg.AssetKey:
    """The asset that writes a lake table, e.g. build_errors/failed_builds."""
    return dg.AssetKey(lake.TABLES[table].producer.split("/"))


def model_spec(model: Model) -> dg.AssetSpec:
    deps = [model_key(r) for r in model.refs] + list(dict.fromkeys(source_key(t) for t in model.sources))
    metadata: dict[str, object] = {"sql_file": dg.MetadataValue.path(str(model.path)),
                                   "materialized": model.materialized}
    if model.columns:
        metadata["dagster/column_schema"] = dg.TableSchema(
            columns=[dg.TableColumn(name, description=text or None) for name, text in model.columns.items()]
        )
    return dg.AssetSpec(
        key=model_key(model.name), deps=deps, description=model.description, group_name=GROUP,
        code_version=model.checksum, kinds={"duckdb", "sql"}, metadata=metadata,
        automation_condition=UPDATE_AFTER_UPSTREAM,
    )


def warehouse_models_asset(project: Project) -> dg.AssetsDefinition:
    models = list(project.models.values())
    checks = [
        dg.AssetCheckSpec(test.name, asset=model_key(m.name), description=test.description)
        for m in models for test in m.tests
    ]

    @dg.multi_asset(
        name="warehouse_models", specs=[model_spec(m) for m in models], check_specs=checks,
        can_subset=True, pool=POOL,
        description=f"Builds the SQL models of {project.sql_dir} into DuckDB and publishes the file.",
    )
    def warehouse_models(context: dg.AssetExecutionContext, bloqr: BloqrHome) -> Iterator[object]:
        selected_checks = context.selected_asset_check_keys
        names = [key.path[-1] for key in context.selected_asset_keys]
        if names:
            report = build_warehouse(bloqr.paths, names, log=context.log.info, sql_dir=project.sql_dir)
            for result in report.models:
                yield dg.MaterializeResult(
                    asset_key=model_key(result.name),
                    metadata=_materialization_metadata(result, project.models[result.name], report.path),
                )
                yield from _check_results(result.tests, selected_checks)
        # checks selected without their model: test the published tables, rebuild nothing
        unbuilt = {key.asset_key.path[-1] for key in selected_checks} - set(names)
        if unbuilt:
            tests = run_model_tests(bloqr.paths, unbuilt, sql_dir=project.sql_dir)
            yield from _check_results(tests, selected_checks)

    return warehouse_models


def _check_results(tests: list[TestResult], selected: set[dg.AssetCheckKey]) -> Iterator[dg.AssetCheckResult]:
    for test in tests:
        key = dg.AssetCheckKey(model_key(test.model), test.name)
        if key not in selected:
            continue
        metadata: dict[str, object] = {"failing_rows": test.failing_rows, "query": dg.MetadataValue.text(test.sql)}
        if test.sample:
            columns = list(test.sample[0])
            metadata["sample"] = dg.MetadataValue.md(
                markdown_table(columns, [tuple(row.values()) for row in test.sample])
            )
        yield dg.AssetCheckResult(
            asset_key=key.asset_key, check_name=test.name, passed=test.passed,
            severity=dg.AssetCheckSeverity.ERROR, metadata=metadata, description=test.description,
        )


def _materialization_metadata(result: ModelResult, model: Model, published: Path) -> dict[str, object]:
    described = model.columns
    return {
        "dagster/row_count": result.rows,
        "dagster/column_schema": dg.TableSchema(
            columns=[dg.TableColumn(name, type=kind, description=described.get(name) or None)
                     for name, kind in result.columns]
        ),
        "columns": ", ".join(name for name, _ in result.columns),
        "materialized": result.materialized,
        "published_path": dg.MetadataValue.path(str(published)),
        # where it lives: the DuckDB file, and the relation in it (catalog = the file's stem)
        "dagster/uri": published.as_uri(),
        "dagster/table_name": f"{published.stem}.main.{result.name}",
        "seconds": round(result.seconds, 3),
        "tests_failed": sum(not t.passed for t in result.tests),
        "preview": dg.MetadataValue.md(markdown_table([c for c, _ in result.columns], result.preview)),
    }


def warehouse_assets(sql_dir: Path | None = None) -> dg.AssetsDefinition:
    return warehouse_models_asset(load_project(sql_dir))


@dg.definitions
def warehouse() -> dg.Definitions:
    """The models of BLOQR_SQL_DIR or dbt_like_sql/, read each time the code location loads."""
    return dg.Definitions(assets=[warehouse_assets()])
