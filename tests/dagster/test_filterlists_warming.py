"""Cache warming (a schedule on compile_job for the popular configurations) and the hourly health
schedule, evaluated with their cron strings and run as the daemon would run their requests."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import dagster as dg

from bloqr_dagster.defs.filterlists.resources import RESOURCE_KEY
from bloqr_dagster.defs.filterlists.run_history import export_runs
from bloqr_dagster.warehouse import lake
from tests.dagster.filterlists_support import (
    COMPILED,
    gets,
    make_defs,
    metadata,
    register,
    resource,
    serve_list,
)

TICK = datetime(2026, 3, 1, 6, 0, tzinfo=UTC)


def _tick(defs: dg.Definitions, instance, name: str, home: Path, **settings) -> list[dg.RunRequest]:
    schedule = defs.resolve_schedule_def(name)
    with dg.build_schedule_context(instance=instance, scheduled_execution_time=TICK,
                                   repository_def=defs.get_repository_def(),
                                   resources={RESOURCE_KEY: resource(home, **settings)}) as context:
        data = schedule.evaluate_tick(context)
    return list(data.run_requests or [])


def test_the_schedules_and_their_cron_strings(tmp_path: Path) -> None:
    defs = make_defs(tmp_path)
    warming = defs.resolve_schedule_def("cache_warming_schedule")
    health = defs.resolve_schedule_def("health_monitoring_schedule")
    assert (warming.cron_schedule, warming.job_name) == ("0 */6 * * *", "compile_job")
    assert (health.cron_schedule, health.job_name) == ("0 * * * *", "health_monitoring_job")
    assert warming.default_status == health.default_status == dg.DefaultScheduleStatus.RUNNING
    assert warming.execution_timezone == health.execution_timezone == "UTC"
    with dg.instance_for_test() as instance:
        [hourly] = _tick(defs, instance, "health_monitoring_schedule", tmp_path)
        assert hourly.run_config == {} and hourly.partition_key is None


def test_warming_compiles_the_popular_configurations_then_keeps_them(tmp_path: Path, http_server,
                                                                     filterlists_dir: Path) -> None:
    configs = {}
    for key, file in (("easylist", "peter_lowe.txt"), ("easyprivacy", "easyprivacy.txt"),
                      ("not_popular", "adaway_hosts.txt")):
        url = serve_list(http_server, f"/{file}", (filterlists_dir / file).read_bytes())
        configs[key] = {"name": key, "sources": [{"source": url}], "transformations": ["Deduplicate"]}
    defs = make_defs(tmp_path)
    job = defs.resolve_job_def("compile_job")
    with dg.instance_for_test() as instance:
        skipped = _tick(defs, instance, "cache_warming_schedule", tmp_path)
        assert skipped == []  # nothing registered yet: a skip, not a failing run
        register(tmp_path, instance, configs=configs)
        results = []
        for _ in range(2):
            requests = _tick(defs, instance, "cache_warming_schedule", tmp_path)
            # adguard_base (also popular by default) is not registered here: it is left out
            assert [r.partition_key for r in requests] == ["easylist", "easyprivacy"]
            assert all(r.run_key.startswith(TICK.isoformat()) for r in requests)
            results += [job.execute_in_process(instance=instance, partition_key=r.partition_key,
                                               tags={**r.tags, "dagster/schedule_name": "cache_warming_schedule"})
                        for r in requests]
        assert [metadata(r, COMPILED)["cache_hit"] for r in results] == [False, False, True, True]
        assert instance.get_materialized_partitions(COMPILED) == {"easylist", "easyprivacy"}
        assert gets(http_server, "/peter_lowe.txt")[-1].get("If-None-Match")  # re-checked with a conditional GET

        assert _tick(defs, instance, "cache_warming_schedule", tmp_path, warm_configurations=["not_popular"])[
            0].partition_key == "not_popular"  # the list is the resource's warm_configurations
        export_runs(instance, tmp_path / "lake")
    rows = lake.read_table(tmp_path / "lake", "workflow_runs").to_pylist()
    assert [(r["workflow"], r["trigger"], r["configurations_warmed"], r["cache_hits"]) for r in rows] == [
        ("cache_warming", "schedule", 1, 0)] * 2 + [("cache_warming", "schedule", 0, 1)] * 2
