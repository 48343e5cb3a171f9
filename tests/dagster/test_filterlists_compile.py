"""compile_job in-process against local HTTP servers serving the real lists and broken ones."""

from __future__ import annotations

import hashlib
from pathlib import Path

import dagster as dg
import pytest

from bloqr_dagster.filterlists.cache_store import CompiledCache
from bloqr_dagster.filterlists.workflow_runs import runs
from bloqr_dagster.warehouse import lake
from tests.dagster.filterlists_support import (
    compile_run_config,
    gets,
    log_messages,
    make_defs,
    serve_flaky,
    serve_list,
    serve_slow,
    step_events,
)

TRANSFORMS = ["RemoveComments", "Compress", "Validate", "Deduplicate", "RemoveEmptyLines", "InsertFinalNewLine"]


@pytest.fixture
def real_lists(http_server, filterlists_dir: Path) -> dict[str, str]:
    return {name: serve_list(http_server, f"/{name}.txt", (filterlists_dir / f"{name}.txt").read_bytes())
            for name in ("peter_lowe", "easyprivacy")}


def _config(urls: list[str], name: str = "Privacy test") -> dict:
    return {"name": name, "sources": [{"name": f"s{i}", "source": u} for i, u in enumerate(urls)],
            "transformations": TRANSFORMS}


def test_compile_then_cache_hit_on_unchanged_sources(tmp_path: Path, http_server, real_lists) -> None:
    job = make_defs(tmp_path).get_job_def("compile_job")
    instance = dg.DagsterInstance.ephemeral()
    config = _config(list(real_lists.values()))

    first = job.execute_in_process(compile_run_config(config), instance=instance)
    assert first.success
    cached = first.output_for_node("update_metrics")
    assert cached["cache_hit"] is False and cached["rule_count"] > 10_000
    messages = "\n".join(log_messages(instance, first.run_id))
    for event in ("event=source_fetch_started", "event=source_fetch_completed", "event=transformation_started",
                  "event=transformation_completed", "event=cache_stored"):
        assert event in messages
    assert "rule_count=" in messages

    second = job.execute_in_process(compile_run_config(config), instance=instance)
    assert second.success
    hit = second.output_for_node("update_metrics")
    assert hit["cache_hit"] is True and hit["cache_key"] == cached["cache_key"]
    assert hit["sources_not_modified"] == 2
    assert all(h.get("If-None-Match") for h in gets(http_server, "/peter_lowe.txt")[1:])
    second_messages = "\n".join(log_messages(instance, second.run_id))
    assert "event=cache_hit" in second_messages and "event=transformation_started" not in second_messages
    [output] = [e for e in second.all_events
                if e.event_type_value == "STEP_OUTPUT" and e.step_key == "compile_sources"]
    assert output.event_specific_data.metadata["cache_hit"].value is True
    assert [r.cache_hits for r in runs(tmp_path / "state.sqlite", "compile")] == [0, 1]
    lake_rows = lake.read_table(tmp_path / "lake", "workflow_runs").to_pylist()
    assert {r["run_id"] for r in lake_rows} == {first.run_id, second.run_id}

    cache = CompiledCache(tmp_path / "cache")
    entry = cache.latest("privacy_test")
    text = cache.read_text(entry)
    body = text[len(entry.header) + 1:]
    assert hashlib.sha256(body.encode()).hexdigest() == entry.cache_key == cached["cache_key"]
    assert {v.source for v in entry.source_versions} == set(real_lists.values())


def test_invalid_configuration_fails_validation_without_retry(tmp_path: Path) -> None:
    job = make_defs(tmp_path).get_job_def("compile_job")
    bad = {"name": "x", "sources": [{"source": "a.txt", "transformations": ["Dedupe"]}]}
    result = job.execute_in_process(compile_run_config(bad), raise_on_error=False)
    assert not result.success
    [failure] = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    assert failure.step_key == "validate"
    assert "sources[0].transformations[0]: unknown transformation 'Dedupe'" in str(failure.event_specific_data.error)
    assert step_events(result, "STEP_UP_FOR_RETRY") == []
    [row] = runs(tmp_path / "state.sqlite")
    assert not row.succeeded and row.workflow == "compile" and "validate" in row.error


def test_flaky_source_is_retried_and_succeeds(tmp_path: Path, http_server, filterlists_dir: Path) -> None:
    url = serve_flaky(http_server, "/flaky.txt", (filterlists_dir / "peter_lowe.txt").read_bytes(), failures=1)
    result = make_defs(tmp_path).get_job_def("compile_job").execute_in_process(
        compile_run_config(_config([url], "Flaky")))
    assert result.success
    assert step_events(result, "STEP_UP_FOR_RETRY") == ["compile_sources"]
    assert step_events(result, "STEP_RESTARTED") == ["compile_sources"]
    assert len(gets(http_server, "/flaky.txt")) == 2


@pytest.mark.parametrize("kind", ["500", "404", "slow", "oversized"])
def test_broken_sources_fail_after_retries_with_a_clear_error(tmp_path: Path, http_server, kind: str) -> None:
    if kind == "500":
        url = http_server.serve_bytes("/broken", b"error", status=500)
        expected = "HTTP 500"
    elif kind == "404":
        url, expected = http_server.url("/missing.txt"), "HTTP 404"
    elif kind == "slow":
        url, expected = serve_slow(http_server, "/slow", b"||a.com^\n", delay=1.5), "timed out"
    else:
        url, expected = http_server.serve_bytes("/big", b"||a.example^\n" * 5000), "larger than"
    defs = make_defs(tmp_path, read_timeout=0.4, max_bytes=20_000)
    result = defs.get_job_def("compile_job").execute_in_process(
        compile_run_config(_config([url], "Broken")), raise_on_error=False)
    assert not result.success
    assert step_events(result, "STEP_UP_FOR_RETRY") == ["compile_sources", "compile_sources"]
    failure = next(e for e in result.all_events if e.event_type_value == "STEP_FAILURE")
    assert expected in str(failure.event_specific_data.error)
    assert url in str(failure.event_specific_data.error)
    [row] = runs(tmp_path / "state.sqlite")
    assert row.succeeded is False and expected in row.error
    assert CompiledCache(tmp_path / "cache").latest("broken") is None


def test_non_utf8_source_compiles_with_replacement(tmp_path: Path, http_server) -> None:
    url = http_server.serve_bytes("/latin1.txt", b"||caf\xe9.example^\n||ok.example^\n")
    result = make_defs(tmp_path).get_job_def("compile_job").execute_in_process(
        compile_run_config({"name": "Latin", "sources": [{"source": url}]}))
    assert result.success and result.output_for_node("update_metrics")["rule_count"] == 2


def _reexec_job():
    """Module-level, so dg.reconstructable can rebuild it in the re-execution."""
    import os

    return make_defs(Path(os.environ["BLOQR_TEST_HOME"])).get_job_def("compile_job")


def test_reexecution_from_failure_skips_completed_steps(tmp_path: Path, http_server, monkeypatch,
                                                        filterlists_dir: Path) -> None:
    monkeypatch.setenv("BLOQR_TEST_HOME", str(tmp_path / "home"))
    body = (filterlists_dir / "peter_lowe.txt").read_bytes()
    http_server.serve_bytes("/list.txt", b"down", status=503)
    run_config = {**compile_run_config(_config([http_server.url("/list.txt")], "Reexec")),
                  "execution": {"config": {"in_process": {}}}}
    job = dg.reconstructable(_reexec_job)
    with dg.instance_for_test() as instance:
        with dg.execute_job(job, instance, run_config=run_config) as failed:
            assert not failed.success
            assert "validate" in step_events(failed, "STEP_SUCCESS")
            assert "compile_sources" in step_events(failed, "STEP_FAILURE")
        serve_list(http_server, "/list.txt", body)  # the source is back
        options = dg.ReexecutionOptions.from_failure(failed.run_id, instance)
        with dg.execute_job(job, instance, run_config=run_config, reexecution_options=options) as again:
            assert again.success
            started = step_events(again, "STEP_START")
            assert "validate" not in started
            assert started == ["compile_sources", "cache_result", "update_metrics"]
    rows = runs(tmp_path / "home" / "state.sqlite", "compile")
    assert [r.succeeded for r in sorted(rows, key=lambda r: r.started_at)] == [False, True]


def test_compile_step_time_budget(tmp_path: Path, http_server) -> None:
    url = serve_slow(http_server, "/slow.txt", b"||a.example^\n", delay=2.0)
    defs = make_defs(tmp_path, compile_timeout=0.5, read_timeout=10.0)
    result = defs.get_job_def("compile_job").execute_in_process(
        compile_run_config(_config([url], "Budget")), raise_on_error=False)
    assert not result.success
    failure = next(e for e in result.all_events if e.event_type_value == "STEP_FAILURE")
    assert "exceeded its time budget of 0.5 s" in str(failure.event_specific_data.error)
    assert step_events(result, "STEP_UP_FOR_RETRY") == ["compile_sources", "compile_sources"]
