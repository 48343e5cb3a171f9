"""Asset checks on the categorised build errors.

The checks look at the ranges the run materialised (all ranges in the lake when a check is run on
its own from the UI) and read the lake files the assets wrote, so they test what users will query.
"""

import os
from collections import Counter
from pathlib import Path

import dagster as dg
import pyarrow.compute as pc
import pyarrow.parquet as pq

from bloqr_dagster.build_errors import privacy
from bloqr_dagster.build_errors.range_scan import UNCATEGORISED
from bloqr_dagster.defs.build_errors.assets import CATEGORIZED_BUILD_ERRORS
from bloqr_dagster.defs.build_errors.resources import BuildStoreResource
from bloqr_dagster.warehouse import lake

SAMPLES = 10  # how many offending build ids a failed check lists


def checked_range_keys(context: dg.AssetCheckExecutionContext, lake_dir: Path) -> list[str]:
    """The run's ranges, or every range with a build_errors file when the run has no partitions."""
    op_context = context.op_execution_context
    if op_context.has_partition_key or op_context.has_partition_key_range:
        return list(op_context.partition_keys)
    return [p.stem for p in sorted(lake.table_dir(lake_dir, "build_errors").glob("*.parquet"))]


def _read(lake_dir: Path, table: str, key: str, columns: list[str]):
    path = lake.table_dir(lake_dir, table) / f"{key}.parquet"
    return pq.read_table(path, columns=columns) if path.exists() else None


@dg.asset_check(
    asset=CATEGORIZED_BUILD_ERRORS,
    name="one_primary_row_per_failed_build",
    description="Every failed build of a range has exactly one is_primary row in build_errors "
                "(its primary error or 'uncategorised'), and no primary row belongs to another build.",
)
def one_primary_row_per_failed_build(context: dg.AssetCheckExecutionContext,
                                     build_store: BuildStoreResource) -> dg.AssetCheckResult:
    lake_dir = build_store.lake_dir
    missing: list[int] = []
    duplicated: list[int] = []
    stray: list[int] = []
    missing_files: list[str] = []
    failed_total = 0
    keys = checked_range_keys(context, lake_dir)
    for key in keys:
        failed = _read(lake_dir, "failed_builds", key, ["build_id"])
        errors = _read(lake_dir, "build_errors", key, ["build_id", "is_primary"])
        if failed is None or errors is None:
            missing_files.append(key)
            continue
        failed_ids = set(failed.column("build_id").to_pylist())
        failed_total += len(failed_ids)
        primary = errors.filter(pc.equal(errors.column("is_primary"), True)).column("build_id").to_pylist()
        counts = Counter(primary)
        missing += sorted(failed_ids - counts.keys())
        duplicated += sorted(i for i, n in counts.items() if n > 1)
        stray += sorted(counts.keys() - failed_ids)
    passed = not (missing or duplicated or stray or missing_files)
    return dg.AssetCheckResult(
        passed=passed,
        metadata={
            "ranges_checked": len(keys),
            "failed_builds_checked": failed_total,
            "without_primary_row": len(missing),
            "with_several_primary_rows": len(duplicated),
            "primary_rows_of_unknown_builds": len(stray),
            "ranges_missing_a_file": len(missing_files),
            "sample_build_ids": dg.MetadataValue.json((missing + duplicated + stray)[:SAMPLES]),
        },
    )


@dg.asset_check(
    asset=CATEGORIZED_BUILD_ERRORS,
    name="no_private_values",
    description="No private value (privacy.py: email, IP address, 32+ hex id, token, credential, auth "
                "header, key block, URL credentials, user home path, internal host, workers.dev host, "
                "webhook URL) appears in any error_group or sample_line. The range scan already refuses "
                "to write such a range; this reads the lake files back.",
)
def no_private_values(context: dg.AssetCheckExecutionContext,
                      build_store: BuildStoreResource) -> dg.AssetCheckResult:
    lake_dir = build_store.lake_dir
    kinds: Counter[str] = Counter()
    where: list[dict] = []
    rows = 0
    keys = checked_range_keys(context, lake_dir)
    for key in keys:
        table = _read(lake_dir, "build_errors", key, ["build_id", "error_group", "sample_line"])
        if table is None:
            continue
        rows += table.num_rows
        for column in ("error_group", "sample_line"):
            found = privacy.scan(table.column(column).to_pylist())
            for kind, values in found.items():
                bad = set(values)
                hits = [b for b, v in zip(table.column("build_id").to_pylist(),
                                          table.column(column).to_pylist(), strict=True) if v in bad]
                kinds[kind] += len(hits)
                # Never echo the value itself: name where it is.
                where += [{"range": key, "build_id": b, "column": column, "kind": kind}
                          for b in hits[:SAMPLES]]
    return dg.AssetCheckResult(
        passed=not kinds,
        metadata={
            "ranges_checked": len(keys),
            "rows_checked": rows,
            "findings": sum(kinds.values()),
            "findings_by_kind": dg.MetadataValue.json(dict(kinds)),
            "where": dg.MetadataValue.json(where[:SAMPLES]),
        },
    )


class CoverageCheckConfig(dg.Config):
    """Defaults from BLOQR_MIN_COVERAGE (a share, 0.6) and BLOQR_MAX_COVERAGE_DROP (points, 5)."""

    min_coverage: float = float(os.environ.get("BLOQR_MIN_COVERAGE", "0.6"))
    max_drop_points: float = float(os.environ.get("BLOQR_MAX_COVERAGE_DROP", "5"))


def _previous_coverage_pct(instance: dg.DagsterInstance, key: str) -> float | None:
    """coverage_pct of the materialisation before the newest one of a range (None if none)."""
    records = instance.fetch_materializations(
        dg.AssetRecordsFilter(asset_key=CATEGORIZED_BUILD_ERRORS, asset_partitions=[key]), limit=2
    ).records
    if len(records) < 2:
        return None
    entry = records[1].asset_materialization.metadata.get("coverage_pct")
    return float(entry.value) if entry is not None else None


@dg.asset_check(
    asset=CATEGORIZED_BUILD_ERRORS,
    name="categorisation_coverage",
    description="Share of failed builds with a known primary error: at least min_coverage over the "
                "checked ranges, and no range more than max_drop_points below its previous "
                "materialisation (a rule change that stopped matching).",
)
def categorisation_coverage(context: dg.AssetCheckExecutionContext, config: CoverageCheckConfig,
                            build_store: BuildStoreResource) -> dg.AssetCheckResult:
    lake_dir = build_store.lake_dir
    failed = categorised = 0
    drops: list[dict] = []
    keys = checked_range_keys(context, lake_dir)
    for key in keys:
        table = _read(lake_dir, "build_errors", key, ["is_primary", "error_code"])
        if table is None:
            continue
        codes = table.filter(pc.equal(table.column("is_primary"), True)).column("error_code")
        n = len(codes)
        known = n - pc.sum(pc.equal(codes, UNCATEGORISED)).as_py() if n else 0
        failed += n
        categorised += known or 0
        previous = _previous_coverage_pct(context.instance, key)
        current = 100.0 * known / n if n else 100.0
        if previous is not None and previous - current > config.max_drop_points:
            drops.append({"range": key, "previous_pct": previous, "current_pct": round(current, 2)})
    coverage = categorised / failed if failed else 1.0
    passed = coverage >= config.min_coverage and not drops
    return dg.AssetCheckResult(
        passed=passed,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "coverage_pct": round(100.0 * coverage, 2),
            "min_coverage_pct": round(100.0 * config.min_coverage, 2),
            "max_drop_points": config.max_drop_points,
            "failed_builds": failed,
            "categorised": categorised,
            "ranges_checked": len(keys),
            "ranges_dropped": dg.MetadataValue.json(drops[:SAMPLES]),
        },
    )


build_error_checks = [one_primary_row_per_failed_build, no_private_values, categorisation_coverage]
