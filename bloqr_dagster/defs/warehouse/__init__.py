"""Dagster wiring of the DuckDB warehouse: the SQL models of dbt_like_sql/ as assets and checks that
update through automation conditions (assets.py), and warehouse_job to rebuild them all (jobs.py).
"""
