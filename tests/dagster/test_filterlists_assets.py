"""The filter-list domain as the defs folder loader sees it; registering sources and configurations
at run time; the partitions sensor; workflow metrics from Dagster's run records; the demo."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest

from bloqr_dagster.defs.filterlists.demo import run_demo
from bloqr_dagster.defs.filterlists.resources import RESOURCE_KEY
from bloqr_dagster.filterlists.defaults import DEFAULT_SOURCES, POPULAR_CONFIGS, WARM_BY_DEFAULT
from bloqr_dagster.filterlists.registry import Registry
from bloqr_dagster.warehouse import lake
from tests.dagster.filterlists_support import (
    COMPILED,
    HEALTH,
    METRICS,
    RAW,
    gets,
    make_defs,
    materialize,
    metadata,
    register,
    resource,
    serve_list,
    step,
)


def test_the_defs_folder_loads_the_domain(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As the code location loads it (dg.load_from_defs_folder): module-level objects, resources from
    the environment."""
    from bloqr_dagster.definitions import load_defs

    monkeypatch.setenv("BLOQR_HOME", str(tmp_path))
    monkeypatch.setenv("BLOQR_SOURCES_DIR", str(tmp_path / "lists"))
    defs = load_defs()
    graph = defs.resolve_asset_graph()
    assert {k.to_user_string() for k in graph.get_all_asset_keys() if k.path[0] == "filterlists"} == {
        "filterlists/raw_filter_lists", "filterlists/compiled_filter_lists", "filterlists/source_health",
        "filterlists/workflow_metrics", "filterlists/workflow_step_metrics"}
    assert graph.get(COMPILED).parent_keys == {RAW}  # the lineage raw -> compiled
    assert {j.name for j in defs.resolve_all_job_defs()} >= {
        "compile_job", "health_monitoring_job", "isolated_compile_job", "register_filter_source_job",
        "register_filter_config_job"}
    assert {s.name for s in defs.schedules} >= {"cache_warming_schedule", "health_monitoring_schedule"}
    assert {c.name for c in graph.asset_check_keys if c.asset_key.path[0] == "filterlists"} == {
        "sources_healthy", "cache_objects_intact"}
    assert graph.get(METRICS[0]).automation_condition is not None
    compiled = defs.resolve_assets_def(COMPILED)
    ops = [node.definition for node in compiled.node_def.node_dict.values()]
    assert [op.name for op in ops] == ["validate", "compile_sources", "cache_result", "update_metrics"]
    assert {op.name: op.pool for op in ops}["compile_sources"] == "filterlists_compile"
    fl = defs.resources[RESOURCE_KEY]
    assert fl.sources_dir.get_value() == str(tmp_path / "lists")  # an EnvVar, read when a run starts
    dg.Definitions.validate_loadable(defs)


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
    sensor = make_defs(tmp_path).resolve_sensor_def("filter_partitions_sensor")
    with dg.instance_for_test() as instance:
        with dg.build_sensor_context(instance=instance, resources={
                RESOURCE_KEY: resource(tmp_path, seed_defaults=True)}) as context:
            result = sensor(context)
    added = {r.partitions_def_name: list(r.partition_keys) for r in result.dynamic_partitions_requests}
    assert added["filter_sources"] == [s.key for s in DEFAULT_SOURCES]
    assert added["filter_configs"] == list(POPULAR_CONFIGS)


def test_register_at_run_time_then_materialize(tmp_path: Path, http_server, filterlists_dir: Path) -> None:
    url = serve_list(http_server, "/pgl.txt", (filterlists_dir / "peter_lowe.txt").read_bytes())
    defs = make_defs(tmp_path)
    source_job, config_job = defs.get_job_def("register_filter_source_job"), defs.get_job_def(
        "register_filter_config_job")
    with dg.instance_for_test() as instance:
        assert source_job.execute_in_process({"ops": {"register_filter_source": {"config": {
            "key": "pgl", "url": url, "type": "hosts", "min_rules": 2000}}}}, instance=instance).success
        assert instance.get_dynamic_partitions("filter_sources") == ["pgl"]
        assert not source_job.execute_in_process({"ops": {"register_filter_source": {"config": {
            "key": "Bad Key", "url": url}}}}, instance=instance, raise_on_error=False).success

        first = metadata(materialize(defs, instance, RAW, "pgl"), RAW)
        assert first["rule_count"] == first["dagster/row_count"] == 3500 and first["not_modified"] is False
        raw_file = tmp_path / "cache" / "raw" / "pgl.txt"
        assert raw_file.read_bytes() == (filterlists_dir / "peter_lowe.txt").read_bytes()
        assert first["path"] == str(raw_file) and first["dagster/uri"] == raw_file.as_uri()
        second = metadata(materialize(defs, instance, RAW, "pgl"), RAW)
        assert second["not_modified"] is True and second["sha256"] == first["sha256"]
        assert gets(http_server, "/pgl.txt")[-1].get("If-None-Match")

        config = {"name": "Peter Lowe DNS", "sources": [{"source": url, "type": "hosts"}],
                  "transformations": ["RemoveComments", "Compress", "Deduplicate"]}
        assert not config_job.execute_in_process({"ops": {"register_filter_config": {"config": {
            "key": "bad", "configuration": {"name": "x"}}}}}, instance=instance, raise_on_error=False).success
        assert config_job.execute_in_process({"ops": {"register_filter_config": {"config": {
            "key": "pgl_dns", "configuration": config}}}}, instance=instance).success
        assert instance.get_dynamic_partitions("filter_configs") == ["pgl_dns"]
        compiled = materialize(defs, instance, COMPILED, "pgl_dns")
        assert metadata(compiled, COMPILED)["rule_count"] > 3400
        assert instance.get_latest_materialization_event(COMPILED).asset_materialization.partition == "pgl_dns"
        [intact] = compiled.get_asset_check_evaluations()
        assert intact.check_name == "cache_objects_intact" and intact.passed

        health = materialize(defs, instance, HEALTH)
        assert metadata(health, HEALTH)["summary"] == "1 of 1 sources healthy"
    assert lake.read_table(tmp_path / "lake", "health_checks").num_rows == 1


def test_workflow_metrics_come_from_dagster_run_records(tmp_path: Path, http_server) -> None:
    ok = http_server.serve_bytes("/ok.txt", b"||a.example^\n||b.example^\n")
    http_server.serve_bytes("/down.txt", b"no", status=500)
    defs = make_defs(tmp_path)
    with dg.instance_for_test() as instance:
        register(tmp_path, instance, configs={
            "good": {"name": "good", "sources": [{"source": ok}]},
            "bad": {"name": "bad", "sources": [{"source": http_server.url("/down.txt")}]}})
        good = materialize(defs, instance, COMPILED, "good")
        bad = materialize(defs, instance, COMPILED, "bad", raise_on_error=False)
        first = materialize(defs, instance, METRICS)
        again = materialize(defs, instance, METRICS)  # nothing finished since: nothing to materialize
        bad_again = materialize(defs, instance, COMPILED, "bad", raise_on_error=False)
        third = materialize(defs, instance, METRICS)  # the day is rewritten: no duplicates
    runs = {r["run_id"]: r for r in lake.read_table(tmp_path / "lake", "workflow_runs").to_pylist()}
    assert set(runs) == {good.run_id, bad.run_id, bad_again.run_id}
    assert (runs[good.run_id]["workflow"], runs[good.run_id]["succeeded"], runs[good.run_id]["partition"]) == (
        "compile", True, "good")
    failed = runs[bad.run_id]
    assert (failed["succeeded"], failed["status"], failed["retries"], failed["configurations"]) == (
        False, "FAILURE", 2, 0)
    assert failed["error"].startswith(f"{step('compile_sources')}: source '{http_server.url('/down.txt')}': HTTP 500")
    steps = [s for s in lake.read_table(tmp_path / "lake", "workflow_steps").to_pylist() if s["run_id"] == bad.run_id]
    assert [(s["step_key"], s["status"], s["attempts"]) for s in steps] == [
        (step("validate"), "SUCCESS", 1), (step("compile_sources"), "FAILURE", 3)]
    assert all(s["duration_s"] >= 0 for s in steps)
    meta = metadata(first, METRICS[0])
    assert meta["dagster/row_count"] == 2 and meta["days_rewritten"] == 1
    assert [c.name for c in meta["dagster/column_schema"].columns][:4] == ["run_id", "workflow", "trigger", "partition"]
    assert metadata(first, METRICS[1])["dagster/row_count"] == 5 + 2  # good: 4 ops and its check; bad: 2 ops
    assert again.get_asset_materialization_events() == []
    assert metadata(third, METRICS[0])["dagster/row_count"] == 3


def test_demo_runs_offline(tmp_path: Path) -> None:
    with dg.instance_for_test() as instance:
        lines = run_demo(instance, tmp_path)
    text = "\n".join(lines)
    assert "raw_filter_lists[demo_ads]: 12 rules" in text
    assert "compiled_filter_lists[demo] (second run): 8 rules, cache hit" in text
    assert "source_health: 2 of 7 sources healthy (checked 2 in this run" in text  # the 5 defaults: not checked
    assert "isolated_compile_job: succeeded, 8 rules" in text
    assert "workflow_metrics: 6 filter-list runs in the lake" in text
    assert (tmp_path / "sources" / "demo" / "demo_ads.txt").is_file()
