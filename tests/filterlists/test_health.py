"""Source health checks against real local servers; streaks, alerts, history, the lake mirror."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bloqr_dagster.filterlists.defaults import SourceSpec
from bloqr_dagster.filterlists.fetch import HttpFetcher
from bloqr_dagster.filterlists.health import (
    HealthHistory,
    HealthResult,
    alert_payload,
    analyse,
    check_source,
    count_raw_rules,
    send_webhook,
)
from bloqr_dagster.warehouse import lake

LIST = b"! Title: t\n||a.com^\n||b.com^\nexample.com##.ad\n# hosts comment\n0.0.0.0 c.com\n"


def _check(server, path: str, min_rules: int = 3, **kwargs) -> HealthResult:
    with HttpFetcher(read_timeout=kwargs.pop("read_timeout", 5.0), max_bytes=kwargs.pop("max_bytes", 10**6)) as f:
        return check_source(SourceSpec("s", "S", server.url(path), "adblock", min_rules), f, **kwargs)


def test_count_raw_rules_skips_comments_but_counts_cosmetic_rules() -> None:
    assert count_raw_rules(LIST.decode()) == 4


def test_healthy_source(http_server) -> None:
    http_server.serve_bytes("/ok.txt", LIST)
    result = _check(http_server, "/ok.txt")
    assert result.healthy and result.status_code == 200 and result.rule_count == 4 and result.error is None


def test_real_list_is_healthy_with_its_default_minimum(http_server, filterlists_dir: Path) -> None:
    from bloqr_dagster.filterlists.defaults import DEFAULT_SOURCES

    spec = next(s for s in DEFAULT_SOURCES if s.key == "peter_lowe")
    url = http_server.serve_bytes("/pgl", (filterlists_dir / "peter_lowe.txt").read_bytes())
    with HttpFetcher() as f:
        result = check_source(SourceSpec(spec.key, spec.name, url, spec.type, spec.min_rules), f)
    assert result.healthy and result.rule_count == 3500


def test_failing_statuses_timeouts_oversize_html_and_bad_bytes(http_server) -> None:
    http_server.serve_bytes("/500", b"oops", status=500)
    assert _check(http_server, "/500").error == "HTTP 500 Internal Server Error"
    assert _check(http_server, "/missing").status_code == 404

    def slow(req) -> None:
        time.sleep(1.0)
        req.send_response(200)
        req.send_header("Content-Length", str(len(LIST)))
        req.end_headers()
        req.wfile.write(LIST)

    http_server.route("/slow", slow)
    timed_out = _check(http_server, "/slow", read_timeout=0.3)
    assert not timed_out.healthy and "timed out" in timed_out.error
    too_slow = _check(http_server, "/slow", slow_after=0.5)
    assert not too_slow.healthy and too_slow.error.startswith("slow:")

    http_server.serve_bytes("/big", b"||x.com^\n" * 2000)
    assert "larger than" in _check(http_server, "/big", max_bytes=1000).error

    http_server.serve_bytes("/html", b"<!DOCTYPE html><html><body>Not found</body></html>")
    html = _check(http_server, "/html", min_rules=1)
    assert not html.healthy and "HTML" in html.error

    http_server.serve_bytes("/latin1", b"||caf\xe9.com^\n||b.com^\n||c.com^\n")
    latin1 = _check(http_server, "/latin1")
    assert latin1.healthy and "1 invalid UTF-8" in latin1.error
    http_server.serve_bytes("/short", b"||a.com^\n")
    assert "1 rules, expected at least 3" in _check(http_server, "/short").error


def _result(healthy: bool, source: str = "s") -> HealthResult:
    return HealthResult(datetime.now(UTC), source, "u", healthy, 500, 1.0, None, 5)


def test_three_consecutive_failures_alert_once_per_streak() -> None:
    previous: dict[str, HealthResult] = {}
    flags = []
    for healthy in [False, False, False, False, False, True, False, False, False]:
        [result] = analyse([_result(healthy)], previous)
        previous = {"s": result}
        flags.append((result.consecutive_failures, result.alert, result.recovered))
    assert [f[1] for f in flags] == [False, False, True, False, False, False, False, False, True]
    assert flags[5] == (0, False, True)  # recovery after the alerted streak
    assert [f[0] for f in flags] == [1, 2, 3, 4, 5, 0, 1, 2, 3]


def test_history_keeps_30_days_and_mirrors_the_lake(tmp_path: Path) -> None:
    history = HealthHistory(tmp_path / "state.sqlite")
    old = HealthResult(datetime.now(UTC) - timedelta(days=31), "s", "u", False, 500, 1.0, None, 5)
    lake_dir = tmp_path / "lake"
    assert history.append([old], lake=lake_dir) == 1  # older than the retention: pruned at once
    assert history.append([_result(True)], run_id="r1", lake=lake_dir) == 0
    assert [r.healthy for r in history.recent("s")] == [True]
    assert history.latest_by_source()["s"].healthy
    rows = lake.read_table(lake_dir, "health_checks").to_pylist()
    assert len(rows) == 1 and rows[0]["healthy"] is True
    assert len(list((lake_dir / "health_checks").glob("*.parquet"))) == 1


def test_webhook_posts_json(http_server) -> None:
    http_server.serve_bytes("/hook", b"ok")
    streak_of_two = HealthResult(datetime.now(UTC), "s", "u", False, 500, 1, None, 5, consecutive_failures=2)
    [alert] = analyse([_result(False)], {"s": streak_of_two})
    assert alert.alert
    send_webhook(http_server.url("/hook"), alert_payload([alert]))
    method, _, headers, body = http_server.requests[-1]
    payload = json.loads(body)
    assert method == "POST" and payload["alerts"][0]["source"] == "s" and "ALERT s" in payload["text"]
