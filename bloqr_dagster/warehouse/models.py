"""SQL models: parse `dbt_like_sql/<model>.sql`, order them by dependency, render them for DuckDB.

A model file is one SELECT statement preceded by a YAML header in a block comment:

    /*
    description: One row per failed build with its primary error.
    materialized: table            # or view; default table
    columns:                       # optional; when given, must match the query's columns
      build_id: The CI build id.
    tests:
      - not_null: [build_id, error_code]     # one test per column
      - unique: build_id                     # a list here is ONE composite key
      - accepted_values: {column: grain, values: [day, overall]}
      - expression: share between 0 and 1    # rows where it is false fail
    */
    SELECT ... FROM {{ source('lake', 'build_errors') }} JOIN {{ ref('other_model') }} ...

Dependencies are derived from the `ref`/`source` calls, never declared, so they cannot drift.
Every problem raises BloqrError with one line that starts with the file (`dbt_like_sql/x.sql: ...`).
"""

from __future__ import annotations

import graphlib
import hashlib
import os
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bloqr_dagster.errors import BloqrError
from bloqr_dagster.project import SQL_FOLDER, project_dir
from bloqr_dagster.warehouse import lake

SQL_DIR_ENV = "BLOQR_SQL_DIR"
MATERIALIZATIONS = ("table", "view")
TEST_KINDS = ("not_null", "unique", "accepted_values", "expression")
HEADER_KEYS = {"description", "materialized", "columns", "tests"}

_MODEL_NAME = re.compile(r"[a-z_][a-z0-9_]*")
_COLUMN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_TEMPLATE = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
_REF = re.compile(r"\s*ref\(\s*(['\"])(?P<name>[^'\"]*)\1\s*\)\s*")
_SOURCE = re.compile(r"\s*source\(\s*(['\"])(?P<src>[^'\"]*)\1\s*,\s*(['\"])(?P<table>[^'\"]*)\3\s*\)\s*")


def default_sql_dir() -> Path:
    """BLOQR_SQL_DIR, else `dbt_like_sql/` of the checkout or of the installed wheel."""
    env = os.environ.get(SQL_DIR_ENV)
    return Path(env).resolve() if env else project_dir() / SQL_FOLDER


@dataclass(frozen=True)
class ModelTest:
    """A data test on a model's relation; it fails when its failing-rows query returns rows."""

    name: str
    kind: str  # one of TEST_KINDS
    columns: tuple[str, ...] = ()
    values: tuple[Any, ...] = ()
    expression: str = ""

    @property
    def description(self) -> str:
        if self.kind == "not_null":
            return f"{self.columns[0]} is never null"
        if self.kind == "unique":
            return f"({', '.join(self.columns)}) is unique" if len(self.columns) > 1 else f"{self.columns[0]} is unique"
        if self.kind == "accepted_values":
            return f"{self.columns[0]} is one of {', '.join(map(str, self.values))} (nulls allowed)"
        return f"every row satisfies: {self.expression} (null counts as satisfied)"

    def failing_rows_sql(self, relation: str) -> str:
        """A query returning the offending rows (for unique: the duplicated keys with their count)."""
        cols = [_quote(c) for c in self.columns]
        if self.kind == "not_null":
            return f"SELECT * FROM {relation} WHERE {cols[0]} IS NULL"
        if self.kind == "unique":
            keys = ", ".join(cols)
            return f"SELECT {keys}, count(*) AS duplicates FROM {relation} GROUP BY {keys} HAVING count(*) > 1"
        if self.kind == "accepted_values":
            allowed = ", ".join(_literal(v) for v in self.values)
            return f"SELECT * FROM {relation} WHERE {cols[0]} IS NOT NULL AND {cols[0]} NOT IN ({allowed})"
        return f"SELECT * FROM {relation} WHERE NOT ({self.expression})"


@dataclass(frozen=True)
class Model:
    name: str
    path: Path
    label: str  # `dbt_like_sql/<name>.sql`, the prefix of every error about this model
    description: str
    materialized: str
    columns: dict[str, str]  # column -> description; empty when the header declares none
    tests: tuple[ModelTest, ...]
    sql: str  # the body with the templates still in it
    refs: tuple[str, ...]
    sources: tuple[str, ...]  # lake table names
    checksum: str  # of the whole file; Dagster's code_version

    def render(self, lake_dir: Path) -> str:
        """The body as DuckDB SQL: refs become quoted names, sources lake relations."""

        def substitute(match: re.Match[str]) -> str:
            kind, value = _template_call(match.group(1), self.label)
            return _quote(value) if kind == "ref" else lake.duckdb_relation_sql(lake_dir, value)

        return _TEMPLATE.sub(substitute, self.sql)


@dataclass(frozen=True)
class Project:
    sql_dir: Path
    models: dict[str, Model]  # in dependency order (a model after everything it refs)

    def order(self, select: Collection[str] | None = None) -> list[Model]:
        """The selected models (all when None) in dependency order; unknown names are an error."""
        if select is None:
            return list(self.models.values())
        unknown = sorted(set(select) - set(self.models))
        if unknown:
            raise BloqrError(
                f"unknown model(s) {', '.join(unknown)} (known: {', '.join(sorted(self.models))})"
            )
        return [m for m in self.models.values() if m.name in select]


def load_project(sql_dir: Path | None = None) -> Project:
    """Parse every `*.sql` in the folder and order the models; any error names its file."""
    folder = (sql_dir or default_sql_dir()).resolve()
    if not folder.is_dir():
        raise BloqrError(f"SQL model folder not found: {folder} (set {SQL_DIR_ENV})")
    parsed = [parse_model(p) for p in sorted(folder.glob("*.sql"))]
    if not parsed:
        raise BloqrError(f"no *.sql model files in {folder}")
    models = {m.name: m for m in parsed}
    for model in parsed:
        for ref in model.refs:
            if ref not in models:
                raise BloqrError(
                    f"{model.label}: ref('{ref}') names no model (known: {', '.join(sorted(models))})"
                )
            if ref == model.name:
                raise BloqrError(f"{model.label}: ref('{ref}') refers to the model itself")
    return Project(folder, {name: models[name] for name in _dependency_order(models)})


def parse_model(path: Path) -> Model:
    label = f"{path.parent.name}/{path.name}"
    name = path.stem
    if not _MODEL_NAME.fullmatch(name):
        raise BloqrError(f"{label}: model file names must be lower-case SQL identifiers ([a-z_][a-z0-9_]*)")
    if name.startswith("_bloqr"):
        raise BloqrError(f"{label}: names starting with _bloqr are reserved for the warehouse's own tables")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BloqrError(f"{label}: cannot read: {exc}") from None
    header, body = _split_header(text, label)
    sql = body.strip().rstrip(";").strip()
    if not sql:
        raise BloqrError(f"{label}: no SQL after the header")
    refs: list[str] = []
    sources: list[str] = []
    for match in _TEMPLATE.finditer(sql):
        kind, value = _template_call(match.group(1), label)
        (refs if kind == "ref" else sources).append(value)
    return Model(
        name=name,
        path=path,
        label=label,
        description=header["description"],
        materialized=header["materialized"],
        columns=header["columns"],
        tests=header["tests"],
        sql=sql,
        refs=tuple(dict.fromkeys(refs)),
        sources=tuple(dict.fromkeys(sources)),
        checksum=hashlib.sha256(text.encode()).hexdigest()[:16],
    )


def _split_header(text: str, label: str) -> tuple[dict[str, Any], str]:
    stripped = text.lstrip()
    if not stripped.startswith("/*"):
        raise BloqrError(f"{label}: must start with a /* YAML header */ (description, tests, ...)")
    end = stripped.find("*/")
    if end < 0:
        raise BloqrError(f"{label}: the header comment is not closed with */")
    try:
        raw = yaml.safe_load(stripped[2:end]) or {}
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" (header line {where.line + 1})" if where else ""
        raise BloqrError(f"{label}: header is not valid YAML{line}: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(raw, dict):
        raise BloqrError(f"{label}: header must be a YAML mapping with description, materialized, tests")
    unknown = sorted(set(map(str, raw)) - HEADER_KEYS)
    if unknown:
        raise BloqrError(f"{label}: unknown header key(s) {', '.join(unknown)} (known: {', '.join(sorted(HEADER_KEYS))})")
    description = raw.get("description")
    if not isinstance(description, str) or not description.strip():
        raise BloqrError(f"{label}: header needs a non-empty description")
    materialized = raw.get("materialized", "table")
    if materialized not in MATERIALIZATIONS:
        raise BloqrError(f"{label}: materialized must be table or view, got {materialized!r}")
    header = {
        "description": " ".join(description.split()),
        "materialized": materialized,
        "columns": _parse_columns(raw.get("columns"), label),
        "tests": _parse_tests(raw.get("tests"), label),
    }
    return header, stripped[end + 2:]


def _parse_columns(raw: Any, label: str) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise BloqrError(f"{label}: columns must map column names to descriptions")
    columns = {}
    for col, text in raw.items():
        _check_column(col, label, "columns")
        columns[col] = "" if text is None else " ".join(str(text).split())
    return columns


def _parse_tests(raw: Any, label: str) -> tuple[ModelTest, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise BloqrError(f"{label}: tests must be a list")
    tests: list[ModelTest] = []
    for index, item in enumerate(raw, start=1):
        tests.extend(_parse_test(item, f"{label}: tests[{index}]"))
    seen: set[str] = set()
    for test in tests:
        if test.name in seen:
            raise BloqrError(f"{label}: two tests are named {test.name} (give one a `name:`)")
        seen.add(test.name)
    return tuple(tests)


def _parse_test(item: Any, where: str) -> list[ModelTest]:
    if not isinstance(item, dict):
        raise BloqrError(f"{where}: must be a mapping like {{not_null: column}}")
    kinds = [k for k in item if k in TEST_KINDS]
    extra = sorted(set(item) - set(TEST_KINDS) - {"name"})
    if len(kinds) != 1 or extra:
        raise BloqrError(f"{where}: needs exactly one of {', '.join(TEST_KINDS)} (and optionally name)")
    kind, arg, name = kinds[0], item[kinds[0]], item.get("name")
    if name is not None and not (isinstance(name, str) and _COLUMN_NAME.fullmatch(name)):
        raise BloqrError(f"{where}: name must be letters, digits and underscores, got {name!r}")
    if kind == "not_null":
        columns = _column_list(arg, where)
        if name and len(columns) > 1:
            raise BloqrError(f"{where}: name is only allowed on a not_null test of one column")
        return [ModelTest(name or f"not_null_{c}", kind, (c,)) for c in columns]
    if kind == "unique":
        columns = _column_list(arg, where)
        return [ModelTest(name or "unique_" + "_".join(columns), kind, tuple(columns))]
    if kind == "accepted_values":
        if not isinstance(arg, dict) or set(arg) != {"column", "values"}:
            raise BloqrError(f"{where}: accepted_values needs {{column: c, values: [...]}}")
        (column,) = _column_list(arg["column"], where, single=True)
        values = arg["values"]
        if not isinstance(values, list) or not values or any(
            not isinstance(v, str | int | float | bool) for v in values
        ):
            raise BloqrError(f"{where}: accepted_values.values must be a non-empty list of scalars")
        return [ModelTest(name or f"accepted_values_{column}", kind, (column,), tuple(values))]
    if not isinstance(arg, str) or not arg.strip():
        raise BloqrError(f"{where}: expression must be a SQL boolean expression string")
    slug = re.sub(r"[^a-z0-9]+", "_", arg.lower()).strip("_")[:60].rstrip("_")
    return [ModelTest(name or f"expression_{slug}", kind, expression=" ".join(arg.split()))]


def _column_list(arg: Any, where: str, single: bool = False) -> list[str]:
    columns = arg if isinstance(arg, list) else [arg]
    if not columns or (single and len(columns) != 1):
        raise BloqrError(f"{where}: expected {'one column' if single else 'a column or a list of columns'}")
    for col in columns:
        _check_column(col, where, "column")
    if len(set(columns)) != len(columns):
        raise BloqrError(f"{where}: a column is listed twice")
    return columns


def _check_column(col: Any, where: str, what: str) -> None:
    if not isinstance(col, str) or not _COLUMN_NAME.fullmatch(col):
        raise BloqrError(f"{where}: {what} {col!r} is not a plain column name")


def _template_call(expr: str, label: str) -> tuple[str, str]:
    """('ref', model) or ('source', lake table) for the inside of a `{{ ... }}`."""
    ref = _REF.fullmatch(expr)
    if ref:
        return "ref", ref["name"]
    src = _SOURCE.fullmatch(expr)
    if src:
        if src["src"] != "lake":
            raise BloqrError(f"{label}: unknown source {src['src']!r} (the only source is 'lake')")
        if src["table"] not in lake.TABLES:
            raise BloqrError(
                f"{label}: unknown lake table {src['table']!r} (known: {', '.join(sorted(lake.TABLES))})"
            )
        return "source", src["table"]
    raise BloqrError(
        f"{label}: unsupported template {{{{ {' '.join(expr.split())} }}}} "
        "(use {{ ref('model') }} or {{ source('lake', 'table') }})"
    )


def _dependency_order(models: dict[str, Model]) -> Iterable[str]:
    sorter: graphlib.TopologicalSorter[str] = graphlib.TopologicalSorter(
        {name: m.refs for name, m in models.items()}
    )
    try:
        sorter.prepare()
    except graphlib.CycleError as exc:
        cycle = list(reversed(exc.args[1]))
        start = min(cycle[:-1])  # report from the alphabetically first model, for a stable message
        rotated = cycle[cycle.index(start):-1] + cycle[:cycle.index(start)] + [start]
        raise BloqrError(
            f"{models[start].label}: dependency cycle {' -> '.join(rotated)}"
        ) from None
    while sorter.is_active():
        ready = sorted(sorter.get_ready())  # sorted: the same order on every machine
        yield from ready
        sorter.done(*ready)


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _literal(value: Any) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"
