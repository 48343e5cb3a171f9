"""What the blocking privacy scan costs: in the range scan and in the warehouse build.

    .venv/bin/python benchmarks/privacy_scan.py [--builds N] [--width W]

Generates N builds (default 60,000; about a fifth fail) into a temporary embedded store, scans every
range with the library path (`range_scan.categorize_range`: detection, the privacy refusal, the lake
write), then builds the warehouse from that lake. Prints the time of each step and the share the
privacy scan takes of it (the scan is timed on the same rows it refuses or passes). Figures only:
nothing here asserts a timing.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import duckdb

from bloqr_dagster.build_errors import range_scan
from bloqr_dagster.build_errors.generator import generate
from bloqr_dagster.build_errors.ranges import BuildIdRange
from bloqr_dagster.build_errors.stores import open_store
from bloqr_dagster.settings import Paths
from bloqr_dagster.warehouse import build as warehouse_build


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--builds", type=int, default=60_000, help="builds to generate (default 60,000)")
    parser.add_argument("--width", type=int, default=20_000, help="build ids per range (default 20,000)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bloqr-privacy-bench-") as tmp:
        paths = Paths(Path(tmp))
        paths.home.mkdir(parents=True, exist_ok=True)
        with open_store(f"sqlite:///{paths.builds_db}") as store:
            generate(store, args.builds, seed=11, start_id=1)
            max_id = store.max_build_id() or 0
            scan_s = refuse_s = 0.0
            rows = 0
            real_refuse = range_scan.refuse_private_rows

            def timed_refuse(key, build_ids, groups, samples):
                nonlocal refuse_s, rows
                started = time.perf_counter()
                real_refuse(key, build_ids, groups, samples)
                refuse_s += time.perf_counter() - started
                rows += len(build_ids)

            range_scan.refuse_private_rows = timed_refuse
            try:
                for start in range(0, max_id + 1, args.width):
                    rng = BuildIdRange(start, start + args.width - 1)
                    started = time.perf_counter()
                    range_scan.write_failed_builds(store, rng, paths.lake)
                    failed = range_scan.read_failed_builds(paths.lake, rng)
                    range_scan.categorize_range(store, rng, failed, paths.lake)
                    scan_s += time.perf_counter() - started
            finally:
                range_scan.refuse_private_rows = real_refuse
        print(f"{args.builds:,} builds, {rows:,} build_errors rows in {(max_id // args.width) + 1} ranges")
        print(f"range scans: {scan_s:.2f} s, of which the privacy refusal {refuse_s:.2f} s "
              f"({100 * refuse_s / scan_s:.1f}%)")

        started = time.perf_counter()
        warehouse_build.build_warehouse(paths)
        total = time.perf_counter() - started
        with duckdb.connect(str(paths.warehouse), read_only=True) as con:
            started = time.perf_counter()
            warehouse_build._refuse_private_values(con)
            check = time.perf_counter() - started
        print(f"warehouse build: {total:.2f} s, of which the privacy scan {check:.2f} s ({100 * check / total:.1f}%)")


if __name__ == "__main__":
    main()
