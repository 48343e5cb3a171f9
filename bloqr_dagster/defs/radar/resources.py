"""The regression radar's one resource: where the warehouse is, the alert channel, the thresholds."""

from __future__ import annotations

import os

import dagster as dg

from bloqr_dagster.defs.resources import BloqrHome, bloqr_home, env_or_empty
from bloqr_dagster.errors import BloqrError
from bloqr_dagster.radar.anomalies import parse_settings
from bloqr_dagster.settings import Paths

RESOURCE_KEY = "radar"
SEVERITIES = ("WARN", "ERROR")


class RadarResource(dg.ConfigurableResource):
    """Settings of the regression radar; change them in the launchpad or here.

    `overrides` maps `WINDOW.SETTING` (e.g. `day.min_score`) to a value (default: from
    BLOQR_RADAR_SETTINGS, `day.min_score=4.5,hour.min_builds_new=20`); radar_settings writes them
    to the lake on every warehouse build, and dbt_like_sql/radar_settings.sql has the defaults.
    """

    home: BloqrHome
    alert_webhook: str = ""  # BLOQR_ALERT_WEBHOOK: the channel source health alerts use too
    ui_url: str = ""  # BLOQR_UI_URL, e.g. http://127.0.0.1:3000: alerts then link to the anomaly model
    overrides: dict[str, float] = {}
    spike_severity: str = "WARN"  # severity of a failed error_group_anomalies check
    completion_severity: str = "ERROR"  # severity of a failed completion_rate_anomalies check

    @property
    def paths(self) -> Paths:
        return self.home.paths

    def severity(self, which: str) -> dg.AssetCheckSeverity:
        value = self.spike_severity if which == "spike" else self.completion_severity
        if value.upper() not in SEVERITIES:
            raise BloqrError(f"radar resource: {which}_severity must be WARN or ERROR, got {value!r}")
        return dg.AssetCheckSeverity[value.upper()]


def radar_resource() -> RadarResource:
    return RadarResource(home=bloqr_home(), alert_webhook=env_or_empty("BLOQR_ALERT_WEBHOOK"),
                         ui_url=env_or_empty("BLOQR_UI_URL"),
                         overrides=parse_settings(os.environ.get("BLOQR_RADAR_SETTINGS", "")))
