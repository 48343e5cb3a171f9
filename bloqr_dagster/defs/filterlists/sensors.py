"""The partitions follow the registry (state.sqlite), where sources and configurations are added."""

import dagster as dg

from bloqr_dagster.defs.filterlists.partitions import partition_requests
from bloqr_dagster.defs.filterlists.resources import FilterListsResource


@dg.sensor(name="filter_partitions_sensor", minimum_interval_seconds=60,
           default_status=dg.DefaultSensorStatus.RUNNING,
           description="Adds a raw_filter_lists / compiled_filter_lists partition for every registered source "
                       "and configuration (the defaults on first run), and removes unregistered ones.")
def filter_partitions_sensor(context: dg.SensorEvaluationContext, filterlists: FilterListsResource):
    requests = partition_requests(context.instance, filterlists.registry())
    if not requests:
        return dg.SkipReason("partitions match the registry")
    return dg.SensorResult(dynamic_partitions_requests=requests)
