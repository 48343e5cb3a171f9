"""The radar's SQL on a hand-made lake: its scores are the binomial likelihood-ratio z computed here.

Days 1-3 (2024-05-01..03): 20 failed builds a day, 2 in group A (code lockfile_out_of_sync) and 18
in group B (code module_not_found). Day 4: 12 in A, 8 in B, and 12 in C, a group never seen before.
Builds are spread over the hours of their day, so no hour holds 10 builds of a group: only daily rows.
Completion: 100 builds started a day over 8 days, 70 succeeded, except day 8 (a Wednesday, like
day 1): 30.
"""

from __future__ import annotations

import math
from datetime import timedelta
from pathlib import Path

import pytest

from bloqr_dagster import settings
from bloqr_dagster.warehouse import lake
from bloqr_dagster.warehouse.build import build_warehouse
from bloqr_dagster.warehouse.query import run_query

from .conftest import error, stats, utc

A, B, C = "npm error Missing: <PACKAGE>@<VERSION> from lock file", '✘ [ERROR] Could not resolve "<MODULE>"', \
    "✘ [ERROR] Build image <VERSION> lost its TLS roots"
CODES = {A: "lockfile_out_of_sync", B: "module_not_found", C: "build_command_failed"}


def _llr_z(k: int, n: int, p0: float) -> float:
    expected = n * p0
    llr = k * math.log(k / expected) + ((n - k) * math.log((n - k) / (n - expected)) if n > k else 0.0)
    return math.sqrt(2 * llr)


@pytest.fixture
def paths(tmp_path: Path) -> settings.Paths:
    paths = settings.paths(tmp_path)
    rows, build_id = [], 0
    days = [{A: 2, B: 18}] * 3 + [{A: 14, B: 8, C: 12}]
    for day, mix in enumerate(days):
        hour = 0
        for group, count in mix.items():
            for _ in range(count):
                build_id += 1
                created = utc("2024-05-01") + timedelta(days=day, hours=hour % 24, minutes=hour // 24)
                rows.append(error(build_id, created, 5, CODES[group], group, "npm", group, True))
                hour += 1
    lake.write_file(paths.lake, "build_errors", "000000000000-000000009999", rows)
    lake.write_file(paths.lake, "build_stats", "000000000000-000000009999", [
        stats(f"2024-05-0{d}", 100, 100, 100, 100, 30 if d == 8 else 70, 70 if d == 8 else 30, 0)
        for d in range(1, 9)])
    build_warehouse(paths)
    return paths


def test_spike_and_new_group_scores(paths: settings.Paths) -> None:
    rows = {(r["level"], r["error_code"], r["kind"]): r for r in run_query(paths, (
        "SELECT * FROM error_group_anomalies")).records()}
    assert {r["window_kind"] for r in rows.values()} == {"day"}
    assert all(r["window_start"] == utc("2024-05-04") for r in rows.values())
    spike = rows[("group", "lockfile_out_of_sync", "spike")]
    p0 = (6 + 0.5) / (60 + 1)
    assert spike["builds"] == 14 and spike["window_failed_builds"] == 34
    assert spike["baseline_builds"] == 6 and spike["baseline_failed_builds"] == 60
    assert spike["baseline"] == round(34 * p0, 2) and spike["score"] == round(_llr_z(14, 34, p0), 2)
    new = rows[("group", "build_command_failed", "new")]
    assert new["baseline_builds"] == 0 and new["score"] == round(_llr_z(12, 34, 0.5 / 61), 2)
    assert new["first_seen"] == utc("2024-05-04 00:01") and new["example"] == C  # its builds: hours 22, 23, 0:01, ...
    assert ("category", "build_command_failed", "new") in rows  # the category is new too
    assert not any(code == "module_not_found" for _, code, _ in rows)  # its share fell
    assert all(r["is_current"] for r in rows.values())  # the newest day


def test_completion_drop_against_the_same_weekday(paths: settings.Paths) -> None:
    [row] = run_query(paths, "SELECT * FROM completion_rate_anomalies").records()
    assert row["window_start"] == utc("2024-05-08") and row["baseline_days"] == 1  # 2024-05-01
    assert row["completion_rate"] == 0.3 and row["baseline_rate"] == 0.7
    assert row["score"] == round(math.sqrt(2 * (30 * math.log(30 / 70) + 70 * math.log(70 / 30))), 2)
    assert row["is_current"]


def test_thresholds_silence_it(paths: settings.Paths) -> None:
    from bloqr_dagster.radar.anomalies import write_settings

    write_settings(paths.lake, {"day.min_score": 50.0})
    build_warehouse(paths)
    assert run_query(paths, "SELECT count(*) FROM error_group_anomalies").rows == [(0,)]
    assert run_query(paths, "SELECT count(*) FROM completion_rate_anomalies").rows == [(0,)]
