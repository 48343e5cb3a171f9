"""Anomalies as the warehouse publishes them, and the alert each one becomes.

The models flag anomalies over the whole history (so the demo shows its planted spike days);
`is_current` marks those in the latest windows up to the newest build, which are the ones the
checks judge and the alert sensor sends.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bloqr_dagster.errors import BloqrError
from bloqr_dagster.settings import Paths
from bloqr_dagster.warehouse import lake
from bloqr_dagster.warehouse.query import readonly

ERROR_GROUP_MODEL = "error_group_anomalies"
COMPLETION_MODEL = "completion_rate_anomalies"
MODELS = (ERROR_GROUP_MODEL, COMPLETION_MODEL)
WINDOWS = ("hour", "day")
# The settings radar_settings.sql knows (its defaults live there, in one place).
SETTINGS = ("baseline_days", "min_history_days", "min_builds_new", "min_builds_spike", "min_score",
            "min_ratio", "min_drop", "current_windows")
SETTINGS_FILE_KEY = "overrides"
MAX_ANOMALIES = 200  # every read is bounded: a broken baseline must not flood a check or a tool


@dataclass(frozen=True)
class Anomaly:
    anomaly_id: str
    model: str
    kind: str  # new | spike (error groups) | drop (completion rate)
    window_kind: str
    window_start: datetime
    window_end: datetime
    level: str  # group | category | completion
    error_code: str | None
    error_group: str | None
    builds: int  # failed builds of the group (drop: builds started)
    baseline: float  # builds expected from the baseline (drop: the baseline completion rate)
    observed: float  # share of the window's failed builds (drop: the completion rate)
    score: float
    first_seen: datetime | None
    example: str | None  # masked by the detectors
    explained_by: str | None
    is_current: bool

    @property
    def alert_key(self) -> str:
        """What one alert stands for. An error group that is new (or spiking) in an hour is new in
        that hour's day too, and spikes in several hours of a day: one alert per UTC day, level,
        group and kind. A completion drop is one day already."""
        if self.model != ERROR_GROUP_MODEL:
            return self.anomaly_id
        day = self.window_start.astimezone(UTC).strftime("%Y-%m-%d")
        return "|".join((self.model, day, self.level, self.error_code or "", self.error_group or "", self.kind))

    @property
    def title(self) -> str:
        when = f"{self.window_kind} from {_iso(self.window_start)}"
        if self.kind == "drop":
            return (f"completion rate dropped to {self.observed:.0%} (baseline {self.baseline:.0%}) "
                    f"over {self.builds} builds, {when}")
        what = f"error group [{self.error_code}] {self.error_group}" if self.level == "group" \
            else f"error category {self.error_code}"
        label = "NEW" if self.kind == "new" else "SPIKE"
        return f"{label} {what}: {self.builds} failed builds vs {self.baseline:g} expected, {when}"

    def summary(self) -> str:
        """One line for a chat message: what changed, count vs baseline, first seen, example line."""
        parts = [self.title, f"score {self.score:g}"]
        if self.first_seen is not None:
            parts.append(f"first seen {_iso(self.first_seen)}")
        if self.explained_by:
            parts.append(f"explained by {self.explained_by}")
        if self.example:
            parts.append(f"example: `{self.example}`")
        return " · ".join(parts)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("window_start", "window_end", "first_seen"):
            data[key] = _iso(data[key]) if data[key] is not None else None
        return data


def _iso(ts: datetime) -> str:
    return ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


_GROUP_SQL = f"""
SELECT anomaly_id, '{ERROR_GROUP_MODEL}', kind, window_kind, window_start, window_end, level, error_code,
       error_group, builds, baseline, share, score, first_seen, example, NULL, is_current
FROM {ERROR_GROUP_MODEL}"""
_COMPLETION_SQL = f"""
SELECT anomaly_id, '{COMPLETION_MODEL}', 'drop', window_kind, window_start, window_end, 'completion',
       top_error_code, NULL, started, baseline_rate, completion_rate, score, NULL, NULL, explained_by, is_current
FROM {COMPLETION_MODEL}"""


def read_anomalies(paths: Paths, *, current_only: bool = False, models: tuple[str, ...] = MODELS,
                   limit: int = MAX_ANOMALIES) -> list[Anomaly]:
    """Anomalies of the published warehouse, newest window first, highest score first.

    Opens the file read-only for this call only. A model not built yet contributes nothing.
    """
    if not paths.warehouse.exists():
        return []
    parts = {ERROR_GROUP_MODEL: _GROUP_SQL, COMPLETION_MODEL: _COMPLETION_SQL}
    with readonly(paths) as con:
        present = {row[0] for row in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        selects = [parts[m] + (" WHERE is_current" if current_only else "") for m in models if m in present]
        if not selects:
            return []
        sql = " UNION ALL ".join(selects) + " ORDER BY 5 DESC, 13 DESC, 1 LIMIT ?"
        rows = con.execute(sql, [max(0, int(limit))]).fetchall()
    return [Anomaly(*row) for row in rows]


def settings_rows(overrides: Mapping[str, float]) -> list[dict[str, Any]]:
    """`{"day.min_score": 4.5}` -> lake rows; an unknown window or setting is a one-line error."""
    now = datetime.now(UTC)
    rows = []
    for key, value in sorted(overrides.items()):
        window, _, setting = key.partition(".")
        if window not in WINDOWS or setting not in SETTINGS:
            raise BloqrError(f"radar setting {key!r}: expected WINDOW.SETTING with WINDOW one of "
                             f"{', '.join(WINDOWS)} and SETTING one of {', '.join(SETTINGS)}")
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise BloqrError(f"radar setting {key!r}: not a number: {value!r}") from None
        if not number >= 0 or number == float("inf"):
            raise BloqrError(f"radar setting {key!r}: must be a finite number >= 0, got {value!r}")
        rows.append({"window_kind": window, "setting": setting, "value": number, "set_at": now})
    return rows


def parse_settings(text: str, where: str = "BLOQR_RADAR_SETTINGS") -> dict[str, float]:
    """`day.min_score=4.5, hour.min_builds_new=20` -> overrides (checked like settings_rows)."""
    overrides: dict[str, float] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        key, sep, value = item.partition("=")
        if not sep:
            raise BloqrError(f"{where}: expected WINDOW.SETTING=VALUE, got {item!r}")
        overrides[key.strip()] = value.strip()  # type: ignore[assignment] - checked just below
    settings_rows(overrides)
    return {key: float(value) for key, value in overrides.items()}


def write_settings(lake_dir: Path, overrides: Mapping[str, float]) -> int:
    """Replace the lake's radar_settings overrides (atomically); returns how many were written."""
    rows = settings_rows(overrides)
    lake.write_file(lake_dir, "radar_settings", SETTINGS_FILE_KEY, rows)
    return len(rows)
