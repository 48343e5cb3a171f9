"""radar_settings: the resource's threshold overrides as a lake table the anomaly models read.

It sits in the warehouse group, so every warehouse build writes the current overrides first and
the models never run on stale thresholds.
"""


import dagster as dg

from bloqr_dagster.defs.radar.resources import RadarResource
from bloqr_dagster.defs.warehouse.assets import GROUP
from bloqr_dagster.radar.anomalies import write_settings
from bloqr_dagster.warehouse import lake

RADAR_SETTINGS = dg.AssetKey(lake.TABLES["radar_settings"].producer.split("/"))


@dg.asset(key=RADAR_SETTINGS, group_name=GROUP, kinds={"python", "parquet"},
          description="The regression radar's threshold overrides (resource `radar`, field `overrides`) "
                      "as lake table radar_settings; defaults are in dbt_like_sql/radar_settings.sql.")
def radar_settings(context: dg.AssetExecutionContext, radar: RadarResource) -> dg.MaterializeResult:
    written = write_settings(radar.paths.lake, radar.overrides)
    context.log.info(f"{written} radar setting override(s) written")
    return dg.MaterializeResult(metadata={"overrides": dg.MetadataValue.json(dict(radar.overrides)),
                                          "dagster/row_count": written})
