"""The data lake (Parquet files the assets write) and the DuckDB warehouse built from it.

No Dagster imports here; bloqr_dagster/defs/warehouse wires the SQL models in as assets.
"""
