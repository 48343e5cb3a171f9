"""Dagster wiring of the DuckDB warehouse: the SQL models of dbt_like_sql/ as assets and checks."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from bloqr_dagster.defs.resources import bloqr_home
from bloqr_dagster.defs.warehouse.assets import GROUP, warehouse_assets


def build_defs(sql_dir: Path | None = None) -> dg.Definitions:
    """The warehouse assets for the models in `sql_dir` (default: BLOQR_SQL_DIR or dbt_like_sql/)."""
    warehouse_job = dg.define_asset_job(
        "warehouse_job",
        selection=dg.AssetSelection.groups(GROUP),
        description="Rebuild every warehouse model from the lake, run the model tests, publish the file.",
    )
    return dg.Definitions(
        assets=[warehouse_assets(sql_dir)], jobs=[warehouse_job], resources={"bloqr": bloqr_home()}
    )


defs = build_defs()
