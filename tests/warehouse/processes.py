"""Separate processes for test_concurrency.py (run as scripts, not collected by pytest).

  reader PATH PROGRESS STOP MODELS  open PATH afresh through the product's reader (connect_readonly)
                                    for every query round; check cross-table invariants
  long PATH PROGRESS STOP           one read-only connection opened once and kept for every round
  build HOME SQL_DIR                one warehouse build (prints its log lines)

A reader writes its round count to PROGRESS after each round, stops when STOP exists, then prints
one JSON line: rounds, distinct failed-build totals seen, and every error (lock errors included).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import duckdb

from bloqr_dagster.settings import Paths
from bloqr_dagster.warehouse.query import connect_readonly

INVARIANTS = """
SELECT
    (SELECT failed_builds FROM categorization_coverage),
    (SELECT sum(failed_builds) FROM categorization_coverage_daily),
    (SELECT sum(builds) FROM error_trends_daily),
    (SELECT count(*) FROM build_primary_errors)
"""


def check_round(con: duckdb.DuckDBPyConnection, models: list[str]) -> tuple[int, str | None]:
    overall, daily, trends, primary = con.execute(INVARIANTS).fetchone()
    for model in models:  # every model is there, complete
        con.execute(f'SELECT count(*) FROM "{model}"').fetchone()
    if not overall == daily == trends == primary:
        return overall, f"inconsistent publish: overall={overall} daily={daily} trends={trends} primary={primary}"
    return overall, None


def read_loop(path: str, progress: Path, stop: Path, models: list[str], long_lived: bool) -> dict:
    rounds, seen, errors = 0, set(), []
    held = duckdb.connect(path, read_only=True) if long_lived else None
    while not stop.exists():
        try:
            con = held or connect_readonly(Paths(Path(path).parent))
            try:
                total, problem = check_round(con, models)
            finally:
                if con is not held:
                    con.close()
            seen.add(total)
            if problem:
                errors.append(problem)
        except Exception as exc:  # lock errors, missing tables, anything: the test fails on it
            errors.append(f"{type(exc).__name__}: {str(exc).splitlines()[0]}")
        rounds += 1
        tmp = progress.with_suffix(".tmp")
        tmp.write_text(str(rounds))
        tmp.replace(progress)
    if held is not None:
        held.close()
    return {"rounds": rounds, "seen": sorted(seen), "errors": errors[:20], "error_count": len(errors)}


def main(argv: list[str]) -> int:
    mode = argv[0]
    if mode in ("reader", "long"):
        models = argv[4].split(",") if mode == "reader" else []
        print(json.dumps(read_loop(argv[1], Path(argv[2]), Path(argv[3]), models, mode == "long")))
        return 0
    if mode == "build":
        from bloqr_dagster.settings import Paths
        from bloqr_dagster.warehouse.build import build_warehouse

        build_warehouse(Paths(Path(argv[1])), sql_dir=Path(argv[2]), log=lambda m: print(m, flush=True))
        return 0
    raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
