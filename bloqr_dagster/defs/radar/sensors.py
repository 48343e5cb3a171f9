"""radar_alert_sensor: posts one alert per new current anomaly to the alert webhook.

De-duplication is in the state database (radar/alerting.py), so restarts never repeat an alert.
The cursor only saves work: the modification time of the warehouse file whose anomalies were
all sent, so an unchanged warehouse costs one stat() per evaluation.
"""


import dagster as dg

from bloqr_dagster.defs.radar.resources import RadarResource
from bloqr_dagster.radar.alerting import send_new_alerts
from bloqr_dagster.radar.anomalies import read_anomalies

ALERT_INTERVAL_S = 10


@dg.sensor(name="radar_alert_sensor", minimum_interval_seconds=ALERT_INTERVAL_S,
           default_status=dg.DefaultSensorStatus.RUNNING,
           description="Posts one alert per new current anomaly (error_group_anomalies, "
                       "completion_rate_anomalies) to BLOQR_ALERT_WEBHOOK; never the same anomaly twice.")
def radar_alert_sensor(context: dg.SensorEvaluationContext, radar: RadarResource) -> dg.SensorResult:
    if not radar.alert_webhook:
        return dg.SensorResult(skip_reason="no alert webhook configured (BLOQR_ALERT_WEBHOOK)")
    warehouse = radar.paths.warehouse
    if not warehouse.exists():
        return dg.SensorResult(skip_reason="no warehouse yet")
    stamp = str(warehouse.stat().st_mtime_ns)
    if context.cursor == stamp:
        return dg.SensorResult(skip_reason="the warehouse has not changed since every anomaly was sent")
    anomalies = read_anomalies(radar.paths, current_only=True)
    sent, waiting = send_new_alerts(radar.paths.state_db, radar.alert_webhook, anomalies, ui_url=radar.ui_url)
    for anomaly in sent:
        context.log.info(f"alert sent: {anomaly.summary()}")
    reason = f"{len(sent)} alert(s) sent, {len(anomalies)} current anomal{'y' if len(anomalies) == 1 else 'ies'}"
    # more than one evaluation's worth: keep the old cursor so the next evaluation continues
    return dg.SensorResult(skip_reason=reason, cursor=context.cursor if waiting else stamp)
