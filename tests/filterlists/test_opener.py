"""open_source: the one URL-or-path opener, its confinement to a folder, and who uses it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bloqr_dagster.filterlists.cached_compile import fetch_raw
from bloqr_dagster.filterlists.defaults import SourceSpec
from bloqr_dagster.filterlists.fetch import FetchError, HttpFetcher
from bloqr_dagster.filterlists.health import check_source
from bloqr_dagster.filterlists.opener import open_source
from bloqr_dagster.filterlists.sources import SourceError, SourceLoader


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    base = tmp_path / "sources"
    (base / "sub").mkdir(parents=True)
    (base / "sub" / "list.txt").write_text("||a.example^\n")
    (tmp_path / "secret.txt").write_text("SECRET=1\n")
    (base / "link-out.txt").symlink_to(tmp_path / "secret.txt")
    (base / "link-in.txt").symlink_to(base / "sub" / "list.txt")
    return base


def test_url_and_path_are_told_apart_in_one_place(http_server, folder: Path) -> None:
    url = http_server.serve_bytes("/l.txt", b"||remote.example^\n")
    with HttpFetcher() as http:
        assert open_source(url, base_dir=folder, http=http).body == b"||remote.example^\n"
    assert open_source(url, base_dir=folder).status == 200  # without a fetcher, a temporary one
    local = open_source("sub/list.txt", base_dir=folder)
    assert (local.status, local.body, local.final_url) == (200, b"||a.example^\n", str(folder / "sub/list.txt"))
    assert open_source((folder / "sub/list.txt").as_uri(), base_dir="/").body == local.body
    with pytest.raises(FetchError, match="unsupported URL scheme 'ftp'"):
        open_source("ftp://x/y", base_dir=folder)


@pytest.mark.parametrize("source", ["../secret.txt", "sub/../../secret.txt", "link-out.txt", "/etc/passwd",
                                    "file:///etc/passwd", "/proc/self/environ"])
def test_confined_paths_cannot_leave_the_folder(folder: Path, source: str) -> None:
    with pytest.raises(FetchError) as info:
        open_source(source, base_dir=folder, confine=True)
    assert "is outside the sources folder" in str(info.value) and "\n" not in str(info.value)
    assert "SECRET" not in str(info.value)


def test_confined_paths_inside_the_folder_work(folder: Path) -> None:
    for source in ("sub/list.txt", "link-in.txt", str(folder / "sub/list.txt"), (folder / "sub/list.txt").as_uri(),
                   "sub/../sub/list.txt"):
        assert open_source(source, base_dir=folder, confine=True).body == b"||a.example^\n", source


@pytest.mark.parametrize("special", ["/dev/zero", "/dev/null", "fifo"])
def test_devices_and_fifos_are_refused(tmp_path: Path, special: str) -> None:
    if special == "fifo":
        special = str(tmp_path / "fifo")
        os.mkfifo(special)  # opening it for reading would block forever without O_NONBLOCK
    with pytest.raises(FetchError, match="is not a regular file"):
        open_source(special, base_dir=tmp_path)


def test_local_files_are_capped(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_bytes(b"x" * 2000)
    with pytest.raises(FetchError, match="file larger than 1000 bytes"):
        open_source("big.txt", base_dir=tmp_path, max_bytes=1000)


def test_the_loader_the_health_check_and_the_cache_use_it(folder: Path) -> None:
    with pytest.raises(SourceError, match="outside the sources folder"):
        SourceLoader(folder, confine=True).load("../secret.txt")
    (folder / "inc.txt").write_text("!#include ../secret.txt\n")
    with pytest.raises(SourceError, match=r"!#include '../secret.txt' in inc.txt: .* is outside the sources folder"):
        SourceLoader(folder, confine=True).load("inc.txt")
    assert SourceLoader(folder).load("inc.txt").lines == ["SECRET=1"]  # unconfined, like the reference
    with HttpFetcher() as http:
        sick = check_source(SourceSpec("s", "S", "link-out.txt", "hosts", 1), http, base_dir=folder, confine=True)
        well = check_source(SourceSpec("s", "S", "sub/list.txt", "adblock", 1), http, base_dir=folder, confine=True)
        dev = check_source(SourceSpec("z", "Z", "/dev/zero", "hosts", 1), http, base_dir=folder)
        assert fetch_raw("../secret.txt", folder, http, confine=True) is None
        assert fetch_raw("sub/list.txt", folder, http, confine=True).body == b"||a.example^\n"
    assert not sick.healthy and "outside the sources folder" in sick.error and sick.rule_count is None
    assert well.healthy and well.rule_count == 1
    assert not dev.healthy and "not a regular file" in dev.error
