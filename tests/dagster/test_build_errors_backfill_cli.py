"""`bloqr backfill`: validation, refusal while another backfill runs, and a real backfill."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import dagster as dg
import pytest
from dagster._core.execution.backfill import BulkActionStatus

from bloqr_dagster.cli import main
from bloqr_dagster.defs.build_errors.backfill import active_build_error_backfills

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("args", "message"), [
    (["--from-build-id", "abc", "--to-build-id", "10"], "--from-build-id: not an integer: 'abc'"),
    (["--from-build-id", "1", "--to-build-id", "1.5"], "--to-build-id: not an integer: '1.5'"),
    (["--from-build-id", "-5", "--to-build-id", "10"], "--from-build-id: build ids are not negative, got -5"),
    (["--from-build-id", "20", "--to-build-id", "10"],
     "reversed range: --from-build-id 20 is above --to-build-id 10"),
])
def test_bad_build_ids_are_one_line_errors(args, message, capsys, empty_dagster_env) -> None:
    assert main(["backfill", *args]) == 1
    err = capsys.readouterr().err
    assert err == f"bloqr backfill: {message}\n"
    assert not empty_dagster_env.instance.get_backfills()


def test_dagster_home_must_be_set(capsys, monkeypatch) -> None:
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    assert main(["backfill", "--from-build-id", "0", "--to-build-id", "10"]) == 1
    assert capsys.readouterr().err.startswith("bloqr backfill: DAGSTER_HOME is not set")


def test_refuses_while_another_build_error_backfill_is_in_progress(dagster_env, capsys) -> None:
    env = dagster_env
    assert main(["backfill", "--from-build-id", "0", "--to-build-id", "1499", "--no-wait"]) == 0
    out = capsys.readouterr().out
    assert "registered" in out and "no Dagster daemon is running" in out
    (active,) = active_build_error_backfills(env.instance)
    assert active.status == BulkActionStatus.REQUESTED
    assert sorted(active.asset_backfill_data.target_subset.iterate_asset_partitions())
    keys = list(env.instance.get_dynamic_partitions("build_id_ranges"))
    assert keys == sorted(keys) and len(keys) == 3

    assert main(["backfill", "--from-build-id", "0", "--to-build-id", "99", "--no-wait"]) == 1
    err = capsys.readouterr().err
    assert f"another build-error backfill is in progress ({active.backfill_id})" in err
    assert len(env.instance.get_backfills()) == 1


def test_backfill_through_the_daemon_end_to_end(dagster_env) -> None:
    """The CLI starts a daemon, which runs the backfill in multi-range runs, then stops it."""
    env = dagster_env
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "bloqr"), "backfill",
         "--from-build-id", "0", "--to-build-id", "3000"],
        env={**os.environ, "BLOQR_RANGES_PER_RUN": "4"}, capture_output=True, text=True, timeout=600,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout
    assert "starting `dagster-daemon run`" in out
    assert "ranges 7/7 done" in out and "stopping the dagster-daemon" in out
    (backfill,) = env.instance.get_backfills()
    assert backfill.status in (BulkActionStatus.COMPLETED_SUCCESS, BulkActionStatus.COMPLETED)
    runs = env.instance.get_runs(filters=dg.RunsFilter.for_backfill(backfill.backfill_id))
    assert len(runs) == 2  # 7 ranges, at most 4 per run
    assert all(r.status.value == "SUCCESS" for r in runs)
    # the new-failures sensor (running in the same daemon) waited for the backfill
    others = [r for r in env.instance.get_runs() if r.job_name == "build_errors_job" and r not in runs]
    assert not others
    keys = list(env.instance.get_dynamic_partitions("build_id_ranges"))
    assert sorted(p.stem for p in (env.lake / "build_errors").glob("*.parquet")) == keys
    assert not active_build_error_backfills(env.instance)


def test_ids_past_the_newest_build(dagster_env, capsys) -> None:
    assert main(["backfill", "--from-build-id", "5000", "--to-build-id", "9999", "--no-wait"]) == 1
    assert capsys.readouterr().err == ("bloqr backfill: --from-build-id 5000 is above the store's highest "
                                       "build id 3000\n")
    assert main(["backfill", "--from-build-id", "2900", "--to-build-id", "1000000000000",
                 "--no-wait"]) == 0
    out = capsys.readouterr().out
    assert "the store's highest build id is 3000: backfilling 2900..3000" in out
    keys = list(dagster_env.instance.get_dynamic_partitions("build_id_ranges"))
    assert keys[-1] == "000000003000-000000003499"
    assert len(keys) == 7  # registered from the store's first build up to its newest, nothing past it
