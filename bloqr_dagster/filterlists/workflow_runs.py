"""One row per filter-list workflow run, in the state database and the lake table `workflow_runs`.

Rows are keyed by run id, so a run recorded twice (its last step, then a failure hook or the run
failure sensor) stays one row. The state database is the source of truth; after each write the
lake file of that day (`workflow_runs/<YYYY-MM-DD>.parquet`) is rewritten from it while the write
lock is held, so concurrent runs never lose each other's rows.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bloqr_dagster.filterlists import statedb

WORKFLOWS = ("compile", "batch_compile", "cache_warming", "health_monitoring", "isolated_compile")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS workflow_runs (
    run_id TEXT PRIMARY KEY, workflow TEXT NOT NULL, trigger TEXT NOT NULL, started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL, duration_s REAL NOT NULL, succeeded INTEGER NOT NULL,
    configurations INTEGER NOT NULL, configurations_warmed INTEGER NOT NULL, cache_hits INTEGER NOT NULL,
    sources_checked INTEGER NOT NULL, sources_healthy INTEGER NOT NULL, alerts INTEGER NOT NULL,
    error TEXT);
CREATE INDEX IF NOT EXISTS workflow_runs_by_start ON workflow_runs (started_at);
"""


@dataclass(frozen=True)
class WorkflowRun:
    run_id: str
    workflow: str  # one of WORKFLOWS
    trigger: str  # "manual" | "schedule" | "sensor" | "backfill"
    started_at: datetime
    finished_at: datetime
    succeeded: bool
    configurations: int = 0
    configurations_warmed: int = 0
    cache_hits: int = 0
    sources_checked: int = 0
    sources_healthy: int = 0
    alerts: int = 0
    error: str | None = None

    @property
    def duration_s(self) -> float:
        return max(0.0, (self.finished_at - self.started_at).total_seconds())


def record_run(db: Path, run: WorkflowRun, lake: Path | None = None, *, overwrite: bool = True) -> bool:
    """Store the run (overwrite=False keeps an existing row). Returns whether a row was written."""
    row = asdict(run) | {"duration_s": run.duration_s}
    row["started_at"] = run.started_at.astimezone(UTC).isoformat()
    row["finished_at"] = run.finished_at.astimezone(UTC).isoformat()
    row["succeeded"] = int(run.succeeded)
    columns = list(row)
    verb = "INSERT OR REPLACE" if overwrite else "INSERT OR IGNORE"
    with statedb.connect(db, _SCHEMA, immediate=True) as conn:
        written = conn.execute(
            f"{verb} INTO workflow_runs ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            [row[c] for c in columns]).rowcount > 0
        if written and lake is not None:
            _export_day(conn, lake, run.started_at.astimezone(UTC))
    return written


def export_all(db: Path, lake: Path) -> int:
    """Rewrite every day file of the lake table from the state database; returns the row count."""
    with statedb.connect(db, _SCHEMA, immediate=True) as conn:
        days = [r[0] for r in conn.execute("SELECT DISTINCT substr(started_at, 1, 10) FROM workflow_runs")]
        for day in days:
            _export_day(conn, lake, datetime.fromisoformat(day).replace(tzinfo=UTC))
        return conn.execute("SELECT COUNT(*) FROM workflow_runs").fetchone()[0]


def runs(db: Path, workflow: str | None = None) -> list[WorkflowRun]:
    where, args = ("WHERE workflow = ?", (workflow,)) if workflow else ("", ())
    with statedb.connect(db, _SCHEMA) as conn:
        rows = conn.execute(f"SELECT * FROM workflow_runs {where} ORDER BY started_at", args).fetchall()
    return [_from_row(dict(r)) for r in rows]


def _from_row(row: dict) -> WorkflowRun:
    names = {f.name for f in fields(WorkflowRun)}
    data = {k: v for k, v in row.items() if k in names}
    data["started_at"] = datetime.fromisoformat(data["started_at"])
    data["finished_at"] = datetime.fromisoformat(data["finished_at"])
    data["succeeded"] = bool(data["succeeded"])
    return WorkflowRun(**data)


def _export_day(conn, lake: Path, when: datetime) -> None:  # noqa: ANN001 - sqlite3.Connection
    from bloqr_dagster.warehouse import lake as lake_tables

    start = datetime(when.year, when.month, when.day, tzinfo=UTC)
    rows = conn.execute("SELECT * FROM workflow_runs WHERE started_at >= ? AND started_at < ? "
                        "ORDER BY started_at", (start.isoformat(), (start + timedelta(days=1)).isoformat()))
    records = []
    for r in rows.fetchall():
        rec = dict(r)
        rec["started_at"] = datetime.fromisoformat(rec["started_at"])
        rec["finished_at"] = datetime.fromisoformat(rec["finished_at"])
        rec["succeeded"] = bool(rec["succeeded"])
        records.append(rec)
    lake_tables.write_file(lake, "workflow_runs", start.date().isoformat(), records)
