"""The five filter-list workflows as op jobs (one op per step), plus the register jobs.

Retry policies (runtime.py) are attached here; `retry_delay_scale` shrinks their delays for tests.
`dagster/max_runtime` tags let run monitoring (dagster.yaml) stop runs that hang past all retries;
each compile step also has its own 5-minute budget (FilterListsResource.compile_timeout).
"""

from collections.abc import Callable
from typing import Any

import dagster as dg
from pydantic import Field

from bloqr_dagster.defs.filterlists import health_ops, isolated_ops, ops
from bloqr_dagster.defs.filterlists.compiling import parse_or_fail
from bloqr_dagster.defs.filterlists.partitions import sync_partitions
from bloqr_dagster.defs.filterlists.resources import FilterListsResource
from bloqr_dagster.defs.filterlists.runtime import cache_retry, compile_retry, health_retry, record_failed_run
from bloqr_dagster.errors import BloqrError
from bloqr_dagster.filterlists.defaults import SourceSpec
from bloqr_dagster.filterlists.registry import Registry

# Whole-run ceilings: every step's budget times (1 + 2 retries), plus the backoff.
MAX_RUNTIME = {"compile": 1200, "batch": 3600, "warming": 3600, "health": 600, "isolated": 1200}


def build_jobs(retry_delay_scale: float) -> list[dg.JobDefinition]:
    compile_policy = compile_retry(retry_delay_scale)
    cache_policy = cache_retry(retry_delay_scale)
    health_policy = health_retry(retry_delay_scale)
    hooks = {record_failed_run}

    @dg.job(name="compile_job", hooks=hooks, tags={"dagster/max_runtime": MAX_RUNTIME["compile"]},
            description="Compile one configuration (run config: the same JSON `bloqr compile -c` reads): "
                        "validate -> compile_sources -> cache_result -> update_metrics.")
    def compile_job() -> None:
        validated = ops.validate()
        outcome = ops.compile_sources.with_retry_policy(compile_policy)(validated)
        cached = ops.cache_result.with_retry_policy(cache_policy)(validated, outcome)
        ops.update_metrics.with_retry_policy(cache_policy)(cached)

    @dg.job(name="batch_compile_job", hooks=hooks, tags={"dagster/max_runtime": MAX_RUNTIME["batch"]},
            description="Compile many configurations in chunks of 3 in parallel; one failing configuration "
                        "does not sink the others, the result lists which failed and why.")
    def batch_compile_job() -> None:
        chunks = ops.validate_batch()
        results = chunks.map(ops.compile_chunk.with_retry_policy(compile_policy))
        ops.update_batch_metrics.with_retry_policy(cache_policy)(results.collect())

    @dg.job(name="cache_warming_job", hooks=hooks, tags={"dagster/max_runtime": MAX_RUNTIME["warming"]},
            description="Keep the popular configurations compiled: check the cache, warm stale ones in chunks, "
                        "record metrics (scheduled every 6 hours).")
    def cache_warming_job() -> None:
        chunks, status = ops.check_cache_status.with_retry_policy(cache_policy)()
        results = chunks.map(ops.warm_chunk.with_retry_policy(compile_policy))
        ops.update_warming_metrics.with_retry_policy(cache_policy)(status, results.collect())

    @dg.job(name="health_monitoring_job", hooks=hooks, tags={"dagster/max_runtime": MAX_RUNTIME["health"]},
            description="Check every source (status, latency, rule count); 3 failures in a row alert once "
                        "(webhook + failing asset check); 30 days of history (scheduled hourly).")
    def health_monitoring_job() -> None:
        plan = health_ops.load_history()
        results = health_ops.check_sources.with_retry_policy(health_policy)(plan)
        analysed = health_ops.analyse_health(plan, results)
        sent = health_ops.send_alerts.with_retry_policy(health_policy)(analysed)
        health_ops.store_health.with_retry_policy(cache_policy)(analysed, sent)

    @dg.job(name="isolated_compile_job", hooks=hooks, tags={"dagster/max_runtime": MAX_RUNTIME["isolated"]},
            description="Compile from pre-fetched sources with validate, transform and cache each in a "
                        "sandboxed child process: no network, empty environment, CPU and memory limits.")
    def isolated_compile_job() -> None:
        validated = isolated_ops.validate_isolated.with_retry_policy(compile_policy)()
        compiled = isolated_ops.transform_isolated.with_retry_policy(compile_policy)(validated)
        entry = isolated_ops.cache_isolated.with_retry_policy(cache_policy)(validated, compiled)
        isolated_ops.update_isolated_metrics.with_retry_policy(cache_policy)(entry)

    return [compile_job, batch_compile_job, cache_warming_job, health_monitoring_job, isolated_compile_job,
            register_filter_source_job, register_filter_config_job]


# -- registering sources and configurations at run time ---------------------------------------


def _register(context: dg.OpExecutionContext, filterlists: FilterListsResource,
              add: Callable[[Registry], None]) -> None:
    """Apply `add` to the registry (a bad entry fails the run, no retry), then sync the partitions."""
    registry = filterlists.registry()
    try:
        add(registry)
    except BloqrError as exc:
        raise dg.Failure(description=str(exc), allow_retries=False) from None
    for change in sync_partitions(context.instance, registry):
        context.log.info(f"event=partitions_changed {change}")


class SourceRegistration(dg.Config):
    key: str = Field(description="partition key: lowercase letters, digits, '_' or '-'")
    url: str = Field(description="http(s) URL (or a path on the code server)")
    name: str = Field("", description="display name (default: the key)")
    type: str = Field("adblock", description="adblock | hosts")
    min_rules: int = Field(5, description="a health check finding fewer rules reports the source unhealthy")


@dg.op(description="Add (or update) a source in the registry and its raw_filter_lists partition.")
def register_filter_source(context: dg.OpExecutionContext, filterlists: FilterListsResource,
                           config: SourceRegistration) -> str:
    _register(context, filterlists, lambda registry: registry.add_source(
        SourceSpec(config.key, config.name or config.key, config.url, config.type, config.min_rules)))
    return config.key


@dg.job(description="Register a filter-list source at run time (adds a raw_filter_lists partition).")
def register_filter_source_job() -> None:
    register_filter_source()


class ConfigRegistration(dg.Config):
    key: str = Field(description="partition key: lowercase letters, digits, '_' or '-'")
    configuration: dict[str, Any] = Field(description="hostlist-compiler configuration JSON")


@dg.op(description="Add (or update) a named configuration and its compiled_filter_lists partition.")
def register_filter_config(context: dg.OpExecutionContext, filterlists: FilterListsResource,
                           config: ConfigRegistration) -> str:
    parse_or_fail(config.configuration)
    _register(context, filterlists, lambda registry: registry.add_config(config.key, config.configuration))
    return config.key


@dg.job(description="Register a named configuration at run time (adds a compiled_filter_lists partition).")
def register_filter_config_job() -> None:
    register_filter_config()
