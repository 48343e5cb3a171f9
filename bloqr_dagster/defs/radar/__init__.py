"""Regression radar in Dagster: the settings asset, a check per anomaly model, the alert sensor, and
the radar resource (resources.py); the defs folder loader finds them in those modules.

The anomaly models themselves are warehouse models (dbt_like_sql/), built by defs/warehouse.
"""
