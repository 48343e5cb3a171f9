"""Parsing model files: header, derived dependencies, ordering, and one-line errors naming the file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bloqr_dagster.errors import BloqrError
from bloqr_dagster.warehouse import lake
from bloqr_dagster.warehouse.models import default_sql_dir, load_project

from .conftest import write_models

HEADER = "/*\ndescription: A model.\n*/\n"


def project_of(tmp_path: Path, models: dict[str, str]):
    return load_project(write_models(tmp_path / "sql", models))


def error_of(tmp_path: Path, models: dict[str, str]) -> str:
    with pytest.raises(BloqrError) as info:
        project_of(tmp_path, models)
    message = str(info.value)
    assert "\n" not in message
    return message


def test_header_tests_and_derived_dependencies(tmp_path: Path) -> None:
    project = project_of(tmp_path, {
        "daily": """
            /*
            description: >
              Per day
              counts.
            materialized: view
            columns:
              day: The day.
              builds: Builds that day.
            tests:
              - not_null: [day, builds]
              - unique: [day, builds]
              - unique: day
              - accepted_values: {column: kind, values: [a, "it's", 3]}
              - expression: share between 0 and 1
              - expression: builds >= 0
                name: non_negative
            */
            SELECT day, count(*) AS builds
            FROM {{ source('lake', 'build_errors') }} JOIN {{ref("base")}} USING (build_id)
            JOIN {{ source("lake", "failed_builds") }} USING (build_id)
            JOIN {{ ref('base') }} AS again USING (build_id);
        """,
        "base": HEADER + "SELECT 1 AS build_id",
    })
    daily = project.models["daily"]
    assert daily.description == "Per day counts."
    assert daily.materialized == "view"
    assert daily.refs == ("base",)
    assert daily.sources == ("build_errors", "failed_builds")
    assert list(daily.columns) == ["day", "builds"]
    assert [t.name for t in daily.tests] == [
        "not_null_day", "not_null_builds", "unique_day_builds", "unique_day", "accepted_values_kind",
        "expression_share_between_0_and_1", "non_negative",
    ]
    composite = daily.tests[2]
    assert composite.columns == ("day", "builds")
    assert "GROUP BY \"day\", \"builds\" HAVING count(*) > 1" in composite.failing_rows_sql('"daily"')
    assert "NOT IN ('a', 'it''s', 3)" in daily.tests[4].failing_rows_sql('"daily"')
    assert not daily.sql.endswith(";")
    assert project.models["base"].materialized == "table"

    rendered = daily.render(tmp_path / "lake")
    assert '"base"' in rendered and "{{" not in rendered
    # an empty lake folder still renders as a typed relation
    assert lake.duckdb_relation_sql(tmp_path / "lake", "build_errors") in rendered


def test_dependency_order_is_topological_and_stable(tmp_path: Path) -> None:
    models = {
        "c": HEADER + "SELECT * FROM {{ ref('b') }} JOIN {{ ref('a') }} USING (x)",
        "b": HEADER + "SELECT * FROM {{ ref('a') }}",
        "a": HEADER + "SELECT 1 AS x",
        "z": HEADER + "SELECT 2 AS x",
        "d": HEADER + "SELECT * FROM {{ ref('z') }}",
    }
    project = project_of(tmp_path, models)
    assert list(project.models) == ["a", "z", "b", "d", "c"]
    assert [m.name for m in project.order({"c", "a"})] == ["a", "c"]
    with pytest.raises(BloqrError, match="unknown model.*nope"):
        project.order({"nope"})


@pytest.mark.parametrize(
    ("models", "expected"),
    [
        ({"m": HEADER + "SELECT * FROM {{ ref('missing') }}"},
         r"^sql/m.sql: ref\('missing'\) names no model \(known: m\)$"),
        ({"m": HEADER + "SELECT * FROM {{ source('lake', 'nope') }}"},
         r"^sql/m.sql: unknown lake table 'nope' \(known: build_errors, build_stats, "),
        ({"m": HEADER + "SELECT * FROM {{ source('pg', 'builds') }}"},
         r"^sql/m.sql: unknown source 'pg'"),
        ({"m": HEADER + "SELECT {{ var('x') }}"}, r"^sql/m.sql: unsupported template \{\{ var\('x'\) \}\}"),
        ({"m": HEADER + "SELECT * FROM {{ ref('m') }}"}, r"^sql/m.sql: ref\('m'\) refers to the model itself"),
        ({"m": "SELECT 1"}, r"^sql/m.sql: must start with a /\* YAML header \*/"),
        ({"m": "/* description: x\nSELECT 1"}, r"^sql/m.sql: the header comment is not closed"),
        ({"m": "/*\ndescription: [unclosed\n*/\nSELECT 1"}, r"^sql/m.sql: header is not valid YAML \(header line"),
        ({"m": "/*\nmaterialized: table\n*/\nSELECT 1"}, r"^sql/m.sql: header needs a non-empty description$"),
        ({"m": "/*\ndescription: x\nmaterialised: table\n*/\nSELECT 1"},
         r"^sql/m.sql: unknown header key\(s\) materialised"),
        ({"m": "/*\ndescription: x\nmaterialized: incremental\n*/\nSELECT 1"},
         r"^sql/m.sql: materialized must be table or view, got 'incremental'$"),
        ({"m": HEADER + "  ;  "}, r"^sql/m.sql: no SQL after the header$"),
        ({"m": "/*\ndescription: x\ntests:\n  - unqiue: id\n*/\nSELECT 1"},
         r"^sql/m.sql: tests\[1\]: needs exactly one of not_null, unique"),
        ({"m": "/*\ndescription: x\ntests:\n  - not_null: 'a b'\n*/\nSELECT 1"},
         r"^sql/m.sql: tests\[1\]: column 'a b' is not a plain column name$"),
        ({"m": "/*\ndescription: x\ntests:\n  - unique: id\n  - unique: [id]\n*/\nSELECT 1"},
         r"^sql/m.sql: two tests are named unique_id"),
        ({"m": "/*\ndescription: x\ntests:\n  - accepted_values: {column: k}\n*/\nSELECT 1"},
         r"^sql/m.sql: tests\[1\]: accepted_values needs \{column: c, values: \[...\]\}$"),
        ({"Bad-Name": HEADER + "SELECT 1"}, r"^sql/Bad-Name.sql: model file names must be lower-case"),
    ],
)
def test_errors_are_one_line_and_name_the_file(tmp_path: Path, models: dict[str, str], expected: str) -> None:
    message = error_of(tmp_path, models)
    assert re.search(expected, message), message


def test_cycle_is_reported_with_its_path(tmp_path: Path) -> None:
    message = error_of(tmp_path, {
        "a": HEADER + "SELECT * FROM {{ ref('c') }}",
        "b": HEADER + "SELECT * FROM {{ ref('a') }}",
        "c": HEADER + "SELECT * FROM {{ ref('b') }}",
        "ok": HEADER + "SELECT 1",
    })
    assert message == "sql/a.sql: dependency cycle a -> c -> b -> a"


def test_missing_or_empty_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(BloqrError, match="SQL model folder not found"):
        load_project(tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(BloqrError, match="no \\*.sql model files"):
        load_project(tmp_path / "empty")
    monkeypatch.setenv("BLOQR_SQL_DIR", str(tmp_path / "empty"))
    assert default_sql_dir() == (tmp_path / "empty").resolve()


def test_shipped_models_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BLOQR_SQL_DIR", raising=False)
    project = load_project()
    assert project.sql_dir.name == "dbt_like_sql"
    expected = {
        "build_primary_errors", "error_groups_ranked", "categorization_coverage",
        "categorization_coverage_daily", "error_trends_daily", "build_completion_rate",
        "build_completion_rate_daily", "workflow_totals", "source_health_latest", "source_health_history",
    }
    assert expected <= set(project.models)
    for model in project.models.values():
        assert model.tests, f"{model.name} declares no tests"
        assert model.columns, f"{model.name} documents no columns"
        # privacy: the models never expose account or project ids
        assert "project_id" not in model.sql and "account" not in model.sql.lower()
