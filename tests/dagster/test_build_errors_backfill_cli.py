"""`bloqr backfill`: validation, refusals, and real backfills through a webserver and daemon the
command starts (real processes, real signals): in a row, after Ctrl-C, after `kill -9`, and two
at once on a fresh instance."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import pytest

from bloqr_dagster.cli import main
from bloqr_dagster.defs.build_errors.backfill import (
    FINISHED_OK,
    active_build_error_backfills,
    blocking_build_error_backfills,
)

from .helpers import add_requested_backfill, register_all_ranges

ROOT = Path(__file__).resolve().parents[2]
BLOQR = str(Path(sys.executable).parent / "bloqr")
LAUNCHED = re.compile(r"^backfill (\w+): \d+ ranges", re.M)
SAFEGUARD_S = 600  # a hung command fails the test instead of hanging it; not a timing check


@pytest.mark.parametrize(("args", "message"), [
    (["--from-build-id", "abc", "--to-build-id", "10"], "--from-build-id: not an integer: 'abc'"),
    (["--from-build-id", "1", "--to-build-id", "1.5"], "--to-build-id: not an integer: '1.5'"),
    (["--from-build-id", "-5", "--to-build-id", "10"], "--from-build-id: build ids are not negative, got -5"),
    (["--from-build-id", "20", "--to-build-id", "10"],
     "reversed range: --from-build-id 20 is above --to-build-id 10"),
    (["--from-build-id", "1"], "give --from-build-id and --to-build-id (or --stale)"),
    (["--stale", "--to-build-id", "1"], "--stale takes no --from-build-id/--to-build-id"),
    (["--from-build-id", "1", "--to-build-id", "9", "--deadline", "-1"],
     "--deadline: must be a positive number of seconds, got '-1'"),
    (["--from-build-id", "1", "--to-build-id", "9", "--deadline", "nan"],
     "--deadline: must be a positive number of seconds, got 'nan'"),
    (["--from-build-id", "1", "--to-build-id", "9", "--start-daemon-after", "soon"],
     "--start-daemon-after: not a number of seconds: 'soon'"),
])
def test_bad_flags_are_one_line_errors(args, message, capsys, empty_dagster_env) -> None:
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
    other = add_requested_backfill(env, register_all_ranges(env))
    assert main(["backfill", "--from-build-id", "0", "--to-build-id", "99"]) == 1
    err = capsys.readouterr().err
    assert f"another build-error backfill is in progress ({other}) (no daemon is running it" in err
    assert f"`bloqr backfill --cancel {other}`" in err
    assert len(env.instance.get_backfills()) == 1


def test_ids_past_the_newest_build(dagster_env, capsys) -> None:
    assert main(["backfill", "--from-build-id", "5000", "--to-build-id", "9999"]) == 1
    assert capsys.readouterr().err == ("bloqr backfill: --from-build-id 5000 is above the store's highest "
                                       "build id 3000\n")


# -- real processes ---------------------------------------------------------------------------

def _start(*args: str) -> subprocess.Popen:
    return subprocess.Popen([BLOQR, "backfill", *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env=os.environ.copy())


def _run(*args: str) -> tuple[int, str]:
    proc = subprocess.run([BLOQR, "backfill", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=SAFEGUARD_S, env=os.environ.copy())
    return proc.returncode, proc.stdout + proc.stderr


def _read_until(proc: subprocess.Popen, pattern: str, seen: list[str]) -> re.Match:
    """Read the command's output lines until one matches (fails when it exits first)."""
    deadline = time.monotonic() + SAFEGUARD_S
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            pytest.fail(f"exited before printing {pattern!r}:\n{''.join(seen)}")
        seen.append(line)
        found = re.search(pattern, line)
        if found:
            return found
    pytest.fail(f"no {pattern!r} within {SAFEGUARD_S}s:\n{''.join(seen)}")


def _children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def _helpers(pid: int, expected: int = 2) -> list[int]:
    """The command's child processes, once it has started `expected` of them (webserver, daemon)."""
    deadline = time.monotonic() + 30
    while len(found := _children(pid)) < expected and time.monotonic() < deadline:
        time.sleep(0.2)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has exited; only its exit status is left to collect


def _wait_gone(pids: list[int], timeout: float = 120) -> list[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and any(_alive(p) for p in pids):
        time.sleep(0.5)
    return [p for p in pids if _alive(p)]


def _succeeded(env, out: str) -> str:
    (backfill_id,) = re.findall(r"^backfill (\w+) done: \d+ ranges$", out, re.M)
    backfill = env.instance.get_backfill(backfill_id)
    assert backfill.status.value in FINISHED_OK
    runs = env.instance.get_runs(filters=dg.RunsFilter.for_backfill(backfill_id))
    assert runs and all(r.status.value == "SUCCESS" for r in runs)
    return backfill_id


def test_two_backfills_in_a_row_on_a_fresh_instance_both_finish(dagster_env, monkeypatch) -> None:
    """The second must not trust the heartbeats the first one's daemon left (Dagster counts a
    daemon healthy for 30 minutes after it stopped): it starts its own and finishes."""
    env = dagster_env
    monkeypatch.setenv("BLOQR_RANGES_PER_RUN", "4")
    code, out = _run("--from-build-id", "0", "--to-build-id", "3000")
    assert code == 0, out
    assert "starting `dagster-webserver`" in out and "starting `dagster-daemon run`" in out
    assert "ranges 7/7 done" in out and "stopping the dagster-daemon this command started" in out
    first = _succeeded(env, out)
    runs = env.instance.get_runs(filters=dg.RunsFilter.for_backfill(first))
    assert len(runs) == 2  # 7 ranges, at most 4 per run
    # the new-failures sensor (running in the same daemon) waited for the backfill
    others = [r for r in env.instance.get_runs() if r.job_name == "build_errors_job" and r not in runs]
    assert not others
    keys = list(env.instance.get_dynamic_partitions("build_id_ranges"))
    assert sorted(p.stem for p in (env.lake / "build_errors").glob("*.parquet")) == keys

    code, out = _run("--from-build-id", "0", "--to-build-id", "999")
    assert code == 0, out
    assert "no Dagster daemon is running: starting `dagster-daemon run`" in out
    assert _succeeded(env, out) != first
    assert not active_build_error_backfills(env.instance)


@pytest.mark.parametrize("moment", ["daemon starting", "just launched"])
def test_ctrl_c_cancels_the_backfill_and_a_following_one_finishes(dagster_env, moment: str) -> None:
    """Whenever the Ctrl-C lands after the launch (even before the daemon is up), the backfill
    is named and canceled."""
    env = dagster_env
    proc, seen = _start("--from-build-id", "0", "--to-build-id", "3000"), []
    backfill_id = _read_until(proc, LAUNCHED.pattern, seen).group(1)
    if moment == "daemon starting":
        _read_until(proc, r"starting `dagster-daemon run`", seen)
        helpers = _helpers(proc.pid)
        assert len(helpers) == 2  # webserver and daemon
    else:
        helpers = _children(proc.pid)  # the webserver (the daemon may not be started yet)
    proc.send_signal(signal.SIGINT)
    rest, _ = proc.communicate(timeout=SAFEGUARD_S)
    out = "".join(seen) + rest
    assert proc.returncode == 130, out
    assert f"interrupted: canceling backfill {backfill_id}" in out
    assert env.instance.get_backfill(backfill_id).status.value not in ("REQUESTED",)
    assert not blocking_build_error_backfills(env.instance)
    assert not _wait_gone(helpers, timeout=5)  # the command stopped them before exiting

    code, out = _run("--from-build-id", "0", "--to-build-id", "3000")
    assert code == 0, out
    _succeeded(env, out)


def test_kill_9_leaves_no_daemon_and_a_following_one_cancels_the_orphan(dagster_env) -> None:
    env = dagster_env
    proc, seen = _start("--from-build-id", "0", "--to-build-id", "999"), []
    backfill_id = _read_until(proc, LAUNCHED.pattern, seen).group(1)
    _read_until(proc, r"starting `dagster-daemon run`", seen)
    helpers = _helpers(proc.pid)
    assert len(helpers) == 2
    proc.kill()
    proc.wait()
    assert not _wait_gone(helpers), "the daemon/webserver outlived the command"

    code, out = _run("--from-build-id", "0", "--to-build-id", "999")
    assert code == 0, out
    assert f"backfill {backfill_id} was left REQUESTED by a `bloqr backfill` that is no longer running" in out
    assert env.instance.get_backfill(backfill_id).status.value not in ("REQUESTED",)
    _succeeded(env, out)


def test_two_at_once_on_a_fresh_instance(dagster_env) -> None:
    """No SQL traceback: one is refused in one line (or both work)."""
    env = dagster_env
    first, second = _start("--from-build-id", "0", "--to-build-id", "999"), \
        _start("--from-build-id", "1000", "--to-build-id", "1999")
    outs = [p.communicate(timeout=SAFEGUARD_S)[0] for p in (first, second)]
    codes = [first.returncode, second.returncode]
    assert not any("Traceback" in o for o in outs), outs
    assert sorted(codes) in ([0, 0], [0, 1]), outs
    if 1 in codes:
        refused = outs[codes.index(1)]
        assert refused.strip().endswith("wait for it to finish")
        assert "bloqr backfill: another `bloqr backfill` (pid " in refused
    _succeeded(env, outs[codes.index(0)])


def test_deadline_cancels_the_backfill_and_fails_in_one_line(dagster_env) -> None:
    env = dagster_env
    code, out = _run("--from-build-id", "0", "--to-build-id", "3000", "--deadline", "2")
    assert code == 1, out
    (backfill_id,) = LAUNCHED.findall(out)
    last = out.strip().splitlines()[-1]
    assert last.startswith(f"bloqr backfill: backfill {backfill_id} did not finish within --deadline 2s (")
    assert last.endswith(f"; backfill {backfill_id} is canceled")
    assert env.instance.get_backfill(backfill_id).status.value == "CANCELED"
    assert not active_build_error_backfills(env.instance)


def test_cancel_flag_cancels_a_requested_backfill(dagster_env) -> None:
    env = dagster_env
    other = add_requested_backfill(env, register_all_ranges(env))
    code, out = _run("--cancel", other)
    assert code == 0, out
    assert f"backfill {other} canceled" in out
    assert env.instance.get_backfill(other).status.value == "CANCELED"
    code, out = _run("--cancel", "nosuchid")
    assert code == 1 and out.strip().endswith("bloqr backfill: --cancel nosuchid: no such backfill on DAGSTER_HOME "
                                              f"{env.dagster_home}"), out


def test_no_wait_launches_and_returns_and_the_backfill_waits_for_a_daemon(dagster_env) -> None:
    env = dagster_env
    code, out = _run("--from-build-id", "0", "--to-build-id", "1499", "--no-wait")
    assert code == 0, out
    assert "registered 3 new build-ID ranges" in out
    assert "no Dagster daemon is running: the backfill starts once one runs (`make ui`)" in out
    (backfill_id,) = LAUNCHED.findall(out)
    (active,) = active_build_error_backfills(env.instance)
    assert active.backfill_id == backfill_id and active.status.value == "REQUESTED"
    assert blocking_build_error_backfills(env.instance)  # launched on purpose: others wait for it
    keys = list(env.instance.get_dynamic_partitions("build_id_ranges"))
    assert keys == sorted(keys) and len(keys) == 3


def test_a_bad_user_rules_file_is_one_line(dagster_env, capsys) -> None:
    (dagster_env.bloqr_home / "rules.yaml").write_text("rules:\n  - name: x\n    category: netwrk_error\n")
    assert main(["backfill", "--stale"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("bloqr backfill: user rules: ") and err.count("\n") == 1
    assert "rules[0]" in err and not dagster_env.instance.get_backfills()
