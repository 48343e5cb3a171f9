"""The build-error assets, partitioned by build-ID range.

One run may cover many ranges (the backfill policy packs up to MAX_RANGES_PER_RUN ranges into
one run): each asset walks `context.partition_keys` in order, writes each range's lake file as
soon as that range is done, and attaches that range's metadata to its own materialization.
"""

import os
import warnings

import dagster as dg

from bloqr_dagster.build_errors import privacy, range_scan
from bloqr_dagster.build_errors.detectors import load_user_rules, rules_version
from bloqr_dagster.build_errors.ranges import parse_range_key
from bloqr_dagster.defs.build_errors.partitions import build_id_ranges
from bloqr_dagster.defs.build_errors.resources import BuildStoreResource
from bloqr_dagster.defs.lake_metadata import lake_metadata

GROUP = "build_errors"
KEY_PREFIX = ["build_errors"]
FAILED_BUILDS = dg.AssetKey([*KEY_PREFIX, "failed_builds"])
CATEGORIZED_BUILD_ERRORS = dg.AssetKey([*KEY_PREFIX, "categorized_build_errors"])

# backfill_policy is marked beta; it is the documented way to pack partitions into runs.
warnings.filterwarnings("ignore", message="Parameter `backfill_policy`", category=dg.BetaWarning)

# Ranges per backfill run. A run costs a few seconds to start, a range of 10,000 ids a few
# seconds to scan: 25 ranges per run keeps start-up under ~10% and still spreads a large backfill
# over the run queue's parallel slots (benchmarks/backfill.py measures it).
MAX_RANGES_PER_RUN = int(os.environ.get("BLOQR_RANGES_PER_RUN", "25"))
BACKFILL_POLICY = dg.BackfillPolicy.multi_run(max_partitions_per_run=MAX_RANGES_PER_RUN)

# Store reads can fail transiently (a Postgres failover, a locked SQLite file): retry the step.
STORE_RETRY = dg.RetryPolicy(max_retries=2, delay=5, backoff=dg.Backoff.EXPONENTIAL,
                             jitter=dg.Jitter.PLUS_MINUS)


# The categorisation's code version is the rules version (built-in RULES_VERSION + a hash of the
# user rules): after a rule change and a reload of the code location, the UI shows every range
# categorised under other rules as stale, and `bloqr backfill --stale` re-runs exactly those.
RULES_CODE_VERSION = rules_version(load_user_rules())


def _pct(value: float) -> float:
    return round(100.0 * value, 2)


@dg.asset(
    key=FAILED_BUILDS,
    group_name=GROUP,
    partitions_def=build_id_ranges,
    backfill_policy=BACKFILL_POLICY,
    retry_policy=STORE_RETRY,
    kinds={"python", "parquet"},
    description="The failed builds of each build-ID range (lake table failed_builds) and per-day "
                "completion counts over all its builds (lake table build_stats).",
)
def failed_builds(context: dg.AssetExecutionContext,
                  build_store: BuildStoreResource) -> dg.MaterializeResult:
    keys = context.partition_keys
    lake_dir = build_store.lake_dir
    with build_store.open() as store:
        for i, key in enumerate(keys, 1):
            rng = parse_range_key(key)
            res = range_scan.write_failed_builds(store, rng, lake_dir)
            context.add_asset_metadata({
                **lake_metadata(lake_dir, "failed_builds", key),
                "failed_builds": res.failed_builds,
                "builds": res.builds,
                "days": res.days,
                "failed_by_stage": dg.MetadataValue.json(res.by_stage),
            }, partition_key=key)
            context.log.info(f"range {key} ({i}/{len(keys)}): {res.failed_builds} failed of "
                             f"{res.builds} builds")
    return dg.MaterializeResult()


def _top_groups_markdown(top: list[tuple[str, str, int]]) -> str:
    if not top:
        return "_no categorised failures_"
    lines = ["| error_code | error_group | builds |", "| --- | --- | ---: |"]
    for code, group, n in top:
        safe = (group or "").replace("|", "\\|").replace("\n", " ")
        lines.append(f"| {code} | {safe} | {n} |")
    return "\n".join(lines)


@dg.asset(
    key=CATEGORIZED_BUILD_ERRORS,
    group_name=GROUP,
    deps=[FAILED_BUILDS],
    code_version=RULES_CODE_VERSION,
    partitions_def=build_id_ranges,
    backfill_policy=BACKFILL_POLICY,
    retry_policy=STORE_RETRY,
    kinds={"python", "parquet"},
    description="Every failed build of each range categorised by the detectors (lake table "
                "build_errors): a row per detected error, and exactly one is_primary row per failed "
                "build (its primary error, or 'uncategorised'). Sample lines are masked.",
)
def categorized_build_errors(context: dg.AssetExecutionContext,
                             build_store: BuildStoreResource) -> dg.MaterializeResult:
    keys = context.partition_keys
    lake_dir = build_store.lake_dir
    rules = build_store.rules()
    with build_store.open() as store:
        for i, key in enumerate(keys, 1):
            rng = parse_range_key(key)
            failed = range_scan.read_failed_builds(lake_dir, rng)
            try:
                res = range_scan.categorize_range(store, rng, failed, lake_dir, rules)
            except privacy.PrivateValueError as exc:  # the same rows would fail again: no retry
                raise dg.Failure(description=str(exc), allow_retries=False) from None
            context.add_asset_metadata({
                **lake_metadata(lake_dir, "build_errors", key),
                "failed_builds": res.failed_builds,
                "errors": res.errors,
                "categorised": res.categorised,
                "coverage_pct": _pct(res.coverage),
                "top_groups": dg.MetadataValue.md(_top_groups_markdown(res.top_groups)),
                "rules_version": res.rules_version,
            }, partition_key=key)
            context.log.info(f"range {key} ({i}/{len(keys)}): {res.failed_builds} failed builds, "
                             f"{res.errors} errors, coverage {_pct(res.coverage)}%")
    return dg.MaterializeResult()
