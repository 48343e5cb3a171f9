"""`bloqr demo`: everything end to end on this machine, offline, without a daemon or a server.

Generates a demo build corpus into the embedded store (deterministic; kept on re-runs),
materialises the build-error assets for every build-ID range and the filter-list demo on the
DAGSTER_HOME instance, builds the DuckDB warehouse, and prints where to look.
"""

from __future__ import annotations

import argparse
import time

from bloqr_dagster.cli import interrupts
from bloqr_dagster.project import prepare_dagster_home

DEMO_BUILDS = 30_000  # three build-ID ranges of the default width; ~8,000 failed builds over 30 days
DEMO_SEED = 2026
DEMO_FIRST_ID = 1
SAMPLE_SQL = ("SELECT rank, error_code, primary_builds AS builds, error_group FROM error_groups_ranked "
              "ORDER BY rank LIMIT 10")


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("demo", help="generate demo data, materialise everything, build the warehouse",
                              description=__doc__.split("\n\n")[0])
    p.add_argument("--builds", type=int, default=DEMO_BUILDS, help=f"demo builds (default {DEMO_BUILDS:,})")
    p.set_defaults(func=run)


def _say(message: str) -> None:
    print(message, flush=True)


def generate_corpus(n_builds: int) -> tuple[int, int]:
    """The demo builds (skipped when the store already holds them) -> (builds, failed builds)."""
    from bloqr_dagster import settings
    from bloqr_dagster.build_errors.generator import DEFAULT_START, generate
    from bloqr_dagster.build_errors.stores import open_store

    with open_store(settings.build_store_url()) as store:
        have = store.max_build_id() or 0
        if have < DEMO_FIRST_ID + n_builds - 1:
            started = time.perf_counter()
            generate(store, n_builds, seed=DEMO_SEED, start_id=DEMO_FIRST_ID, start_time=DEFAULT_START,
                     keep_planted=False)
            _say(f"generated {n_builds:,} demo builds into {settings.build_store_url()} "
                 f"in {time.perf_counter() - started:.1f}s")
        else:
            _say(f"demo builds already in {settings.build_store_url()} (up to build id {have:,})")
        max_id = store.max_build_id() or 0
        failed = len(store.failed_build_ids_after(-1, limit=10 * max_id + 1))
    return max_id, failed


def anomalies_report(paths) -> str:  # noqa: ANN001 - settings.Paths, imported late
    """What the regression radar flagged over the whole corpus (the generator's spike days)."""
    from bloqr_dagster.radar.anomalies import read_anomalies
    from bloqr_dagster.warehouse.query import markdown_table

    found = sorted(read_anomalies(paths), key=lambda a: (a.window_start, a.window_kind, -a.score))
    if not found:
        return "Regression radar: no anomaly (no new or spiking error group, no completion-rate drop)."
    rows = [(a.window_start.strftime("%Y-%m-%d %H:%M"), a.window_kind, a.kind, a.level, a.error_code,
             (a.error_group or "")[:60], a.builds, a.baseline, a.score) for a in found]
    return (f"Regression radar: {len(found)} anomal{'y' if len(found) == 1 else 'ies'} "
            "(error_group_anomalies, completion_rate_anomalies; `bloqr mcp` serves them to an editor):\n"
            + markdown_table(["window", "per", "kind", "level", "error_code", "error_group", "builds",
                              "expected", "score"], rows))


def run(args: argparse.Namespace) -> int:
    from bloqr_dagster.errors import BloqrError

    if args.builds <= 0:
        raise BloqrError(f"--builds: must be positive, got {args.builds}")
    dagster_home = prepare_dagster_home()
    from bloqr_dagster import settings

    paths = settings.paths()
    _say(f"BLOQR_HOME={paths.home}  DAGSTER_HOME={dagster_home}")
    max_id, failed = generate_corpus(args.builds)

    import dagster as dg

    from bloqr_dagster.definitions import load_defs
    from bloqr_dagster.defs.build_errors.partitions import (
        highest_registered_end,
        ranges_to_register,
        register_ranges,
    )
    from bloqr_dagster.defs.filterlists.demo import run_demo
    from bloqr_dagster.defs.resources import QUIET_RUN_CONFIG
    from bloqr_dagster.warehouse.query import markdown_table, run_query

    width = settings.range_width()
    defs = load_defs()
    # Dagster's helper processes write to this file, not the terminal (see interrupts).
    run_log = dagster_home / "bloqr-demo-stderr.log"
    with interrupts.stderr_of_children_to(run_log), dg.DagsterInstance.get() as instance:
        new = ranges_to_register(highest_registered_end(instance), max_id, width, DEMO_FIRST_ID)
        register_ranges(instance, new)
        keys = list(instance.get_dynamic_partitions("build_id_ranges"))
        _say(f"materialising build_errors for {len(keys)} build-ID ranges ({failed:,} failed builds) ...")
        result = defs.resolve_job_def("build_errors_job").execute_in_process(
            instance=instance, raise_on_error=False, run_config=QUIET_RUN_CONFIG,
            tags={"dagster/asset_partition_range_start": keys[0],
                  "dagster/asset_partition_range_end": keys[-1]})
        interrupts.check()
        if not result.success:
            raise BloqrError(f"the build_errors run failed; see the run in the UI (`make ui`) and {run_log}")
        for check in result.get_asset_check_evaluations():
            _say(f"  check {check.check_name}: {'passed' if check.passed else 'FAILED'}")

        _say("running the filter-list demo ...")
        for line in run_demo(instance, paths.home):
            _say(f"  {line}")
        interrupts.check()

        _say("building the DuckDB warehouse ...")
        wh = defs.resolve_job_def("warehouse_job").execute_in_process(instance=instance, raise_on_error=False,
                                                                     run_config=QUIET_RUN_CONFIG)
        interrupts.check()
        if not wh.success:
            raise BloqrError(f"the warehouse_job run failed; see the run in the UI (`make ui`) and {run_log}")

    top = run_query(paths, SAMPLE_SQL)
    coverage = run_query(paths, "SELECT failed_builds, categorised, round(100 * coverage, 1) AS coverage_pct "
                                "FROM categorization_coverage")
    _say("\nTop error groups:\n" + markdown_table(top.columns, top.rows))
    _say("\nCategorisation coverage:\n" + markdown_table(coverage.columns, coverage.rows))
    _say("\n" + anomalies_report(paths))
    _say(f"\nThe warehouse (open it read-only; that works while pipelines run): {paths.warehouse}\n"
         f"  .venv/bin/duckdb -readonly {paths.warehouse} \"{SAMPLE_SQL}\"\n"
         f"  models: SELECT model, rows, built_at FROM _bloqr_models;  (README: 'The DuckDB warehouse')\n"
         f"Open the UI: make ui   (dagster dev on http://127.0.0.1:3000; same DAGSTER_HOME and BLOQR_HOME)")
    return 0
