"""Building the shipped models on a small lake: contents match hand-computed values, tests catch
bad data, partial builds keep the other tables, failures leave the published file alone."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from bloqr_dagster.errors import BloqrError
from bloqr_dagster.settings import Paths
from bloqr_dagster.warehouse import lake
from bloqr_dagster.warehouse.build import build_warehouse, run_model_tests
from bloqr_dagster.warehouse.models import load_project
from bloqr_dagster.warehouse.query import list_models, run_query

from .conftest import (
    G_ELIFECYCLE,
    G_LOCK,
    G_OOM,
    G_RESOLVE,
    G_TIMEOUT,
    RANGE_A,
    error,
    uncategorised,
    utc,
    write_models,
)


def rows(paths: Paths, sql: str) -> list[tuple]:
    return run_query(paths, sql).rows


@pytest.fixture
def built(sample_paths: Paths) -> Paths:
    report = build_warehouse(sample_paths)
    assert report.failed_tests == [], [(t.model, t.name, t.sample) for t in report.failed_tests]
    return sample_paths


def test_empty_lake_builds_typed_empty_models(paths: Paths) -> None:
    report = build_warehouse(paths)
    assert report.failed_tests == []
    assert report.model("build_primary_errors").rows == 0
    assert rows(paths, "SELECT failed_builds, coverage FROM categorization_coverage") == [(0, None)]
    types = dict(report.model("build_primary_errors").columns)
    assert types["build_id"] == "BIGINT" and types["day"] == "DATE"


def test_primary_errors_one_row_per_build_with_utc_day(built: Paths) -> None:
    got = rows(built, "SELECT build_id, day, error_code, failed_stage FROM build_primary_errors ORDER BY build_id")
    assert got == [
        (101, date(2024, 5, 1), "module_not_found", "build"),
        (102, date(2024, 5, 1), "lockfile_out_of_sync", "install"),
        (103, date(2024, 5, 1), "uncategorised", "build"),  # 01:30 at +02:00 is still May 1st in UTC
        (10004, date(2024, 5, 2), "module_not_found", "deploy"),
        (10005, date(2024, 5, 2), "lockfile_out_of_sync", "install"),
        (10006, date(2024, 5, 2), "timeout", "build"),
        (10007, date(2024, 5, 2), "out_of_memory", "build"),
    ]
    columns = run_query(built, "SELECT * FROM build_primary_errors LIMIT 0").columns
    assert "project_id" not in columns


def test_error_groups_ranked(built: Paths) -> None:
    got = rows(built, "SELECT rank, error_code, error_group, builds, primary_builds, occurrences, "
                      "first_seen, last_seen, example FROM error_groups_ranked")
    assert got == [
        # root causes first: two builds each; the lockfile group has three lines, so it ranks first
        (1, "lockfile_out_of_sync", G_LOCK, 2, 2, 3, utc("2024-05-01 12:00"), utc("2024-05-02 09:00"),
         "npm error Missing: @emnapi/runtime@<VERSION> from lock file (latest)"),
        (2, "module_not_found", G_RESOLVE, 2, 2, 2, utc("2024-05-01 10:00"), utc("2024-05-02 00:00:01"),
         '✘ [ERROR] Could not resolve "<MODULE>"'),
        # a tie shares its rank
        (3, "out_of_memory", G_OOM, 1, 1, 1, utc("2024-05-02 11:00"), utc("2024-05-02 11:00"), G_OOM),
        (3, "timeout", G_TIMEOUT, 1, 1, 1, utc("2024-05-02 10:00"), utc("2024-05-02 10:00"),
         "Build exceeded the time limit of 20 minutes"),
        # ELIFECYCLE appears in three builds but is never the root cause, so it ranks after them
        (5, "build_command_failed", G_ELIFECYCLE, 3, 0, 3, utc("2024-05-01 10:00"), utc("2024-05-02 00:00:01"),
         "ELIFECYCLE  Command failed with exit code 2."),
    ]


def test_categorization_coverage_overall_and_daily(built: Paths) -> None:
    assert rows(built, "SELECT failed_builds, categorised, uncategorised, coverage, awaiting_detection, "
                       "first_day, last_day FROM categorization_coverage") == [
        (7, 6, 1, pytest.approx(6 / 7), 1, date(2024, 5, 1), date(2024, 5, 2)),
    ]
    assert rows(built, "SELECT * FROM categorization_coverage_daily") == [
        (date(2024, 5, 1), 3, 2, 1, pytest.approx(2 / 3)),
        (date(2024, 5, 2), 4, 4, 0, 1.0),
    ]


def test_error_trends_daily_shares(built: Paths) -> None:
    assert rows(built, "SELECT * FROM error_trends_daily") == [
        (date(2024, 5, 1), "lockfile_out_of_sync", 1, pytest.approx(1 / 3)),
        (date(2024, 5, 1), "module_not_found", 1, pytest.approx(1 / 3)),
        (date(2024, 5, 1), "uncategorised", 1, pytest.approx(1 / 3)),
        (date(2024, 5, 2), "lockfile_out_of_sync", 1, 0.25),
        (date(2024, 5, 2), "module_not_found", 1, 0.25),
        (date(2024, 5, 2), "out_of_memory", 1, 0.25),
        (date(2024, 5, 2), "timeout", 1, 0.25),
    ]


def test_build_completion_rates(built: Paths) -> None:
    daily = run_query(built, "SELECT * FROM build_completion_rate_daily").records()
    assert [(d["day"], d["started"], d["attempted_install"], d["attempted_build_or_deploy"],
             d["marked_stopped"], d["succeeded"], d["failed"], d["canceled"]) for d in daily] == [
        (date(2024, 5, 1), 14, 13, 10, 1, 7, 5, 1),  # summed over both ranges
        (date(2024, 5, 2), 6, 5, 5, 2, 3, 2, 1),
    ]
    assert daily[0]["install_rate"] == pytest.approx(13 / 14)
    assert daily[0]["success_rate"] == 0.5
    assert daily[1]["stopped_rate"] == pytest.approx(2 / 6)
    (overall,) = run_query(built, "SELECT * FROM build_completion_rate").records()
    assert (overall["first_day"], overall["last_day"], overall["days"], overall["started"]) == (
        date(2024, 5, 1), date(2024, 5, 2), 2, 20)
    assert (overall["install_rate"], overall["build_or_deploy_rate"], overall["stopped_rate"],
            overall["success_rate"]) == (0.9, 0.75, pytest.approx(0.15), 0.5)


def test_workflow_totals(built: Paths) -> None:
    totals = {r["workflow"]: r for r in run_query(built, "SELECT * FROM workflow_totals").records()}
    assert sorted(totals) == ["batch_compile", "cache_warming", "compile", "health_monitoring"]
    batch = totals["batch_compile"]
    assert (batch["runs"], batch["succeeded"], batch["failed"], batch["avg_duration_s"], batch["max_duration_s"],
            batch["scheduled_runs"], batch["manual_runs"], batch["configurations_compiled"]) == (
        3, 2, 1, 20.0, 30.0, 2, 1, 6)
    assert batch["last_run_at"] == utc("2024-05-02 01:00")
    assert batch["last_run_succeeded"] is False and batch["last_error"] == "source 3 failed"
    warming = totals["cache_warming"]
    assert (warming["scheduled_runs"], warming["manual_runs"], warming["configurations_warmed"],
            warming["cache_hits"]) == (1, 1, 7, 5)
    health = totals["health_monitoring"]
    assert (health["runs"], health["sources_checked"], health["sources_healthy"], health["alerts"]) == (2, 10, 9, 1)
    assert health["last_error"] is None and health["success_rate"] == 1.0
    assert totals["compile"]["configurations_compiled"] == 1 and totals["compile"]["retries"] == 1
    assert batch["backfill_runs"] == 0 and batch["retries"] == 0


def test_workflow_step_totals(built: Paths) -> None:
    steps = {(r["workflow"], r["step"]): r for r in run_query(built, "SELECT * FROM workflow_step_totals").records()}
    assert sorted(steps) == [("batch_compile", "compile_sources"), ("batch_compile", "validate"),
                             ("compile", "compile_sources"), ("compile", "validate")]
    failing = steps[("batch_compile", "compile_sources")]
    assert (failing["runs"], failing["failed"], failing["retried"], failing["max_duration_s"]) == (1, 1, 1, 29.0)
    assert failing["last_error"] == "source 3 failed"
    assert (steps[("compile", "compile_sources")]["retried"], steps[("compile", "validate")]["failed"]) == (1, 0)


def test_source_health_latest_and_history(built: Paths) -> None:
    latest = {r["source"]: r for r in run_query(built, "SELECT * FROM source_health_latest").records()}
    easylist, adguard = latest["easylist"], latest["adguard_base"]
    assert easylist["last_checked_at"] == utc("2024-05-02 06:00") and easylist["healthy"] is True
    assert easylist["rule_count"] == 51_000
    # 30 days up to May 2nd: Apr 3 (healthy), May 1 (one of two), May 2 (healthy); Apr 2 is outside
    assert (easylist["checks_30d"], easylist["availability_30d"]) == (4, 0.75)
    assert (adguard["healthy"], adguard["status_code"], adguard["consecutive_failures"], adguard["alert"],
            adguard["error"], adguard["availability_30d"]) == (False, 500, 2, True, "HTTP 500", 0.0)

    history = rows(built, "SELECT source, day, checks, healthy_checks, availability, avg_latency_ms, alerts "
                          "FROM source_health_history ORDER BY source, day")
    assert history == [
        ("adguard_base", date(2024, 5, 2), 2, 0, 0.0, 275.0, 1),
        ("easylist", date(2024, 4, 3), 1, 1, 1.0, 80.0, 0),
        ("easylist", date(2024, 5, 1), 2, 1, 0.5, 100.0, 0),  # the timed-out check has no latency
        ("easylist", date(2024, 5, 2), 1, 1, 1.0, 50.0, 0),
    ]
    kinds = dict(rows(built, "SELECT model, materialized FROM _bloqr_models"))
    assert kinds["source_health_latest"] == "view" and kinds["source_health_history"] == "table"


def test_header_docs_become_duckdb_comments(built: Paths) -> None:
    assert rows(built, "SELECT comment FROM duckdb_views() WHERE view_name = 'source_health_latest'") == [
        ("The latest health check of every filter-list source, with its 30-day availability. A view over "
         "tables of the same warehouse file, so it is always consistent with source_health_history.",)]
    comments = dict(rows(built, "SELECT column_name, comment FROM duckdb_columns() "
                                "WHERE table_name = 'categorization_coverage'"))
    assert comments["coverage"] == "categorised / failed_builds (null when there are none)."


def test_bad_data_fails_the_model_tests(sample_paths: Paths) -> None:
    lake.write_file(sample_paths.lake, "build_errors", RANGE_A, [
        error(101, utc("2024-05-01 10:00"), 12, None, "group", "npm", "line", True),  # null error_code
        uncategorised(102, utc("2024-05-01 12:00")),
        uncategorised(102, utc("2024-05-01 12:00")),  # two primary rows for one build
    ])
    report = build_warehouse(sample_paths)
    failed = {(t.model, t.name): t for t in report.failed_tests}
    assert set(failed) == {
        ("stg_build_errors", "not_null_error_code"),
        ("build_primary_errors", "unique_build_id"),
        ("build_primary_errors", "not_null_error_code"),
        ("error_groups_ranked", "not_null_error_code"),
        ("error_trends_daily", "not_null_error_code"),
        ("stg_radar_failures", "not_null_error_code"),  # the regression radar's staging sees it too
        ("stg_radar_failures", "unique_window_kind_build_id"),
        # a null code is neither categorised nor uncategorised
        ("categorization_coverage", "expression_categorised_uncategorised_failed_builds"),
        ("categorization_coverage_daily", "expression_categorised_uncategorised_failed_builds"),
    }
    dup = failed[("build_primary_errors", "unique_build_id")]
    assert (dup.failing_rows, dup.sample) == (1, [{"build_id": 102, "duplicates": 2}])
    null = failed[("build_primary_errors", "not_null_error_code")]
    assert null.failing_rows == 1 and null.sample[0]["build_id"] == 101
    # tests that still hold keep passing, and the failing build is still published for inspection
    passed = {(t.model, t.name) for t in report.tests if t.passed}
    assert ("build_primary_errors", "not_null_build_id") in passed
    assert rows(sample_paths, "SELECT count(*) FROM build_primary_errors") == [(7,)]
    # running the tests again read-only against the published file gives the same verdicts
    again = {(t.model, t.name) for t in run_model_tests(sample_paths, ["build_primary_errors"]) if not t.passed}
    assert again == {("build_primary_errors", "unique_build_id"), ("build_primary_errors", "not_null_error_code")}


def test_partial_build_rebuilds_only_the_selection(built: Paths) -> None:
    before = dict(rows(built, "SELECT model, built_at FROM _bloqr_models"))
    lake.write_file(built.lake, "build_errors", "000000020000-000000029999", [uncategorised(20001, utc("2024-05-03"))])
    report = build_warehouse(built, ["build_primary_errors", "categorization_coverage"])
    assert [m.name for m in report.models] == ["build_primary_errors", "categorization_coverage"]
    after = dict(rows(built, "SELECT model, built_at FROM _bloqr_models"))
    assert {m for m in after if after[m] != before[m]} == {"build_primary_errors", "categorization_coverage"}
    # stg_build_errors was not rebuilt, so the selected models read its old rows
    assert rows(built, "SELECT count(*) FROM stg_build_errors") == [(11,)]
    assert rows(built, "SELECT failed_builds FROM categorization_coverage") == [(7,)]
    build_warehouse(built, ["stg_build_errors", "build_primary_errors", "categorization_coverage"])
    assert rows(built, "SELECT failed_builds FROM categorization_coverage") == [(8,)]
    assert rows(built, "SELECT sum(failed_builds) FROM categorization_coverage_daily") == [(7,)]  # untouched
    assert len(list_models(built).rows) == len(load_project().models)  # every model is still listed


def test_failed_build_leaves_published_file_untouched(tmp_path: Path, built: Paths) -> None:
    published = built.warehouse.read_bytes()
    sql = write_models(tmp_path / "sql", {
        "good": "/*\ndescription: fine\n*/\nSELECT 1 AS x",
        "broken": "/*\ndescription: broken\n*/\nSELECT no_such_column FROM {{ ref('good') }}",
    })
    with pytest.raises(BloqrError) as info:
        build_warehouse(built, sql_dir=sql)
    assert str(info.value).startswith("sql/broken.sql: Binder Error: Referenced column \"no_such_column\"")
    assert built.warehouse.read_bytes() == published
    assert sorted(p.name for p in built.home.iterdir()) == [".warehouse.duckdb.lock", "lake", "warehouse.duckdb"]


def test_header_columns_and_test_columns_must_exist(tmp_path: Path, paths: Paths) -> None:
    sql = write_models(tmp_path / "a", {"m": "/*\ndescription: d\ncolumns: {x: X, y: Y}\n*/\nSELECT 1 AS x"})
    with pytest.raises(BloqrError, match=r"^a/m.sql: header columns \[x, y\] do not match the query's columns \[x\]$"):
        build_warehouse(paths, sql_dir=sql)
    sql = write_models(tmp_path / "b", {"m": "/*\ndescription: d\ntests: [{not_null: y}]\n*/\nSELECT 1 AS x"})
    with pytest.raises(BloqrError, match=r"^b/m.sql: test not_null_y: no column 'y' \(columns: x\)$"):
        build_warehouse(paths, sql_dir=sql)
    sql = write_models(tmp_path / "c", {"m": "/*\ndescription: d\ntests: [{expression: nope > 1}]\n*/\nSELECT 1 AS x"})
    with pytest.raises(BloqrError, match=r"^c/m.sql: test expression_nope_1: Binder Error"):
        build_warehouse(paths, sql_dir=sql)
    assert not paths.warehouse.exists()


def test_materialization_switch_retired_models_and_missing_refs(tmp_path: Path, paths: Paths) -> None:
    sql = tmp_path / "sql"
    write_models(sql, {
        "base": "/*\ndescription: d\nmaterialized: view\n*/\nSELECT 1 AS x",
        "old": "/*\ndescription: d\n*/\nSELECT 2 AS x",
        "top": "/*\ndescription: d\n*/\nSELECT x + 1 AS y FROM {{ ref('base') }}",
    })
    with pytest.raises(BloqrError, match=r"^sql/top.sql: ref\('base'\) has not been built yet"):
        build_warehouse(paths, ["top"], sql_dir=sql)
    build_warehouse(paths, sql_dir=sql)
    (sql / "old.sql").unlink()
    write_models(sql, {"base": "/*\ndescription: d\nmaterialized: table\n*/\nSELECT 5 AS x"})
    build_warehouse(paths, ["base"], sql_dir=sql)
    con = duckdb.connect(str(paths.warehouse), read_only=True)
    try:
        kinds = dict(con.execute("SELECT table_name, table_type FROM information_schema.tables").fetchall())
        assert kinds == {"base": "BASE TABLE", "top": "BASE TABLE", "_bloqr_models": "BASE TABLE"}
        assert con.execute("SELECT model FROM _bloqr_models ORDER BY 1").fetchall() == [("base",), ("top",)]
        assert con.execute("SELECT y FROM top").fetchall() == [(2,)]  # top was not rebuilt
    finally:
        con.close()
    with pytest.raises(BloqrError, match="unknown model"):
        build_warehouse(paths, ["old"], sql_dir=sql)


def test_query_helpers(paths: Paths) -> None:
    with pytest.raises(BloqrError, match="no warehouse at .* yet"):
        run_query(paths, "SELECT 1")
    build_warehouse(paths)
    with pytest.raises(BloqrError, match=r"^query failed: Catalog Error: Table with name nope does not exist"):
        run_query(paths, "SELECT * FROM nope")
    with pytest.raises(BloqrError, match="read-only"):
        run_query(paths, "DROP TABLE workflow_totals")
    # a session this process still holds does not make later queries read the replaced file
    held = duckdb.connect(str(paths.warehouse), read_only=True)
    try:
        lake.write_file(paths.lake, "build_errors", RANGE_A, [uncategorised(1, utc("2024-05-01"))])
        build_warehouse(paths)
        assert held.execute("SELECT failed_builds FROM categorization_coverage").fetchone() == (0,)
        assert run_query(paths, "SELECT failed_builds FROM categorization_coverage").rows == [(1,)]
    finally:
        held.close()
    result = run_query(paths, "SELECT 'a|b' AS x, 0.125 AS y, NULL AS z")
    assert result.records() == [{"x": "a|b", "y": 0.125, "z": None}]
    assert result.markdown() == "| x | y | z |\n|---|---|---|\n| a\\|b | 0.125 |  |"
