"""Filter-list workflows in Dagster: assets, the five workflow jobs, schedules, sensors, checks.

Exposes `defs`, merged into the code location by bloqr_dagster/definitions.py. `build_defs` lets
tests shrink retry delays (BLOQR_RETRY_DELAY_SCALE does the same for a deployment) and point the
resource at a temporary BLOQR_HOME.
"""

from __future__ import annotations

import dagster as dg

from bloqr_dagster.defs.filterlists.assets import build_assets
from bloqr_dagster.defs.filterlists.checks import cache_objects_intact
from bloqr_dagster.defs.filterlists.jobs import build_jobs
from bloqr_dagster.defs.filterlists.resources import RESOURCE_KEY, FilterListsResource, filterlists_resource
from bloqr_dagster.defs.filterlists.runtime import delay_scale
from bloqr_dagster.defs.filterlists.schedules import build_schedules
from bloqr_dagster.defs.filterlists.sensors import build_failure_sensor, filter_partitions_sensor


def build_defs(resource: FilterListsResource | None = None,
               retry_delay_scale: float | None = None) -> dg.Definitions:
    if retry_delay_scale is None:
        retry_delay_scale = resource.delay_scale() if resource else delay_scale()
    scale = retry_delay_scale
    jobs = build_jobs(scale)
    return dg.Definitions(
        assets=build_assets(scale),
        asset_checks=[cache_objects_intact],
        jobs=jobs,
        schedules=build_schedules({j.name: j for j in jobs}),
        sensors=[filter_partitions_sensor, build_failure_sensor(jobs)],
        resources={RESOURCE_KEY: resource or filterlists_resource()},
    )


defs = build_defs()
