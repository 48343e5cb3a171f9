"""source_health: checks, streaks, exactly one alert per failure streak, recovery, 30 days of history,
a partial run that still describes every source, and the sources_healthy check."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import dagster as dg
import pytest

from bloqr_dagster.filterlists.defaults import SourceSpec
from bloqr_dagster.filterlists.health import HealthHistory, HealthResult
from bloqr_dagster.warehouse import lake
from tests.dagster.filterlists_support import (
    HEALTH,
    make_defs,
    materialize,
    metadata,
    register,
    serve_list,
    serve_slow,
    step_failure,
)


def _check(result) -> dg.AssetCheckEvaluation:
    [evaluation] = result.get_asset_check_evaluations()
    assert evaluation.check_name == "sources_healthy"
    return evaluation


def _only(sources: list[str]) -> dict:
    return {"ops": {"filterlists__source_health": {"config": {"sources": sources}}}}


def _posts(server) -> list[dict]:
    return [json.loads(body) for (method, path, _, body) in server.requests if path == "/hook"]


def test_three_failures_in_a_row_send_exactly_one_alert(tmp_path: Path, http_server, filterlists_dir: Path) -> None:
    good = serve_list(http_server, "/pgl.txt", (filterlists_dir / "peter_lowe.txt").read_bytes())
    http_server.serve_bytes("/down.txt", b"gone", status=500)
    hook = http_server.serve_bytes("/hook", b"ok")
    defs = make_defs(tmp_path, alert_webhook=hook)
    with dg.instance_for_test() as instance:
        register(tmp_path, instance, sources={
            "pgl": SourceSpec("pgl", "Peter Lowe", good, "hosts", 2000),
            "down": SourceSpec("down", "Down list", http_server.url("/down.txt"), "adblock", 5)})
        job = defs.resolve_job_def("health_monitoring_job")
        outcomes = [job.execute_in_process(instance=instance) for _ in range(5)]
        assert all(r.success for r in outcomes)
        assert len(_posts(http_server)) == 1  # the third failure alerts; the fourth and fifth do not
        [alert] = _posts(http_server)[0]["alerts"]
        assert alert["source"] == "down" and alert["consecutive_failures"] == 3
        assert [_check(r).passed for r in outcomes] == [True, True, False, False, False]
        assert [metadata(r, HEALTH)["alerts_sent"] for r in outcomes] == [0, 0, 1, 0, 0]
        assert "down: 3 failures in a row (HTTP 500" in _check(outcomes[2]).description

        serve_list(http_server, "/down.txt", b"||a.example^\n" * 10)  # the source comes back
        recovered = job.execute_in_process(instance=instance)
        assert _check(recovered).passed
        posts = _posts(http_server)
        assert len(posts) == 2 and posts[1]["alerts"] == [] and posts[1]["recoveries"][0]["source"] == "down"

    history = HealthHistory(tmp_path / "state.sqlite")
    assert [r.consecutive_failures for r in history.recent("down")] == [1, 2, 3, 4, 5, 0]
    assert [r.alert for r in history.recent("down")].count(True) == 1
    assert all(r.healthy and r.rule_count == 3500 for r in history.recent("pgl"))
    rows = lake.read_table(tmp_path / "lake", "health_checks").to_pylist()
    assert len(rows) == 12 and sum(r["alert"] for r in rows) == 1
    meta = metadata(recovered, HEALTH)
    assert meta["dagster/row_count"] == 12 and meta["summary"] == "2 of 2 sources healthy"
    assert [c.name for c in meta["dagster/column_schema"].columns][:3] == ["checked_at", "source", "url"]
    assert meta["path"] == str(tmp_path / "lake" / "health_checks")


def test_a_partial_run_describes_every_source(tmp_path: Path, http_server) -> None:
    """Checking one source does not make the snapshot say "1 of 1 healthy" while another is down."""
    http_server.serve_bytes("/down.txt", b"gone", status=500)
    ok = http_server.serve_bytes("/ok.txt", b"||a.example^\n" * 10)
    defs = make_defs(tmp_path)
    with dg.instance_for_test() as instance:
        register(tmp_path, instance, sources={
            "ok": SourceSpec("ok", "ok", ok), "down": SourceSpec("down", "down", http_server.url("/down.txt")),
            "new": SourceSpec("new", "never checked", ok)})
        for _ in range(3):
            materialize(defs, instance, HEALTH, run_config=_only(["down"]))
        partial = materialize(defs, instance, HEALTH, run_config=_only(["ok"]))
    meta = metadata(partial, HEALTH)
    assert meta["summary"] == "1 of 3 sources healthy (checked 1 in this run; the others keep their last result)"
    assert (meta["checked"], meta["healthy"], meta["sources"], meta["partial_run"]) == (1, 1, 3, True)
    assert meta["checked_sources"] == ["ok"]
    assert "| down | UNHEALTHY | no | 500 |" in meta["table"] and "| new | never checked | no |" in meta["table"]
    assert not _check(partial).passed  # `down` is still in its alert streak, though not checked this time
    history = HealthHistory(tmp_path / "state.sqlite")
    assert [r.source for r in history.recent()].count("down") == 3  # only what was checked was updated


def test_thirty_days_of_history_are_kept(tmp_path: Path, http_server) -> None:
    ok = http_server.serve_bytes("/ok.txt", b"||a.example^\n" * 10)
    history = HealthHistory(tmp_path / "state.sqlite")
    now = datetime.now(UTC)
    old = [HealthResult(now - timedelta(days=days), "ok", ok, True, 200, 5.0, 10, 5) for days in (45, 31, 29)]
    history.append(old, "earlier-run", lake=tmp_path / "lake", retention_days=400)  # as if written then
    defs = make_defs(tmp_path)
    with dg.instance_for_test() as instance:
        register(tmp_path, instance, sources={"ok": SourceSpec("ok", "ok", ok)})
        meta = metadata(materialize(defs, instance, HEALTH), HEALTH)
    assert meta["pruned"] == 2  # 45 and 31 days old
    assert [round((now - r.checked_at).total_seconds() / 86400) for r in history.recent("ok")] == [29, 0]
    days = sorted(p.stem for p in (tmp_path / "lake" / "health_checks").glob("*.parquet"))
    assert days == [(now - timedelta(days=29)).date().isoformat(), now.date().isoformat()]
    assert meta["dagster/row_count"] == 2


def test_slow_html_oversized_and_non_utf8_sources(tmp_path: Path, http_server) -> None:
    sources = {
        "slow": serve_slow(http_server, "/slow.txt", b"||a.example^\n" * 10, delay=2.0),
        "html": http_server.serve_bytes("/html.txt", b"<!doctype html><html><body>Sorry</body></html>"),
        "big": http_server.serve_bytes("/big.txt", b"||a.example^\n" * 10_000),
        "latin1": http_server.serve_bytes("/latin1.txt", b"||caf\xe9.example^\n" * 10),
    }
    defs = make_defs(tmp_path, slow_after_seconds=1.2, max_bytes=50_000)
    with dg.instance_for_test() as instance:
        register(tmp_path, instance, sources={k: SourceSpec(k, k, url) for k, url in sources.items()})
        result = materialize(defs, instance, HEALTH)
    by_source = {r.source: r for r in HealthHistory(tmp_path / "state.sqlite").recent()}
    assert not by_source["slow"].healthy and by_source["slow"].error.startswith("slow:")
    assert not by_source["html"].healthy and "HTML" in by_source["html"].error
    assert not by_source["big"].healthy and "larger than 50000 bytes" in by_source["big"].error
    assert by_source["latin1"].healthy and "invalid UTF-8" in by_source["latin1"].error
    assert _check(result).passed  # unhealthy once is not yet an alert streak
    assert metadata(result, HEALTH)["summary"] == "1 of 4 sources healthy"


@pytest.mark.parametrize("sources", [["nope"], ["ok", "nope"]])
def test_unknown_source_is_a_clear_error(tmp_path: Path, sources: list[str]) -> None:
    defs = make_defs(tmp_path)
    with dg.instance_for_test() as instance:
        register(tmp_path, instance, sources={"ok": SourceSpec("ok", "ok", "https://example.invalid/ok.txt")})
        result = materialize(defs, instance, HEALTH, run_config=_only(sources), raise_on_error=False)
    assert not result.success
    assert step_failure(result) == "sources: unknown 'nope' (registered: ok)"
