"""`bloqr detect`: files, stdin, missing files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bloqr_dagster.cli import main

LOG = ("2026-01-01T00:00:00.000Z\tInstalling project dependencies: npm clean-install\n"
       "2026-01-01T00:00:01.000Z\tnpm error code EUSAGE\n"
       "2026-01-01T00:00:01.000Z\tnpm error `npm ci` can only install packages when your package.json and "
       "package-lock.json or npm-shrinkwrap.json are in sync.\n"
       "2026-01-01T00:00:02.000Z\tFailed: error occurred while installing tools or dependencies\n")


def test_detect_files(tmp_path: Path, capsys) -> None:
    failed = tmp_path / "failed.log"
    failed.write_text(LOG)
    clean = tmp_path / "clean.log"
    clean.write_text("Cloning repository...\nSuccess: done\n")
    assert main(["detect", str(failed), str(clean)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    first, second = map(json.loads, lines)
    assert first["path"] == str(failed)
    assert first["primary"]["error_code"] == "lockfile_out_of_sync" and first["primary"]["line_no"] == 2
    assert [e["line_no"] for e in first["errors"]] == [2, 3, 4]
    assert set(first["errors"][0]) == {"line_no", "error_code", "error_group", "tool"}
    assert second == {"path": str(clean), "primary": None, "errors": []}


def test_detect_missing_file_continues_and_exits_1(tmp_path: Path, capsys) -> None:
    good = tmp_path / "good.log"
    good.write_text("sh: 1: vite: not found\n")
    missing = tmp_path / "nope.log"
    assert main(["detect", str(missing), str(good)]) == 1
    captured = capsys.readouterr()
    assert str(missing) in captured.err and len(captured.err.strip().splitlines()) == 1
    (record,) = map(json.loads, captured.out.splitlines())
    assert record["primary"]["error_code"] == "command_not_found"


def test_detect_stdin_subprocess() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", "import sys; from bloqr_dagster.cli import main; sys.exit(main())", "detect", "-"],
        input=LOG.encode() + b"\xff\n",
        capture_output=True, timeout=120, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    (record,) = map(json.loads, proc.stdout.decode().splitlines())
    assert record["path"] == "-" and record["primary"]["error_code"] == "lockfile_out_of_sync"
