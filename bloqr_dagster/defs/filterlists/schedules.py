"""Cache warming every 6 hours and health monitoring every hour, the cron strings of the old system."""

from datetime import UTC, datetime

import dagster as dg

from bloqr_dagster.defs.filterlists.jobs import compile_job, health_monitoring_job
from bloqr_dagster.defs.filterlists.partitions import CONFIG_PARTITIONS
from bloqr_dagster.defs.filterlists.resources import FilterListsResource
from bloqr_dagster.defs.filterlists.run_history import WARMING_SCHEDULE

WARMING_CRON = "0 */6 * * *"
HEALTH_CRON = "0 * * * *"


@dg.schedule(name=WARMING_SCHEDULE, cron_schedule=WARMING_CRON, job=compile_job, execution_timezone="UTC",
             default_status=dg.DefaultScheduleStatus.RUNNING,
             description="Compile the popular configurations (the resource's warm_configurations: EasyList, "
                         "EasyPrivacy, AdGuard Base) every 6 hours, one run per partition. Unchanged sources "
                         "answer 304 and the cached list is kept.")
def cache_warming_schedule(context: dg.ScheduleEvaluationContext, filterlists: FilterListsResource):
    registered = set(context.instance.get_dynamic_partitions(CONFIG_PARTITIONS.name or ""))
    wanted = [name for name in filterlists.warm_configurations if name in registered]
    if not wanted:
        return dg.SkipReason(f"none of {', '.join(filterlists.warm_configurations)} is a registered configuration")
    tick = (context.scheduled_execution_time or datetime.now(UTC)).isoformat()
    return [dg.RunRequest(run_key=f"{tick}:{name}", partition_key=name) for name in wanted]


health_monitoring_schedule = dg.ScheduleDefinition(
    name="health_monitoring_schedule", cron_schedule=HEALTH_CRON, job=health_monitoring_job,
    execution_timezone="UTC", default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Check every registered source every hour.")
