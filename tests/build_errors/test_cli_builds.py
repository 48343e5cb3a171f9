"""`bloqr builds generate | show | info` end to end against temporary stores."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from bloqr_dagster.build_errors.stores import open_store
from bloqr_dagster.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_generate_show_info_end_to_end(tmp_path: Path, capsys):
    url = f"sqlite:///{tmp_path / 'store' / 'builds.sqlite'}"
    planted = tmp_path / "planted.jsonl"
    code, out, _ = run(capsys, "builds", "--store", url, "generate", "--builds", "600", "--seed", "4",
                       "--planted-out", str(planted))
    assert code == 0
    assert re.search(r"generated 600 builds \(ids 1\.\.600\): \d+ failed, \d+ canceled, [\d,]+ log lines", out)
    assert re.search(r"[\d,]+ builds/s, [\d,]+ lines/s", out)
    rows = [json.loads(line) for line in planted.read_text().splitlines()]
    assert rows and set(rows[0]) == {"build_id", "line_no", "kind", "value"}

    code, out, _ = run(capsys, "builds", "generate", "--builds", "150", "--store", url)  # option after the action
    assert code == 0 and "(ids 601..750)" in out

    code, out, _ = run(capsys, "builds", "--store", url, "info")
    assert code == 0 and "newest:   750" in out and "builds:   750 (" in out

    row = rows[0]
    code, out, _ = run(capsys, "builds", "--store", url, "show", str(row["build_id"]))
    assert code == 0
    header, *lines = out.splitlines()
    assert header.startswith(f"# build {row['build_id']} ")
    assert all(re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z\t", line) for line in lines)
    assert row["value"] in lines[row["line_no"] - 1]


def test_generate_uses_bloqr_home_by_default(tmp_path: Path):
    env = {**os.environ, "BLOQR_HOME": str(tmp_path / "home")}
    env.pop("BLOQR_BUILD_STORE", None)
    done = subprocess.run([sys.executable, "-c", "import sys; from bloqr_dagster.cli import main; sys.exit(main())",
                           "builds", "generate", "--builds", "50"],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    with open_store(f"sqlite:///{tmp_path / 'home' / 'builds.sqlite'}") as store:
        assert store.max_build_id() == 50


def test_same_seed_fills_sqlite_and_postgres_identically(tmp_path: Path, postgres_dsn: str, capsys):
    sqlite_url = f"sqlite:///{tmp_path / 'b.sqlite'}"
    for url in (sqlite_url, postgres_dsn):
        code, _, err = run(capsys, "builds", "--store", url, "generate", "--builds", "400", "--seed", "9")
        assert code == 0, err
    with open_store(sqlite_url) as a, open_store(postgres_dsn) as b:
        assert list(a.builds_in_range(1, 400)) == list(b.builds_in_range(1, 400))
        assert list(a.stream_logs(1, 400, failed_only=False)) == list(b.stream_logs(1, 400, failed_only=False))
        some_failed = a.failed_build_ids_after(0, 1)[0]
        assert a.log_page(some_failed, 3, 20) == b.log_page(some_failed, 3, 20)


def test_user_errors_are_one_line(tmp_path: Path, capsys):
    url = f"sqlite:///{tmp_path / 'b.sqlite'}"
    cases = [
        (["builds", "--store", url, "generate", "--builds", "0"], "--builds: must be a positive integer"),
        (["builds", "--store", url, "generate", "--builds", "5", "--days", "-1"], "--days: must be positive"),
        (["builds", "--store", "mysql://root@db/builds", "info"], "unsupported URL scheme 'mysql'"),
        (["builds", "--store", "postgresql://postgres@127.0.0.1:1/none", "info"], "cannot connect"),
        (["builds", "--store", url, "show", "123"], "build 123: not in the store"),
    ]
    for argv, expected in cases:
        code, out, err = run(capsys, *argv)
        assert code == 1, argv
        assert err.startswith("bloqr builds: ") and expected in err and err.count("\n") == 1, err


def test_no_spikes_generates_the_same_days_without_the_planted_spike(tmp_path: Path, capsys):
    """Day 4 of a corpus is a lockfile-spike day; --no-spikes draws it from the normal mix."""
    from bloqr_dagster.build_errors.detectors import diagnose

    lockfile = {}
    for flag in ([], ["--no-spikes"]):
        url = f"sqlite:///{tmp_path / ('quiet' if flag else 'spiky') / 'builds.sqlite'}"
        # 9 days of 400 builds: day 4 holds ids 1601..2000
        code, _, _ = run(capsys, "builds", "--store", url, "generate", "--builds", "3600", "--days", "9",
                         "--seed", "3", *flag)
        assert code == 0
        with open_store(url) as store:
            codes = [diagnose(text).primary for _, text in store.stream_logs(1601, 2000)]
        lockfile[bool(flag)] = sum(1 for p in codes if p and p.error_code == "lockfile_out_of_sync")
    assert lockfile[False] > 2 * lockfile[True] > 0, lockfile
