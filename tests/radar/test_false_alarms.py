"""The radar on generated corpora: the planted spike days are flagged, a quiet corpus stays silent."""

from __future__ import annotations

from pathlib import Path

from bloqr_dagster import settings
from bloqr_dagster.build_errors.generator import DEFAULT_START
from bloqr_dagster.radar.corpus import anomalies_on_generated_corpus

# generator.py: every ninth day from day 4 one category spikes (lockfile x3, node x4, auth x5)
PLANTED = {4: "lockfile_out_of_sync", 13: "node_version_mismatch", 22: "auth_error"}


def test_planted_spike_days_are_flagged_and_nothing_else(tmp_path: Path) -> None:
    found = anomalies_on_generated_corpus(settings.paths(tmp_path), 30_000, 30, spikes=True)
    days = {(a.window_start - DEFAULT_START).days for a in found}
    assert days == set(PLANTED), [a.summary() for a in found]
    for day, code in PLANTED.items():
        flagged = [a for a in found if (a.window_start - DEFAULT_START).days == day]
        assert any(a.error_code == code and a.kind == "spike" and a.window_kind == "day" for a in flagged)
        assert {a.error_code for a in flagged} == {code}  # the spiking category, not its neighbours


def test_a_quiet_90_day_corpus_raises_no_anomaly(tmp_path: Path) -> None:
    found = anomalies_on_generated_corpus(settings.paths(tmp_path), 36_000, 90, spikes=False)
    assert found == [], [a.summary() for a in found]
