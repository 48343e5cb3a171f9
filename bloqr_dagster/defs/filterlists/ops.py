"""The workflow steps, one op each; assets.py and jobs.py assemble them.

compile (a compiled_filter_lists partition):  validate -> compile_sources -> cache_result -> update_metrics
source health (source_health):                load_history -> check_sources -> analyse_health -> send_alerts
                                              -> store_health
isolated compile (isolated_compile_job):      validate_isolated -> transform_isolated -> cache_isolated
registering at run time:                      register_filter_source, register_filter_config

Transient failures (a download, a store, the alert webhook) are retried twice with exponential
backoff from the resource's `retry_delay`; bad input fails at once with one line naming the field.
"""

import hashlib
import json
import random
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from pathlib import Path
from typing import Any, NoReturn

import dagster as dg
from pydantic import Field

from bloqr_dagster.defs.filterlists.partitions import sync_partitions
from bloqr_dagster.defs.filterlists.resources import FilterListsResource
from bloqr_dagster.defs.lake_metadata import lake_metadata
from bloqr_dagster.errors import BloqrError
from bloqr_dagster.filterlists import cached_compile, health
from bloqr_dagster.filterlists.cache_store import config_key
from bloqr_dagster.filterlists.cached_compile import CompileOutcome
from bloqr_dagster.filterlists.compiler import CompileError
from bloqr_dagster.filterlists.config import ConfigError, parse_config
from bloqr_dagster.filterlists.deadline import compile_within
from bloqr_dagster.filterlists.defaults import SourceSpec
from bloqr_dagster.filterlists.health import HealthResult
from bloqr_dagster.filterlists.isolated import IsolatedStepError, run_step
from bloqr_dagster.filterlists.opener import confined_path, local_path, read_local, source_kind
from bloqr_dagster.filterlists.registry import Registry

MAX_RETRIES = 2
COMPILE_POOL = "filterlists_compile"  # at most 3 compiles in flight: `dagster instance concurrency set` (README)
PERMANENT_ERRORS = (ConfigError, CompileError)  # retrying cannot fix these
Context = dg.OpExecutionContext | dg.AssetExecutionContext


def event_logger(context: Context, **extra: object) -> Callable[[str, dict[str, Any]], None]:
    """One run-log line per event: `event=<kind> key=value ...` (a stable prefix to grep or parse)."""

    def log(kind: str, fields: dict[str, Any]) -> None:
        parts = [f"event={kind}"]
        for key, value in {**extra, **fields}.items():
            if value is None:
                continue
            text = f"{value:.3f}" if isinstance(value, float) else str(value)
            parts.append(f"{key}={text!r}" if (" " in text or not text) else f"{key}={text}")
        context.log.info(" ".join(parts))

    return log


def retry_or_fail(context: Context, fl: FilterListsResource, exc: Exception) -> NoReturn:
    """Retry a transient failure after 1x, 2x `retry_delay` (+-25 %); then, or for a permanent
    error, fail the step with the error's one line. Dagster sleeps between attempts."""
    if not isinstance(exc, PERMANENT_ERRORS) and context.retry_number < MAX_RETRIES:
        delay = fl.retry_delay * 2**context.retry_number * random.uniform(0.75, 1.25)
        context.log.warning(f"event=retry_scheduled attempt={context.retry_number + 1} "
                            f"in_seconds={delay:.1f} error={str(exc)!r}")
        raise dg.RetryRequested(max_retries=MAX_RETRIES, seconds_to_wait=delay) from exc
    raise dg.Failure(description=str(exc), allow_retries=False) from None


def confined(source: str, fl: FilterListsResource) -> Path | None:
    """The path of a local source inside the sources folder (FetchError when it escapes); None for a URL."""
    if source_kind(source) != "file":
        return None
    return confined_path(source, local_path(source, fl.sources_root), fl.sources_root)


def fail(message: str) -> NoReturn:
    """Bad input: one line, no retry."""
    raise dg.Failure(description=message, allow_retries=False) from None


# -- compile ----------------------------------------------------------------------------------------


class CompileStepConfig(dg.Config):
    force: bool = Field(False, description="compile even when the cache holds the same result")


@dg.op(ins={"raw_filter_lists": dg.In(dg.Nothing)},
       description="Read the partition's configuration from the registry and validate it; local sources "
                   "must lie inside the sources folder. Errors name the field and do not retry.")
def validate(context: dg.OpExecutionContext, filterlists: FilterListsResource) -> dict[str, Any]:
    name = context.partition_key
    try:
        configuration = filterlists.registry().config(name)
        config = parse_config(configuration)
        for source, _ in cached_compile.referenced_sources(config):
            confined(source, filterlists)
    except BloqrError as exc:
        fail(f"configuration {name!r}: {exc}")
    event_logger(context)("config_validated", {"config": name, "sources": len(config.sources),
                                               "fingerprint": config.fingerprint()[:16]})
    return {"config_name": name, "configuration": configuration}


@dg.op(pool=COMPILE_POOL,
       description="Download the sources (a 304 for each unchanged one) and compile, unless the cache holds "
                   "the result. Runs in a child process that is killed at the compile budget.")
def compile_sources(context: dg.OpExecutionContext, filterlists: FilterListsResource, config: CompileStepConfig,
                    validated: dict[str, Any]) -> dg.Output[CompileOutcome]:
    name = validated["config_name"]
    try:
        outcome = compile_within(filterlists.compile_timeout, parse_config(validated["configuration"]),
                                 cache_dir=filterlists.cache_dir, base_dir=filterlists.sources_root,
                                 fetcher=filterlists.fetcher_settings(), config_name=name, force=config.force,
                                 confine=True, on_event=event_logger(context, config=name))
    except BloqrError as exc:
        retry_or_fail(context, filterlists, exc)
    return dg.Output(outcome, metadata={k: v for k, v in outcome.summary().items() if k != "fingerprint"})


@dg.op(description="Store a new compiled list (gzip, named by the SHA-256 of its rules) and index it; "
                   "or count the cache hit.")
def cache_result(context: dg.OpExecutionContext, filterlists: FilterListsResource, validated: dict[str, Any],
                 outcome: CompileOutcome) -> dict[str, Any]:
    log = event_logger(context, config=outcome.config_name)
    cache = filterlists.cache()
    try:
        if outcome.cache_hit:
            assert outcome.entry is not None
            cache.record_hit(outcome.entry)
        entry = cached_compile.store(outcome, parse_config(validated["configuration"]), cache, on_event=log)
    except (BloqrError, OSError) as exc:
        retry_or_fail(context, filterlists, exc)
    sources = [{"name": s.name or "", "source": s.source, "downloaded_lines": s.downloaded_lines,
                "after_transformations": s.lines_after_transformations, "not_modified": s.not_modified}
               for s in (outcome.result.sources if outcome.result else [])]
    return {**outcome.summary(), **entry.as_metadata(), "path": str(cache.object_path(entry.cache_key)),
            "sources": sources}


@dg.op(out=dg.Out(dg.Nothing),
       description="Report the compile as the partition's materialization: rules, cache hit, 304s, "
                   "timings and where the list is.")
def update_metrics(context: dg.OpExecutionContext, cached: dict[str, Any]) -> dg.Output:
    rows = [f"| {s['name']} | {s['source']} | {s['downloaded_lines']} | {s['after_transformations']} | "
            f"{'yes' if s['not_modified'] else 'no'} |" for s in cached["sources"]]
    table = ("| name | source | downloaded lines | after transformations | 304 |\n|---|---|---:|---:|---|\n"
             + "\n".join(rows)) if rows else "cache hit: nothing recompiled"
    metadata = {k: cached[k] for k in ("config_name", "cache_hit", "rule_count", "cache_key", "fingerprint",
                                       "sources_not_modified", "load_seconds", "compile_seconds",
                                       "compressed_bytes", "compiled_at")}
    return dg.Output(None, metadata={
        **metadata, "dagster/row_count": cached["rule_count"], "path": dg.MetadataValue.path(cached["path"]),
        "dagster/uri": Path(cached["path"]).as_uri(), "sources": dg.MetadataValue.md(table)})


# -- source health ------------------------------------------------------------------------------------


class HealthStepConfig(dg.Config):
    sources: list[str] = Field(default_factory=list,
                               description="registered source keys to check (default: every source)")


@dg.op(description="The registered sources to check (all, or the ones named) and each one's previous result.")
def load_history(context: dg.OpExecutionContext, filterlists: FilterListsResource,
                 config: HealthStepConfig) -> dict[str, Any]:
    registered = filterlists.registry().sources()
    known = {s.key for s in registered}
    if unknown := [k for k in config.sources if k not in known]:
        fail(f"sources: unknown {', '.join(map(repr, unknown))} (registered: {', '.join(sorted(known))})")
    chosen = [s for s in registered if not config.sources or s.key in config.sources]
    previous = filterlists.history().latest_by_source()
    context.add_output_metadata({"sources": len(chosen), "registered": len(registered)})
    return {"sources": [asdict(s) for s in chosen],
            "previous": {s.key: previous[s.key].to_json() for s in chosen if s.key in previous}}


@dg.op(description="Check each source: status code, response time (slower than 30 s is unhealthy), "
                   "HTML instead of a list, rule count against the expected minimum.")
def check_sources(context: dg.OpExecutionContext, filterlists: FilterListsResource, plan: dict[str, Any]) -> list:
    log = event_logger(context)
    specs = [SourceSpec(**s) for s in plan["sources"]]

    def check(spec: SourceSpec) -> HealthResult:
        log("health_check_started", {"source": spec.key, "url": spec.url})
        result = health.check_source(spec, http, slow_after=filterlists.slow_after_seconds,
                                     base_dir=filterlists.sources_root, confine=True)
        log("health_check_completed", {"source": spec.key, "healthy": result.healthy, "status": result.status_code,
                                       "latency_ms": result.latency_ms, "rule_count": result.rule_count,
                                       "error": result.error})
        return result

    with filterlists.fetcher(read_timeout=filterlists.health_timeout) as http, \
            ThreadPoolExecutor(max_workers=4, thread_name_prefix="bloqr-health") as pool:
        results = list(pool.map(check, specs))  # each request is bounded by the fetcher's timeouts
    context.add_output_metadata({"checked": len(results), "healthy": sum(r.healthy for r in results)})
    return [r.to_json() for r in results]


@dg.op(description="Carry each source's failure streak forward; the third failure in a row raises an alert, "
                   "once per streak.")
def analyse_health(context: dg.OpExecutionContext, filterlists: FilterListsResource, plan: dict[str, Any],
                   results: list) -> list:
    previous = {k: HealthResult.from_json(v) for k, v in plan["previous"].items()}
    analysed = health.analyse([HealthResult.from_json(r) for r in results], previous, filterlists.alert_threshold)
    context.add_output_metadata({"alerts": sum(r.alert for r in analysed),
                                 "recoveries": sum(r.recovered for r in analysed)})
    return [r.to_json() for r in analysed]


@dg.op(description="POST new alerts and recoveries to the webhook (BLOQR_ALERT_WEBHOOK).")
def send_alerts(context: dg.OpExecutionContext, filterlists: FilterListsResource, analysed: list) -> int:
    results = [HealthResult.from_json(r) for r in analysed]
    alerts, recoveries = [r for r in results if r.alert], [r for r in results if r.recovered]
    for r in alerts:
        context.log.error(f"event=health_alert source={r.source} consecutive_failures={r.consecutive_failures} "
                          f"error={r.error!r}")
    if not alerts and not recoveries:
        return 0
    if not filterlists.alert_webhook:
        context.log.warning("event=alert_not_sent reason='no webhook configured (BLOQR_ALERT_WEBHOOK)'")
        return 0
    try:
        health.send_webhook(filterlists.alert_webhook, health.alert_payload(alerts, recoveries))
    except BloqrError as exc:
        retry_or_fail(context, filterlists, exc)
    context.log.info(f"event=alert_sent alerts={len(alerts)} recoveries={len(recoveries)}")
    return len(alerts)


@dg.op(out=dg.Out(dg.Nothing),
       description="Append the results to the history (30 days kept, older pruned; lake table health_checks) "
                   "and report the health of every registered source.")
def store_health(context: dg.OpExecutionContext, filterlists: FilterListsResource, analysed: list,
                 alerts_sent: int) -> dg.Output:
    results = [HealthResult.from_json(r) for r in analysed]
    pruned = filterlists.history().append(results, context.run_id, lake=filterlists.lake)
    latest = latest_health(filterlists)
    healthy = sum(bool(r and r.healthy) for r in latest.values())
    checked = {r.source for r in results}
    rows = [_health_row(key, r, key in checked) for key, r in latest.items()]
    partial = len(checked) < len(latest)
    summary = (f"{healthy} of {len(latest)} sources healthy"
               + (f" (checked {len(checked)} in this run; the others keep their last result)" if partial else ""))
    context.log.info(f"event=health_snapshot {summary}")
    return dg.Output(None, metadata={
        "summary": summary, "sources": len(latest), "healthy": healthy, "checked": len(checked),
        "checked_healthy": sum(r.healthy for r in results), "partial_run": partial,
        "checked_sources": sorted(checked), "alerts_sent": alerts_sent, "pruned": pruned,
        "table": dg.MetadataValue.md(
            "| source | health | checked in this run | status | ms | rules | failures in a row | error |\n"
            "|---|---|---|---:|---:|---:|---:|---|\n" + "\n".join(rows)),
        **lake_metadata(filterlists.lake, "health_checks")})


def latest_health(fl: FilterListsResource) -> dict[str, HealthResult | None]:
    """Every registered source's latest health result (None: never checked)."""
    latest = fl.history().latest_by_source()
    return {s.key: latest.get(s.key) for s in fl.registry().sources()}


def _health_row(key: str, r: HealthResult | None, checked: bool) -> str:
    if r is None:
        return f"| {key} | never checked | no | | | | | |"
    rules = "" if r.rule_count is None else r.rule_count
    return (f"| {key} | {'ok' if r.healthy else 'UNHEALTHY'} | {'yes' if checked else 'no'} | {r.status_code or ''} | "
            f"{r.latency_ms or ''} | {rules} | {r.consecutive_failures} | {str(r.error or '').replace('|', '/')} |")


# -- isolated compile ---------------------------------------------------------------------------------


class IsolatedRunConfig(dg.Config):
    """The old compile body with `preFetchedContent`: the configuration and the text of its sources."""

    configuration: dict[str, Any] = Field(description="hostlist-compiler configuration JSON")
    prefetched: dict[str, str] = Field(default_factory=dict,
                                       description="source (as configured, or its name) -> list text")
    prefetched_file: str = Field("", description="or a JSON file with that mapping, inside the sources folder")
    config_name: str = Field("", description="name in the compiled cache (default: from configuration.name)")


def _isolated(context: dg.OpExecutionContext, fl: FilterListsResource, step: str,
              payload: dict[str, Any]) -> dict[str, Any]:
    log = event_logger(context)
    log("isolated_step_started", {"step": step})
    try:
        result = run_step(step, payload, fl.paths.home / "isolated" / context.run_id / step, fl.isolated_limits())
    except IsolatedStepError as exc:
        if "exceeded" in str(exc) or "killed" in str(exc):
            retry_or_fail(context, fl, exc)
        fail(str(exc))  # bad input: a missing pre-fetched source, an invalid configuration
    log("isolated_step_completed", {"step": step, **{k: v for k, v in result.items()
                                                      if isinstance(v, int | str) and k != "output_file"}})
    return result


@dg.op(description="In a sandboxed child: validate the configuration and that every source is pre-fetched.")
def validate_isolated(context: dg.OpExecutionContext, filterlists: FilterListsResource,
                      config: IsolatedRunConfig) -> dict[str, Any]:
    mapping: dict[str, str] = {}
    if config.prefetched_file:
        try:
            path = confined(config.prefetched_file, filterlists)
            if path is None:
                fail("prefetched_file: must be a file inside the sources folder, not a URL")
            mapping.update(json.loads(read_local(config.prefetched_file, path, filterlists.max_bytes)))
        except (BloqrError, OSError, ValueError) as exc:
            fail(f"prefetched_file: {exc}")
    mapping.update(config.prefetched)
    if not mapping:
        fail("pre-fetched content is required: give `prefetched` (source -> text) or `prefetched_file`; "
             "isolated compiles never download")
    workdir = filterlists.paths.home / "isolated" / context.run_id
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "prefetched.json").write_text(json.dumps(mapping), encoding="utf-8")
    payload = {"config": config.configuration, "prefetched_file": str(workdir / "prefetched.json"),
               "require_prefetched": True}
    result = _isolated(context, filterlists, "validate", payload)
    versions = [{"source": k, "content_sha256": hashlib.sha256(v.encode()).hexdigest(),
                 "raw_sha256": hashlib.sha256(v.encode()).hexdigest()} for k, v in sorted(mapping.items())]
    return {**payload, "config_name": config.config_name or config_key(result["name"]), "source_versions": versions}


@dg.op(description="In a sandboxed child: compile from the pre-fetched sources only.")
def transform_isolated(context: dg.OpExecutionContext, filterlists: FilterListsResource,
                       validated: dict[str, Any]) -> dict[str, Any]:
    output = filterlists.paths.home / "isolated" / context.run_id / "compiled.txt"
    result = _isolated(context, filterlists, "transform", {**validated, "output_file": str(output)})
    context.add_output_metadata({"rule_count": result["rule_count"], "cache_key": result["cache_key"]})
    return result


@dg.op(description="In a sandboxed child: store the list under the SHA-256 of its rules.")
def cache_isolated(context: dg.OpExecutionContext, filterlists: FilterListsResource, validated: dict[str, Any],
                   compiled: dict[str, Any]) -> dict[str, Any]:
    entry = _isolated(context, filterlists, "cache", {
        "config": validated["config"], "config_name": validated["config_name"],
        "compiled_file": compiled["output_file"], "header_lines": compiled["header_lines"],
        "cache_key": compiled["cache_key"], "rule_count": compiled["rule_count"],
        "cache_dir": str(filterlists.cache_dir), "source_versions": validated["source_versions"]})
    event_logger(context)("cache_stored", {"config": entry["config_name"], "cache_key": entry["cache_key"],
                                           "rule_count": entry["rule_count"]})
    context.add_output_metadata(entry)
    return entry


# -- registering sources and configurations at run time ---------------------------------------------


class SourceRegistration(dg.Config):
    key: str = Field(description="partition key: lowercase letters, digits, '_' or '-'")
    url: str = Field(description="http(s) URL, or a path inside the sources folder")
    name: str = Field("", description="display name (default: the key)")
    type: str = Field("adblock", description="adblock | hosts")
    min_rules: int = Field(5, description="a health check finding fewer rules reports the source unhealthy")


class ConfigRegistration(dg.Config):
    key: str = Field(description="partition key: lowercase letters, digits, '_' or '-'")
    configuration: dict[str, Any] = Field(description="hostlist-compiler configuration JSON")


def _register(context: dg.OpExecutionContext, fl: FilterListsResource, add: Callable[[Registry], None]) -> None:
    """Apply `add` to the registry (a bad entry fails the run, no retry), then sync the partitions."""
    registry = fl.registry()
    try:
        add(registry)
    except BloqrError as exc:
        fail(str(exc))
    for change in sync_partitions(context.instance, registry):
        context.log.info(f"event=partitions_changed {change}")


@dg.op(description="Add (or update) a source in the registry and its raw_filter_lists partition.")
def register_filter_source(context: dg.OpExecutionContext, filterlists: FilterListsResource,
                           config: SourceRegistration) -> str:
    try:
        confined(config.url, filterlists)
    except BloqrError as exc:
        fail(f"url: {exc}")
    _register(context, filterlists, lambda registry: registry.add_source(
        SourceSpec(config.key, config.name or config.key, config.url, config.type, config.min_rules)))
    return config.key


@dg.op(description="Add (or update) a named configuration and its compiled_filter_lists partition.")
def register_filter_config(context: dg.OpExecutionContext, filterlists: FilterListsResource,
                           config: ConfigRegistration) -> str:
    try:
        parse_config(config.configuration)
    except BloqrError as exc:
        fail(f"configuration: {exc}")
    _register(context, filterlists, lambda registry: registry.add_config(config.key, config.configuration))
    return config.key
