"""The filter-list assets (group "filterlists", keys under "filterlists/").

raw_filter_lists       one partition per source: the downloaded list (a 304 when unchanged)
compiled_filter_lists  one partition per named configuration: compiled, or reused from the cache
source_health          a health snapshot of the sources (history in state.sqlite, lake health_checks)
workflow_metrics       the lake table workflow_runs (the jobs add a row per run and report it here)
"""

import hashlib
import os
import tempfile
from pathlib import Path

import dagster as dg

from bloqr_dagster.defs.filterlists.compiling import outcome_metadata
from bloqr_dagster.defs.filterlists.health_ops import (
    HealthRunConfig,
    check_evaluation,
    health_table,
    notify,
    plan_checks,
    run_checks,
)
from bloqr_dagster.defs.filterlists.ops import compile_outcome_for
from bloqr_dagster.defs.filterlists.partitions import CONFIG_PARTITIONS, SOURCE_PARTITIONS
from bloqr_dagster.defs.filterlists.resources import FilterListsResource
from bloqr_dagster.defs.filterlists.runtime import (
    HEALTH_CHECK_NAME,
    compile_retry,
    event_logger,
    health_retry,
)
from bloqr_dagster.errors import BloqrError
from bloqr_dagster.filterlists import health, workflow_runs
from bloqr_dagster.filterlists.fetch import FetchedResponse, FetchError
from bloqr_dagster.filterlists.health import HealthResult

GROUP = "filterlists"
PREFIX = "filterlists"


def _download(fl: FilterListsResource, url: str) -> FetchedResponse:
    if "://" in url and not url.startswith("file://"):
        with fl.fetcher() as http:
            return http.fetch(url)
    path = Path(url.removeprefix("file://"))
    path = path if path.is_absolute() else fl.sources_dir / path
    try:
        body = path.read_bytes()
    except OSError as exc:
        raise FetchError(url, f"cannot read {path}: {exc.strerror or exc}") from None
    return FetchedResponse(url=url, final_url=str(path), status=200, reason="OK", headers={}, body=body, elapsed=0.0)


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


def build_assets(retry_delay_scale: float) -> list[dg.AssetsDefinition]:
    @dg.asset(key_prefix=PREFIX, group_name=GROUP, partitions_def=SOURCE_PARTITIONS, kinds={"python"},
              retry_policy=compile_retry(retry_delay_scale),
              description="A filter list as downloaded from its source (one partition per source). "
                          "Unchanged lists are answered with 304 Not Modified and not downloaded again.")
    def raw_filter_lists(context: dg.AssetExecutionContext, filterlists: FilterListsResource) -> dg.MaterializeResult:
        spec = filterlists.registry().source(context.partition_key)
        log = event_logger(context, source=spec.key)
        log("source_fetch_started", {"url": spec.url})
        try:
            response = _download(filterlists, spec.url)
        except FetchError as exc:
            raise dg.Failure(description=str(exc)) from None
        text, replaced = response.decoded()
        rules = health.count_rules(text)
        digest = hashlib.sha256(response.body).hexdigest()
        target = filterlists.cache_dir / "raw" / f"{spec.key}.txt"
        if not response.not_modified or not target.exists():
            _replace_file(target, response.body)
        log("source_fetch_completed", {"rule_count": rules, "bytes": response.size_bytes,
                                       "not_modified": response.not_modified})
        return dg.MaterializeResult(
            metadata={"url": spec.url, "status": response.status, "not_modified": response.not_modified,
                      "bytes": response.size_bytes, "rule_count": rules, "replaced_chars": replaced,
                      "sha256": digest, "etag": response.etag or "", "last_modified": response.last_modified or "",
                      "seconds": round(response.elapsed, 3), "path": dg.MetadataValue.path(str(target))},
            data_version=dg.DataVersion(digest[:16]))

    @dg.asset(key_prefix=PREFIX, group_name=GROUP, partitions_def=CONFIG_PARTITIONS, kinds={"python"},
              retry_policy=compile_retry(retry_delay_scale),
              description="A named configuration compiled into one list (one partition per configuration). "
                          "Not recompiled when neither the configuration nor any source changed: the cache "
                          "hit is recorded in the metadata.")
    def compiled_filter_lists(context: dg.AssetExecutionContext,
                              filterlists: FilterListsResource) -> dg.MaterializeResult:
        name = context.partition_key
        try:
            configuration = filterlists.registry().config(name)
        except BloqrError as exc:
            raise dg.Failure(description=str(exc), allow_retries=False) from None
        outcome = compile_outcome_for(context, filterlists, name, configuration)
        return dg.MaterializeResult(metadata=outcome_metadata(outcome),
                                    data_version=dg.DataVersion(outcome.cache_key[:16]))

    @dg.asset(key_prefix=PREFIX, group_name=GROUP, kinds={"python"}, retry_policy=health_retry(retry_delay_scale),
              check_specs=[dg.AssetCheckSpec(HEALTH_CHECK_NAME, asset=dg.AssetKey([PREFIX, "source_health"]),
                                             description="No source has failed 3 health checks in a row.")],
              description="Health snapshot of the registered sources (status, latency, rule count vs the "
                          "expected minimum); 30 days of history in state.sqlite and the lake.")
    def source_health(context: dg.AssetExecutionContext, filterlists: FilterListsResource,
                      config: HealthRunConfig):
        plan = plan_checks(filterlists, config.sources)
        previous = {k: HealthResult.from_json(v) for k, v in plan["previous"].items()}
        analysed = health.analyse(run_checks(context, filterlists, plan["sources"]), previous,
                                  filterlists.alert_threshold)
        sent = notify(context, filterlists, analysed)
        pruned = filterlists.history().append(analysed, context.run_id, lake=filterlists.lake)
        return dg.MaterializeResult(
            metadata={"checked": len(analysed), "healthy": sum(r.healthy for r in analysed),
                      "alerts_sent": sent, "pruned": pruned, "table": health_table(analysed)},
            check_results=[dg.AssetCheckResult(check_name=HEALTH_CHECK_NAME,
                                               **check_evaluation(filterlists, analysed))])

    @dg.asset(key_prefix=PREFIX, group_name=GROUP, kinds={"python", "parquet"},
              description="Lake table workflow_runs: one row per filter-list workflow run (the jobs add "
                          "their row when they finish; materializing rewrites the lake files from state.sqlite).")
    def workflow_metrics(context: dg.AssetExecutionContext,
                         filterlists: FilterListsResource) -> dg.MaterializeResult:
        rows = workflow_runs.export_all(filterlists.state_db, filterlists.lake)
        runs = workflow_runs.runs(filterlists.state_db)
        per_workflow = {}
        for run in runs:
            total, ok = per_workflow.get(run.workflow, (0, 0))
            per_workflow[run.workflow] = (total + 1, ok + run.succeeded)
        return dg.MaterializeResult(metadata={
            "rows": rows, **{f"{w}_runs": t for w, (t, _) in per_workflow.items()},
            **{f"{w}_succeeded": ok for w, (_, ok) in per_workflow.items()}})

    return [raw_filter_lists, compiled_filter_lists, source_health, workflow_metrics]
