"""`make ui` (`bloqr ui`): a real `dagster dev` on a temporary DAGSTER_HOME starts without a warning, and a
second start on the same instance is refused with one line that names the running one, before any
second daemon starts."""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from bloqr_dagster.cli.ui import LOCK_NAME
from tests.conftest import ROOT

from .test_ui_browser import _free_port, _wait_http


def _stop(proc: subprocess.Popen) -> None:
    """Ctrl-C, as in a terminal: dagster dev stops its webserver, daemon and code server."""
    os.killpg(proc.pid, signal.SIGINT)
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)


def _wait_for_log(path: Path, text: str, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while text not in path.read_text():
        assert time.monotonic() < deadline, f"{text!r} not in the log after {timeout:.0f} s"
        time.sleep(1)


def test_second_ui_on_the_same_instance_is_refused(tmp_path: Path) -> None:
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(ROOT / "dagster.yaml", home / "dagster.yaml")
    env = {**os.environ, "DAGSTER_HOME": str(home), "BLOQR_HOME": str(tmp_path / "bloqr")}
    env.pop("BLOQR_BUILD_STORE", None)
    bloqr = str(Path(sys.executable).with_name("bloqr"))
    port = _free_port()
    log = (tmp_path / "ui.log").open("w")
    first = subprocess.Popen([bloqr, "ui", "--port", str(port)], cwd=tmp_path, env=env, stdout=log,
                             stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait_http(f"http://127.0.0.1:{port}/server_info", timeout=180)
        second = subprocess.run([bloqr, "ui", "--port", str(_free_port())], cwd=tmp_path, env=env,
                                capture_output=True, text=True, timeout=60)
        assert second.returncode == 1 and second.stdout == ""
        assert second.stderr.count("\n") == 1, second.stderr
        assert f"`dagster dev` already runs on DAGSTER_HOME={home} (pid {first.pid} http://127.0.0.1:{port})" \
            in second.stderr
        sensors_ticked = "Checking for new runs for sensor"
        _wait_for_log(tmp_path / "ui.log", sensors_ticked)
        startup = (tmp_path / "ui.log").read_text()
        assert "will not be used" not in startup and "virtual environment does not match" not in startup
        assert "WARNING" not in startup and "Traceback" not in startup, startup
    finally:
        _stop(first)
        log.close()
    # the lock went with the process: a new start may take it
    with (home / LOCK_NAME).open("r+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
