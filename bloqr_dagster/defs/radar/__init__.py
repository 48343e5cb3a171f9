"""Regression radar in Dagster: the settings asset, a check per anomaly model, the alert sensor.

The anomaly models themselves are warehouse models (dbt_like_sql/), built by defs/warehouse.
Exposes `defs`, merged into the code location by bloqr_dagster/definitions.py.
"""

import dagster as dg

from bloqr_dagster.defs.radar.assets import radar_settings
from bloqr_dagster.defs.radar.checks import radar_checks
from bloqr_dagster.defs.radar.resources import RESOURCE_KEY, radar_resource
from bloqr_dagster.defs.radar.sensors import radar_alert_sensor


def build_defs() -> dg.Definitions:
    return dg.Definitions(assets=[radar_settings], asset_checks=radar_checks, sensors=[radar_alert_sensor],
                          resources={RESOURCE_KEY: radar_resource()})


defs = build_defs()
