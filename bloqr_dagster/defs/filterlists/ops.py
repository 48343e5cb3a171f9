"""Ops of the compile, batch compile and cache warming jobs: one op per workflow step.

Retry policies are attached where the jobs are assembled (jobs.py), so tests can scale the delays.
"""

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import dagster as dg
from pydantic import Field

from bloqr_dagster.defs.filterlists.compiling import (
    as_step_failure,
    compile_cached,
    compile_with_retries,
    outcome_metadata,
    parse_or_fail,
)
from bloqr_dagster.defs.filterlists.partitions import CONFIG_PARTITIONS
from bloqr_dagster.defs.filterlists.resources import FilterListsResource
from bloqr_dagster.defs.filterlists.runtime import COMPILED_KEY, event_logger, record_workflow_run
from bloqr_dagster.errors import BloqrError
from bloqr_dagster.filterlists.cache_store import config_key
from bloqr_dagster.filterlists.cached_compile import CompileOutcome
from bloqr_dagster.filterlists.config import parse_config
from bloqr_dagster.filterlists.defaults import WARM_BY_DEFAULT


def report_compiled(context: dg.OpExecutionContext, fl: FilterListsResource, name: str, fingerprint: str,
                    metadata: dict[str, Any]) -> bool:
    """When `name` is a registered configuration (same fingerprint) with a partition, record the
    result as a compiled_filter_lists materialization, so job runs keep the asset current."""
    registered = fl.registry().configs().get(name)
    if registered is None or not context.instance.has_dynamic_partition(CONFIG_PARTITIONS.name or "", name):
        return False
    try:
        if parse_config(registered).fingerprint() != fingerprint:
            return False
    except BloqrError:
        return False
    context.log_event(dg.AssetMaterialization(asset_key=COMPILED_KEY, partition=name, metadata=metadata,
                                              description=f"compiled by {context.job_name}"))
    return True


# -- compile_job ------------------------------------------------------------------------------


class CompileRunConfig(dg.Config):
    """The body of the replaced system's compile request."""

    configuration: dict[str, Any] = Field(
        description="hostlist-compiler configuration: the same JSON `bloqr compile -c` reads")
    config_name: str = Field("", description="name in the compiled cache (default: from configuration.name)")
    force: bool = Field(False, description="compile even when the cache holds a fresh result")


@dg.op(description="Validate the configuration; errors name the field path.")
def validate(context: dg.OpExecutionContext, config: CompileRunConfig) -> dict[str, Any]:
    parsed = parse_or_fail(config.configuration)
    name = config.config_name or config_key(parsed.name)
    event_logger(context)("config_validated", {"config": name, "sources": len(parsed.sources),
                                               "fingerprint": parsed.fingerprint()[:16]})
    return {"configuration": config.configuration, "config_name": name, "force": config.force}


@dg.op(description="Download the sources (304 when unchanged) and compile, unless the cache is fresh.")
def compile_sources(context: dg.OpExecutionContext, filterlists: FilterListsResource,
                    validated: dict[str, Any]) -> dg.Output[CompileOutcome]:
    config = parse_or_fail(validated["configuration"])
    try:
        outcome = compile_cached(filterlists, config, validated["config_name"], on_event=event_logger(context),
                                 force=validated["force"], store=False)
    except BloqrError as exc:
        raise as_step_failure(exc) from None
    return dg.Output(outcome, metadata=outcome_metadata(outcome))


@dg.op(description="Store the compiled list (gzip, addressed by the SHA-256 of its rules) and index it.")
def cache_result(context: dg.OpExecutionContext, filterlists: FilterListsResource, validated: dict[str, Any],
                 outcome: CompileOutcome) -> dict[str, Any]:
    from bloqr_dagster.filterlists.cached_compile import store

    log = event_logger(context)
    if outcome.cache_hit:
        log("cache_hit_recorded", {"config": outcome.config_name, "cache_key": outcome.cache_key})
    entry = store(outcome, parse_or_fail(validated["configuration"]), filterlists.cache(), on_event=log)
    context.add_output_metadata(entry.as_metadata() | {"cache_hit": outcome.cache_hit})
    report_compiled(context, filterlists, outcome.config_name, outcome.fingerprint,
                    entry.as_metadata() | {"cache_hit": outcome.cache_hit})
    return entry.as_metadata() | {"cache_hit": outcome.cache_hit, "sources_not_modified":
                                  outcome.sources_not_modified}


@dg.op(description="Record the run in the workflow_runs metrics table.")
def update_metrics(context: dg.OpExecutionContext, filterlists: FilterListsResource,
                   cached: dict[str, Any]) -> dict[str, Any]:
    record_workflow_run(context, filterlists, configurations=1, cache_hits=int(cached["cache_hit"]))
    return cached


# -- batch_compile_job ------------------------------------------------------------------------


class BatchRequest(dg.Config):
    id: str = Field(description="identifies this configuration in the result")
    configuration: dict[str, Any] = Field(description="hostlist-compiler configuration JSON")


class BatchRunConfig(dg.Config):
    """The body of the replaced system's batch request: {"requests": [{"id", "configuration"}]}."""

    requests: list[BatchRequest]
    chunk_size: int = Field(3, description="configurations compiled together in one step")
    force: bool = False


@dg.op(out=dg.DynamicOut(list), description="Validate every configuration; split the batch into chunks.")
def validate_batch(context: dg.OpExecutionContext, config: BatchRunConfig):
    if not config.requests:
        raise dg.Failure(description="requests: the batch is empty", allow_retries=False)
    if config.chunk_size < 1:
        raise dg.Failure(description=f"chunk_size: must be at least 1, got {config.chunk_size}",
                         allow_retries=False)
    seen: set[str] = set()
    items = []
    for index, request in enumerate(config.requests):
        if request.id in seen:
            raise dg.Failure(description=f"requests[{index}].id: duplicate id {request.id!r}",
                             allow_retries=False)
        seen.add(request.id)
        item = {"id": request.id, "configuration": request.configuration, "force": config.force}
        try:
            item["config_name"] = config_key(parse_config(request.configuration).name)
        except BloqrError as exc:  # reported in the result, the others still compile
            item["error"] = f"requests[{index}].configuration: {exc}"
            context.log.warning(f"event=config_invalid id={request.id} error={item['error']!r}")
        items.append(item)
    for number, start in enumerate(range(0, len(items), config.chunk_size)):
        yield dg.DynamicOutput(items[start:start + config.chunk_size], mapping_key=f"chunk_{number}")


def _compile_items(context: dg.OpExecutionContext, fl: FilterListsResource,
                   items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Compile a chunk's configurations concurrently; each failure is caught and reported."""
    base_delay = 30 * fl.delay_scale()

    def one(item: dict[str, Any]) -> dict[str, Any]:
        if "error" in item:
            return {"id": item["id"], "ok": False, "error": item["error"]}
        started = time.monotonic()
        try:
            config = parse_or_fail(item["configuration"])
            outcome = compile_with_retries(fl, config, item["config_name"], retries=2, base_delay=base_delay,
                                           on_event=event_logger(context, id=item["id"]), force=item["force"])
        except (BloqrError, dg.Failure) as exc:
            reason = exc.description if isinstance(exc, dg.Failure) else str(exc)
            context.log.warning(f"event=config_failed id={item['id']} error={reason!r}")
            return {"id": item["id"], "ok": False, "error": reason, "seconds": time.monotonic() - started}
        return {"id": item["id"], "ok": True, **outcome.summary(), "seconds": time.monotonic() - started}

    with ThreadPoolExecutor(max_workers=max(1, len(items)), thread_name_prefix="bloqr-chunk") as pool:
        return list(pool.map(one, items))


@dg.op(description="Compile one chunk of configurations in parallel; failures are reported, not raised.")
def compile_chunk(context: dg.OpExecutionContext, filterlists: FilterListsResource,
                  chunk: list) -> list:
    results = _compile_items(context, filterlists, chunk)
    context.add_output_metadata({"ok": sum(r["ok"] for r in results), "failed": sum(not r["ok"] for r in results)})
    return results


def _results_table(results: list[dict[str, Any]]) -> dg.MetadataValue:
    rows = [f"| {r['id']} | {'ok' if r['ok'] else 'FAILED'} | {r.get('rule_count', '')} | "
            f"{'yes' if r.get('cache_hit') else ''} | {str(r.get('error', '')).replace('|', '/')} |"
            for r in results]
    return dg.MetadataValue.md("| id | status | rules | cache hit | error |\n|---|---|---:|---|---|\n"
                               + "\n".join(rows))


@dg.op(description="Collect the chunks: which configurations compiled, which failed and why; record metrics.")
def update_batch_metrics(context: dg.OpExecutionContext, filterlists: FilterListsResource,
                         chunks: list) -> dict[str, Any]:
    results = [r for chunk in chunks for r in chunk]
    failed = {r["id"]: r["error"] for r in results if not r["ok"]}
    summary = {"succeeded": [r["id"] for r in results if r["ok"]], "failed": failed, "results": results}
    error = "; ".join(f"{k}: {v}" for k, v in failed.items()) or None
    record_workflow_run(context, filterlists, configurations=len(results),
                        cache_hits=sum(bool(r.get("cache_hit")) for r in results),
                        error=f"{len(failed)} of {len(results)} configurations failed: {error}" if error else None)
    context.add_output_metadata({"succeeded": len(summary["succeeded"]), "failed": len(failed),
                                 "results": _results_table(results)})
    return summary


# -- cache_warming_job ------------------------------------------------------------------------


class WarmingRunConfig(dg.Config):
    configurations: list[str] = Field(
        default_factory=list,
        description="registered configuration keys to keep warm (default: " + ", ".join(WARM_BY_DEFAULT) + ")")
    chunk_size: int = Field(2, description="configurations warmed together in one step")
    max_age_hours: float = Field(6.0, description="re-check a cached list older than this")
    force: bool = Field(False, description="recompile even when sources are unchanged")


@dg.op(out={"chunks": dg.DynamicOut(list), "status": dg.Out(list)},
       description="Find the configurations whose cached list is missing, outdated or old.")
def check_cache_status(context: dg.OpExecutionContext, filterlists: FilterListsResource,
                       config: WarmingRunConfig):
    registry = filterlists.registry()
    known = registry.configs()
    names = config.configurations or [n for n in WARM_BY_DEFAULT if n in known]
    if unknown := [n for n in names if n not in known]:
        raise dg.Failure(description=f"configurations: unknown {', '.join(map(repr, unknown))} "
                                     f"(registered: {', '.join(known) or 'none'})", allow_retries=False)
    cache = filterlists.cache()
    now = datetime.now(UTC)
    status = []
    for name in names:
        parsed = parse_or_fail(known[name], f"configuration {name!r}")
        entry = cache.latest(name)
        if config.force:
            reason = "forced"
        elif entry is None:
            reason = "not cached"
        elif entry.fingerprint != parsed.fingerprint():
            reason = "configuration changed"
        elif now - entry.compiled_at > timedelta(hours=config.max_age_hours):
            reason = f"older than {config.max_age_hours:g} h"
        else:
            reason = ""
        status.append({"config_name": name, "stale": bool(reason), "reason": reason or "fresh"})
        context.log.info(f"event=cache_status config={name} status={'stale' if reason else 'fresh'}"
                         + (f" reason={reason!r}" if reason else ""))
    stale = [s for s in status if s["stale"]]
    yield dg.Output(status, "status", metadata={"configurations": len(status), "stale": len(stale)})
    size = max(1, config.chunk_size)
    for number, start in enumerate(range(0, len(stale), size)):
        items = [{"id": s["config_name"], "config_name": s["config_name"],
                  "configuration": known[s["config_name"]], "force": config.force}
                 for s in stale[start:start + size]]
        yield dg.DynamicOutput(items, output_name="chunks", mapping_key=f"chunk_{number}")


@dg.op(description="Warm one chunk of stale configurations (a 304 for every source keeps the cache).")
def warm_chunk(context: dg.OpExecutionContext, filterlists: FilterListsResource, chunk: list) -> list:
    results = _compile_items(context, filterlists, chunk)
    for r in results:
        if r["ok"]:
            report_compiled(context, filterlists, r["config_name"], r["fingerprint"],
                            {k: r[k] for k in ("cache_hit", "rule_count", "cache_key", "fingerprint")})
    return results


@dg.op(description="Record how many configurations were warmed, and whether the run was scheduled.")
def update_warming_metrics(context: dg.OpExecutionContext, filterlists: FilterListsResource,
                           status: list, chunks: list) -> dict[str, Any]:
    results = [r for chunk in chunks for r in chunk]
    warmed = [r["id"] for r in results if r["ok"] and not r.get("cache_hit")]
    failed = {r["id"]: r["error"] for r in results if not r["ok"]}
    run = record_workflow_run(
        context, filterlists, configurations=len(status), configurations_warmed=len(warmed),
        cache_hits=sum(bool(r.get("cache_hit")) for r in results),
        error="; ".join(f"{k}: {v}" for k, v in failed.items()) or None)
    context.add_output_metadata({"trigger": run.trigger, "warmed": len(warmed), "failed": len(failed)})
    return {"trigger": run.trigger, "status": status, "warmed": warmed, "failed": failed, "results": results}


def compile_outcome_for(context: dg.OpExecutionContext, fl: FilterListsResource, name: str,
                        configuration: dict[str, Any]) -> CompileOutcome:
    """Used by the compiled_filter_lists asset: compile (or reuse) a registered configuration."""
    config = parse_or_fail(configuration, f"configuration {name!r}")
    try:
        return compile_cached(fl, config, name, on_event=event_logger(context, config=name))
    except BloqrError as exc:
        raise as_step_failure(exc) from None
