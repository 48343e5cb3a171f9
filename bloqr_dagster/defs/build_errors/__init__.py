"""Build-failure analytics in Dagster: build-ID range partitions, the build-error assets, their
checks, the sensors that keep them current, and the job that scans ranges.

Exposes `defs`, merged into the code location by bloqr_dagster/definitions.py.
"""

import dagster as dg

from bloqr_dagster.defs.build_errors.assets import categorized_build_errors, failed_builds
from bloqr_dagster.defs.build_errors.checks import build_error_checks
from bloqr_dagster.defs.build_errors.jobs import build_errors_job
from bloqr_dagster.defs.build_errors.resources import RESOURCE_KEY, build_store
from bloqr_dagster.defs.build_errors.sensors import (
    build_range_sensor,
    new_failures_sensor,
    warehouse_after_build_errors_sensor,
)


def build_defs() -> dg.Definitions:
    """The domain's definitions, with the build store resolved from the environment now."""
    return dg.Definitions(
        assets=[failed_builds, categorized_build_errors],
        asset_checks=build_error_checks,
        jobs=[build_errors_job],
        sensors=[build_range_sensor, new_failures_sensor, warehouse_after_build_errors_sensor],
        resources={RESOURCE_KEY: build_store()},
    )


defs = build_defs()
