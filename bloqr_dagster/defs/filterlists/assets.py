"""The filter-list assets (group and key prefix "filterlists"); their steps are the ops in ops.py.

raw_filter_lists       one partition per source: the list as downloaded (a 304 when unchanged)
compiled_filter_lists  one partition per named configuration: validate -> compile_sources ->
                       cache_result -> update_metrics; reads the raw lists through the shared
                       conditional-GET cache, so nothing is downloaded twice
source_health          every registered source's health: load_history -> check_sources ->
                       analyse_health -> send_alerts -> store_health (lake table health_checks)
workflow_metrics       the filter-list runs and their steps, exported from Dagster's own run and
                       event records (lake tables workflow_runs, workflow_steps)
"""

import hashlib
import os
import tempfile
from pathlib import Path

import dagster as dg
from pydantic import Field

from bloqr_dagster.defs.filterlists import ops
from bloqr_dagster.defs.filterlists.partitions import CONFIG_PARTITIONS, SOURCE_PARTITIONS
from bloqr_dagster.defs.filterlists.resources import FilterListsResource
from bloqr_dagster.defs.filterlists.run_history import export_runs
from bloqr_dagster.defs.lake_metadata import lake_metadata
from bloqr_dagster.errors import BloqrError
from bloqr_dagster.filterlists import health
from bloqr_dagster.filterlists.opener import open_source

GROUP = PREFIX = "filterlists"
RAW_KEY = dg.AssetKey([PREFIX, "raw_filter_lists"])


@dg.asset(key_prefix=PREFIX, group_name=GROUP, partitions_def=SOURCE_PARTITIONS, kinds={"python"},
          description="A filter list as downloaded from its source (one partition per source), kept in "
                      "cache/raw/. Unchanged lists are answered with 304 Not Modified and not downloaded again.")
def raw_filter_lists(context: dg.AssetExecutionContext, filterlists: FilterListsResource) -> dg.MaterializeResult:
    try:
        spec = filterlists.registry().source(context.partition_key)
        ops.confined(spec.url, filterlists)
    except BloqrError as exc:
        ops.fail(str(exc))
    log = ops.event_logger(context, source=spec.key)
    log("source_fetch_started", {"url": spec.url})
    try:
        with filterlists.fetcher() as http:
            response = open_source(spec.url, base_dir=filterlists.sources_root, http=http, confine=True)
    except BloqrError as exc:
        ops.retry_or_fail(context, filterlists, exc)
    text, replaced = response.decoded()
    rules = health.count_raw_rules(text)
    digest = hashlib.sha256(response.body).hexdigest()
    target = filterlists.cache_dir / "raw" / f"{spec.key}.txt"
    if not response.not_modified or not target.exists():
        _replace_file(target, response.body)
    log("source_fetch_completed", {"rule_count": rules, "bytes": response.size_bytes,
                                   "not_modified": response.not_modified})
    return dg.MaterializeResult(data_version=dg.DataVersion(digest[:16]), metadata={
        "url": spec.url, "status": response.status, "not_modified": response.not_modified,
        "bytes": response.size_bytes, "dagster/row_count": rules, "rule_count": rules, "replaced_chars": replaced,
        "sha256": digest, "etag": response.etag or "", "last_modified": response.last_modified or "",
        "seconds": round(response.elapsed, 3), "path": dg.MetadataValue.path(str(target)),
        "dagster/uri": target.as_uri()})


def _replace_file(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _step_config(op_name: str, schema: type[dg.Config]) -> dg.ConfigMapping:
    """Run config of a graph asset given at its top (`ops: {filterlists__X: {config: ...}}`) for one op."""
    return dg.ConfigMapping(config_fn=lambda config: {op_name: {"config": config}},
                            config_schema=schema.to_config_schema())


@dg.graph_asset(
    key_prefix=PREFIX, group_name=GROUP, partitions_def=CONFIG_PARTITIONS, kinds={"python"},
    ins={"raw_filter_lists": dg.AssetIn(key=RAW_KEY, partition_mapping=dg.AllPartitionMapping(),
                                        dagster_type=dg.Nothing)},
    config=_step_config("compile_sources", ops.CompileStepConfig),
    description="A named configuration compiled into one list (one partition per configuration), stored in "
                "the compiled cache. Not recompiled when neither the configuration nor a source changed: "
                "`cache_hit` in the metadata. Any raw list may feed any configuration, hence the dependency "
                "on all raw_filter_lists partitions.")
def compiled_filter_lists(raw_filter_lists):
    validated = ops.validate(raw_filter_lists)
    outcome = ops.compile_sources(validated)
    return ops.update_metrics(ops.cache_result(validated, outcome))


@dg.graph_asset(
    key_prefix=PREFIX, group_name=GROUP, kinds={"python", "parquet"},
    config=_step_config("load_history", ops.HealthStepConfig),
    description="The health of every registered source (status, latency, rule count against its minimum), "
                "30 days of history in the lake table health_checks. A run may check some sources only: "
                "the others keep their last result, and the metadata says which were checked.")
def source_health():
    plan = ops.load_history()
    analysed = ops.analyse_health(plan, ops.check_sources(plan))
    return ops.store_health(analysed, ops.send_alerts(analysed))


class MetricsConfig(dg.Config):
    full: bool = Field(False, description="export every run again (default: runs changed since the last export)")


def _metrics_spec(name: str, description: str) -> dg.AssetSpec:
    # skippable: an export that finds no newly finished run materializes nothing, so the warehouse
    # models downstream are not rebuilt for nothing
    return dg.AssetSpec([PREFIX, name], kinds={"python", "parquet"}, skippable=True, description=description,
                        automation_condition=dg.AutomationCondition.on_cron("*/15 * * * *"))


@dg.multi_asset(group_name=GROUP, can_subset=False, specs=[
    _metrics_spec("workflow_metrics", "Lake table workflow_runs: one row per finished filter-list run (compile, "
                  "batch_compile, cache_warming, health_monitoring, isolated_compile, fetch_sources), from the "
                  "Dagster instance's run and event records."),
    _metrics_spec("workflow_step_metrics", "Lake table workflow_steps: one row per step of those runs: duration, "
                  "attempts, outcome and error.")])
def workflow_metrics(context: dg.AssetExecutionContext, filterlists: FilterListsResource, config: MetricsConfig):
    previous = None if config.full else context.instance.get_latest_materialization_event(
        dg.AssetKey([PREFIX, "workflow_metrics"]))
    # from the start of the previous export: a run that finished while it ran is exported now
    since = previous and context.instance.get_run_record_by_id(previous.run_id).start_time
    exported = export_runs(context.instance, filterlists.lake, since=since or None)
    context.log.info(f"event=workflow_runs_exported runs={exported['runs']} steps={exported['steps']} "
                     f"days={exported['days']}")
    if not exported["days"]:
        return  # nothing finished since the last export
    for key, table in (("workflow_metrics", "workflow_runs"), ("workflow_step_metrics", "workflow_steps")):
        yield dg.MaterializeResult(asset_key=[PREFIX, key], metadata={
            **lake_metadata(filterlists.lake, table), "days_rewritten": exported["days"]})
