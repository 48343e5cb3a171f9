"""SourceLoader: local files, http(s) sources, includes, conditions, pre-fetched content."""

from __future__ import annotations

from pathlib import Path

import pytest

from bloqr_dagster.filterlists.fetch import HttpFetcher
from bloqr_dagster.filterlists.sources import MAX_INCLUDE_DEPTH, SourceError, SourceLoader
from tests.filterlists.conftest import conditional, requested_paths


def write(base: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = base / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")


def test_local_file_relative_to_base_dir_and_file_url(tmp_path: Path) -> None:
    write(tmp_path, {"lists/a.txt": "\ufeff! title\r\n\r\n||a.example^\r\n  \r\n||b.example^\n\n"})
    loader = SourceLoader(tmp_path)
    loaded = loader.load("lists/a.txt")
    assert loaded.lines == ["! title", "||a.example^", "  ", "||b.example^"]
    assert loaded.source == "lists/a.txt"
    assert loaded.size_bytes == (tmp_path / "lists/a.txt").stat().st_size
    assert loader.load((tmp_path / "lists/a.txt").as_uri()).lines == loaded.lines
    assert loader.load(str(tmp_path / "lists/a.txt")).lines == loaded.lines


def test_empty_file_gives_one_empty_line(tmp_path: Path) -> None:
    write(tmp_path, {"empty.txt": "\n \n"})
    assert SourceLoader(tmp_path).load("empty.txt").lines == [""]


def test_missing_file_and_directory(tmp_path: Path) -> None:
    loader = SourceLoader(tmp_path)
    with pytest.raises(SourceError, match=r"^source 'nope.txt': no such file \(.*nope.txt\)$"):
        loader.load("nope.txt")
    with pytest.raises(SourceError, match=r"^source '.': is a directory"):
        loader.load(".")


def test_unsupported_scheme(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"^source 'ftp://x/y': unsupported URL scheme 'ftp'"):
        SourceLoader(tmp_path).load("ftp://x/y")


def test_non_utf8_bytes_are_replaced_and_counted(tmp_path: Path) -> None:
    write(tmp_path, {"bad.txt": b"||caf\xe9.example^\n||ok.example^\n\xff\xfe\n"})
    loaded = SourceLoader(tmp_path).load("bad.txt")
    assert loaded.lines == ["||caf\ufffd.example^", "||ok.example^", "\ufffd\ufffd"]
    assert loaded.replaced_chars == 3


def test_conditions_are_resolved(tmp_path: Path) -> None:
    write(tmp_path, {"c.txt": "a\n!#if ext_ublock\nub\n!#else\nother\n!#endif\n!#if !env_safari\nns\n!#endif\n"})
    assert SourceLoader(tmp_path).load("c.txt").lines == ["a", "other", "ns"]


def test_unbalanced_if_names_source_and_line(tmp_path: Path) -> None:
    write(tmp_path, {"u.txt": "a\n\n\n!#if true\nb\n"})
    with pytest.raises(SourceError) as info:
        SourceLoader(tmp_path).load("u.txt")
    assert str(info.value) == "source 'u.txt': line 4: '!#if true' has no matching !#endif"


def test_unbalanced_directive_in_an_included_file_names_that_file(tmp_path: Path) -> None:
    write(tmp_path, {"main.txt": "a\n!#include sub/inc.txt\n", "sub/inc.txt": "x\n!#endif\n"})
    with pytest.raises(SourceError) as info:
        SourceLoader(tmp_path).load("main.txt")
    assert str(info.value) == "source 'main.txt': sub/inc.txt line 2: '!#endif' without a preceding !#if"


def test_local_includes_nested_and_relative(tmp_path: Path) -> None:
    write(tmp_path, {
        "main.txt": "top\n!#include sub/one.txt\n!#if false\n!#include missing.txt\n!#endif\nend\n",
        "sub/one.txt": "! Diff-Path: patches/one.patch\none\n!#include deeper/two.txt\n",
        "sub/deeper/two.txt": "two\n!#include ../three.txt\n",
        "sub/three.txt": "\n\nthree\n\n",
    })
    loaded = SourceLoader(tmp_path).load("main.txt")
    assert loaded.lines == ["top", "one", "two", "three", "end"]
    assert loaded.size_bytes == sum(p.stat().st_size for p in tmp_path.rglob("*.txt"))


def test_include_of_a_missing_file(tmp_path: Path) -> None:
    write(tmp_path, {"main.txt": "!#include sub/nope.txt\n"})
    with pytest.raises(SourceError, match=r"^source 'main.txt': !#include 'sub/nope.txt' in main.txt: no such file"):
        SourceLoader(tmp_path).load("main.txt")


def test_include_cycle_names_the_chain(tmp_path: Path) -> None:
    write(tmp_path, {"a.txt": "!#include b.txt\n", "b.txt": "!#include sub/../a.txt\n"})
    with pytest.raises(SourceError) as info:
        SourceLoader(tmp_path).load("a.txt")
    assert str(info.value) == "source 'a.txt': include cycle: a.txt -> b.txt -> a.txt"


def test_remote_include_cycle(http_server, tmp_path: Path) -> None:
    a = http_server.serve_bytes("/lists/a.txt", b"a\n!#include sub/b.txt\n")
    http_server.serve_bytes("/lists/sub/b.txt", b"b\n!#include ../a.txt\n")
    with pytest.raises(SourceError) as info:
        SourceLoader(tmp_path).load(a)
    b_url = http_server.url("/lists/sub/b.txt")
    assert str(info.value) == f"source '{a}': include cycle: {a} -> {b_url} -> {b_url[:-6]}/../a.txt"
    assert requested_paths(http_server) == ["/lists/a.txt", "/lists/sub/b.txt"]


def test_include_depth_limit(tmp_path: Path) -> None:
    depth = MAX_INCLUDE_DEPTH + 1
    write(tmp_path, {f"l{i}.txt": f"r{i}\n!#include l{i + 1}.txt\n" for i in range(depth)})
    write(tmp_path, {f"l{depth}.txt": "last\n"})
    with pytest.raises(SourceError, match=rf"includes nested deeper than {MAX_INCLUDE_DEPTH}: l0.txt -> l1.txt"):
        SourceLoader(tmp_path).load("l0.txt")
    assert SourceLoader(tmp_path).load(f"l{depth - MAX_INCLUDE_DEPTH}.txt").lines[-1] == "last"


def test_http_source_with_remote_includes(http_server, tmp_path: Path) -> None:
    absolute_b = http_server.url("/lists/b.txt")
    url = http_server.serve_bytes(
        "/lists/main.txt", f"m1\n!#include parts/a.txt\n!#include {absolute_b}\nm2\n".encode())
    http_server.serve_bytes("/lists/parts/a.txt", b"! Diff-Path: x\na1\n!#include ../c.txt\n")
    http_server.serve_bytes("/lists/c.txt", b"c1\n")
    http_server.serve_bytes("/lists/b.txt", b"b1\n")
    loaded = SourceLoader(tmp_path).load(url)
    assert loaded.lines == ["m1", "a1", "c1", "b1", "m2"]
    assert requested_paths(http_server) == ["/lists/main.txt", "/lists/parts/a.txt", "/lists/c.txt", "/lists/b.txt"]


def test_remote_include_from_another_origin_is_rejected(http_server, tmp_path: Path) -> None:
    port = http_server.httpd.server_address[1]
    foreign = f"http://localhost:{port}/evil.txt"
    url = http_server.serve_bytes("/main.txt", f"ok\n!#include {foreign}\n".encode())
    http_server.serve_bytes("/evil.txt", b"evil\n")
    with pytest.raises(SourceError) as info:
        SourceLoader(tmp_path).load(url)
    assert str(info.value) == (
        f"source '{url}': !#include '{foreign}' in {url}: origin http://localhost:{port} differs from "
        f"http://127.0.0.1:{port} (remote includes must come from the same origin)")
    assert requested_paths(http_server) == ["/main.txt"]


def test_remote_list_cannot_include_local_files(http_server, tmp_path: Path) -> None:
    write(tmp_path, {"secret.txt": "secret\n"})
    url = http_server.serve_bytes("/main.txt", f"!#include {(tmp_path / 'secret.txt').as_uri()}\n".encode())
    with pytest.raises(SourceError, match="origin file:// differs"):
        SourceLoader(tmp_path).load(url)


def test_local_file_may_include_a_remote_list(http_server, tmp_path: Path) -> None:
    remote = http_server.serve_bytes("/r.txt", b"remote\n")
    write(tmp_path, {"main.txt": f"local\n!#include {remote}\n"})
    assert SourceLoader(tmp_path).load("main.txt").lines == ["local", "remote"]


def test_http_errors_name_the_source(http_server, tmp_path: Path) -> None:
    url = http_server.url("/missing.txt")
    with pytest.raises(SourceError) as info:
        SourceLoader(tmp_path).load(url)
    assert str(info.value) == f"source '{url}': HTTP 404 Not Found"


def test_conditional_get_through_the_loader(http_server, tmp_path: Path) -> None:
    url = http_server.route("/e.txt", conditional(b"||a.example^\n", etag='"e1"'))
    with HttpFetcher(cache_dir=tmp_path / "cache") as http:
        loader = SourceLoader(tmp_path, http=http)
        first, second = loader.load(url), loader.load(url)
    assert (first.not_modified, second.not_modified) == (False, True)
    assert first.lines == second.lines == ["||a.example^"]
    assert second.etag == '"e1"'


def test_prefetched_content_without_network(http_server, tmp_path: Path) -> None:
    url = http_server.serve_bytes("/list.txt", b"from-server\n")
    include = http_server.url("/inc.txt")
    loader = SourceLoader(tmp_path, allow_network=False, prefetched={
        url: "from-prefetch\n!#include inc.txt\n",
        include: b"included\xff\n",
        "EasyList": "by-name\n",
    })
    loaded = loader.load(url)
    assert loaded.lines == ["from-prefetch", "included\ufffd"]
    assert loaded.replaced_chars == 1
    assert loader.load("https://example.invalid/x.txt", name="EasyList").lines == ["by-name"]
    other = http_server.url("/other.txt")
    with pytest.raises(SourceError) as info:
        loader.load(other)
    assert str(info.value) == f"source '{other}': not pre-fetched and network access is disabled"
    assert http_server.requests == []


def test_load_entries_drops_comments_and_blank_lines(tmp_path: Path) -> None:
    write(tmp_path, {"ex.txt": "! comment\n# comment\n#\n#### section\n  \n||a^\n#not-comment\n##.ad\n"})
    assert SourceLoader(tmp_path).load_entries("ex.txt") == ["||a^", "#not-comment", "##.ad"]


def test_include_with_an_unsupported_scheme(tmp_path: Path) -> None:
    write(tmp_path, {"main.txt": "!#include ftp://example.org/x.txt\n"})
    with pytest.raises(SourceError) as info:
        SourceLoader(tmp_path).load("main.txt")
    assert str(info.value) == ("source 'main.txt': !#include 'ftp://example.org/x.txt' in main.txt: "
                               "unsupported URL scheme 'ftp' (use a path, file://, http:// or https://)")


def test_include_fan_out_is_bounded_in_width(http_server, tmp_path: Path) -> None:
    """Ten includes per list, three levels deep: 1,110 requests within the depth limit; the
    per-compile budget stops them after MAX_INCLUDES (here 30) with an error naming where."""
    def fan(req) -> None:
        name = req.path.rsplit("/", 1)[-1]
        body = ("||leaf.example^\n" if name.count("x") >= 3
                else "".join(f"!#include {name}x{i}\n" for i in range(10))).encode()
        req.send_response(200)
        req.send_header("Content-Length", str(len(body)))
        req.end_headers()
        req.wfile.write(body)

    class AnyPath(dict):
        def get(self, key, default=None):  # noqa: ANN001, ANN202
            return fan

    http_server.routes = AnyPath()
    url = http_server.url("/r")
    with pytest.raises(SourceError, match=r"more than 30 includes in one compile \(at "):
        SourceLoader(tmp_path, max_includes=30).load(url)
    assert len(http_server.requests) == 31  # the list itself and 30 includes


def test_included_bytes_are_bounded_per_compile(tmp_path: Path) -> None:
    write(tmp_path, {"main.txt": "".join(f"!#include part{i}.txt\n" for i in range(5)),
                     **{f"part{i}.txt": "||x.example^\n" * 100 for i in range(5)}})
    with pytest.raises(SourceError, match=r"included lists exceed 3000 bytes in one compile \(at main.txt -> part2.txt\)"):
        SourceLoader(tmp_path, max_include_bytes=3000).load("main.txt")
    assert len(SourceLoader(tmp_path).load("main.txt").lines) == 500


def test_a_remote_include_redirected_to_another_origin_is_refused(http_server, tmp_path: Path) -> None:
    from tests.filterlists.conftest import redirect

    port = http_server.httpd.server_address[1]
    http_server.serve_bytes("/evil.txt", b"evil\n")
    http_server.route("/inc.txt", redirect(f"http://localhost:{port}/evil.txt"))
    url = http_server.serve_bytes("/main.txt", b"ok\n!#include inc.txt\n")
    with pytest.raises(SourceError, match=r"!#include 'inc.txt' in .*: redirected to another origin"):
        SourceLoader(tmp_path).load(url)
    assert requested_paths(http_server) == ["/main.txt", "/inc.txt"]


def test_offline_loader_reads_nothing_but_its_entries(tmp_path: Path) -> None:
    write(tmp_path, {"on-disk.txt": "||disk.example^\n"})
    loader = SourceLoader.offline({"a.txt": "!#include on-disk.txt\n"}, tmp_path)
    with pytest.raises(SourceError, match=r"!#include 'on-disk.txt' in a.txt: not pre-fetched"):
        loader.load("a.txt")
    with pytest.raises(SourceError, match=r"^source 'on-disk.txt': not pre-fetched"):
        loader.load("on-disk.txt")
    assert SourceLoader.offline({"lone": "||x^\n\ud800\n"}).load("lone").replaced_chars == 3
