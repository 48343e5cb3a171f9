"""The filter-list assets, their dynamic partitions, the register jobs, sensors, checks and the demo."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from bloqr_dagster.defs.filterlists.demo import run_demo
from bloqr_dagster.defs.filterlists.resources import RESOURCE_KEY
from bloqr_dagster.filterlists.defaults import DEFAULT_SOURCES, POPULAR_CONFIGS, WARM_BY_DEFAULT
from bloqr_dagster.filterlists.registry import Registry
from bloqr_dagster.filterlists.workflow_runs import runs
from bloqr_dagster.warehouse import lake
from tests.dagster.filterlists_support import compile_run_config, gets, make_defs, serve_list

RAW = dg.AssetKey(["filterlists", "raw_filter_lists"])
COMPILED = dg.AssetKey(["filterlists", "compiled_filter_lists"])
HEALTH = dg.AssetKey(["filterlists", "source_health"])
METRICS = dg.AssetKey(["filterlists", "workflow_metrics"])


def _materialize(defs: dg.Definitions, key: dg.AssetKey, instance, partition: str | None = None,
                 run_config: dict | None = None) -> dict:
    result = dg.materialize(defs.assets, selection=[key], partition_key=partition, instance=instance,
                            resources={RESOURCE_KEY: defs.resources[RESOURCE_KEY]}, run_config=run_config)
    [event] = [e for e in result.get_asset_materialization_events() if e.asset_key == key]
    return {k: v.value for k, v in event.materialization.metadata.items()} | {"_result": result}


def test_defaults_seed_five_sources_and_the_popular_configs(tmp_path: Path) -> None:
    registry = Registry(tmp_path / "state.sqlite")
    registry.seed_defaults()
    assert [s.key for s in registry.sources()] == [
        "easylist", "easyprivacy", "adguard_base", "adguard_tracking_protection", "peter_lowe"]
    assert all(s.url.startswith("https://") and s.min_rules > 1000 for s in registry.sources())
    assert set(WARM_BY_DEFAULT) <= set(registry.configs()) == set(POPULAR_CONFIGS)
    registry.remove_source("peter_lowe")
    registry.seed_defaults()  # seeding happens once: a removed default stays removed
    assert len(registry.sources()) == len(DEFAULT_SOURCES) - 1


def test_partition_sensor_adds_registered_sources_and_configs(tmp_path: Path) -> None:
    defs = make_defs(tmp_path, seed_defaults=True)
    sensor = defs.get_sensor_def("filter_partitions_sensor")
    with dg.instance_for_test() as instance:
        with dg.build_sensor_context(instance=instance,
                                     resources={RESOURCE_KEY: defs.resources[RESOURCE_KEY]}) as context:
            result = sensor(context)
        added = {r.partitions_def_name: list(r.partition_keys) for r in result.dynamic_partitions_requests}
        assert added["filter_sources"] == [s.key for s in DEFAULT_SOURCES]
        assert added["filter_configs"] == list(POPULAR_CONFIGS)


def test_register_jobs_then_materialize_partitions(tmp_path: Path, http_server, filterlists_dir: Path) -> None:
    url = serve_list(http_server, "/pgl.txt", (filterlists_dir / "peter_lowe.txt").read_bytes())
    defs = make_defs(tmp_path)
    with dg.instance_for_test() as instance:
        register = defs.get_job_def("register_filter_source_job").execute_in_process(
            {"ops": {"register_filter_source": {"config": {"key": "pgl", "url": url, "type": "hosts",
                                                             "min_rules": 2000}}}}, instance=instance)
        assert register.success
        assert instance.get_dynamic_partitions("filter_sources") == ["pgl"]
        bad = defs.get_job_def("register_filter_source_job").execute_in_process(
            {"ops": {"register_filter_source": {"config": {"key": "Bad Key", "url": url}}}},
            instance=instance, raise_on_error=False)
        assert not bad.success

        first = _materialize(defs, RAW, instance, "pgl")
        assert first["rule_count"] == 3500 and first["not_modified"] is False
        assert (tmp_path / "cache" / "raw" / "pgl.txt").read_bytes() == (filterlists_dir / "peter_lowe.txt").read_bytes()
        second = _materialize(defs, RAW, instance, "pgl")
        assert second["not_modified"] is True and second["sha256"] == first["sha256"]
        assert gets(http_server, "/pgl.txt")[-1].get("If-None-Match")

        config = {"name": "Peter Lowe DNS", "sources": [{"source": url, "type": "hosts"}],
                  "transformations": ["RemoveComments", "Compress", "Deduplicate"]}
        assert defs.get_job_def("register_filter_config_job").execute_in_process(
            {"ops": {"register_filter_config": {"config": {"key": "pgl_dns", "configuration": config}}}},
            instance=instance).success
        assert instance.get_dynamic_partitions("filter_configs") == ["pgl_dns"]
        cold = _materialize(defs, COMPILED, instance, "pgl_dns")
        warm = _materialize(defs, COMPILED, instance, "pgl_dns")
        assert cold["cache_hit"] is False and warm["cache_hit"] is True
        assert warm["cache_key"] == cold["cache_key"] and warm["rule_count"] == cold["rule_count"] > 3400
        assert warm["sources_not_modified"] == 1
        latest = instance.get_latest_materialization_event(COMPILED).asset_materialization
        assert latest.partition == "pgl_dns"
        # compile_job on the registered configuration keeps the asset partition current too
        job_run = defs.get_job_def("compile_job").execute_in_process(
            compile_run_config(config, config_name="pgl_dns"), instance=instance)
        by_job = instance.get_latest_materialization_event(COMPILED)
        assert by_job.run_id == job_run.run_id and by_job.asset_materialization.partition == "pgl_dns"

        from bloqr_dagster.defs.filterlists.checks import cache_objects_intact

        intact = cache_objects_intact(defs.resources[RESOURCE_KEY])  # over what the asset stored
        assert intact.passed and intact.metadata["entries"].value == 1

        health = _materialize(defs, HEALTH, instance, run_config={
            "ops": {"filterlists__source_health": {"config": {"sources": ["pgl"]}}}})
        assert health["healthy"] == 1 and health["checked"] == 1
        [evaluation] = health["_result"].get_asset_check_evaluations()
        assert evaluation.passed and evaluation.check_name == "sources_healthy"
        assert lake.read_table(tmp_path / "lake", "health_checks").num_rows == 1


def test_failure_sensor_records_runs_that_died(tmp_path: Path) -> None:
    defs = make_defs(tmp_path / "a")
    with dg.instance_for_test() as instance:
        failed = defs.get_job_def("compile_job").execute_in_process(
            {"ops": {"validate": {"config": {"configuration": {"name": "x"}}}}}, instance=instance,
            raise_on_error=False)
        assert not failed.success
        other = make_defs(tmp_path / "b")  # a fresh state db: only the sensor writes there
        sensor = other.get_sensor_def("filterlists_run_failure_sensor")
        [record] = instance.all_logs(failed.run_id, of_type=dg.DagsterEventType.RUN_FAILURE)
        failure_event = record.dagster_event
        with dg.build_run_status_sensor_context(
            sensor_name=sensor.name, dagster_event=failure_event, dagster_instance=instance,
            dagster_run=failed.dagster_run, resources={RESOURCE_KEY: other.resources[RESOURCE_KEY]},
        ) as status_context:
            sensor(status_context.for_run_failure())
    [row] = runs(tmp_path / "b" / "state.sqlite")
    assert row.run_id == failed.run_id and row.workflow == "compile" and not row.succeeded
    [hooked] = runs(tmp_path / "a" / "state.sqlite")  # the failure hook recorded it as well
    assert "sources" in hooked.error


def test_demo_runs_offline(tmp_path: Path) -> None:
    with dg.instance_for_test() as instance:
        lines = run_demo(instance, tmp_path)
        metrics = _materialize(make_defs(tmp_path), METRICS, instance)
    text = "\n".join(lines)
    assert "raw_filter_lists[demo_ads]: 12 rules" in text
    assert "compiled_filter_lists[demo] (second run): 8 rules, cache hit" in text
    assert "source_health: 2/2 sources healthy" in text
    assert "isolated_compile_job: succeeded, 8 rules" in text
    assert metrics["rows"] == 2 and metrics["compile_runs"] == 1 and metrics["isolated_compile_runs"] == 1
