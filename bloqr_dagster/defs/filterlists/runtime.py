"""What every filter-list op shares: retry policies, time budgets, structured event logging, and
the per-run metrics row (also written for failed runs, by a failure hook and a run failure sensor)."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

import dagster as dg

from bloqr_dagster.defs.filterlists.resources import RESOURCE_KEY, FilterListsResource
from bloqr_dagster.filterlists.workflow_runs import WorkflowRun, record_run

T = TypeVar("T")
DELAY_SCALE_ENV = "BLOQR_RETRY_DELAY_SCALE"
WORKFLOW_METRICS_KEY = dg.AssetKey(["filterlists", "workflow_metrics"])
SOURCE_HEALTH_KEY = dg.AssetKey(["filterlists", "source_health"])
COMPILED_KEY = dg.AssetKey(["filterlists", "compiled_filter_lists"])
HEALTH_CHECK_NAME = "sources_healthy"

# Job name -> workflow name in the workflow_runs table.
WORKFLOW_OF_JOB = {
    "compile_job": "compile",
    "batch_compile_job": "batch_compile",
    "cache_warming_job": "cache_warming",
    "health_monitoring_job": "health_monitoring",
    "isolated_compile_job": "isolated_compile",
}


def delay_scale() -> float:
    """BLOQR_RETRY_DELAY_SCALE multiplies every retry delay (tests use ~0: no 30 s waits)."""
    raw = os.environ.get(DELAY_SCALE_ENV, "1")
    try:
        scale = float(raw)
    except ValueError:
        raise ValueError(f"{DELAY_SCALE_ENV}: not a number: {raw!r}") from None
    if scale < 0:
        raise ValueError(f"{DELAY_SCALE_ENV}: must not be negative, got {raw!r}")
    return scale


def compile_retry(scale: float) -> dg.RetryPolicy:
    """Compile steps: 2 retries, exponential backoff from 30 s, with jitter."""
    return dg.RetryPolicy(max_retries=2, delay=30 * scale, backoff=dg.Backoff.EXPONENTIAL,
                          jitter=dg.Jitter.PLUS_MINUS)


def cache_retry(scale: float) -> dg.RetryPolicy:
    return dg.RetryPolicy(max_retries=2, delay=5 * scale, backoff=dg.Backoff.EXPONENTIAL)


def health_retry(scale: float) -> dg.RetryPolicy:
    return dg.RetryPolicy(max_retries=2, delay=10 * scale, backoff=dg.Backoff.EXPONENTIAL)


def within(seconds: float, what: str, work: Callable[[], T]) -> T:
    """Run `work` with a time budget; a step over budget fails (and may be retried) instead of
    hanging. The worker thread is a daemon, so an abandoned compile cannot keep the process alive."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = work()
        except BaseException as exc:  # handed to the calling thread
            box["error"] = exc

    thread = threading.Thread(target=target, name=f"bloqr-{what}", daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        raise dg.Failure(description=f"{what}: exceeded its time budget of {seconds:g} s")
    if "error" in box:
        raise box["error"]
    return box["value"]


def event_logger(context: dg.OpExecutionContext | dg.AssetExecutionContext,
                 **extra: object) -> Callable[[str, dict[str, Any]], None]:
    """An EventCallback writing one structured line per event to the run log:
    `event=<kind> key=value ...` (stable prefix, so logs can be grepped or parsed)."""

    def log(kind: str, fields: dict[str, Any]) -> None:
        parts = [f"event={kind}"]
        for key, value in {**extra, **fields}.items():
            if value is None:
                continue
            if isinstance(value, float):
                value = f"{value:.3f}"
            text = str(value)
            parts.append(f"{key}={text!r}" if (" " in text or not text) else f"{key}={text}")
        context.log.info(" ".join(parts))

    return log


def trigger_of(tags: dict[str, str]) -> str:
    if "dagster/schedule_name" in tags:
        return "schedule"
    if "dagster/backfill" in tags:
        return "backfill"
    if "dagster/sensor_name" in tags:
        return "sensor"
    return "manual"


def run_started_at(instance: dg.DagsterInstance, run_id: str) -> datetime:
    record = instance.get_run_record_by_id(run_id)
    if record is not None and record.start_time:
        return datetime.fromtimestamp(record.start_time, UTC)
    return datetime.now(UTC)


def record_workflow_run(context: dg.OpExecutionContext, fl: FilterListsResource, *, succeeded: bool = True,
                        error: str | None = None, **counts: int) -> WorkflowRun:
    """Store this run's metrics row (state db + lake) and report a workflow_metrics materialization."""
    run = WorkflowRun(
        run_id=context.run_id, workflow=WORKFLOW_OF_JOB.get(context.job_name, context.job_name),
        trigger=trigger_of(context.run.tags), started_at=run_started_at(context.instance, context.run_id),
        finished_at=datetime.now(UTC), succeeded=succeeded, error=error, **counts)
    record_run(fl.state_db, run, fl.lake)
    context.log_event(dg.AssetMaterialization(
        asset_key=WORKFLOW_METRICS_KEY, description=f"{run.workflow} run recorded",
        metadata={"workflow": run.workflow, "trigger": run.trigger, "duration_s": round(run.duration_s, 3),
                  **{k: v for k, v in counts.items()}}))
    return run


@dg.failure_hook(required_resource_keys={RESOURCE_KEY})
def record_failed_run(context: dg.HookContext) -> None:
    """A step failed for good (retries exhausted): count the run as failed in workflow_runs."""
    fl: FilterListsResource = getattr(context.resources, RESOURCE_KEY)
    run = context.instance.get_run_by_id(context.run_id)
    tags = dict(run.tags) if run else {}
    error = f"{context.op.name}: {context.op_exception}" if context.op_exception else f"{context.op.name} failed"
    record_run(fl.state_db, WorkflowRun(
        run_id=context.run_id, workflow=WORKFLOW_OF_JOB.get(context.job_name, context.job_name),
        trigger=trigger_of(tags), started_at=run_started_at(context.instance, context.run_id),
        finished_at=datetime.now(UTC), succeeded=False, error=error[:2000]), fl.lake)


def elapsed(started: float) -> float:
    return round(time.monotonic() - started, 3)
