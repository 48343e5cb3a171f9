"""Ops of the health monitoring job: load history -> check sources -> analyse -> send alerts -> store.

Results travel between steps as JSON dicts (HealthResult.to_json) so any IO manager can store them.
The shared helpers are also used by the source_health asset.
"""

from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from typing import Any

import dagster as dg
from pydantic import Field

from bloqr_dagster.defs.filterlists.resources import FilterListsResource
from bloqr_dagster.defs.filterlists.runtime import (
    HEALTH_CHECK_NAME,
    SOURCE_HEALTH_KEY,
    event_logger,
    record_workflow_run,
)
from bloqr_dagster.filterlists import health
from bloqr_dagster.filterlists.defaults import SourceSpec
from bloqr_dagster.filterlists.health import HealthResult


class HealthRunConfig(dg.Config):
    sources: list[str] = Field(default_factory=list,
                               description="registered source keys to check (default: every source)")


def plan_checks(fl: FilterListsResource, keys: list[str]) -> dict[str, Any]:
    registry = fl.registry()
    sources = registry.sources()
    known = {s.key for s in sources}
    if unknown := [k for k in keys if k not in known]:
        raise dg.Failure(description=f"sources: unknown {', '.join(map(repr, unknown))} "
                                     f"(registered: {', '.join(sorted(known))})", allow_retries=False)
    chosen = [s for s in sources if not keys or s.key in keys]
    previous = fl.history().latest_by_source()
    return {"sources": [asdict(s) for s in chosen],
            "previous": {k: v.to_json() for k, v in previous.items() if k in {s.key for s in chosen}}}


def run_checks(context: dg.OpExecutionContext | dg.AssetExecutionContext, fl: FilterListsResource,
               sources: list[dict[str, Any]]) -> list[HealthResult]:
    log = event_logger(context)
    specs = [SourceSpec(**s) for s in sources]
    if not specs:
        return []
    with fl.fetcher(read_timeout=fl.health_timeout) as http:  # one connection pool for every check

        def check(spec: SourceSpec) -> HealthResult:
            log("health_check_started", {"source": spec.key, "url": spec.url})
            result = health.check_source(spec, http, slow_after=fl.slow_after_seconds, base_dir=fl.sources_dir)
            log("health_check_completed", {"source": spec.key, "healthy": result.healthy,
                                           "status": result.status_code, "latency_ms": result.latency_ms,
                                           "rule_count": result.rule_count, "error": result.error})
            return result

        with ThreadPoolExecutor(max_workers=min(4, len(specs)), thread_name_prefix="bloqr-health") as pool:
            return list(pool.map(check, specs))  # each request is bounded by the fetcher's timeouts


def notify(context: dg.OpExecutionContext | dg.AssetExecutionContext, fl: FilterListsResource,
           analysed: list[HealthResult]) -> int:
    """POST alerts/recoveries to the webhook (when configured). Returns how many alerts were sent."""
    alerts = [r for r in analysed if r.alert]
    recoveries = [r for r in analysed if r.recovered]
    for r in alerts:
        context.log.error(f"event=health_alert source={r.source} consecutive_failures={r.consecutive_failures} "
                          f"error={r.error!r}")
    if not alerts and not recoveries:
        return 0
    url = fl.webhook_url()
    if not url:
        context.log.warning("event=alert_not_sent reason='no webhook configured (BLOQR_ALERT_WEBHOOK)'")
        return 0
    health.send_webhook(url, health.alert_payload(alerts, recoveries))
    context.log.info(f"event=alert_sent alerts={len(alerts)} recoveries={len(recoveries)}")
    return len(alerts)


def check_evaluation(fl: FilterListsResource, analysed: list[HealthResult]) -> dict[str, Any]:
    """Fields of the `sources_healthy` asset check: fails while any source is in an alert streak."""
    failing = [r for r in analysed if r.consecutive_failures >= fl.alert_threshold]
    return {
        "passed": not failing,
        "severity": dg.AssetCheckSeverity.ERROR,
        "description": ("failing: " + ", ".join(f"{r.source} ({r.consecutive_failures}x: {r.error})"
                                                 for r in failing)) if failing else "no source in an alert streak",
        "metadata": {"checked": len(analysed), "healthy": sum(r.healthy for r in analysed),
                     "alerting": [r.source for r in failing]},
    }


def health_table(analysed: list[HealthResult]) -> dg.MetadataValue:
    rows = [f"| {r.source} | {'ok' if r.healthy else 'UNHEALTHY'} | {r.status_code or ''} | {r.latency_ms or ''} | "
            f"{r.rule_count if r.rule_count is not None else ''} | {r.consecutive_failures} | "
            f"{str(r.error or '').replace('|', '/')} |" for r in analysed]
    return dg.MetadataValue.md("| source | health | status | ms | rules | failures in a row | error |\n"
                               "|---|---|---:|---:|---:|---:|---|\n" + "\n".join(rows))


@dg.op(description="Load the registered sources and each one's previous health result.")
def load_history(context: dg.OpExecutionContext, filterlists: FilterListsResource,
                 config: HealthRunConfig) -> dict[str, Any]:
    plan = plan_checks(filterlists, config.sources)
    context.add_output_metadata({"sources": len(plan["sources"]), "with_history": len(plan["previous"])})
    return plan


@dg.op(description="Check each source: status code, response time (over 30 s is unhealthy), rule count.")
def check_sources(context: dg.OpExecutionContext, filterlists: FilterListsResource,
                  plan: dict[str, Any]) -> list:
    results = run_checks(context, filterlists, plan["sources"])
    context.add_output_metadata({"checked": len(results), "healthy": sum(r.healthy for r in results)})
    return [r.to_json() for r in results]


@dg.op(description="Carry failure streaks forward; the third failure in a row raises an alert (once).")
def analyse_health(context: dg.OpExecutionContext, filterlists: FilterListsResource, plan: dict[str, Any],
                   results: list) -> list:
    previous = {k: HealthResult.from_json(v) for k, v in plan["previous"].items()}
    analysed = health.analyse([HealthResult.from_json(r) for r in results], previous, filterlists.alert_threshold)
    context.add_output_metadata({"alerts": sum(r.alert for r in analysed), "table": health_table(analysed)})
    return [r.to_json() for r in analysed]


@dg.op(description="POST new alerts to the webhook (BLOQR_ALERT_WEBHOOK); evaluate the source_health check.")
def send_alerts(context: dg.OpExecutionContext, filterlists: FilterListsResource, analysed: list) -> int:
    results = [HealthResult.from_json(r) for r in analysed]
    sent = notify(context, filterlists, results)
    context.log_event(dg.AssetCheckEvaluation(asset_key=SOURCE_HEALTH_KEY, check_name=HEALTH_CHECK_NAME,
                                              **check_evaluation(filterlists, results)))
    return sent


@dg.op(description="Store the results (30 days of history; older pruned) and record the run's metrics.")
def store_health(context: dg.OpExecutionContext, filterlists: FilterListsResource, analysed: list,
                 alerts_sent: int) -> dict[str, Any]:
    results = [HealthResult.from_json(r) for r in analysed]
    pruned = filterlists.history().append(results, context.run_id, lake=filterlists.lake)
    healthy = sum(r.healthy for r in results)
    context.log_event(dg.AssetMaterialization(
        asset_key=SOURCE_HEALTH_KEY, description="health snapshot from health_monitoring_job",
        metadata={"checked": len(results), "healthy": healthy, "alerts": sum(r.alert for r in results),
                  "pruned": pruned, "table": health_table(results)}))
    record_workflow_run(context, filterlists, sources_checked=len(results), sources_healthy=healthy,
                        alerts=sum(r.alert for r in results))
    return {"checked": len(results), "healthy": healthy, "alerts_sent": alerts_sent, "pruned": pruned}
