"""compiled_filter_lists partitions, in process, against local HTTP servers serving the real lists
and broken ones: the cache hit, retries, re-execution from failure, and the compile deadline."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import dagster as dg
import pytest

from bloqr_dagster.filterlists.cache_store import CompiledCache
from bloqr_dagster.filterlists.deadline import DeadlineExceeded, call_with_deadline
from bloqr_dagster.filterlists.defaults import SourceSpec
from bloqr_dagster.filterlists.fetch import ResponseCache
from tests.dagster.filterlists_support import (
    COMPILED,
    RAW,
    gets,
    log_messages,
    make_defs,
    materialize,
    metadata,
    register,
    serve_flaky,
    serve_held_back,
    serve_list,
    serve_slow,
    step,
    step_events,
    step_failure,
)

TRANSFORMS = ["RemoveComments", "Compress", "Validate", "Deduplicate", "RemoveEmptyLines", "InsertFinalNewLine"]


@pytest.fixture
def real_lists(http_server, filterlists_dir: Path) -> dict[str, str]:
    return {name: serve_list(http_server, f"/{name}.txt", (filterlists_dir / f"{name}.txt").read_bytes())
            for name in ("peter_lowe", "easyprivacy")}


def _config(urls: list[str], name: str = "Privacy test") -> dict:
    return {"name": name, "sources": [{"name": f"s{i}", "source": u} for i, u in enumerate(urls)],
            "transformations": TRANSFORMS}


def _compile(tmp_path: Path, instance, configuration: dict, key: str = "cfg", **settings):
    defs = make_defs(tmp_path, **settings)
    register(tmp_path, instance, configs={key: configuration})
    return materialize(defs, instance, COMPILED, key, raise_on_error=False)


def test_compile_then_cache_hit_without_downloading_again(tmp_path: Path, http_server, real_lists) -> None:
    defs = make_defs(tmp_path)
    with dg.instance_for_test() as instance:
        register(tmp_path, instance, sources={"pgl": SourceSpec("pgl", "pgl", real_lists["peter_lowe"], "hosts")},
                 configs={"privacy": _config(list(real_lists.values()))})
        assert materialize(defs, instance, RAW, "pgl").success  # the raw list first: a 200
        first = materialize(defs, instance, COMPILED, "privacy")
        cold = metadata(first, COMPILED)
        assert cold["cache_hit"] is False and cold["rule_count"] > 10_000
        assert cold["dagster/row_count"] == cold["rule_count"] and cold["sources_not_modified"] == 1
        # the compile read the raw list through the shared conditional-GET cache: a 304, no second download
        assert [bool(h.get("If-None-Match")) for h in gets(http_server, "/peter_lowe.txt")] == [False, True]
        messages = "\n".join(log_messages(instance, first.run_id))
        for event in ("event=config_validated", "event=source_fetch_started", "event=source_fetch_completed",
                      "event=transformation_started", "event=transformation_completed", "event=cache_stored"):
            assert event in messages
        assert step_events(first, "STEP_SUCCESS") == [step(s) for s in (
            "validate", "compile_sources", "cache_result", "update_metrics")] + [
            "filterlists__compiled_filter_lists_cache_objects_intact"]  # its check runs after it

        second = materialize(defs, instance, COMPILED, "privacy")
        hit = metadata(second, COMPILED)
        assert hit["cache_hit"] is True and hit["cache_key"] == cold["cache_key"]
        assert hit["sources_not_modified"] == 2
        assert all(h.get("If-None-Match") for h in gets(http_server, "/easyprivacy.txt")[1:])
        second_messages = "\n".join(log_messages(instance, second.run_id))
        assert "event=cache_hit" in second_messages and "event=transformation_started" not in second_messages

    cache = CompiledCache(tmp_path / "cache")
    entry = cache.latest("privacy")
    body = cache.read_text(entry)[len(entry.header) + 1:]
    assert hashlib.sha256(body.encode()).hexdigest() == entry.cache_key == cold["cache_key"]
    assert entry.hits == 1 and cold["path"] == str(cache.object_path(entry.cache_key))
    assert {v.source for v in entry.source_versions} == set(real_lists.values())


def test_invalid_configuration_fails_validation_without_retry(tmp_path: Path) -> None:
    bad = {"name": "x", "sources": [{"source": "a.txt", "transformations": ["Dedupe"]}]}
    with dg.instance_for_test() as instance:
        result = _compile(tmp_path, instance, bad)
    assert not result.success
    assert step_events(result, "STEP_FAILURE") == [step("validate")]
    assert step_failure(result).startswith(
        "configuration 'cfg': sources[0].transformations[0]: unknown transformation 'Dedupe'")
    assert "\n" not in step_failure(result)
    assert step_events(result, "STEP_UP_FOR_RETRY") == []


def test_flaky_source_is_retried_and_succeeds(tmp_path: Path, http_server, filterlists_dir: Path) -> None:
    url = serve_flaky(http_server, "/flaky.txt", (filterlists_dir / "peter_lowe.txt").read_bytes(), failures=1)
    with dg.instance_for_test() as instance:
        result = _compile(tmp_path, instance, _config([url], "Flaky"))
        assert result.success
        assert step_events(result, "STEP_UP_FOR_RETRY") == [step("compile_sources")]
        assert step_events(result, "STEP_RESTARTED") == [step("compile_sources")]
        assert "event=retry_scheduled attempt=1" in "\n".join(log_messages(instance, result.run_id))
    assert len(gets(http_server, "/flaky.txt")) == 2


@pytest.mark.parametrize("kind", ["500", "404", "slow", "oversized"])
def test_broken_sources_fail_after_retries_with_a_clear_error(tmp_path: Path, http_server, kind: str) -> None:
    if kind == "500":
        url, expected = http_server.serve_bytes("/broken", b"error", status=500), "HTTP 500"
    elif kind == "404":
        url, expected = http_server.url("/missing.txt"), "HTTP 404"
    elif kind == "slow":
        url, expected = serve_slow(http_server, "/slow", b"||a.com^\n", delay=1.5), "timed out"
    else:
        url, expected = http_server.serve_bytes("/big", b"||a.example^\n" * 5000), "larger than"
    with dg.instance_for_test() as instance:
        result = _compile(tmp_path, instance, _config([url], "Broken"), read_timeout=0.4, max_bytes=20_000)
    assert not result.success
    assert step_events(result, "STEP_UP_FOR_RETRY") == [step("compile_sources")] * 2
    assert expected in step_failure(result) and url in step_failure(result)
    assert CompiledCache(tmp_path / "cache").latest("cfg") is None


def test_non_utf8_source_compiles_with_replacement(tmp_path: Path, http_server) -> None:
    url = http_server.serve_bytes("/latin1.txt", b"||caf\xe9.example^\n||ok.example^\n")
    with dg.instance_for_test() as instance:
        result = _compile(tmp_path, instance, {"name": "Latin", "sources": [{"source": url}]})
    assert result.success and metadata(result, COMPILED)["rule_count"] == 2


def _compile_job():
    """Module level, so dg.reconstructable can rebuild it for the re-execution."""
    return make_defs(Path(os.environ["BLOQR_TEST_HOME"])).resolve_job_def("compile_job")


def test_reexecution_from_failure_skips_completed_steps(tmp_path: Path, http_server, monkeypatch,
                                                        filterlists_dir: Path) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("BLOQR_TEST_HOME", str(home))
    http_server.serve_bytes("/list.txt", b"down", status=503)
    run_config: dict = {}  # compile_job runs in process
    job = dg.reconstructable(_compile_job)
    with dg.instance_for_test() as instance:
        register(home, instance, configs={"reexec": _config([http_server.url("/list.txt")], "Reexec")})
        with dg.execute_job(job, instance, run_config=run_config, tags={"dagster/partition": "reexec"}) as failed:
            assert not failed.success
            assert step("validate") in step_events(failed, "STEP_SUCCESS")
            assert step("compile_sources") in step_events(failed, "STEP_FAILURE")
        serve_list(http_server, "/list.txt", (filterlists_dir / "peter_lowe.txt").read_bytes())  # back again
        options = dg.ReexecutionOptions.from_failure(failed.run_id, instance)
        with dg.execute_job(job, instance, run_config=run_config, reexecution_options=options,
                            tags={"dagster/partition": "reexec"}) as again:  # the UI copies the tags itself
            assert again.success
            assert step_events(again, "STEP_START") == [step(s) for s in (
                "compile_sources", "cache_result", "update_metrics")] + [
                "filterlists__compiled_filter_lists_cache_objects_intact"]
        latest = instance.get_latest_materialization_event(COMPILED)
        assert latest.run_id == again.run_id and latest.asset_materialization.partition == "reexec"


def test_a_compile_over_budget_is_killed_and_writes_nothing(tmp_path: Path, http_server) -> None:
    """The deadline stops the work: the compile process is killed, nothing it started writes later."""
    gate = threading.Event()
    url = serve_held_back(http_server, "/slow.txt", [b"||late.example^\n"], gate, held=3)
    try:
        with dg.instance_for_test() as instance:
            result = _compile(tmp_path, instance, {"name": "Budget", "sources": [{"source": url}]},
                              compile_timeout=2.0, read_timeout=30.0)
        assert not result.success
        assert "compile of 'cfg': exceeded its time budget of 2 s (stopped)" in step_failure(result)
        assert step_events(result, "STEP_UP_FOR_RETRY") == [step("compile_sources")] * 2
    finally:
        gate.set()  # the held-back answer goes out now: only a compile still alive could take it
    time.sleep(1.5)
    assert CompiledCache(tmp_path / "cache").latest("cfg") is None
    assert not list((tmp_path / "cache" / "http").glob("*.http"))  # not even the conditional-GET cache


def test_a_retry_after_the_deadline_is_not_overwritten_by_the_killed_attempt(tmp_path: Path, http_server) -> None:
    """The first attempt waits for its list and is killed; the retry gets the list at once. Had the
    first attempt lived on (as a compile thread did), it would later store its list over the retry's."""
    gate = threading.Event()
    url = serve_held_back(http_server, "/list.txt", [b"||stale.example^\n", b"||fresh.example^\n"], gate, held=1)
    try:
        with dg.instance_for_test() as instance:
            result = _compile(tmp_path, instance, {"name": "Race", "sources": [{"source": url}]},
                              compile_timeout=2.0, read_timeout=30.0)
        assert result.success
        assert step_events(result, "STEP_UP_FOR_RETRY") == [step("compile_sources")]
    finally:
        gate.set()
    time.sleep(1.5)
    cache = CompiledCache(tmp_path / "cache")
    text = cache.read_text(cache.latest("cfg"))
    assert "fresh.example" in text and "stale.example" not in text
    assert ResponseCache(tmp_path / "cache" / "http").get(url).body == b"||fresh.example^\n"
    with sqlite3.connect(cache.index_db) as db:
        assert db.execute("SELECT count(*) FROM cache_entries").fetchone() == (1,)


def _start_a_writer(marker: str, go: str, on_event) -> None:  # noqa: ANN001
    """Work that starts a process of its own (which writes once `go` exists), then never ends."""
    subprocess.Popen(["sh", "-c", f"while [ ! -e {go} ]; do sleep 0.1; done; echo late > {marker}"])
    on_event("writer_started", {})
    time.sleep(600)


def test_the_deadline_also_kills_what_the_work_started(tmp_path: Path) -> None:
    marker, go = tmp_path / "late.txt", tmp_path / "go"
    events: list[str] = []
    with pytest.raises(DeadlineExceeded, match="^work: exceeded its time budget of 10 s"):
        call_with_deadline(_start_a_writer, str(marker), str(go), seconds=10, what="work",
                           on_event=lambda kind, fields: events.append(kind))
    assert events == ["writer_started"]
    go.touch()  # a writer still alive would write now
    time.sleep(1.5)
    assert not marker.exists()
