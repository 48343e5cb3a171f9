"""Regression radar (no Dagster): read the anomaly models, send one alert per new anomaly, and
answer questions about failed builds for the MCP server. The detection itself is SQL, in
dbt_like_sql/error_group_anomalies.sql and completion_rate_anomalies.sql.
"""
