"""warehouse_job: rebuild every model on demand (`dg launch --job warehouse_job`, `bloqr demo`)."""

import dagster as dg

from bloqr_dagster.defs.warehouse.assets import GROUP

warehouse_job = dg.define_asset_job(
    "warehouse_job",
    selection=dg.AssetSelection.groups(GROUP),
    description="Rebuild every warehouse model from the lake, run the model tests, publish the file.",
)
