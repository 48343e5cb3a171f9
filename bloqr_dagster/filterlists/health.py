"""Source health checks, their 30-day history, alert analysis and the alert webhook.

A check downloads a source (conditional GET, so an unchanged list costs a 304) and judges it
unhealthy when the request fails, the status is not 200/304, the answer took longer than
`slow_after` seconds, the body is an HTML page, or it holds fewer rules than the source's expected
minimum. Three consecutive unhealthy checks raise an alert exactly once per failure streak: the
streak counter is carried in the history, and the alert fires when it reaches the threshold, not
on every later failure. The first healthy check after an alert reports a recovery.

History lives in the state database; `export_lake` mirrors it into the lake table `health_checks`
(one Parquet file per day, files older than the retention removed).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bloqr_dagster.alerts import send_webhook  # noqa: F401 - the shared alert channel, used as health.send_webhook
from bloqr_dagster.filterlists import statedb
from bloqr_dagster.filterlists.defaults import SourceSpec
from bloqr_dagster.filterlists.fetch import FetchError, HttpFetcher
from bloqr_dagster.filterlists.opener import open_source

ALERT_AFTER_FAILURES = 3
SLOW_AFTER_SECONDS = 30.0
RETENTION_DAYS = 30
_COSMETIC_MARKERS = ("##", "#@#", "#?#", "#$#", "#%#", "#@?#", "#@$#", "#@%#")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS health_checks (
    id INTEGER PRIMARY KEY AUTOINCREMENT, checked_at TEXT NOT NULL, source TEXT NOT NULL,
    url TEXT NOT NULL, healthy INTEGER NOT NULL, status_code INTEGER, latency_ms REAL,
    rule_count INTEGER, expected_min_rules INTEGER NOT NULL, error TEXT,
    consecutive_failures INTEGER NOT NULL, alert INTEGER NOT NULL, recovered INTEGER NOT NULL DEFAULT 0,
    run_id TEXT);
CREATE INDEX IF NOT EXISTS health_checks_by_source ON health_checks (source, id);
CREATE INDEX IF NOT EXISTS health_checks_by_time ON health_checks (checked_at);
"""
LAKE_COLUMNS = ("checked_at", "source", "url", "healthy", "status_code", "latency_ms", "rule_count",
                "expected_min_rules", "error", "consecutive_failures", "alert")


@dataclass(frozen=True)
class HealthResult:
    checked_at: datetime
    source: str  # the source key (a raw_filter_lists partition)
    url: str
    healthy: bool
    status_code: int | None
    latency_ms: float | None
    rule_count: int | None
    expected_min_rules: int
    error: str | None = None
    consecutive_failures: int = 0  # set by analyse(): this check included
    alert: bool = False  # this check made the streak reach the alert threshold
    recovered: bool = False  # healthy again after an alerted streak

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["checked_at"] = self.checked_at.isoformat()
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> HealthResult:
        return cls(**{**data, "checked_at": datetime.fromisoformat(data["checked_at"])})


def count_raw_rules(text: str) -> int:
    """Rules in a downloaded list, as a health check judges it: lines that are not empty, not `!`
    comments, not `#` comments of hosts files, not `[Adblock Plus 2.0]` headers. Cosmetic rules
    (`##.ad`, `#@#...`) do count. (compiler.count_compiled_rules counts a compile's output instead,
    with hostlist-compiler's narrower idea of a comment.)"""
    count = 0
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line[0] in "![":
            continue
        if line[0] == "#" and not line.startswith(_COSMETIC_MARKERS):
            continue
        count += 1
    return count


count_rules = count_raw_rules  # the old name, kept while callers move to count_raw_rules


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:256].lower()
    return head.startswith(("<!doctype html", "<html", "<head", "<body"))


def check_source(spec: SourceSpec, fetcher: HttpFetcher, *, slow_after: float = SLOW_AFTER_SECONDS,
                 now: datetime | None = None, base_dir: Path | None = None, confine: bool = False) -> HealthResult:
    """One health check of one source (a URL, or a local path relative to base_dir; with confine,
    only inside base_dir). Never raises for a sick source: the result says why."""
    checked_at = now or datetime.now(UTC)
    base = dict(checked_at=checked_at, source=spec.key, url=spec.url, expected_min_rules=spec.min_rules)
    started = time.monotonic()
    try:
        response = open_source(spec.url, base_dir=base_dir or Path.cwd(), http=fetcher, confine=confine,
                               raise_for_status=False)
    except FetchError as exc:
        elapsed_ms = (time.monotonic() - started) * 1000
        return HealthResult(**base, healthy=False, status_code=exc.status, latency_ms=round(elapsed_ms, 1),
                            rule_count=None, error=exc.reason)
    latency_ms = round(response.elapsed * 1000, 1)
    status = response.status
    if status not in (200, 304):
        return HealthResult(**base, healthy=False, status_code=status, latency_ms=latency_ms,
                            rule_count=None, error=f"HTTP {status} {response.reason}".rstrip())
    text, replaced = response.decoded()
    rules = count_raw_rules(text)
    problems = []
    if response.elapsed > slow_after:
        problems.append(f"slow: {response.elapsed:.1f} s (limit {slow_after:g} s)")
    if _looks_like_html(text):
        problems.append("served an HTML page, not a filter list")
    if rules < spec.min_rules:
        problems.append(f"{rules} rules, expected at least {spec.min_rules}")
    # Invalid UTF-8 alone is not a failure (the compiler decodes with replacement) but is reported.
    notes = [*problems, f"{replaced} invalid UTF-8 sequences"] if replaced else problems
    return HealthResult(**base, healthy=not problems, status_code=status, latency_ms=latency_ms,
                        rule_count=rules, error="; ".join(notes) or None)


def analyse(results: Iterable[HealthResult], previous: dict[str, HealthResult],
            threshold: int = ALERT_AFTER_FAILURES) -> list[HealthResult]:
    """Carry each source's failure streak forward from its previous check and flag alerts."""
    analysed = []
    for result in results:
        before = previous.get(result.source)
        streak_before = before.consecutive_failures if before else 0
        if result.healthy:
            analysed.append(replace(result, consecutive_failures=0, alert=False,
                                    recovered=streak_before >= threshold))
        else:
            streak = streak_before + 1
            analysed.append(replace(result, consecutive_failures=streak, alert=streak == threshold))
    return analysed


class HealthHistory:
    """Health check results in the state database, newest last."""

    def __init__(self, db: Path) -> None:
        self.db = Path(db)

    def latest_by_source(self) -> dict[str, HealthResult]:
        with statedb.connect(self.db, _SCHEMA) as conn:
            rows = conn.execute("SELECT * FROM health_checks WHERE id IN "
                                "(SELECT MAX(id) FROM health_checks GROUP BY source)").fetchall()
        return {r["source"]: _result(r) for r in rows}

    def recent(self, source: str | None = None, limit: int = 100) -> list[HealthResult]:
        where, args = ("WHERE source = ?", (source,)) if source else ("", ())
        with statedb.connect(self.db, _SCHEMA) as conn:
            rows = conn.execute(f"SELECT * FROM health_checks {where} ORDER BY id DESC LIMIT ?",
                                (*args, limit)).fetchall()
        return [_result(r) for r in reversed(rows)]

    def append(self, results: Sequence[HealthResult], run_id: str | None = None, *,
               lake: Path | None = None, retention_days: int = RETENTION_DAYS) -> int:
        """Store results, drop history older than the retention, and (with `lake`) rewrite the lake
        files of the affected days, all under one write lock. Returns how many old rows were pruned."""
        cutoff = datetime.now(UTC) - timedelta(days=retention_days)
        with statedb.connect(self.db, _SCHEMA, immediate=True) as conn:
            conn.executemany(
                "INSERT INTO health_checks (checked_at, source, url, healthy, status_code, latency_ms, "
                "rule_count, expected_min_rules, error, consecutive_failures, alert, recovered, run_id) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [(r.checked_at.astimezone(UTC).isoformat(), r.source, r.url, int(r.healthy), r.status_code, r.latency_ms,
                  r.rule_count, r.expected_min_rules, r.error, r.consecutive_failures, int(r.alert),
                  int(r.recovered), run_id) for r in results])
            pruned = conn.execute("DELETE FROM health_checks WHERE checked_at < ?",
                                  (cutoff.isoformat(),)).rowcount
            if lake is not None:
                days = {r.checked_at.astimezone(UTC).date() for r in results}
                _export_days(conn, lake, days, cutoff.date())
        return pruned


def _export_days(conn, lake: Path, days: set[date], oldest_kept: date) -> None:  # noqa: ANN001
    from bloqr_dagster.warehouse import lake as lake_tables

    for day in sorted(days):
        start = datetime(day.year, day.month, day.day, tzinfo=UTC)
        rows = conn.execute("SELECT * FROM health_checks WHERE checked_at >= ? AND checked_at < ? "
                            "ORDER BY id", (start.isoformat(), (start + timedelta(days=1)).isoformat()))
        records = [{c: _lake_value(c, r[c]) for c in LAKE_COLUMNS} for r in rows.fetchall()]
        lake_tables.write_file(lake, "health_checks", day.isoformat(), records)
    folder = lake_tables.table_dir(lake, "health_checks")
    for path in folder.glob("*.parquet"):
        try:
            if date.fromisoformat(path.stem) < oldest_kept:
                path.unlink(missing_ok=True)
        except ValueError:
            continue  # not a day file: leave it alone


def _lake_value(column: str, value: Any) -> Any:
    if column == "checked_at":
        return datetime.fromisoformat(value)
    if column in ("healthy", "alert"):
        return bool(value)
    return value


def _result(row) -> HealthResult:  # noqa: ANN001 - sqlite3.Row
    return HealthResult(
        checked_at=datetime.fromisoformat(row["checked_at"]), source=row["source"], url=row["url"],
        healthy=bool(row["healthy"]), status_code=row["status_code"], latency_ms=row["latency_ms"],
        rule_count=row["rule_count"], expected_min_rules=row["expected_min_rules"], error=row["error"],
        consecutive_failures=row["consecutive_failures"], alert=bool(row["alert"]),
        recovered=bool(row["recovered"]))


def alert_payload(alerts: Sequence[HealthResult], recoveries: Sequence[HealthResult] = ()) -> dict[str, Any]:
    """JSON for the webhook; `text` makes it readable as-is by Slack/Mattermost-style hooks."""
    lines = [f"ALERT {a.source}: unhealthy {a.consecutive_failures} checks in a row ({a.error})"
             for a in alerts]
    lines += [f"RECOVERED {r.source}: healthy again" for r in recoveries]
    return {"text": "bloqr filter-list health: " + "; ".join(lines),
            "alerts": [a.to_json() for a in alerts], "recoveries": [r.to_json() for r in recoveries]}
