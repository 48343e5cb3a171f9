"""Jobs over the build-error assets."""

from __future__ import annotations

import dagster as dg

from bloqr_dagster.defs.build_errors.assets import CATEGORIZED_BUILD_ERRORS, FAILED_BUILDS

RANGE_TAG = "bloqr/range"  # dagster.yaml limits runs to one per value of this tag

# Both assets (and their checks) for one range or a range of ranges. In-process: the two steps
# run one after the other anyway, and a subprocess per step would cost seconds per run.
build_errors_job = dg.define_asset_job(
    name="build_errors_job",
    selection=dg.AssetSelection.assets(FAILED_BUILDS, CATEGORIZED_BUILD_ERRORS),
    executor_def=dg.in_process_executor,
    description="Scan build-ID ranges: failed builds, build stats and categorised build errors.",
)
