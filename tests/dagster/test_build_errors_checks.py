"""Asset checks: pass on what the assets wrote, fail on planted problems."""

from __future__ import annotations

import dagster as dg
import pyarrow as pa
import pyarrow.compute as pc

from bloqr_dagster.defs.build_errors.assets import CATEGORIZED_BUILD_ERRORS
from bloqr_dagster.warehouse import lake

from .helpers import check_results, read_lake_file, register_all_ranges, run_ranges

CHECKS_ONLY = "build_error_checks_only"


def _run_checks(env, run_config: dict | None = None):
    """Run only the checks (no partition: they look at every range in the lake)."""
    defs = dg.Definitions.merge(env.defs(), dg.Definitions(jobs=[dg.define_asset_job(
        CHECKS_ONLY, selection=dg.AssetSelection.checks_for_assets(CATEGORIZED_BUILD_ERRORS))]))
    job = defs.resolve_job_def(CHECKS_ONLY)
    result = job.execute_in_process(instance=env.instance, run_config=run_config)
    return check_results(result)


def _replace_rows(env, key: str, table: pa.Table) -> None:
    lake.write_file(env.lake, "build_errors", key, table)


def test_checks_pass_on_good_data_and_fail_on_planted_problems(dagster_env) -> None:
    env = dagster_env
    keys = register_all_ranges(env)
    result = run_ranges(env, keys[0], keys[-1])
    in_run = check_results(result)
    assert in_run["one_primary_row_per_failed_build"].passed
    assert in_run["no_private_values"].passed
    assert in_run["one_primary_row_per_failed_build"].metadata["ranges_checked"].value == len(keys)

    standalone = _run_checks(env, {"ops": {}})
    assert standalone["one_primary_row_per_failed_build"].passed
    assert standalone["no_private_values"].passed

    # plant an unmasked email and an IP in one row of one range
    key = keys[1]
    table = read_lake_file(env.lake, "build_errors", key)
    samples = table.column("sample_line").to_pylist()
    row = next(i for i, s in enumerate(samples) if s)
    samples[row] = "npm ERR! 403 Forbidden for jane.doe@example.com from 203.0.113.7"
    planted = table.set_column(table.schema.get_field_index("sample_line"), "sample_line",
                               pa.array(samples, pa.string()))
    _replace_rows(env, key, planted)
    checks = _run_checks(env)
    privacy = checks["no_private_values"]
    assert not privacy.passed
    assert set(privacy.metadata["findings_by_kind"].value) == {"email", "ipv4"}
    assert "jane.doe" not in repr(privacy.metadata)  # the check names the row, not the value
    assert privacy.metadata["where"].value[0]["range"] == key
    assert checks["one_primary_row_per_failed_build"].passed

    # drop one failed build's primary row from another range
    key2 = keys[2]
    table2 = read_lake_file(env.lake, "build_errors", key2)
    primary_ids = table2.filter(pc.equal(table2.column("is_primary"), True)).column("build_id").to_pylist()
    victim = primary_ids[len(primary_ids) // 2]
    keep = pc.invert(pc.and_(pc.equal(table2.column("build_id"), victim), table2.column("is_primary")))
    _replace_rows(env, key2, table2.filter(keep))
    missing = _run_checks(env)["one_primary_row_per_failed_build"]
    assert not missing.passed
    assert missing.metadata["without_primary_row"].value == 1
    assert missing.metadata["sample_build_ids"].value == [victim]

    # and a duplicated primary row
    victim_rows = table2.filter(pc.equal(table2.column("build_id"), victim))
    _replace_rows(env, key2, pa.concat_tables([table2, victim_rows]))
    dup = _run_checks(env)["one_primary_row_per_failed_build"]
    assert not dup.passed and dup.metadata["with_several_primary_rows"].value == 1


def test_coverage_check_fails_below_the_threshold_and_on_a_drop(dagster_env) -> None:
    env = dagster_env
    keys = register_all_ranges(env)
    run_ranges(env, keys[0], keys[-1])
    result = run_ranges(env, keys[0], keys[-1])  # a second materialisation to compare against
    coverage = check_results(result)["categorisation_coverage"]
    pct = coverage.metadata["coverage_pct"].value
    # every failed build gets a category on the first run: failures no rule knows take the stage of the
    # platform's summary line (detectors' general layer)
    assert pct == 100
    assert coverage.metadata["ranges_dropped"].value == []
    config = _coverage_config(min_coverage=0.0, max_drop_points=5.0)
    assert _run_checks(env, config)["categorisation_coverage"].passed

    # a "rule change" that stops matching in one range: its coverage drops against the last run
    key = keys[1]
    table = read_lake_file(env.lake, "build_errors", key)
    primary = table.filter(table.column("is_primary"))
    n = primary.num_rows
    codes = pa.array(["uncategorised"] * n, pa.string())
    nulls = pa.nulls(n, pa.string())
    worse = primary.set_column(primary.schema.get_field_index("error_code"), "error_code", codes)
    for col in ("error_group", "tool", "sample_line"):
        worse = worse.set_column(worse.schema.get_field_index(col), col, nulls)
    _replace_rows(env, key, worse)
    dropped = _run_checks(env, config)["categorisation_coverage"]
    assert not dropped.passed
    assert [d["range"] for d in dropped.metadata["ranges_dropped"].value] == [key]
    lowered = dropped.metadata["coverage_pct"].value
    assert lowered < pct

    # the threshold alone: a drop of any size allowed, but coverage must reach min_coverage
    assert _run_checks(env, _coverage_config(lowered / 100 - 0.01, 100.0))["categorisation_coverage"].passed
    below = _run_checks(env, _coverage_config(lowered / 100 + 0.01, 100.0))["categorisation_coverage"]
    assert not below.passed and below.metadata["ranges_dropped"].value == []


def _coverage_config(min_coverage: float, max_drop_points: float) -> dict:
    return {"ops": {"build_errors__categorized_build_errors_categorisation_coverage": {
        "config": {"min_coverage": min_coverage, "max_drop_points": max_drop_points}}}}
