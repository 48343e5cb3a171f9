"""The offline filter-list demo behind `bloqr demo` / `make demo`.

Registers two small lists shipped with the package (filterlists/demo/) and a configuration that
combines them, then, on the given Dagster instance: materialises raw_filter_lists for both, compiles
compiled_filter_lists twice (the second run is a cache hit), checks source_health, runs compile_job
and isolated_compile_job, and refreshes workflow_metrics. No network, no ../shared.
"""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg

from bloqr_dagster import settings
from bloqr_dagster.defs.filterlists import build_defs
from bloqr_dagster.defs.filterlists.partitions import sync_partitions
from bloqr_dagster.defs.filterlists.resources import RESOURCE_KEY, FilterListsResource
from bloqr_dagster.defs.resources import QUIET_RUN_CONFIG, BloqrHome
from bloqr_dagster.filterlists.defaults import SourceSpec
from bloqr_dagster.filterlists.demo import DEMO_CONFIG, DEMO_DIR

DEMO_CONFIG_KEY = "demo"
DEMO_SOURCES = (("demo_ads", "Demo ads", "demo_ads.txt", "adblock"),
                ("demo_hosts", "Demo hosts", "demo_hosts.txt", "hosts"))


def demo_configuration() -> dict:
    """The demo configuration with absolute source paths, so it compiles from any directory."""
    config = json.loads(DEMO_CONFIG.read_text(encoding="utf-8"))
    for source in config["sources"]:
        source["source"] = str(DEMO_DIR / source["source"])
    return config


def run_demo(instance: dg.DagsterInstance, home: Path | None = None) -> list[str]:
    resource = FilterListsResource(home=BloqrHome(home=str(home or settings.bloqr_home())),
                                   base_dir=str(DEMO_DIR))
    defs = build_defs(resource)
    registry = resource.registry()
    for key, name, file, kind in DEMO_SOURCES:
        registry.add_source(SourceSpec(key, name, str(DEMO_DIR / file), kind, 5))
    configuration = demo_configuration()
    registry.add_config(DEMO_CONFIG_KEY, configuration)
    sync_partitions(instance, registry)
    assets = defs.assets or []
    resources = {RESOURCE_KEY: resource}
    lines: list[str] = []

    def materialize(name: str, partition: str | None = None, run_config: dict | None = None) -> dict:
        key = dg.AssetKey(["filterlists", name])
        result = dg.materialize(assets, selection=[key], partition_key=partition, instance=instance,
                                resources=resources, run_config={**QUIET_RUN_CONFIG, **(run_config or {})})
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
    lines.append(f"source_health: {meta['healthy']}/{meta['checked']} sources healthy")

    compiled = defs.get_job_def("compile_job").execute_in_process(
        {**QUIET_RUN_CONFIG, "ops": {"validate": {"config": {"configuration": configuration}}}}, instance=instance)
    out = compiled.output_for_node("update_metrics")
    lines.append(f"compile_job: {'succeeded' if compiled.success else 'FAILED'}, {out['rule_count']} rules "
                 f"(cache {'hit' if out['cache_hit'] else 'miss'}), run {compiled.run_id[:8]}")
    prefetched = {file: (DEMO_DIR / file).read_text(encoding="utf-8") for _, _, file, _ in DEMO_SOURCES}
    isolated_config = dict(configuration, sources=[dict(s, source=Path(s["source"]).name)
                                                   for s in configuration["sources"]])
    isolated = defs.get_job_def("isolated_compile_job").execute_in_process(
        {**QUIET_RUN_CONFIG, "ops": {"validate_isolated": {"config": {
            "configuration": isolated_config, "prefetched": prefetched, "config_name": "demo_isolated"}}}},
        instance=instance)
    entry = isolated.output_for_node("update_isolated_metrics")
    lines.append(f"isolated_compile_job: {'succeeded' if isolated.success else 'FAILED'}, "
                 f"{entry['rule_count']} rules compiled with no network, key {entry['cache_key'][:12]}")
    meta = materialize("workflow_metrics")
    lines.append(f"workflow_metrics: {meta['rows']} workflow runs recorded in the lake (workflow_runs)")
    lines.append(f"latest compiled list: bloqr cache get {DEMO_CONFIG_KEY} -o demo.txt  "
                 f"(cache in {resource.cache_dir})")
    return lines
