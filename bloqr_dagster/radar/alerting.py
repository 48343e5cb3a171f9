"""One alert per new anomaly, never the same anomaly twice, across restarts.

What was sent is kept in the state database (table radar_sent_alerts, keyed by Anomaly.alert_key:
a group new in an hour and in that hour's day is one alert), not in memory or only in a sensor
cursor: a daemon restart, a second daemon reading the same BLOQR_HOME or a reset cursor still
finds it. An anomaly is recorded right after its
webhook answered 2xx, so a failed POST is retried on the next evaluation (at-least-once: only a
crash between the answer and the insert can repeat one).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bloqr_dagster.alerts import send_webhook
from bloqr_dagster.filterlists import statedb
from bloqr_dagster.radar.anomalies import Anomaly

SCHEMA = """CREATE TABLE IF NOT EXISTS radar_sent_alerts (
    alert_key TEXT PRIMARY KEY, anomaly_id TEXT NOT NULL, model TEXT NOT NULL, sent_at TEXT NOT NULL,
    summary TEXT NOT NULL)"""
MAX_ALERTS_PER_EVALUATION = 20  # a storm of anomalies is sent over several evaluations, in order

Sender = Callable[[str, dict[str, Any]], object]


def alert_payload(anomaly: Anomaly, ui_url: str = "") -> dict[str, Any]:
    """The webhook body: `text` for chat hooks, `anomaly` with every field for machines."""
    text = f"bloqr regression radar: {anomaly.summary()}"
    payload: dict[str, Any] = {"text": text, "anomaly": anomaly.to_json()}
    if ui_url:
        link = f"{ui_url.rstrip('/')}/assets/warehouse/{anomaly.model}"
        payload["link"] = link
        payload["text"] = f"{text} · {link}"
    return payload


def unsent(state_db: Path, anomalies: Sequence[Anomaly]) -> list[Anomaly]:
    """The anomalies whose alert was not sent yet, one per alert key (the earliest window first)."""
    if not anomalies:
        return []
    keys = sorted({a.alert_key for a in anomalies})
    with statedb.connect(state_db, SCHEMA) as conn:
        sent = {row[0] for row in conn.execute(
            f"SELECT alert_key FROM radar_sent_alerts WHERE alert_key IN ({','.join('?' * len(keys))})", keys)}
    todo: dict[str, Anomaly] = {}
    for anomaly in sorted(anomalies, key=lambda a: (a.window_start, a.window_end, -a.score, a.anomaly_id)):
        if anomaly.alert_key not in sent:
            todo.setdefault(anomaly.alert_key, anomaly)
    return list(todo.values())


def mark_sent(state_db: Path, anomaly: Anomaly) -> None:
    with statedb.connect(state_db, SCHEMA, immediate=True) as conn:
        conn.execute("INSERT OR IGNORE INTO radar_sent_alerts VALUES (?, ?, ?, ?, ?)",
                     [anomaly.alert_key, anomaly.anomaly_id, anomaly.model, datetime.now(UTC).isoformat(),
                      anomaly.summary()])


def sent_count(state_db: Path) -> int:
    with statedb.connect(state_db, SCHEMA) as conn:
        return int(conn.execute("SELECT count(*) FROM radar_sent_alerts").fetchone()[0])


def send_new_alerts(state_db: Path, webhook: str, anomalies: Sequence[Anomaly], *, ui_url: str = "",
                    send: Sender = send_webhook,
                    limit: int = MAX_ALERTS_PER_EVALUATION) -> tuple[list[Anomaly], int]:
    """POST one alert per alert key not sent before (oldest window first, at most `limit`).

    Returns (sent, still waiting). A webhook error propagates after the alerts sent so far were
    recorded, so the next evaluation resumes where this one stopped.
    """
    todo = unsent(state_db, anomalies)
    sent: list[Anomaly] = []
    for anomaly in todo[:limit]:
        send(webhook, alert_payload(anomaly, ui_url))
        mark_sent(state_db, anomaly)
        sent.append(anomaly)
    return sent, len(todo) - len(sent)
