"""The offline filter-list demo behind `bloqr demo` / `make demo`.

Copies the two small lists shipped with the package (filterlists/demo/) into the sources folder,
registers them and a configuration that combines them, then, on the given Dagster instance:
fetches raw_filter_lists for both, compiles compiled_filter_lists twice (the second run is a cache
hit), checks their health, runs isolated_compile_job, and exports the run records to the lake
(workflow_metrics). No network, no ../shared; afterwards the same partitions work from the UI.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import dagster as dg

from bloqr_dagster import settings
from bloqr_dagster.defs.filterlists import assets, checks, jobs
from bloqr_dagster.defs.filterlists.partitions import sync_partitions
from bloqr_dagster.defs.filterlists.resources import RESOURCE_KEY, FilterListsResource
from bloqr_dagster.defs.resources import QUIET_RUN_CONFIG, BloqrHome
from bloqr_dagster.filterlists.defaults import SourceSpec
from bloqr_dagster.filterlists.demo import DEMO_CONFIG, DEMO_DIR

DEMO_CONFIG_KEY = "demo"
DEMO_SOURCES = (("demo_ads", "Demo ads", "demo_ads.txt", "adblock"),
                ("demo_hosts", "Demo hosts", "demo_hosts.txt", "hosts"))


def demo_configuration() -> dict[str, Any]:
    """The demo configuration, its sources as paths inside the sources folder."""
    config = json.loads(DEMO_CONFIG.read_text(encoding="utf-8"))
    for source in config["sources"]:
        source["source"] = f"demo/{source['source']}"
    return config


def install_demo_sources(sources_root: Path) -> None:
    """Copy the demo lists into `<sources folder>/demo/`, where local sources may be read from."""
    target = sources_root / "demo"
    target.mkdir(parents=True, exist_ok=True)
    for _, _, file, _ in DEMO_SOURCES:
        shutil.copyfile(DEMO_DIR / file, target / file)


def run_demo(instance: dg.DagsterInstance, home: Path | None = None) -> list[str]:
    resource = FilterListsResource(home=BloqrHome(home=str(home or settings.bloqr_home())))
    install_demo_sources(resource.sources_root)
    registry = resource.registry()
    for key, name, file, kind in DEMO_SOURCES:
        registry.add_source(SourceSpec(key, name, f"demo/{file}", kind, 5))
    registry.add_config(DEMO_CONFIG_KEY, demo_configuration())
    sync_partitions(instance, registry)
    defs = dg.Definitions(assets=[assets.raw_filter_lists, assets.compiled_filter_lists, assets.source_health,
                                  assets.workflow_metrics], asset_checks=[checks.sources_healthy],
                          jobs=[jobs.isolated_compile_job], resources={RESOURCE_KEY: resource})
    asset_job = defs.resolve_implicit_global_asset_job_def()
    lines: list[str] = []

    def materialize(name: str, partition: str | None = None, run_config: dict | None = None) -> dict[str, Any]:
        key = dg.AssetKey(["filterlists", name])
        selection = [key, dg.AssetKey(["filterlists", "workflow_step_metrics"])] if name == "workflow_metrics" else [key]
        result = asset_job.execute_in_process(instance=instance, asset_selection=selection, partition_key=partition,
                                              run_config={**QUIET_RUN_CONFIG, **(run_config or {})})
        [event] = [e for e in result.get_asset_materialization_events() if e.asset_key == key]
        return {k: v.value for k, v in event.materialization.metadata.items()}

    for key, *_ in DEMO_SOURCES:
        meta = materialize("raw_filter_lists", key)
        lines.append(f"raw_filter_lists[{key}]: {meta['rule_count']} rules, {meta['bytes']} bytes")
    for attempt in ("first", "second"):
        meta = materialize("compiled_filter_lists", DEMO_CONFIG_KEY)
        how = "cache hit, not recompiled" if meta["cache_hit"] else f"compiled in {meta['compile_seconds']:.3f} s"
        lines.append(f"compiled_filter_lists[{DEMO_CONFIG_KEY}] ({attempt} run): {meta['rule_count']} rules, "
                     f"{how}, key {meta['cache_key'][:12]}")
    meta = materialize("source_health", run_config={"ops": {"filterlists__source_health": {
        "config": {"sources": [k for k, *_ in DEMO_SOURCES]}}}})
    lines.append(f"source_health: {meta['summary']}")

    prefetched = {f"demo/{file}": (DEMO_DIR / file).read_text(encoding="utf-8") for _, _, file, _ in DEMO_SOURCES}
    isolated = defs.get_job_def("isolated_compile_job").execute_in_process(
        {**QUIET_RUN_CONFIG, "ops": {"validate_isolated": {"config": {
            "configuration": demo_configuration(), "prefetched": prefetched,
            "config_name": "demo_isolated"}}}}, instance=instance)
    entry = isolated.output_for_node("cache_isolated")
    lines.append(f"isolated_compile_job: {'succeeded' if isolated.success else 'FAILED'}, "
                 f"{entry['rule_count']} rules compiled with no network, key {entry['cache_key'][:12]}")
    meta = materialize("workflow_metrics")
    lines.append(f"workflow_metrics: {meta['dagster/row_count']} filter-list runs in the lake (workflow_runs), "
                 "exported from Dagster's run records")
    lines.append(f"latest compiled list: bloqr cache get {DEMO_CONFIG_KEY} -o demo.txt  "
                 f"(cache in {resource.cache_dir})")
    return lines
