"""health_monitoring_job: checks, streaks, exactly one alert per failure streak, history, the asset check."""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg

from bloqr_dagster.filterlists.defaults import SourceSpec
from bloqr_dagster.filterlists.health import HealthHistory
from bloqr_dagster.filterlists.registry import Registry
from bloqr_dagster.filterlists.workflow_runs import runs
from bloqr_dagster.warehouse import lake
from tests.dagster.filterlists_support import make_defs, serve_list, serve_slow

RUN_CONFIG = {"ops": {"load_history": {"config": {"sources": []}}}}


def _check_evaluations(result) -> list:
    return [e.event_specific_data for e in result.all_events if e.event_type_value == "ASSET_CHECK_EVALUATION"]


def test_three_failures_in_a_row_send_exactly_one_alert(tmp_path: Path, http_server, filterlists_dir: Path) -> None:
    registry = Registry(tmp_path / "state.sqlite")
    good = serve_list(http_server, "/pgl.txt", (filterlists_dir / "peter_lowe.txt").read_bytes())
    registry.add_source(SourceSpec("pgl", "Peter Lowe", good, "hosts", 2000))
    http_server.serve_bytes("/down.txt", b"gone", status=500)
    registry.add_source(SourceSpec("down", "Down list", http_server.url("/down.txt"), "adblock", 5))
    hook = http_server.serve_bytes("/hook", b"ok")
    defs = make_defs(tmp_path, alert_webhook=hook)
    job = defs.get_job_def("health_monitoring_job")
    instance = dg.DagsterInstance.ephemeral()

    outcomes = [job.execute_in_process(RUN_CONFIG, instance=instance) for _ in range(5)]
    assert all(r.success for r in outcomes)
    posts = [json.loads(body) for (method, path, _, body) in http_server.requests if path == "/hook"]
    assert len(posts) == 1  # the third failure alerts; the fourth and fifth do not
    assert [a["source"] for a in posts[0]["alerts"]] == ["down"]
    assert posts[0]["alerts"][0]["consecutive_failures"] == 3

    checks = [_check_evaluations(r)[0].passed for r in outcomes]
    assert checks == [True, True, False, False, False]
    assert outcomes[2].output_for_node("send_alerts") == 1
    assert outcomes[3].output_for_node("send_alerts") == 0

    history = HealthHistory(tmp_path / "state.sqlite")
    streak = [r.consecutive_failures for r in history.recent("down")]
    assert streak == [1, 2, 3, 4, 5] and [r.alert for r in history.recent("down")].count(True) == 1
    assert all(r.healthy and r.rule_count == 3500 for r in history.recent("pgl"))

    # the source comes back: a recovery notice, the check passes again
    serve_list(http_server, "/down.txt", b"||a.example^\n" * 10)
    recovered = job.execute_in_process(RUN_CONFIG, instance=instance)
    assert _check_evaluations(recovered)[0].passed
    posts = [json.loads(body) for (method, path, _, body) in http_server.requests if path == "/hook"]
    assert len(posts) == 2 and posts[1]["alerts"] == [] and posts[1]["recoveries"][0]["source"] == "down"

    rows = lake.read_table(tmp_path / "lake", "health_checks").to_pylist()
    assert len(rows) == 12 and sum(r["alert"] for r in rows) == 1
    metrics = runs(tmp_path / "state.sqlite", "health_monitoring")
    assert len(metrics) == 6 and [m.alerts for m in metrics] == [0, 0, 1, 0, 0, 0]
    assert all(m.sources_checked == 2 for m in metrics) and metrics[0].sources_healthy == 1


def test_slow_html_oversized_and_non_utf8_sources(tmp_path: Path, http_server) -> None:
    registry = Registry(tmp_path / "state.sqlite")
    sources = {
        "slow": serve_slow(http_server, "/slow.txt", b"||a.example^\n" * 10, delay=2.0),
        "html": http_server.serve_bytes("/html.txt", b"<!doctype html><html><body>Sorry</body></html>"),
        "big": http_server.serve_bytes("/big.txt", b"||a.example^\n" * 10_000),
        "latin1": http_server.serve_bytes("/latin1.txt", b"||caf\xe9.example^\n" * 10),
    }
    for key, url in sources.items():
        registry.add_source(SourceSpec(key, key, url, "adblock", 5))
    defs = make_defs(tmp_path, slow_after_seconds=1.2, max_bytes=50_000)
    result = defs.get_job_def("health_monitoring_job").execute_in_process(RUN_CONFIG)
    assert result.success
    by_source = {r["source"]: r for r in result.output_for_node("analyse_health")}
    assert not by_source["slow"]["healthy"] and by_source["slow"]["error"].startswith("slow:")
    assert not by_source["html"]["healthy"] and "HTML" in by_source["html"]["error"]
    assert not by_source["big"]["healthy"] and "larger than 50000 bytes" in by_source["big"]["error"]
    assert by_source["latin1"]["healthy"] and "invalid UTF-8" in by_source["latin1"]["error"]
    [evaluation] = _check_evaluations(result)
    assert evaluation.passed  # unhealthy once is not yet an alert streak


def test_unknown_source_is_a_clear_error(tmp_path: Path) -> None:
    result = make_defs(tmp_path).get_job_def("health_monitoring_job").execute_in_process(
        {"ops": {"load_history": {"config": {"sources": ["nope"]}}}}, raise_on_error=False)
    assert not result.success
    failure = next(e for e in result.all_events if e.event_type_value == "STEP_FAILURE")
    assert "sources: unknown 'nope'" in str(failure.event_specific_data.error)
