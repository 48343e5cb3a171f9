"""cache_warming_job and both schedules, evaluated with their cron strings."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from bloqr_dagster.filterlists.registry import Registry
from bloqr_dagster.filterlists.workflow_runs import runs
from tests.dagster.filterlists_support import gets, make_defs, serve_list, step_events


def _register(home: Path, server, filterlists_dir: Path) -> None:
    registry = Registry(home / "state.sqlite")
    for key, file in (("pgl", "peter_lowe.txt"), ("adaway", "adaway_hosts.txt"), ("privacy", "easyprivacy.txt")):
        url = serve_list(server, f"/{file}", (filterlists_dir / file).read_bytes())
        registry.add_config(key, {"name": key, "sources": [{"source": url}], "transformations": ["Deduplicate"]})


def _warm(defs: dg.Definitions, instance, names: list[str], **tags: str) -> dg.ExecuteInProcessResult:
    return defs.get_job_def("cache_warming_job").execute_in_process(
        {"ops": {"check_cache_status": {"config": {"configurations": names, "chunk_size": 2}}}},
        instance=instance, tags=tags or None)


def test_warming_compiles_stale_configs_in_chunks_then_skips_fresh_ones(tmp_path: Path, http_server,
                                                                        filterlists_dir: Path) -> None:
    _register(tmp_path, http_server, filterlists_dir)
    defs = make_defs(tmp_path)
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions("filter_configs", ["pgl", "adaway", "privacy"])
    first = _warm(defs, instance, ["pgl", "adaway", "privacy"])
    assert first.success
    # warming keeps the compiled_filter_lists asset current, partition by partition
    compiled = dg.AssetKey(["filterlists", "compiled_filter_lists"])
    assert instance.get_materialized_partitions(compiled) == {"pgl", "adaway", "privacy"}
    assert sorted(k for k in step_events(first, "STEP_SUCCESS") if k.startswith("warm_chunk")) == [
        "warm_chunk[chunk_0]", "warm_chunk[chunk_1]"]
    out = first.output_for_node("update_warming_metrics")
    assert sorted(out["warmed"]) == ["adaway", "pgl", "privacy"] and out["trigger"] == "manual"

    second = _warm(defs, instance, ["pgl", "adaway", "privacy"], **{"dagster/schedule_name": "cache_warming_schedule"})
    assert second.success
    assert not [k for k in step_events(second, "STEP_START") if k.startswith("warm_chunk")]
    out2 = second.output_for_node("update_warming_metrics")
    assert out2["warmed"] == [] and out2["trigger"] == "schedule"
    assert all(s["reason"] == "fresh" for s in out2["status"])

    forced = defs.get_job_def("cache_warming_job").execute_in_process(
        {"ops": {"check_cache_status": {"config": {"configurations": ["pgl"], "force": True}}}}, instance=instance)
    assert forced.output_for_node("update_warming_metrics")["warmed"] == ["pgl"]
    assert gets(http_server, "/peter_lowe.txt")[-1].get("If-None-Match")  # re-checked with a conditional GET

    rows = runs(tmp_path / "state.sqlite", "cache_warming")
    assert [(r.trigger, r.configurations, r.configurations_warmed) for r in rows] == [
        ("manual", 3, 3), ("schedule", 3, 0), ("manual", 1, 1)]


def test_warming_rejects_unknown_configurations(tmp_path: Path) -> None:
    defs = make_defs(tmp_path)
    result = defs.get_job_def("cache_warming_job").execute_in_process(
        {"ops": {"check_cache_status": {"config": {"configurations": ["nope"]}}}}, raise_on_error=False)
    assert not result.success
    failure = next(e for e in result.all_events if e.event_type_value == "STEP_FAILURE")
    assert "configurations: unknown 'nope'" in str(failure.event_specific_data.error)


def test_schedules_cron_strings_and_run_requests(tmp_path: Path) -> None:
    defs = make_defs(tmp_path)
    warming = defs.get_schedule_def("cache_warming_schedule")
    health = defs.get_schedule_def("health_monitoring_schedule")
    assert warming.cron_schedule == "0 */6 * * *" and warming.job_name == "cache_warming_job"
    assert health.cron_schedule == "0 * * * *" and health.job_name == "health_monitoring_job"
    assert warming.default_status == dg.DefaultScheduleStatus.RUNNING
    with dg.instance_for_test() as instance:
        context = dg.build_schedule_context(instance=instance)
        [request] = warming.evaluate_tick(context).run_requests
        assert request.run_config == {"ops": {"check_cache_status": {"config": {"configurations": [],
                                                                                "chunk_size": 2}}}}
        [hourly] = health.evaluate_tick(dg.build_schedule_context(instance=instance)).run_requests
        assert hourly.run_config == {"ops": {"load_history": {"config": {"sources": []}}}}
    # the schedule's run config is valid for its job
    job = defs.get_job_def("cache_warming_job")
    assert job.run_config_schema.config_type is not None
    from dagster._config import process_config

    assert process_config(job.run_config_schema.config_type, request.run_config).success
