"""Radar settings: overrides are checked before they reach the lake, and the models use them."""

from __future__ import annotations

from pathlib import Path

import pytest

from bloqr_dagster import settings
from bloqr_dagster.errors import BloqrError
from bloqr_dagster.radar.anomalies import parse_settings, write_settings
from bloqr_dagster.warehouse.build import build_warehouse
from bloqr_dagster.warehouse.query import run_query


def test_parse_settings_reads_window_setting_pairs() -> None:
    assert parse_settings(" day.min_score=4.5, hour.min_builds_new=20 ,") == {
        "day.min_score": 4.5, "hour.min_builds_new": 20.0}
    assert parse_settings("") == {}


@pytest.mark.parametrize(("text", "message"), [
    ("day.min_score", "BLOQR_RADAR_SETTINGS: expected WINDOW.SETTING=VALUE, got 'day.min_score'"),
    ("week.min_score=3", "radar setting 'week.min_score': expected WINDOW.SETTING"),
    ("day.min_scor=3", "radar setting 'day.min_scor': expected WINDOW.SETTING"),
    ("day.min_score=high", "radar setting 'day.min_score': not a number: 'high'"),
    ("day.min_score=-1", "radar setting 'day.min_score': must be a finite number >= 0"),
    ("day.min_score=nan", "radar setting 'day.min_score': must be a finite number >= 0"),
])
def test_bad_settings_fail_with_one_line(text: str, message: str) -> None:
    with pytest.raises(BloqrError, match="^" + message.replace("(", r"\(").replace(".", r"\.")):
        parse_settings(text)


def test_bad_overrides_write_nothing(tmp_path: Path) -> None:
    with pytest.raises(BloqrError):
        write_settings(tmp_path, {"day.min_score": 4.0, "day.unknown": 1.0})
    assert not (tmp_path / "radar_settings").exists()


def test_overrides_replace_the_defaults_of_one_window(tmp_path: Path) -> None:
    paths = settings.paths(tmp_path)
    build_warehouse(paths)
    defaults = dict(run_query(paths, "SELECT window_kind, min_score FROM radar_settings").rows)
    assert write_settings(paths.lake, {"day.min_score": 9.5}) == 1
    build_warehouse(paths)
    now = dict(run_query(paths, "SELECT window_kind, min_score FROM radar_settings").rows)
    assert now == {"day": 9.5, "hour": defaults["hour"]} and defaults["day"] != 9.5
    write_settings(paths.lake, {})  # back to the defaults
    build_warehouse(paths)
    assert dict(run_query(paths, "SELECT window_kind, min_score FROM radar_settings").rows) == defaults
