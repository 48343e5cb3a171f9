"""Ctrl-C during `bloqr demo` (what `make demo` runs): one line, exit 130, no traceback, and nothing
after the interrupted stage runs. The SIGINT goes to the whole process group, as a terminal sends it."""

from __future__ import annotations

import os
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT


def _interrupt_when(stage: str, tmp_path: Path) -> tuple[int, str, str]:
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(ROOT / "dagster.yaml", home / "dagster.yaml")
    env = {**os.environ, "DAGSTER_HOME": str(home), "BLOQR_HOME": str(tmp_path / "bloqr")}
    env.pop("BLOQR_BUILD_STORE", None)
    proc = subprocess.Popen([str(Path(sys.executable).with_name("bloqr")), "demo", "--builds", "12000"],
                            cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    seen = ""
    deadline = time.monotonic() + 300
    while stage not in seen:
        assert time.monotonic() < deadline and proc.poll() is None, f"never reached {stage!r}: {seen}"
        if select.select([proc.stdout], [], [], 1)[0]:
            seen += proc.stdout.readline()
    time.sleep(0.5)  # inside the stage's Dagster run
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    return proc.returncode, seen + out, err


@pytest.mark.parametrize("stage", ["materialising build_errors", "running the filter-list demo"])
def test_ctrl_c_prints_one_line_and_stops(stage: str, tmp_path: Path) -> None:
    code, out, err = _interrupt_when(stage, tmp_path)
    assert (code, err) == (130, "bloqr demo: interrupted\n"), out[-2000:] + err[-3000:]
    assert "Traceback" not in out
    if stage.startswith("materialising"):
        assert "running the filter-list demo" not in out  # it did not go on
