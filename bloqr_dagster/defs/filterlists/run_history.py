"""Workflow metrics from Dagster's own records: which filter-list runs ran, how long each step took,
what failed. Nothing is recorded a second time: runs come from the instance's run records, steps
and counters from each run's event records (step events, and the metadata the steps reported).

export_runs writes them to the lake tables workflow_runs and workflow_steps, one Parquet file per
UTC day of run creation, each replaced atomically (warehouse/lake.py).
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import dagster as dg

from bloqr_dagster.warehouse import lake

COMPILED = dg.AssetKey(["filterlists", "compiled_filter_lists"])
HEALTH = dg.AssetKey(["filterlists", "source_health"])
RAW = dg.AssetKey(["filterlists", "raw_filter_lists"])
JOB_ASSETS = {"compile_job": {COMPILED}, "health_monitoring_job": {HEALTH}}  # runs of a whole asset job
WARMING_SCHEDULE = "cache_warming_schedule"
ISOLATED_JOB = "isolated_compile_job"
FINISHED = [dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED]
EVENTS = {dg.DagsterEventType.STEP_START, dg.DagsterEventType.STEP_RESTARTED, dg.DagsterEventType.STEP_SUCCESS,
          dg.DagsterEventType.STEP_FAILURE, dg.DagsterEventType.STEP_UP_FOR_RETRY,
          dg.DagsterEventType.ASSET_MATERIALIZATION, dg.DagsterEventType.RUN_FAILURE}
COUNTERS = ("configurations", "configurations_warmed", "cache_hits", "sources_checked", "sources_healthy",
            "alerts", "retries")


def workflow_of(run: dg.DagsterRun) -> str | None:
    """The filter-list workflow a run belongs to (None: not a filter-list workflow)."""
    if run.job_name == ISOLATED_JOB:
        return "isolated_compile"
    assets = set(run.asset_selection or JOB_ASSETS.get(run.job_name, ()))
    if HEALTH in assets:
        return "health_monitoring"
    if COMPILED in assets:
        if run.tags.get("dagster/schedule_name") == WARMING_SCHEDULE:
            return "cache_warming"
        return "batch_compile" if "dagster/backfill" in run.tags else "compile"
    return "fetch_sources" if RAW in assets else None


def trigger_of(tags: dict[str, str]) -> str:
    for tag, trigger in (("dagster/schedule_name", "schedule"), ("dagster/backfill", "backfill"),
                         ("dagster/sensor_name", "sensor")):
        if tag in tags:
            return trigger
    return "manual"


def run_rows(instance: dg.DagsterInstance, record: dg.RunRecord, workflow: str) -> tuple[dict, list[dict]]:
    """The workflow_runs row of a finished run and the workflow_steps rows of its steps."""
    run = record.dagster_run
    counts: Counter[str] = Counter(dict.fromkeys(COUNTERS, 0))
    steps: dict[str, dict[str, Any]] = {}
    run_error = None
    for event_record in instance.get_records_for_run(run.run_id, of_type=EVENTS).records:
        entry = event_record.event_log_entry
        event = entry.dagster_event
        when = datetime.fromtimestamp(entry.timestamp, UTC)
        if event.event_type == dg.DagsterEventType.ASSET_MATERIALIZATION:
            _count(counts, event.asset_key, event.materialization.metadata, workflow)
            continue
        if event.event_type == dg.DagsterEventType.RUN_FAILURE:
            run_error = run_error or event.message
            continue
        step = steps.setdefault(event.step_key, {
            "run_id": run.run_id, "workflow": workflow, "step_key": event.step_key, "status": "STARTED",
            "started_at": when, "finished_at": None, "duration_s": None, "attempts": 0, "error": None})
        if event.event_type in (dg.DagsterEventType.STEP_START, dg.DagsterEventType.STEP_RESTARTED):
            step["attempts"] += 1
        elif event.event_type == dg.DagsterEventType.STEP_UP_FOR_RETRY:
            counts["retries"] += 1
        else:
            failed = event.event_type == dg.DagsterEventType.STEP_FAILURE
            step.update(status="FAILURE" if failed else "SUCCESS", finished_at=when,
                        duration_s=(when - step["started_at"]).total_seconds())
            if failed:
                step["error"] = _failure_text(event)
    if workflow == "isolated_compile":  # an op job: no materialization to count
        counts["configurations"] = int(steps.get("cache_isolated", {}).get("status") == "SUCCESS")
    step_error = next((f"{s['step_key']}: {s['error']}" for s in steps.values() if s["error"]), None)
    created = record.create_timestamp.astimezone(UTC)
    started = datetime.fromtimestamp(record.start_time, UTC) if record.start_time else created
    finished = datetime.fromtimestamp(record.end_time, UTC) if record.end_time else started
    row = {"run_id": run.run_id, "workflow": workflow, "trigger": trigger_of(dict(run.tags)),
           "partition": run.tags.get("dagster/partition"), "status": run.status.value,
           "started_at": started, "finished_at": finished, "duration_s": (finished - started).total_seconds(),
           "succeeded": run.status == dg.DagsterRunStatus.SUCCESS, "steps": len(steps), **counts,
           "error": None if run.status == dg.DagsterRunStatus.SUCCESS else (step_error or run_error)}
    return row, list(steps.values())


def _count(counts: Counter[str], key: dg.AssetKey | None, metadata: dict[str, Any], workflow: str) -> None:
    def value(name: str) -> Any:
        return metadata[name].value if name in metadata else 0

    if key == COMPILED:
        counts["configurations"] += 1
        counts["cache_hits"] += bool(value("cache_hit"))
        counts["configurations_warmed"] += workflow == "cache_warming" and not value("cache_hit")
    elif key == HEALTH:
        counts["sources_checked"] += value("checked")
        counts["sources_healthy"] += value("checked_healthy")
        counts["alerts"] += value("alerts_sent")


def _failure_text(event: dg.DagsterEvent) -> str:
    data = event.step_failure_data
    described = data.user_failure_data.description if data.user_failure_data else None
    message = described or (data.error.message if data.error else "") or "failed"
    return message.strip().splitlines()[0][:2000]


def export_runs(instance: dg.DagsterInstance, lake_dir: Path, since: float | None = None) -> dict[str, int]:
    """Rewrite the day files of every day with a filter-list run that finished after `since` (a
    timestamp; None: every day). Returns the rows written and the days rewritten."""
    changed = instance.get_run_records(filters=dg.RunsFilter(
        statuses=FINISHED, updated_after=datetime.fromtimestamp(since, UTC) if since else None))
    days = sorted({r.create_timestamp.astimezone(UTC).date() for r in changed if workflow_of(r.dagster_run)})
    totals = {"runs": 0, "steps": 0, "days": len(days)}
    for day in days:
        runs, steps = _day_rows(instance, day)
        for table, rows in (("workflow_runs", runs), ("workflow_steps", steps)):
            lake.write_file(lake_dir, table, day.isoformat(), rows)
        totals["runs"] += len(runs)
        totals["steps"] += len(steps)
    return totals


def _day_rows(instance: dg.DagsterInstance, day: date) -> tuple[list[dict], list[dict]]:
    start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    records = instance.get_run_records(filters=dg.RunsFilter(
        statuses=FINISHED, created_after=start, created_before=start + timedelta(days=1)))
    runs, steps = [], []
    for record in sorted(records, key=lambda r: r.create_timestamp):
        workflow = workflow_of(record.dagster_run)
        if workflow:
            run, run_steps = run_rows(instance, record, workflow)
            runs.append(run)
            steps += run_steps
    return runs, steps
