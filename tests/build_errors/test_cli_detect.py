"""`bloqr detect` and `bloqr rules check`: files, stdin, compressed and unreadable input, user rules."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bloqr_dagster.build_errors.detectors import RULES_VERSION
from bloqr_dagster.cli import main

LOG = ("2026-01-01T00:00:00.000Z\tInstalling project dependencies: npm clean-install\n"
       "2026-01-01T00:00:01.000Z\tnpm error code EUSAGE\n"
       "2026-01-01T00:00:01.000Z\tnpm error `npm ci` can only install packages when your package.json and "
       "package-lock.json or npm-shrinkwrap.json are in sync.\n"
       "2026-01-01T00:00:02.000Z\tFailed: error occurred while installing tools or dependencies\n")
RULES = """\
rules:
  - name: corp-mirror-down
    category: network_error
    pattern: 'mirror\\.corp\\.example: (?:50[234]|gone)'
"""


@pytest.fixture(autouse=True)
def _no_user_rules(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("BLOQR_RULES_FILE", raising=False)
    monkeypatch.setenv("BLOQR_HOME", str(tmp_path / "home"))


def test_detect_files(tmp_path: Path, capsys) -> None:
    failed = tmp_path / "failed.log"
    failed.write_text(LOG)
    clean = tmp_path / "clean.log"
    clean.write_text("Cloning repository...\nSuccess: done\n")
    assert main(["detect", str(failed), str(clean)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    first, second = map(json.loads, lines)
    assert first["path"] == str(failed) and first["rules_version"] == RULES_VERSION
    assert first["primary"]["error_code"] == "lockfile_out_of_sync" and first["primary"]["line_no"] == 2
    assert [e["line_no"] for e in first["errors"]] == [2, 3, 4]
    assert set(first["errors"][0]) == {"line_no", "error_code", "error_group", "tool", "count"}
    assert second == {"path": str(clean), "rules_version": RULES_VERSION, "primary": None, "errors": [], "dropped": 0}


def test_unreadable_inputs_are_one_line_each_and_exit_1_at_the_end(tmp_path: Path, capsys) -> None:
    good = tmp_path / "good.log"
    good.write_text("sh: 1: vite: not found\n")
    binary = tmp_path / "a.out"
    binary.write_bytes(b"\x7fELF\x00\x00" * 100)
    missing = tmp_path / "nope.log"
    assert main(["detect", str(missing), str(tmp_path), str(binary), str(good)]) == 1
    captured = capsys.readouterr()
    errors = captured.err.strip().splitlines()
    assert errors == [f"bloqr detect: {missing}: cannot read: no such file",
                      f"bloqr detect: {tmp_path}: cannot read: is a directory",
                      f"bloqr detect: {binary}: cannot read: binary data, not a text log"]
    (record,) = map(json.loads, captured.out.splitlines())
    assert record["primary"]["error_code"] == "command_not_found"


def test_gzip_log_without_the_suffix_and_bounded_output(tmp_path: Path, capsys) -> None:
    path = tmp_path / "build-42"
    path.write_bytes(gzip.compress(("Executing user build command: npm run build\n" + "Error: boom\n" * 200_000).encode()))
    assert main(["detect", str(path)]) == 0
    out = capsys.readouterr().out
    assert len(out) < 1000
    record = json.loads(out)
    assert record["errors"] == [{"line_no": 2, "error_code": "build_command_failed", "error_group": "Error: boom",
                                 "tool": "unknown", "count": 200_000}]


def test_user_rules_from_the_option_the_environment_and_home(tmp_path: Path, capsys,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "b.log"
    log.write_text("npm error mirror.corp.example: 503 upstream gone\n")
    rules = tmp_path / "rules.yaml"
    rules.write_text(RULES)
    assert main(["detect", "--rules", str(rules), str(log)]) == 0
    with_rules = json.loads(capsys.readouterr().out)
    assert with_rules["rules_version"].startswith(RULES_VERSION + "+user.")
    assert with_rules["primary"]["error_code"] == "network_error"
    monkeypatch.setenv("BLOQR_RULES_FILE", str(rules))
    assert main(["detect", str(log)]) == 0
    assert json.loads(capsys.readouterr().out)["rules_version"] == with_rules["rules_version"]
    assert main(["detect", "--builtin-only", str(log)]) == 0
    assert json.loads(capsys.readouterr().out)["rules_version"] == RULES_VERSION
    monkeypatch.delenv("BLOQR_RULES_FILE")
    home = tmp_path / "home"
    home.mkdir()
    (home / "rules.yaml").write_text(RULES)
    assert main(["detect", str(log)]) == 0
    assert json.loads(capsys.readouterr().out)["rules_version"] == with_rules["rules_version"]


def test_bad_rules_file_is_one_line_and_exit_1(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "rules.yaml"
    bad.write_text(RULES.replace("network_error", "network_eror"))
    log = tmp_path / "b.log"
    log.write_text(LOG)
    assert main(["detect", "--rules", str(bad), str(log)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip() == (f"bloqr detect: {bad}: rules[0].category: unknown category 'network_eror' "
                                    "(did you mean network_error?)")


def test_detect_stdin_subprocess() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", "import sys; from bloqr_dagster.cli import main; sys.exit(main())", "detect",
         "--builtin-only", "-"],
        input=gzip.compress(LOG.encode() + b"\xff\n"),
        capture_output=True, timeout=120, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    (record,) = map(json.loads, proc.stdout.decode().splitlines())
    assert record["path"] == "-" and record["primary"]["error_code"] == "lockfile_out_of_sync"


def _corpus(root: Path) -> Path:
    (root / "lines").mkdir(parents=True)
    (root / "logs" / "labels").mkdir(parents=True)
    (root / "logs" / "a").mkdir()
    rows = [
        {"id": "x1", "line": "npm error mirror.corp.example: 503 upstream gone", "category": "network_error",
         "source": "github:example-org/site:ci.log"},
        {"id": "x2", "line": "Error: mirror.corp.example: gone away", "category": "network_error",
         "source": "github:example-org/site:ci.log"},
    ]
    (root / "lines" / "a.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    (root / "logs" / "a" / "one.log").write_text("$ npm ci\nnpm error mirror.corp.example: 504 timeout\n")
    (root / "logs" / "labels" / "a.jsonl").write_text(json.dumps(
        {"file": "a/one.log", "category": "network_error", "primary_line": 2,
         "source": "github:example-org/site:ci.log"}) + "\n")
    return root


def test_rules_check_shows_claims_and_changed_decisions(tmp_path: Path, capsys) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text(RULES)
    corpus = _corpus(tmp_path / "corpus")
    assert main(["rules", "check", str(rules), "--corpus", str(corpus), "--split", "all"]) == 0
    out = capsys.readouterr().out
    assert f"{rules}: 1 rules, valid (rules version {RULES_VERSION}+user." in out
    assert "corp-mirror-down  network_error  claims 3 lines" in out
    assert "corpus x1" in out and "corpus logs/a/one.log:2" in out
    # x2 was a generic error line of no stage: build_command_failed before, network_error now
    assert "build_command_failed -> network_error: 1 (e.g. corpus x2)" in out


def test_rules_check_rejects_bad_and_slow_rules(tmp_path: Path, capsys) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text(RULES.replace("(?:50[234]", "((?:50[234]"))
    assert main(["rules", "check", str(rules), "--corpus", str(_corpus(tmp_path / "c"))]) == 1
    assert "rules[0].pattern: bad regex: missing ), unterminated subpattern" in capsys.readouterr().err
    # a back-reference hides a cubic shape from the static check: the probe catches it (8x slower per doubling
    # of the line, so it exceeds the probe's budget well before 4 KB on any machine)
    rules.write_text("rules:\n  - {name: slow-one, category: timeout, pattern: '^mirror(\\s*)\\s*\\1took'}\n")
    assert main(["rules", "check", str(rules), "--corpus", str(_corpus(tmp_path / "d"))]) == 1
    assert "rules[0].pattern: catastrophic-backtracking risk:" in capsys.readouterr().err


def test_rules_check_builtin_reports_branches(tmp_path: Path, capsys) -> None:
    assert main(["rules", "check", "--builtin", "--corpus", str(_corpus(tmp_path / "c")), "--split", "all"]) == 0
    out = capsys.readouterr().out
    assert "error-marker" in out and "branches:" not in out.splitlines()[0]
    assert out.rstrip().splitlines()[-1].endswith("claim exactly one line")
