"""Read-only questions about failed builds, for the MCP server (`bloqr mcp`) and anyone else.

Every answer is bounded (row limits, context lines, characters) and holds masked text only: error
groups and sample lines come from the lake, masked by the detectors; log lines read from the build
store go through the detectors' own masking and grouping (masked_shape) before they leave.

DuckDB has a single writer, so nothing here holds a connection: each call attaches the published
warehouse read-only (query.readonly, which never blocks nor is blocked by a build publishing a new
file) and closes it. When there is no warehouse yet, or it cannot be read, the same question is
asked of the lake's Parquet files in an in-memory database.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import duckdb

from bloqr_dagster.build_errors.detectors.masking import clean_line, normalise, sample
from bloqr_dagster.build_errors.stores import open_store
from bloqr_dagster.errors import BloqrError
from bloqr_dagster.radar.anomalies import read_anomalies
from bloqr_dagster.settings import Paths
from bloqr_dagster.warehouse import lake
from bloqr_dagster.warehouse.query import connect_readonly

MAX_ROWS = 50
MAX_CONTEXT_LINES = 10
MAX_PERIOD_DAYS = 366


@dataclass(frozen=True)
class Source:
    paths: Paths
    store_url: str


def _bounded(limit: int, most: int, name: str) -> int:
    if not 1 <= limit <= most:
        raise BloqrError(f"{name}: must be between 1 and {most}, got {limit}")
    return limit


@contextlib.contextmanager
def _errors_relation(paths: Paths) -> Iterator[tuple[duckdb.DuckDBPyConnection, str, str]]:
    """(connection, relation of build errors, where it came from): the warehouse, else the lake."""
    con = _warehouse_with_errors(paths)
    origin, relation = "warehouse", "stg_build_errors"
    if con is None:
        con = duckdb.connect(":memory:")
        con.execute("SET TimeZone = 'UTC'")
        origin, relation = "lake", lake.duckdb_relation_sql(paths.lake, "build_errors")
    try:
        yield con, relation, origin
    finally:
        con.close()


def _warehouse_with_errors(paths: Paths) -> duckdb.DuckDBPyConnection | None:
    """The published warehouse, read-only, if it exists and has stg_build_errors."""
    if not paths.warehouse.exists():
        return None
    try:
        con = connect_readonly(paths)
    except (duckdb.Error, BloqrError):
        return None  # replaced or removed between the check and the attach: the lake has the rows
    try:
        con.execute("SELECT 1 FROM stg_build_errors LIMIT 0")
    except duckdb.Error:
        con.close()  # built before the table existed
        return None
    return con


def _records(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    return [{k: _plain(v) for k, v in zip(names, row, strict=True)} for row in cursor.fetchall()]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def why_build_failed(src: Source, build_id: int, context_lines: int = 3) -> dict[str, Any]:
    """The build, its primary error (code, group, masked line) and the masked lines around it."""
    _bounded(context_lines + 1, MAX_CONTEXT_LINES + 1, "context_lines (0 to 10)")
    with open_store(src.store_url) as store:
        build = next(iter(store.builds_in_range(build_id, build_id)), None)
        if build is None:
            raise BloqrError(f"build {build_id}: not in the build store")
        answer: dict[str, Any] = {"build_id": build_id, "status": build.status,
                                  "failed_stage": build.failed_stage, "created_at": _plain(build.created_at)}
        if build.status != "failure":
            answer["note"] = f"build {build_id} did not fail ({build.status})"
            return answer
        with _errors_relation(src.paths) as (con, relation, origin):
            errors = _records(con.execute(
                f"SELECT line_no, error_code, error_group, tool, sample_line, is_primary FROM {relation} "
                "WHERE build_id = ? ORDER BY is_primary DESC, line_no LIMIT ?", [build_id, MAX_ROWS]))
        answer["source"] = origin
        primary = next((e for e in errors if e["is_primary"]), None)
        if primary is None:
            answer["note"] = "not categorised yet: its build-ID range has not been scanned"
            return answer
        answer["primary_error"] = {k: primary[k] for k in ("error_code", "error_group", "tool", "line_no",
                                                            "sample_line")}
        answer["other_errors"] = [{k: e[k] for k in ("line_no", "error_code", "error_group")}
                                  for e in errors if not e["is_primary"] and e["line_no"] != primary["line_no"]]
        line_no = primary["line_no"]
        if line_no:
            first = max(1, line_no - context_lines)
            lines, _ = store.log_page(build_id, cursor=first - 1, limit=2 * context_lines + 1)
            answer["log_excerpt"] = [{"line_no": ln.line_no, "text": masked_shape(ln.message)} for ln in lines]
    return answer


def masked_shape(raw: str) -> str:
    """A log line as the detectors' masking and grouping leave it.

    The privacy scrub alone keeps names it cannot recognise as private outside an error line (the
    project name in npm's `> name@1.0.0 build` banner), so context lines are shown as their error
    group shape, where such values are placeholders too.
    """
    return normalise(sample(clean_line(raw)))


def top_error_groups(src: Source, days: int = 7, limit: int = 10, until: str | None = None) -> dict[str, Any]:
    """The error groups with the most failed builds (primary errors) in the `days` up to `until`."""
    _bounded(days, MAX_PERIOD_DAYS, "days")
    _bounded(limit, MAX_ROWS, "limit")
    with _errors_relation(src.paths) as (con, relation, origin):
        end = _day(until) if until else con.execute(f"SELECT max(created_at) FROM {relation}").fetchone()[0]
        if end is None:
            return {"source": origin, "groups": [], "note": "no categorised builds yet"}
        start = end - timedelta(days=days)
        rows = _records(con.execute(
            f"SELECT error_code, error_group, count(*) AS builds, min(created_at) AS first_seen, "
            f"max(created_at) AS last_seen, arg_max(sample_line, created_at) AS example FROM {relation} "
            "WHERE is_primary AND error_group IS NOT NULL AND created_at > ? AND created_at <= ? "
            "GROUP BY ALL ORDER BY builds DESC, error_code, error_group LIMIT ?", [start, end, limit]))
    return {"source": origin, "from": _plain(start), "until": _plain(end), "groups": rows}


def builds_sharing_group(src: Source, build_id: int, limit: int = 20) -> dict[str, Any]:
    """Other failed builds whose primary error is in the same group as `build_id`'s, newest first."""
    _bounded(limit, MAX_ROWS, "limit")
    with _errors_relation(src.paths) as (con, relation, origin):
        row = con.execute(f"SELECT error_code, error_group FROM {relation} WHERE build_id = ? AND is_primary",
                          [build_id]).fetchone()
        if row is None:
            raise BloqrError(f"build {build_id}: no categorised failure (not failed, or not scanned yet)")
        code, group = row
        total = con.execute(f"SELECT count(*) FROM {relation} WHERE is_primary AND error_code = ? "
                            "AND error_group IS NOT DISTINCT FROM ?", [code, group]).fetchone()[0]
        rows = _records(con.execute(
            f"SELECT build_id, created_at FROM {relation} WHERE is_primary AND error_code = ? "
            "AND error_group IS NOT DISTINCT FROM ? AND build_id <> ? ORDER BY created_at DESC, build_id DESC "
            "LIMIT ?", [code, group, build_id, limit]))
    return {"source": origin, "error_code": code, "error_group": group, "builds_in_group": total,
            "builds": rows}


def current_anomalies(src: Source, include_past: bool = False, limit: int = 20) -> dict[str, Any]:
    """Anomalies of the latest windows (or all, newest first) from the warehouse's anomaly models."""
    _bounded(limit, MAX_ROWS, "limit")
    if not src.paths.warehouse.exists():
        raise BloqrError(f"no warehouse at {src.paths.warehouse} yet: anomalies are warehouse models")
    found = read_anomalies(src.paths, current_only=not include_past, limit=limit)
    return {"anomalies": [dict(a.to_json(), summary=a.summary()) for a in found]}


def _day(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text).replace(tzinfo=UTC) + timedelta(days=1) \
            if len(text) == 10 else datetime.fromisoformat(text).astimezone(UTC)
    except ValueError:
        raise BloqrError(f"until: not an ISO date or time: {text!r}") from None
