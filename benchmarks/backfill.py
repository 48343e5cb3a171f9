"""Backfill benchmark: every build-ID range of a generated corpus through a real Dagster backfill.

    .venv/bin/python benchmarks/backfill.py                       # 100,000 failed builds
    .venv/bin/python benchmarks/backfill.py --failed-builds 1000000 --reuse

What it measures, on one fresh Dagster instance (SQLite storage, the repository's dagster.yaml):
1. the library-only scan of the same corpus: per range, the store's failed builds, stream_logs,
   detectors.diagnose and the lake write (no Dagster at all), into a separate lake folder;
2. the Dagster path `bloqr backfill` takes: register the ranges, launch an asset backfill through
   the webserver's GraphQL API, start `dagster-daemon run`, and wait until the backfill is marked
   complete (the clock starts at the launch, after the webserver has loaded the code location). The daemon's backfill
   loop submits multi-range runs (the assets' BackfillPolicy), the run queue launches them as
   subprocesses (DefaultRunLauncher), `--concurrent-runs` at a time. The Dagster path also writes
   the failed_builds and build_stats tables and evaluates three asset checks per run.

It prints wall times, failed builds/s and the overhead of (2) against (1). The corpus (the
embedded store) is kept in benchmarks/.work/backfill with --reuse, so a second run skips
generation. Prints figures only; nothing here asserts a timing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "benchmarks" / ".work" / "backfill"
FAILURE_SHARE_GUESS = 0.27  # of generated builds; topped up until the target is reached


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--failed-builds", type=int, default=100_000, help="failed builds in the corpus")
    p.add_argument("--reuse", action="store_true", help=f"keep/reuse the corpus in {WORK}")
    p.add_argument("--range-width", type=int, default=10_000, help="build ids per range (partition)")
    p.add_argument("--ranges-per-run", type=int, default=None,
                   help="BackfillPolicy max_partitions_per_run (default: ranges / concurrent runs, max 25)")
    p.add_argument("--concurrent-runs", type=int, default=2, help="run queue max_concurrent_runs")
    p.add_argument("--library-scans", type=int, choices=(0, 1, 2), default=2,
                   help="library-only scans: 2 = before and after the backfill (the machine is shared)")
    return p.parse_args()


def ensure_corpus(bloqr_home: Path, failed_target: int) -> tuple[int, int]:
    """Generate (or top up) the embedded store until it holds `failed_target` failed builds."""
    from bloqr_dagster.build_errors.generator import generate
    from bloqr_dagster.build_errors.stores import open_store

    bloqr_home.mkdir(parents=True, exist_ok=True)
    with open_store(f"sqlite:///{bloqr_home / 'builds.sqlite'}") as store:
        failed = len(store.failed_build_ids_after(-1, limit=10**9))
        started = time.perf_counter()
        while failed < failed_target:
            n = max(int((failed_target - failed) / FAILURE_SHARE_GUESS * 1.02), 1000)
            print(f"generating {n:,} builds (have {failed:,} failed builds of {failed_target:,})", flush=True)
            report = generate(store, n, seed=1000 + failed, keep_planted=False)
            failed += report.failed
        if time.perf_counter() - started > 1:
            print(f"corpus generated in {time.perf_counter() - started:.0f}s", flush=True)
        return failed, store.max_build_id()


def library_scan(store_url: str, lake_dir: Path, max_id: int, width: int) -> tuple[float, int]:
    """The same per-range work without Dagster: store -> diagnose -> one lake file per range."""
    from bloqr_dagster.build_errors import range_scan
    from bloqr_dagster.build_errors.ranges import ranges_between
    from bloqr_dagster.build_errors.stores import open_store

    shutil.rmtree(lake_dir, ignore_errors=True)
    failed = 0
    started = time.perf_counter()
    with open_store(store_url) as store:
        for rng in ranges_between(0, max_id, width):
            failed_of_range = range_scan.failed_builds_from_store(store, rng)
            res = range_scan.categorize_range(store, rng, failed_of_range, lake_dir)
            failed += res.failed_builds
    return time.perf_counter() - started, failed


def make_instance_home(dagster_home: Path, concurrent_runs: int) -> None:
    shutil.rmtree(dagster_home, ignore_errors=True)
    dagster_home.mkdir(parents=True)
    config = yaml.safe_load((ROOT / "dagster.yaml").read_text())
    config.setdefault("concurrency", {}).setdefault("runs", {})["max_concurrent_runs"] = concurrent_runs
    # Dequeue every second instead of every 5 s: queued runs start sooner once a slot frees up.
    config["run_coordinator"]["config"] = {"dequeue_interval_seconds": 1}
    (dagster_home / "dagster.yaml").write_text(yaml.safe_dump(config))


def dagster_backfill(max_id: int, width: int) -> dict[str, float]:
    """Register ranges, start a webserver and the daemon, launch the backfill through the
    webserver's GraphQL API (as `bloqr backfill` does), wait until it is complete."""
    import dagster as dg

    from bloqr_dagster.cli import dagster_services as services
    from bloqr_dagster.cli.webserver_api import Webserver
    from bloqr_dagster.defs.build_errors import backfill as bf
    from bloqr_dagster.defs.build_errors.partitions import ranges_to_register, register_ranges

    workspace = ROOT / "workspace.yaml"
    with dg.DagsterInstance.get() as instance:
        register_ranges(instance, ranges_to_register(-1, max_id, width))
        keys = list(instance.get_dynamic_partitions("build_id_ranges"))
        lake_dir = Path(os.environ["BLOQR_HOME"]) / "lake"
        log_path = Path(instance.root_directory) / "services.log"
        with open(log_path, "ab") as log_file:
            port = services.free_port()
            web_proc = services.start_webserver(workspace, port, log_file)
            try:
                web = Webserver(f"http://127.0.0.1:{port}")
                web.wait_until_loaded("bloqr_dagster", 600, alive=lambda: web_proc.poll() is None)
                started = time.perf_counter()
                backfill_id = web.launch_backfill(keys, [k.path for k in bf.ASSET_KEYS], tags={},
                                                  title="benchmarks/backfill.py", description="")
                daemon = services.start_daemon(workspace, log_file)
                try:
                    last = ""
                    all_written = None
                    while True:
                        progress = bf.backfill_progress(instance, backfill_id, keys, lake_dir)
                        if all_written is None and progress.ranges_done == len(keys):
                            all_written = time.perf_counter() - started
                        if progress.line() != last:
                            last = progress.line()
                            print(f"  [{time.perf_counter() - started:6.1f}s] {last}", flush=True)
                        if progress.finished:
                            break
                        if daemon.poll() is not None:
                            raise SystemExit(f"dagster-daemon exited ({daemon.returncode}); see {log_path}")
                        time.sleep(1)
                    wall = time.perf_counter() - started
                finally:
                    services.stop(daemon)
            finally:
                services.stop(web_proc)
        runs = instance.get_runs(filters=dg.RunsFilter.for_backfill(backfill_id))
        stats = [instance.get_run_stats(r.run_id) for r in runs]
        first_start = min(s.start_time for s in stats if s.start_time)
        last_end = max(s.end_time for s in stats if s.end_time)
        run_seconds = sum(s.end_time - s.start_time for s in stats if s.start_time and s.end_time)
        if not progress.succeeded:
            raise SystemExit(f"backfill did not succeed: {progress.line()} (see {log_path})")
        return {"wall": wall, "written": all_written or wall, "runs": len(runs), "ranges": len(keys),
                "runs_span": last_end - first_start, "run_seconds": run_seconds}


def main() -> None:
    args = parse_args()
    work = WORK if args.reuse else WORK.parent / f"backfill-{os.getpid()}"
    bloqr_home, dagster_home = work / "bloqr", work / "dagster_home"
    os.environ.update({"BLOQR_HOME": str(bloqr_home), "DAGSTER_HOME": str(dagster_home),
                       "BLOQR_RANGE_WIDTH": str(args.range_width)})
    os.environ.pop("BLOQR_BUILD_STORE", None)
    try:
        failed, max_id = ensure_corpus(bloqr_home, args.failed_builds)
        n_ranges = max_id // args.range_width + 1
        per_run = args.ranges_per_run or max(1, min(25, -(-n_ranges // args.concurrent_runs)))
        os.environ["BLOQR_RANGES_PER_RUN"] = str(per_run)
        print(f"corpus: {max_id:,} builds, {failed:,} failed, {n_ranges} ranges of {args.range_width:,} ids; "
              f"{per_run} ranges per run, {args.concurrent_runs} concurrent runs, {os.cpu_count()} CPUs")
        for table in ("failed_builds", "build_stats", "build_errors"):
            shutil.rmtree(bloqr_home / "lake" / table, ignore_errors=True)

        store_url = f"sqlite:///{bloqr_home / 'builds.sqlite'}"
        lib_walls = []

        def run_library(label: str) -> None:
            seconds, lib_failed = library_scan(store_url, work / "library_lake", max_id, args.range_width)
            lib_walls.append(seconds)
            rate = lib_failed / seconds
            print(f"library-only scan ({label}): {seconds:.1f}s, {rate:,.0f} failed builds/s", flush=True)

        if args.library_scans:
            run_library("before")
        make_instance_home(dagster_home, args.concurrent_runs)
        print("Dagster backfill (daemon, multi-range runs in subprocesses):", flush=True)
        res = dagster_backfill(max_id, args.range_width)
        if args.library_scans == 2:
            run_library("after")  # the machine is shared: bracket the Dagster run

        wall, written, span = res["wall"], res["written"], res["runs_span"]
        print(f"\nDagster backfill of {failed:,} failed builds in {res['ranges']} ranges, {res['runs']} runs "
              f"({per_run} ranges per run, {args.concurrent_runs} at a time):")
        for label, seconds in (("launch -> every range written:     ", written),
                               ("launch -> backfill marked complete:", wall)):
            print(f"  {label} {seconds:6.1f}s  {failed / seconds:7,.0f} failed builds/s")
        print(f"  first run start -> last run end:    {span:6.1f}s  ({res['run_seconds']:.1f} run-seconds)")
        fixed = wall - span  # daemon start, run launch, the daemon's 30 s backfill loop
        if lib_walls:
            lib = sum(lib_walls) / len(lib_walls)
            print(f"library-only scan (mean of {len(lib_walls)}): {lib:.1f}s, "
                  f"{failed / lib:,.0f} failed builds/s")
            print(f"overhead vs library-only: {100 * (written / lib - 1):+.1f}% (all ranges written), "
                  f"{100 * (wall / lib - 1):+.1f}% (backfill complete), "
                  f"{100 * (span / lib - 1):+.1f}% (runs only)")
        scale = 1_000_000 / failed
        est = fixed + span * scale
        extra = f", overhead {100 * (est / (lib * scale) - 1):+.1f}%" if lib_walls else ""
        print(f"1,000,000 failed builds, extrapolated (fixed {fixed:.0f}s + runs x{scale:.1f}): "
              f"{est / 60:.1f} min{extra}")
    finally:
        if not args.reuse:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
