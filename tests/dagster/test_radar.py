"""Regression radar in Dagster: the checks on the anomaly models and the alert sensor.

A generated 8-day corpus (the completion-rate baseline is the same weekday a week before) ends with an incident (400 builds failing on one line never seen before,
within 10 minutes). The warehouse job builds the models and runs the radar checks; the alert
sensor posts to a real HTTP server on 127.0.0.1, once per anomaly (a group new in its hour and its
day is one alert), also across a fresh instance over the same DAGSTER_HOME and a lost cursor.
"""

from __future__ import annotations

import json
from datetime import timedelta

import dagster as dg
import pytest

from bloqr_dagster import settings
from bloqr_dagster.build_errors.generator import generate, incident, last_created_at
from bloqr_dagster.build_errors.stores import open_store
from bloqr_dagster.defs.radar.resources import RadarResource
from bloqr_dagster.defs.radar.sensors import radar_alert_sensor
from bloqr_dagster.defs.resources import BloqrHome
from bloqr_dagster.radar.anomalies import read_anomalies
from bloqr_dagster.radar.corpus import scan_store_into_lake

from .conftest import DagsterEnv
from .helpers import check_results

INCIDENT = "✘ [ERROR] Build image v9 lost its TLS roots: certificate store missing at build step 3"
GROUP = "✘ [ERROR] Build image <VERSION> lost its TLS roots: certificate store missing at build step <N>"


def _corpus(env: DagsterEnv, incident_builds: int) -> None:
    with open_store(env.store_url) as store:
        generate(store, 4_000, seed=11, start_id=1, days=8, keep_planted=False)
        if incident_builds:
            # in the next hour, not across midnight: new in both its hour and its day
            _, newest = last_created_at(store)
            start = newest.replace(minute=5, second=0, microsecond=0) + timedelta(hours=1)
            incident(store, incident_builds, INCIDENT, start_time=start)
    scan_store_into_lake(settings.paths(env.bloqr_home))


def _build(env: DagsterEnv, **radar_config: object) -> dg.ExecuteInProcessResult:
    defs = env.defs()
    job = defs.resolve_job_def("warehouse_job")
    run_config = {"resources": {"radar": {"config": radar_config}}} if radar_config else None
    return job.execute_in_process(instance=env.instance, run_config=run_config, raise_on_error=True)


def _resource(env: DagsterEnv, webhook: str) -> RadarResource:
    return RadarResource(home=BloqrHome(home=str(env.bloqr_home)), alert_webhook=webhook)


def _evaluate(instance: dg.DagsterInstance, resource: RadarResource, cursor: str | None = None) -> dg.SensorResult:
    with dg.build_sensor_context(instance=instance, cursor=cursor, resources={"radar": resource}) as context:
        return radar_alert_sensor(context)


def _hook(http_server) -> tuple[str, list[dict]]:
    received: list[dict] = []

    def handler(req) -> None:
        received.append(json.loads(req.body))
        req.send_response(200)
        req.send_header("Content-Length", "0")
        req.end_headers()

    return http_server.route("/hook", handler), received


@pytest.fixture
def incident_env(empty_dagster_env: DagsterEnv) -> DagsterEnv:
    _corpus(empty_dagster_env, 400)
    return empty_dagster_env


def test_checks_name_the_new_group_and_the_completion_drop(incident_env: DagsterEnv) -> None:
    checks = check_results(_build(incident_env))
    spikes, drops = checks["no_current_error_group_anomaly"], checks["no_current_completion_drop"]
    assert not spikes.passed and spikes.severity == dg.AssetCheckSeverity.WARN
    assert GROUP in spikes.description and "NEW error group" in spikes.description
    assert not drops.passed and drops.severity == dg.AssetCheckSeverity.ERROR
    assert "completion rate dropped" in drops.description
    # the model tests of the new models ran in the same run, and passed
    assert checks["unique_anomaly_id"].passed and checks["accepted_values_kind"].passed


def test_severities_and_thresholds_come_from_the_resource(incident_env: DagsterEnv) -> None:
    checks = check_results(_build(incident_env, spike_severity="ERROR",
                                  overrides={f"{w}.{s}": 1000.0 for w in ("hour", "day")
                                             for s in ("min_builds_new", "min_builds_spike")}
                                  | {"day.min_drop": 0.9}))
    # no group reaches 1,000 builds and no day lost 90 points: nothing current is left
    assert checks["no_current_error_group_anomaly"].passed
    assert checks["no_current_completion_drop"].passed
    assert checks["no_current_error_group_anomaly"].severity == dg.AssetCheckSeverity.ERROR


def test_a_quiet_corpus_passes_both_checks(empty_dagster_env: DagsterEnv) -> None:
    _corpus(empty_dagster_env, 0)
    checks = check_results(_build(empty_dagster_env))
    assert checks["no_current_error_group_anomaly"].passed and checks["no_current_completion_drop"].passed


def test_one_alert_per_anomaly_never_twice(incident_env: DagsterEnv, http_server) -> None:
    _build(incident_env)
    url, received = _hook(http_server)

    first = _evaluate(incident_env.instance, _resource(incident_env, url))
    assert received, first.skip_reason
    ids = [p["anomaly"]["anomaly_id"] for p in received]
    assert len(ids) == len(set(ids))
    new_group = [p for p in received if p["anomaly"]["kind"] == "new" and p["anomaly"]["error_group"] == GROUP]
    # new in its hour and in its day: one alert (per error code the detectors gave it)
    codes = [p["anomaly"]["error_code"] for p in new_group]
    assert codes and len(codes) == len(set(codes))
    current = read_anomalies(settings.paths(incident_env.bloqr_home), current_only=True)
    assert len(received) == len({a.alert_key for a in current}) < len(current)
    text = new_group[0]["text"]
    assert "NEW error group" in text and "first seen" in text and "expected" in text and INCIDENT in text
    assert any(p["anomaly"]["kind"] == "drop" for p in received)

    # A restarted daemon: a new instance object over the same DAGSTER_HOME, with and without the cursor.
    for cursor in (first.cursor, None):
        with dg.DagsterInstance.get() as fresh:
            again = _evaluate(fresh, _resource(incident_env, url), cursor)
        assert again.skip_reason is not None
    assert len(received) == len(ids)


def test_a_failing_webhook_is_retried_next_evaluation(incident_env: DagsterEnv, http_server) -> None:
    _build(incident_env)
    http_server.serve_bytes("/down", b"no", status=503)
    with pytest.raises(Exception, match="HTTP 503"):
        _evaluate(incident_env.instance, _resource(incident_env, http_server.url("/down")))
    url, received = _hook(http_server)
    _evaluate(incident_env.instance, _resource(incident_env, url))
    assert received  # nothing was recorded as sent while the hook failed
