"""Ops of the isolated compile job. validate, transform and cache each run in a child process with no
network, an empty environment and CPU/memory limits (filterlists/isolated.py); this process only
prepares their inputs and reads their JSON results. Sources must be pre-fetched: nothing downloads."""

import hashlib
import json
from pathlib import Path
from typing import Any

import dagster as dg
from pydantic import Field

from bloqr_dagster.defs.filterlists.resources import FilterListsResource
from bloqr_dagster.defs.filterlists.runtime import event_logger, record_workflow_run
from bloqr_dagster.filterlists.cache_store import config_key
from bloqr_dagster.filterlists.isolated import IsolatedStepError, run_step


class IsolatedRunConfig(dg.Config):
    """The replaced system's compile body with `preFetchedContent`: configuration + source texts."""

    configuration: dict[str, Any] = Field(description="hostlist-compiler configuration JSON")
    prefetched: dict[str, str] = Field(
        default_factory=dict, description="source (as configured, or its name) -> list text")
    prefetched_file: str = Field("", description="or a JSON file holding that mapping")
    config_name: str = Field("", description="name in the compiled cache (default: from configuration.name)")


def _workdir(fl: FilterListsResource, run_id: str) -> Path:
    return fl.home.paths.home / "isolated" / run_id


def _run(context: dg.OpExecutionContext, fl: FilterListsResource, step: str,
         payload: dict[str, Any]) -> dict[str, Any]:
    log = event_logger(context)
    log("isolated_step_started", {"step": step})
    try:
        result = run_step(step, payload, _workdir(fl, context.run_id) / step, fl.isolated_limits())
    except IsolatedStepError as exc:
        # Bad input (a missing pre-fetched source, an invalid configuration) cannot be fixed by retrying.
        raise dg.Failure(description=str(exc), allow_retries="exceeded" in str(exc) or "killed" in str(exc)) \
            from None
    log("isolated_step_completed", {"step": step, **{k: v for k, v in result.items() if isinstance(v, int | str)
                                                      and k != "output_file"}})
    return result


@dg.op(description="In a sandboxed child: validate the configuration and that every source is pre-fetched.")
def validate_isolated(context: dg.OpExecutionContext, filterlists: FilterListsResource,
                      config: IsolatedRunConfig) -> dict[str, Any]:
    mapping: dict[str, str] = {}
    if config.prefetched_file:
        try:
            mapping.update(json.loads(Path(config.prefetched_file).read_text(encoding="utf-8")))
        except (OSError, ValueError) as exc:
            raise dg.Failure(description=f"prefetched_file: cannot read {config.prefetched_file}: {exc}",
                             allow_retries=False) from None
    mapping.update(config.prefetched)
    if not mapping:
        raise dg.Failure(description="pre-fetched content is required: give `prefetched` (source -> text) or "
                                     "`prefetched_file`; isolated compiles never download", allow_retries=False)
    workdir = _workdir(filterlists, context.run_id)
    workdir.mkdir(parents=True, exist_ok=True)
    prefetched_file = workdir / "prefetched.json"
    prefetched_file.write_text(json.dumps(mapping), encoding="utf-8")
    payload = {"config": config.configuration, "prefetched_file": str(prefetched_file), "require_prefetched": True}
    result = _run(context, filterlists, "validate", payload)
    versions = [{"source": k, "content_sha256": hashlib.sha256(v.encode()).hexdigest(),
                 "raw_sha256": hashlib.sha256(v.encode()).hexdigest()}
                for k, v in sorted(mapping.items())]
    return {**payload, "config_name": config.config_name or config_key(result["name"]),
            "fingerprint": result["fingerprint"], "source_versions": versions}


@dg.op(description="In a sandboxed child: compile from the pre-fetched sources only.")
def transform_isolated(context: dg.OpExecutionContext, filterlists: FilterListsResource,
                       validated: dict[str, Any]) -> dict[str, Any]:
    output = _workdir(filterlists, context.run_id) / "compiled.txt"
    result = _run(context, filterlists, "transform", {**validated, "output_file": str(output)})
    context.add_output_metadata({"rule_count": result["rule_count"], "cache_key": result["cache_key"]})
    return result


@dg.op(description="In a sandboxed child: store the list under the SHA-256 of its rules.")
def cache_isolated(context: dg.OpExecutionContext, filterlists: FilterListsResource, validated: dict[str, Any],
                   compiled: dict[str, Any]) -> dict[str, Any]:
    payload = {"config": validated["config"], "config_name": validated["config_name"],
               "compiled_file": compiled["output_file"], "header_lines": compiled["header_lines"],
               "cache_key": compiled["cache_key"], "rule_count": compiled["rule_count"],
               "cache_dir": str(filterlists.cache_dir), "source_versions": validated["source_versions"]}
    entry = _run(context, filterlists, "cache", payload)
    event_logger(context)("cache_stored", {"config": entry["config_name"], "cache_key": entry["cache_key"],
                                           "rule_count": entry["rule_count"]})
    context.add_output_metadata(entry)
    return entry


@dg.op(description="Record the run in the workflow_runs metrics table.")
def update_isolated_metrics(context: dg.OpExecutionContext, filterlists: FilterListsResource,
                            entry: dict[str, Any]) -> dict[str, Any]:
    record_workflow_run(context, filterlists, configurations=1)
    return entry
