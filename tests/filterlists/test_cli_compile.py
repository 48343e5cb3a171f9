"""`bloqr compile` end to end: exit codes, one-line errors, atomic output, -i quick lists, HTTP sources."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from bloqr_dagster.cli import main
from tests.filterlists.conftest import conditional


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "bloqr-home"
    monkeypatch.setenv("BLOQR_HOME", str(home))
    monkeypatch.chdir(tmp_path)
    return home


def write_config(tmp_path: Path, config: object, name: str = "config.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(config) if name.endswith(".json") else str(config), encoding="utf-8")
    return path


def run_cli(*args: str) -> int:
    return main(["compile", *args])


def body(path: Path) -> list[str]:
    """Output lines without the two lines that change on every run."""
    lines = path.read_text(encoding="utf-8").split("\n")
    return [x for x in lines if not x.startswith(("! Last modified: ", "! Compiled by "))]


def test_config_mode_writes_the_compiled_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "lists").mkdir()
    (tmp_path / "lists/one.txt").write_text("! upstream\n||a.example^\n||b.example^\n||a.example^\n")
    (tmp_path / "lists/ex.txt").write_text("! exclusions\nb.example\n")
    config = write_config(tmp_path, {
        "name": "Test list", "version": "7",
        "sources": [{"name": "One", "source": "lists/one.txt", "transformations": ["RemoveComments", "Deduplicate"],
                     "exclusions_sources": ["lists/ex.txt"]}],
        "transformations": ["RemoveEmptyLines"],
    })
    assert run_cli("-c", str(config), "-o", "out.txt", "-v") == 0
    assert body(tmp_path / "out.txt") == [
        "!", "! Title: Test list", "! Version: 7", "!", "!",
        "!", "! Source name: One", "! Source: lists/one.txt", "!", "||a.example^",
    ]
    err = capsys.readouterr().err
    assert "source 1/1 One (lists/one.txt): 4 lines downloaded, 1 after transformations" in err
    for step in ("source:0   Exclusions ", "source:0   RemoveComments ", "source:0   Deduplicate ",
                 "top        RemoveEmptyLines "):
        assert step in err
    assert "wrote 1 rules" in err


def test_yaml_config(tmp_path: Path) -> None:
    (tmp_path / "l.txt").write_text("||y.example^\n")
    config = write_config(tmp_path, "name: Y\nsources:\n  - source: l.txt\n", name="c.yaml")
    assert run_cli("-c", str(config), "-o", "out.txt") == 0
    assert body(tmp_path / "out.txt")[-1] == "||y.example^"


def test_base_dir_option(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data/l.txt").write_text("||z.example^\n")
    config = write_config(tmp_path, {"name": "Z", "sources": [{"source": "l.txt"}]})
    assert run_cli("-c", str(config), "-o", "out.txt", "--base-dir", "data") == 0
    assert body(tmp_path / "out.txt")[-1] == "||z.example^"


def test_input_mode_converts_hosts_files(tmp_path: Path) -> None:
    (tmp_path / "h1.txt").write_text("# hosts\n0.0.0.0 ads.example.com sub.ads.example.com\n127.0.0.1 localhost\n")
    (tmp_path / "h2.txt").write_text("0.0.0.0 track.example.net\n0.0.0.0 ads.example.com\n")
    assert run_cli("-i", "h1.txt", "-i", "h2.txt", "-o", "out.txt") == 0
    lines = body(tmp_path / "out.txt")
    # what hostlist-compiler 2.1.1 writes for the same inputs (its top-level RemoveComments also
    # removes the source headers)
    assert lines == ["!", "! Title: Blocklist", "!", "!", "||ads.example.com^", "||track.example.net^", ""]
    assert run_cli("-i", "h1.txt", "h2.txt", "-t", "adblock", "-o", "out2.txt") == 0
    assert body(tmp_path / "out2.txt") == lines


def test_http_source_uses_the_conditional_get_cache(http_server, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    url = http_server.route("/list.txt", conditional(b"||remote.example^\n", etag='"r1"'))
    config = write_config(tmp_path, {"name": "R", "sources": [{"source": url}]})
    assert run_cli("-c", str(config), "-o", "a.txt") == 0
    assert run_cli("-c", str(config), "-o", "b.txt", "-v") == 0
    assert body(tmp_path / "a.txt") == body(tmp_path / "b.txt")
    assert body(tmp_path / "b.txt")[-1] == "||remote.example^"
    assert "not modified (served from the HTTP cache)" in capsys.readouterr().err
    assert [h.get("If-None-Match") for _, _, h, _ in http_server.requests] == [None, '"r1"']
    assert run_cli("-c", str(config), "-o", "c.txt", "--no-http-cache") == 0
    assert http_server.requests[-1][2].get("If-None-Match") is None


def bad_inputs(tmp_path: Path, missing: str) -> dict[str, tuple[list[str], str]]:
    """name -> (arguments, expected start of the error message after `bloqr compile: `)."""
    (tmp_path / "bad.json").write_text('{"name": "x",\n "sources": [\n')
    (tmp_path / "bad.yaml").write_text("name: [\n")
    write_config(tmp_path, {"name": "x", "sources": [{"source": "l.txt"}], "extra": 1}, "unknown.json")
    write_config(tmp_path, {"name": "x", "sources": [{"source": "l.txt", "transformations": ["Dedupe"]}]},
                 "transform.json")
    (tmp_path / "l.txt").write_text("||ok.example^\n")
    (tmp_path / "cycle.txt").write_text("!#include cycle.txt\n")
    (tmp_path / "if.txt").write_text("!#if true\nrule\n")
    write_config(tmp_path, {"name": "x", "sources": [{"source": "l.txt"}, {"source": missing}]}, "http404.json")
    write_config(tmp_path, {"name": "x", "sources": [{"source": "cycle.txt"}]}, "cycle.json")
    return {
        "invalid JSON": (["-c", "bad.json"], "bad.json: invalid JSON at line 3 column 1: "),
        "invalid YAML": (["-c", "bad.yaml"], "bad.yaml: invalid YAML at line 2 column 1: "),
        "unknown key": (["-c", "unknown.json"], "unknown.json: extra: unknown field 'extra'"),
        "unknown transformation": (["-c", "transform.json"],
                                   "transform.json: sources[0].transformations[0]: unknown transformation 'Dedupe'"),
        "missing config": (["-c", "nope.json"], "nope.json: no such file"),
        "missing input": (["-i", "nope.txt"], "source 'nope.txt': no such file"),
        "http 404": (["-c", "http404.json"], f"source '{missing}': HTTP 404 Not Found"),
        "include cycle": (["-c", "cycle.json"], "source 'cycle.txt': include cycle: cycle.txt -> cycle.txt"),
        "unbalanced if": (["-i", "if.txt"], "source 'if.txt': line 1: '!#if true' has no matching !#endif"),
        "both modes": (["-c", "l.txt", "-i", "l.txt"], "give either -c/--config or -i/--input"),
        "no mode": ([], "give either -c/--config or -i/--input"),
    }


@pytest.mark.parametrize("case", [
    "invalid JSON", "invalid YAML", "unknown key", "unknown transformation", "missing config", "missing input",
    "http 404", "include cycle", "unbalanced if", "both modes", "no mode",
])
def test_bad_input_fails_cleanly(case: str, request: pytest.FixtureRequest, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    # only the HTTP case pays for a server
    missing = request.getfixturevalue("http_server").url("/missing.txt") if case == "http 404" else ""
    args, message = bad_inputs(tmp_path, missing)[case]
    assert run_cli(*args, "-o", "out.txt") == 1
    err = capsys.readouterr().err
    assert err.startswith(f"bloqr compile: {message}"), err
    assert err.count("\n") == 1
    assert not (tmp_path / "out.txt").exists()
    # an existing output is left untouched
    (tmp_path / "out.txt").write_text("previous\n")
    assert run_cli(*args, "-o", "out.txt") == 1
    assert (tmp_path / "out.txt").read_text() == "previous\n"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.txt.")]


def test_output_directory_must_exist(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "l.txt").write_text("||ok.example^\n")
    assert run_cli("-i", "l.txt", "-o", "missing-dir/out.txt") == 1
    assert "missing-dir/out.txt: directory" in capsys.readouterr().err
    assert run_cli("-i", "l.txt", "-o", str(tmp_path)) == 1


def test_output_is_replaced_atomically_with_normal_permissions(tmp_path: Path) -> None:
    (tmp_path / "l.txt").write_text("||ok.example^\n")
    (tmp_path / "out.txt").write_text("old\n")
    assert run_cli("-i", "l.txt", "-o", "out.txt") == 0
    assert "||ok.example^" in (tmp_path / "out.txt").read_text()
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "out.txt").stat().st_mode & 0o777 == 0o666 & ~umask


def test_real_process_exit_codes_and_light_imports(tmp_path: Path) -> None:
    (tmp_path / "l.txt").write_text("||ok.example^\n")
    env = {**os.environ, "BLOQR_HOME": str(tmp_path / "home")}
    probe = ("import sys; from bloqr_dagster.cli import main; code = main(sys.argv[1:]); "
             "heavy = [m for m in ('dagster', 'pandas', 'duckdb', 'httpx', 'pyarrow') if m in sys.modules]; "
             "print('heavy:', heavy); sys.exit(code)")
    ok = subprocess.run([sys.executable, "-c", probe, "compile", "-i", "l.txt", "-o", "out.txt"],
                        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0, ok.stderr
    assert "heavy: []" in ok.stdout  # a local compile imports neither Dagster nor httpx
    bloqr = Path(sys.executable).with_name("bloqr")  # the installed console script
    assert bloqr.exists(), "install the package (pip install -e .) to get the bloqr script"
    bad = subprocess.run([str(bloqr), "compile", "-c", "nope.json", "-o", "x.txt"],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert bad.returncode == 1
    assert bad.stderr == "bloqr compile: nope.json: no such file\n"
    assert not (tmp_path / "x.txt").exists()
    assert not (tmp_path / "home").exists()  # no cache directory without http sources


def test_reference_config_matches_expected_output(filterlists_dir: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import gzip

    reference = filterlists_dir.parents[1] / "reference" / "hostlist-compiler"
    monkeypatch.chdir(filterlists_dir)
    out = tmp_path / "easylist_seed.txt"
    assert run_cli("-c", str(reference / "configs/easylist_seed.json"), "-o", str(out)) == 0
    expected = gzip.decompress((reference / "expected/easylist_seed.txt.gz").read_bytes()).decode()
    wanted = [x for x in expected.split("\n") if not x.startswith(("! Last modified: ", "! Compiled by "))]
    assert body(out) == wanted


# -- hostile input: every case is one line on stderr, exit 1, and nothing written -----------------

def hostile_inputs(tmp_path: Path) -> dict[str, tuple[list[str], str]]:
    """name -> (arguments, expected start of the message after `bloqr compile: `)."""
    (tmp_path / "l.txt").write_text("||ok.example^\n")
    (tmp_path / "deep.json").write_text('{"name": "x", "sources": ' + "[" * 100_000 + "]" * 100_000 + "}")
    (tmp_path / "deep.yaml").write_text("name: x\nsources: " + "[" * 100_000 + "]" * 100_000 + "\n")
    (tmp_path / "surrogate.json").write_text('{"name": "bad \\ud800 name", "sources": [{"source": "l.txt"}]}')
    (tmp_path / "digits.json").write_text('{"name": "x", "version": ' + "9" * 100_000 + ', "sources": []}')
    (tmp_path / "digits.yaml").write_text("name: x\nversion: " + "9" * 100_000 + "\nsources: []\n")
    (tmp_path / "dup.yaml").write_text("name: x\nsources:\n  - source: l.txt\nname: y\n")
    (tmp_path / "dup.json").write_text('{"name": "x", "sources": [{"source": "l.txt", "source": "m.txt"}]}')
    write_config(tmp_path, {"name": "x", "sources": [{"source": "l.txt"}],
                            "exclusions": ["/" + "(" * 2500 + "a" + ")" * 2500 + "/"]}, "nested-regex.json")
    write_config(tmp_path, {"name": "x", "sources": [{"source": "/dev/zero"}]}, "devzero-source.json")
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "a-file").write_text("not a folder\n")
    return {
        "deep JSON": (["-c", "deep.json"], "deep.json: invalid JSON: nested too deeply"),
        "deep YAML": (["-c", "deep.yaml"], "deep.yaml: invalid YAML: nested too deeply"),
        "lone surrogate": (["-c", "surrogate.json"], "surrogate.json: name: contains a lone surrogate (U+D800"),
        "100k digits JSON": (["-c", "digits.json"], "digits.json: invalid JSON: Exceeds the limit (4300 digits)"),
        "100k digits YAML": (["-c", "digits.yaml"], "digits.yaml: invalid YAML: Exceeds the limit (4300 digits)"),
        "duplicate YAML key": (["-c", "dup.yaml"], "dup.yaml: duplicate key 'name' at line 4 column 1"),
        "duplicate JSON key": (["-c", "dup.json"], "dup.json: invalid JSON: duplicate key 'source'"),
        "nested regex exclusion": (["-c", "nested-regex.json"], "exclusions: regular expression "
                                   f"{('/' + '(' * 2500)[:60]!r}... (5003 characters) is too complex to compile"),
        "timeout -1": (["-i", "l.txt", "--timeout", "-1"], "--timeout: expected a positive number of seconds, got '-1'"),
        "timeout nan": (["-i", "l.txt", "--timeout", "nan"], "--timeout: expected a positive number of seconds, got 'nan'"),
        "timeout inf": (["-i", "l.txt", "--timeout", "inf"], "--timeout: expected a positive number of seconds, got 'inf'"),
        "timeout text": (["-i", "l.txt", "--timeout", "soon"], "--timeout: expected a positive number"),
        "http cache is a file": (["-i", "http://127.0.0.1:9/x", "--http-cache", "a-file"],
                                 "--http-cache: a-file is not a directory"),
        "/dev/zero config": (["-c", "/dev/zero"], "/dev/zero: /dev/zero is not a regular file"),
        "FIFO config": (["-c", "fifo"], "fifo: fifo is not a regular file"),
        "/dev/zero source": (["-c", "devzero-source.json"], "source '/dev/zero': /dev/zero is not a regular file"),
        "FIFO source": (["-i", "fifo"], f"source 'fifo': {tmp_path / 'fifo'} is not a regular file"),
        "isolated without map": (["-i", "l.txt", "--isolated"], "--isolated and --prefetched MAP.json go together"),
    }


@pytest.mark.parametrize("case", [
    "deep JSON", "deep YAML", "lone surrogate", "100k digits JSON", "100k digits YAML", "duplicate YAML key",
    "duplicate JSON key", "nested regex exclusion", "timeout -1", "timeout nan", "timeout inf", "timeout text",
    "http cache is a file", "/dev/zero config", "FIFO config", "/dev/zero source", "FIFO source",
    "isolated without map",
])
def test_hostile_input_fails_cleanly(case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args, message = hostile_inputs(tmp_path)[case]
    (tmp_path / "out.txt").write_text("previous\n")
    assert run_cli(*args, "-o", "out.txt") == 1
    err = capsys.readouterr().err
    assert err.startswith(f"bloqr compile: {message}"), err[:300]
    assert err.count("\n") == 1 and len(err) < 400
    assert (tmp_path / "out.txt").read_text() == "previous\n"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.txt.")]


def test_long_exclusions_and_deep_conditions_compile(tmp_path: Path) -> None:
    long_entry = "||" + "a" * 4990 + ".example^"
    (tmp_path / "l.txt").write_text(f"{long_entry}\n||keep.example^\n!#if " + "(" * 5000 + "true" + ")" * 5000
                                    + "\n||conditional.example^\n!#endif\n")
    write_config(tmp_path, {"name": "x", "sources": [{"source": "l.txt"}],
                            "exclusions": [long_entry, "/" + "a" * 5000 + "/", "*" + "*a" * 2500]}, "c.json")
    assert run_cli("-c", "c.json", "-o", "out.txt") == 0
    assert body(tmp_path / "out.txt")[-2:] == ["||keep.example^", "||conditional.example^"]


def test_output_through_a_symlink_and_into_a_device(tmp_path: Path) -> None:
    (tmp_path / "l.txt").write_text("||ok.example^\n")
    (tmp_path / "real.txt").write_text("old\n")
    os.chmod(tmp_path / "real.txt", 0o640)
    (tmp_path / "link.txt").symlink_to("real.txt")
    assert run_cli("-i", "l.txt", "-o", "link.txt") == 0
    assert (tmp_path / "link.txt").is_symlink()  # the link stays; its target gets the list
    assert "||ok.example^" in (tmp_path / "real.txt").read_text()
    assert (tmp_path / "real.txt").stat().st_mode & 0o777 == 0o640  # the existing file's permissions stay
    before = os.stat("/dev/null")
    assert run_cli("-i", "l.txt", "-o", "/dev/null") == 0
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)
    (tmp_path / "dangling.txt").symlink_to("created-by-compile.txt")
    assert run_cli("-i", "l.txt", "-o", "dangling.txt") == 0
    assert "||ok.example^" in (tmp_path / "created-by-compile.txt").read_text()


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("unshare"), reason="needs root to mount a tmpfs")
def test_a_full_disk_is_one_line_and_keeps_the_old_file(tmp_path: Path) -> None:
    """A real 64 KiB tmpfs, mounted in a private mount namespace so that nothing else sees it."""
    (tmp_path / "big.txt").write_text("".join(f"||host{i}.example^\n" for i in range(20_000)))
    disk = tmp_path / "disk"
    disk.mkdir()
    script = (f"mount -t tmpfs -o size=64k tmpfs {disk} && echo previous > {disk}/out.txt && "
              f"{Path(sys.executable).with_name('bloqr')} compile -i big.txt -t adblock -o {disk}/out.txt; "
              f"echo exit=$?; cat {disk}/out.txt; ls -a {disk}")
    done = subprocess.run(["unshare", "-m", "sh", "-c", script], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "BLOQR_HOME": str(tmp_path / "home")})
    assert done.stderr == f"bloqr compile: {disk}/out.txt: cannot write: No space left on device\n"
    assert done.stdout.split("\n")[:2] == ["exit=1", "previous"]
    assert sorted(done.stdout.split("\n")[2:-1]) == [".", "..", "out.txt"]  # no temporary file left


def test_timeout_bounds_the_whole_download(http_server, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.filterlists.conftest import trickle

    url = http_server.route("/trickle.txt", trickle(pieces=200, pause=0.5))
    assert run_cli("-i", url, "-o", "out.txt", "--timeout", "1.5", "--no-http-cache") == 1
    assert capsys.readouterr().err == f"bloqr compile: source '{url}': timed out after 1.5 s (total)\n"


# -- isolated compiles from the command line ------------------------------------------------------

def isolated_setup(tmp_path: Path, mapping: dict[str, str]) -> None:
    write_config(tmp_path, {"name": "Iso", "sources": [{"name": "Remote", "source": "https://example.invalid/a.txt"},
                                                       {"source": "local/b.txt"}],
                            "transformations": ["RemoveComments", "Deduplicate"]}, "iso.json")
    (tmp_path / "map.json").write_text(json.dumps(mapping))


def test_isolated_compile_from_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    isolated_setup(tmp_path, {"Remote": "! c\n||a.example^\n!#include parts/more.txt\n",
                              "https://example.invalid/parts/more.txt": "||more.example^\n",
                              "local/b.txt": "||b.example^\n||a.example^\n"})
    assert run_cli("--isolated", "--prefetched", "map.json", "-c", "iso.json", "-o", "out.txt") == 0
    assert body(tmp_path / "out.txt")[-3:] == ["||more.example^", "||b.example^", "||a.example^"]
    assert "wrote 3 rules" in capsys.readouterr().err
    assert not list(Path(tempfile.gettempdir()).glob("bloqr-isolated-*"))


@pytest.mark.parametrize(("mapping", "message"), [
    ({"Remote": "||a^\n"}, "isolated step 'validate': pre-fetched content is required, missing for: 'local/b.txt'"),
    ({"Remote": "!#include /etc/passwd\n", "local/b.txt": "x\n"},
     "isolated step 'transform': source 'https://example.invalid/a.txt': !#include '/etc/passwd' in "
     "https://example.invalid/a.txt: "),
    ({"Remote": "x\n", "local/b.txt": "!#include ../../../etc/passwd\n"},
     "isolated step 'transform': source 'local/b.txt': !#include '../../../etc/passwd' in local/b.txt: a host "
     "path cannot be included here"),
    ({"Remote": "x\n", "local/b.txt": "!#include file:///proc/self/environ\n"},
     "isolated step 'transform': source 'local/b.txt': !#include 'file:///proc/self/environ' in local/b.txt: a "
     "host path or file:// cannot be included here"),
])
def test_isolated_compile_refuses_what_it_was_not_given(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                        mapping: dict[str, str], message: str) -> None:
    isolated_setup(tmp_path, mapping)
    assert run_cli("--isolated", "--prefetched", "map.json", "-c", "iso.json", "-o", "out.txt") == 1
    err = capsys.readouterr().err
    assert err.startswith(f"bloqr compile: {message}"), err
    assert err.count("\n") == 1 and "root:" not in err
    assert not (tmp_path / "out.txt").exists()
