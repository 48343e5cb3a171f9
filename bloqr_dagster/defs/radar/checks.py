"""One asset check per anomaly model: it fails while the model has a current anomaly, and its
description names what changed. Spikes and new groups warn, completion drops are errors (both
configurable on the radar resource). The checks read the published warehouse read-only.
"""


import dagster as dg

from bloqr_dagster.defs.radar.resources import RadarResource
from bloqr_dagster.defs.warehouse.assets import model_key
from bloqr_dagster.radar.anomalies import COMPLETION_MODEL, ERROR_GROUP_MODEL, Anomaly, read_anomalies
from bloqr_dagster.warehouse.query import markdown_table

NAMED = 5  # anomalies named in the description; the metadata table lists up to 50


def _result(anomalies: list[Anomaly], severity: dg.AssetCheckSeverity, quiet: str) -> dg.AssetCheckResult:
    if not anomalies:
        return dg.AssetCheckResult(passed=True, severity=severity, description=quiet,
                                   metadata={"current_anomalies": 0})
    named = "; ".join(a.title for a in anomalies[:NAMED])
    more = f" (+{len(anomalies) - NAMED} more)" if len(anomalies) > NAMED else ""
    rows = [(a.kind, a.window_kind, a.window_start, a.error_code, a.error_group, a.builds, a.baseline, a.score)
            for a in anomalies[:50]]
    return dg.AssetCheckResult(
        passed=False, severity=severity, description=f"{len(anomalies)} current anomal"
        f"{'y' if len(anomalies) == 1 else 'ies'}: {named}{more}",
        metadata={
            "current_anomalies": len(anomalies),
            "what_changed": dg.MetadataValue.md(markdown_table(
                ["kind", "window", "start", "error_code", "error_group", "builds", "baseline", "score"], rows)),
            "anomaly_ids": dg.MetadataValue.json([a.anomaly_id for a in anomalies[:50]]),
        },
    )


def _anomaly_check(model: str, name: str, which: str, description: str, quiet: str) -> dg.AssetChecksDefinition:
    @dg.asset_check(asset=model_key(model), name=name, description=description)
    def check(radar: RadarResource) -> dg.AssetCheckResult:
        anomalies = read_anomalies(radar.paths, current_only=True, models=(model,))
        return _result(anomalies, radar.severity(which), quiet)

    return check


radar_checks = [
    _anomaly_check(ERROR_GROUP_MODEL, "no_current_error_group_anomaly", "spike",
                   "Fails (WARN by default) while a new or spiking error group or category is in the "
                   "latest windows; names them.", "no new or spiking error group in the latest windows"),
    _anomaly_check(COMPLETION_MODEL, "no_current_completion_drop", "completion",
                   "Fails (ERROR by default) while the latest days' completion rate is significantly "
                   "below its baseline; names the categories behind the drop.",
                   "the completion rate is within its baseline"),
]
