"""Sensors: keep the dynamic partitions in step with the registry, and count failed runs."""

from datetime import UTC, datetime

import dagster as dg

from bloqr_dagster.defs.filterlists.partitions import partition_requests
from bloqr_dagster.defs.filterlists.resources import FilterListsResource
from bloqr_dagster.defs.filterlists.runtime import WORKFLOW_OF_JOB, run_started_at, trigger_of
from bloqr_dagster.filterlists.workflow_runs import WorkflowRun, record_run


@dg.sensor(name="filter_partitions_sensor", minimum_interval_seconds=60,
           default_status=dg.DefaultSensorStatus.RUNNING,
           description="Adds a raw_filter_lists / compiled_filter_lists partition for every registered source "
                       "and configuration (the defaults on first run), and removes unregistered ones.")
def filter_partitions_sensor(context: dg.SensorEvaluationContext, filterlists: FilterListsResource):
    requests = partition_requests(context.instance, filterlists.registry())
    if not requests:
        return dg.SkipReason("partitions match the registry")
    return dg.SensorResult(dynamic_partitions_requests=requests)


def build_failure_sensor(jobs: list[dg.JobDefinition]) -> dg.SensorDefinition:
    monitored = [j for j in jobs if j.name in WORKFLOW_OF_JOB]

    @dg.run_failure_sensor(name="filterlists_run_failure_sensor", monitored_jobs=monitored,
                           default_status=dg.DefaultSensorStatus.RUNNING,
                           description="Counts every failed filter-list workflow run in workflow_runs, also "
                                       "runs that died without a failing step (e.g. over dagster/max_runtime).")
    def filterlists_run_failure_sensor(context: dg.RunFailureSensorContext,
                                       filterlists: FilterListsResource) -> None:
        run = context.dagster_run
        message = context.failure_event.message if context.failure_event else "run failed"
        record_run(filterlists.state_db, WorkflowRun(
            run_id=run.run_id, workflow=WORKFLOW_OF_JOB.get(run.job_name, run.job_name),
            trigger=trigger_of(dict(run.tags)), started_at=run_started_at(context.instance, run.run_id),
            finished_at=datetime.now(UTC), succeeded=False, error=(message or "run failed")[:2000]),
            filterlists.lake, overwrite=False)  # a failure hook may have recorded a more precise error

    return filterlists_run_failure_sensor
