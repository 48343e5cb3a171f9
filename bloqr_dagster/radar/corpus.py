"""Run the radar over a generated corpus without Dagster: for its tests and false-alarm benchmark.

generate (with or without the planted spike days) -> scan every build-ID range into the lake ->
build the warehouse -> every anomaly the models flag, current or not.
"""

from __future__ import annotations

from bloqr_dagster import settings
from bloqr_dagster.build_errors import range_scan
from bloqr_dagster.build_errors.generator import generate
from bloqr_dagster.build_errors.ranges import range_for
from bloqr_dagster.build_errors.stores import open_store
from bloqr_dagster.radar.anomalies import MAX_ANOMALIES, Anomaly, read_anomalies
from bloqr_dagster.settings import Paths
from bloqr_dagster.warehouse.build import build_warehouse


def scan_store_into_lake(paths: Paths, width: int = settings.DEFAULT_RANGE_WIDTH) -> int:
    """Write failed_builds/build_stats/build_errors for every range of the embedded store."""
    with open_store(f"sqlite:///{paths.builds_db}") as store:
        max_id = store.max_build_id()
        if max_id is None:
            return 0
        rng = range_for(0, width)
        ranges = 0
        while rng.start <= max_id:
            range_scan.write_failed_builds(store, rng, paths.lake)
            range_scan.categorize_range(store, rng, range_scan.read_failed_builds(paths.lake, rng), paths.lake)
            rng = range_for(rng.end + 1, width)
            ranges += 1
    return ranges


def anomalies_on_generated_corpus(paths: Paths, builds: int, days: float, *, spikes: bool, seed: int = 2026,
                                  processes: int = 2) -> list[Anomaly]:
    """All anomalies the radar flags on a fresh generated corpus under `paths` (an empty home)."""
    paths.home.mkdir(parents=True, exist_ok=True)
    with open_store(f"sqlite:///{paths.builds_db}") as store:
        generate(store, builds, seed=seed, start_id=1, days=days, keep_planted=False, spikes=spikes,
                 processes=processes)
    scan_store_into_lake(paths)
    build_warehouse(paths)
    return read_anomalies(paths, limit=MAX_ANOMALIES)
