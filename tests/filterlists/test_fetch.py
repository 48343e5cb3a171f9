"""HttpFetcher against real HTTP servers on 127.0.0.1."""

from __future__ import annotations

import gzip
import time
import zlib
from pathlib import Path

import brotli
import pytest

from bloqr_dagster.filterlists.fetch import FetchError, HttpFetcher
from tests.filterlists.conftest import (
    compressed_zeros,
    conditional,
    redirect,
    requested_paths,
    slow,
    trickle,
    unsized,
)

LIST = b"! Title: test\n||ads.example.org^\n||track.example.net^\n"


@pytest.fixture
def fetcher(tmp_path: Path):
    with HttpFetcher(cache_dir=tmp_path / "http-cache", connect_timeout=2, read_timeout=0.5,
                     max_bytes=1000) as http:
        yield http


def test_plain_200(http_server, fetcher: HttpFetcher) -> None:
    url = http_server.serve_bytes("/list.txt", LIST, headers={"Content-Type": "text/plain"})
    response = fetcher.fetch(url)
    assert (response.status, response.body, response.text) == (200, LIST, LIST.decode())
    assert response.headers["content-type"] == "text/plain"
    assert response.elapsed > 0 and not response.not_modified
    assert requested_paths(http_server) == ["/list.txt"]


@pytest.mark.parametrize(("status", "reason"), [(404, "Not Found"), (500, "Internal Server Error")])
def test_error_status_is_a_clear_error(http_server, fetcher: HttpFetcher, status: int, reason: str) -> None:
    url = http_server.serve_bytes("/x.txt", b"nope", status=status)
    with pytest.raises(FetchError) as info:
        fetcher.fetch(url)
    assert str(info.value) == f"source '{url}': HTTP {status} {reason}"
    assert info.value.status == status


def test_error_status_returned_when_asked(http_server, fetcher: HttpFetcher) -> None:
    url = http_server.serve_bytes("/gone.txt", b"gone", status=410)
    response = fetcher.fetch(url, raise_for_status=False)
    assert (response.status, response.reason, response.body) == (410, "Gone", b"gone")


def test_read_timeout(http_server, fetcher: HttpFetcher) -> None:
    url = http_server.route("/slow.txt", slow(1.5))
    with pytest.raises(FetchError) as info:
        fetcher.fetch(url)
    assert str(info.value) == f"source '{url}': timed out after 0.5 s (read)"


def test_total_timeout_stops_a_trickling_server(http_server, tmp_path: Path) -> None:
    url = http_server.route("/trickle.txt", trickle(pieces=20, pause=0.1))
    with HttpFetcher(read_timeout=0.5, total_timeout=0.4) as http, pytest.raises(FetchError) as info:
        http.fetch(url)
    assert str(info.value) == f"source '{url}': timed out after 0.4 s (total)"


def test_connection_refused(fetcher: HttpFetcher) -> None:
    with pytest.raises(FetchError, match=r"source 'http://127.0.0.1:9/x': request failed: ConnectError"):
        fetcher.fetch("http://127.0.0.1:9/x")


def test_oversize_body_with_content_length(http_server, fetcher: HttpFetcher) -> None:
    url = http_server.serve_bytes("/big.txt", b"x" * 1001)
    with pytest.raises(FetchError) as info:
        fetcher.fetch(url)
    assert str(info.value) == f"source '{url}': response larger than 1000 bytes"


def test_oversize_body_while_streaming(http_server, fetcher: HttpFetcher) -> None:
    url = http_server.route("/stream.txt", unsized(b"y" * 5000, chunk=100))
    with pytest.raises(FetchError, match="response larger than 1000 bytes"):
        fetcher.fetch(url)
    # the cap is on decoded bytes, so a small gzip bomb is stopped too
    bomb = gzip.compress(b"z" * 100_000)
    url = http_server.serve_bytes("/bomb.txt", bomb, headers={"Content-Encoding": "gzip"})
    assert len(bomb) < 1000
    with pytest.raises(FetchError, match="response larger than 1000 bytes"):
        fetcher.fetch(url)


def test_exactly_at_the_cap_is_fine(http_server, fetcher: HttpFetcher) -> None:
    url = http_server.route("/edge.txt", unsized(b"e" * 1000, chunk=300))
    assert fetcher.fetch(url).size_bytes == 1000


def test_gzip_and_brotli_bodies(http_server, fetcher: HttpFetcher) -> None:
    gz = http_server.serve_bytes("/gz.txt", gzip.compress(LIST), headers={"Content-Encoding": "gzip"})
    br = http_server.serve_bytes("/br.txt", brotli.compress(LIST), headers={"Content-Encoding": "br"})
    assert fetcher.fetch(gz).body == LIST
    assert fetcher.fetch(br).body == LIST
    accepted = [headers.get("Accept-Encoding", "") for _, _, headers, _ in http_server.requests]
    assert all("gzip" in a and "br" in a for a in accepted)


def test_redirects_are_followed(http_server, fetcher: HttpFetcher) -> None:
    final = http_server.serve_bytes("/final.txt", LIST)
    http_server.route("/a", redirect("/b", 301))
    http_server.route("/b", redirect(final, 307))
    response = fetcher.fetch(http_server.url("/a"))
    assert response.body == LIST
    assert response.final_url == final
    assert response.redirects == [http_server.url("/b"), final]


def test_redirect_loop(http_server, fetcher: HttpFetcher) -> None:
    http_server.route("/loop1", redirect("/loop2"))
    http_server.route("/loop2", redirect("/loop1"))
    url = http_server.url("/loop1")
    with pytest.raises(FetchError) as info:
        fetcher.fetch(url)
    assert str(info.value) == (f"source '{url}': redirect loop: {url} -> {http_server.url('/loop2')} -> {url}")


def test_more_than_five_redirects(http_server, fetcher: HttpFetcher) -> None:
    for hop in range(7):
        http_server.route(f"/hop{hop}", redirect(f"/hop{hop + 1}"))
    http_server.serve_bytes("/hop7", LIST)
    with pytest.raises(FetchError, match=r"too many redirects \(more than 5\)"):
        fetcher.fetch(http_server.url("/hop0"))
    assert len(requested_paths(http_server)) == 6  # the original request and five redirects
    # five redirects are allowed
    assert fetcher.fetch(http_server.url("/hop2")).body == LIST


def test_etag_conditional_get_serves_the_cache(http_server, fetcher: HttpFetcher, tmp_path: Path) -> None:
    url = http_server.route("/etag.txt", conditional(LIST, etag='"v1"'))
    first = fetcher.fetch(url)
    second = fetcher.fetch(url)
    assert (first.status, first.not_modified) == (200, False)
    assert (second.status, second.not_modified, second.body) == (304, True, LIST)
    assert second.etag == '"v1"'
    sent = [headers.get("If-None-Match") for _, _, headers, _ in http_server.requests]
    assert sent == [None, '"v1"']
    assert not [p for p in (tmp_path / "http-cache").iterdir() if p.name.startswith(".tmp")]


def test_last_modified_conditional_get(http_server, fetcher: HttpFetcher) -> None:
    stamp = "Wed, 21 Oct 2026 07:28:00 GMT"
    url = http_server.route("/lm.txt", conditional(LIST, last_modified=stamp))
    fetcher.fetch(url)
    second = fetcher.fetch(url)
    assert second.not_modified and second.body == LIST and second.last_modified == stamp
    sent = [headers.get("If-Modified-Since") for _, _, headers, _ in http_server.requests]
    assert sent == [None, stamp]


def test_changed_source_replaces_the_cache(http_server, fetcher: HttpFetcher) -> None:
    url = http_server.route("/v.txt", conditional(LIST, etag='"v1"'))
    fetcher.fetch(url)
    http_server.route("/v.txt", conditional(LIST + b"||new.example^\n", etag='"v2"'))
    changed = fetcher.fetch(url)
    assert not changed.not_modified and changed.body.endswith(b"||new.example^\n")
    assert fetcher.fetch(url).not_modified  # now cached under v2


def test_no_cache_without_cache_dir_or_with_range(http_server, tmp_path: Path) -> None:
    url = http_server.route("/etag.txt", conditional(LIST, etag='"v1"'))
    with HttpFetcher() as plain:
        plain.fetch(url)
        assert not plain.fetch(url).not_modified
    with HttpFetcher(cache_dir=tmp_path / "c") as cached:
        cached.fetch(url, headers={"Range": "bytes=0-10"})
        assert not (tmp_path / "c").exists()


def test_damaged_cache_entry_is_ignored(http_server, fetcher: HttpFetcher, tmp_path: Path) -> None:
    url = http_server.route("/etag.txt", conditional(LIST, etag='"v1"'))
    fetcher.fetch(url)
    (entry,) = (tmp_path / "http-cache").iterdir()
    entry.write_bytes(entry.read_bytes()[:-5])  # truncated body
    again = fetcher.fetch(url)
    assert not again.not_modified and again.body == LIST


def test_invalid_utf8_is_counted(http_server, fetcher: HttpFetcher) -> None:
    url = http_server.serve_bytes("/latin1.txt", "||café.example^\n".encode("latin-1"))
    text, replaced = fetcher.fetch(url).decoded()
    assert text == "||caf\ufffd.example^\n" and replaced == 1


ZEROS = 256 * 1024**2  # benchmarks/decompression_bombs.py measures the 1 GiB and larger ones


def _zeros(codec: str, size: int = ZEROS) -> bytes:
    return compressed_zeros(codec, size)  # never holds the zeros: the test measures peak memory


@pytest.mark.parametrize(("encoding", "body"), [
    ("gzip, gzip", lambda: gzip.compress(_zeros("gzip"), 9)),  # 256 MiB of zeros in about 600 bytes
    ("br", lambda: _zeros("br")),
    ("deflate", lambda: _zeros("deflate")),
    ("gzip, br", lambda: brotli.compress(_zeros("gzip"))),
    ("identity, gzip, identity", lambda: _zeros("gzip")),
])
def test_compressed_bombs_stop_at_the_cap(http_server, tmp_path: Path, encoding: str, body) -> None:
    import resource

    bomb = body()
    assert len(bomb) < 300 * 1024
    url = http_server.serve_bytes("/bomb.txt", bomb, headers={"Content-Encoding": encoding})
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with HttpFetcher(max_bytes=10 * 1024**2) as http, pytest.raises(FetchError) as info:
        http.fetch(url)
    assert str(info.value) == f"source '{url}': response larger than {10 * 1024**2} bytes"
    # peak memory grew by far less than the bomb's size (the peak only ever grows, so this is a bound)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before < 200 * 1024


@pytest.mark.parametrize(("encoding", "encode"), [
    ("gzip", gzip.compress), ("x-gzip", gzip.compress), ("br", brotli.compress), ("identity", lambda b: b),
    ("deflate", zlib.compress), ("deflate", lambda b: zlib.compress(b)[2:-4]),  # zlib-wrapped and raw
    ("gzip, gzip", lambda b: gzip.compress(gzip.compress(b))), ("GZIP , BR", lambda b: brotli.compress(gzip.compress(b))),
])
def test_every_encoding_and_stack_decodes(http_server, fetcher: HttpFetcher, encoding: str, encode) -> None:
    url = http_server.serve_bytes("/e.txt", encode(LIST), headers={"Content-Encoding": encoding})
    assert fetcher.fetch(url).body == LIST


def test_bad_encodings_are_one_line_errors(http_server, fetcher: HttpFetcher) -> None:
    url = http_server.serve_bytes("/c.txt", b"x", headers={"Content-Encoding": "compress"})
    with pytest.raises(FetchError, match=r"unsupported content encoding 'compress'$"):
        fetcher.fetch(url)
    url = http_server.serve_bytes("/g.txt", b"not gzip at all", headers={"Content-Encoding": "gzip"})
    with pytest.raises(FetchError, match=r"could not decode the response body: "):
        fetcher.fetch(url)
    url = http_server.serve_bytes("/many.txt", LIST, headers={"Content-Encoding": "gzip, " * 5 + "gzip"})
    with pytest.raises(FetchError, match=r"more than 4 content encodings"):
        fetcher.fetch(url)


def test_the_deadline_stops_a_trickle_of_a_byte_every_half_second(http_server) -> None:
    url = http_server.route("/trickle.txt", trickle(pieces=200, pause=0.5))  # 100 s if let through
    with HttpFetcher(read_timeout=2, total_timeout=1.5) as http, pytest.raises(FetchError) as info:
        http.fetch(url)
    assert str(info.value) == f"source '{url}': timed out after 1.5 s (total)"


def test_the_deadline_stops_a_server_that_stalls_after_its_headers(http_server) -> None:
    def stall(req) -> None:
        req.send_response(200)
        req.send_header("Content-Length", "100")
        req.end_headers()
        req.wfile.write(b"x")
        req.wfile.flush()
        time.sleep(30)

    url = http_server.route("/stall.txt", stall)
    # the read timeout alone would wait 20 s; the deadline shuts the socket at 1 s
    with HttpFetcher(read_timeout=20, total_timeout=1) as http, pytest.raises(FetchError) as info:
        http.fetch(url)
    assert str(info.value) == f"source '{url}': timed out after 1 s (total)"


def test_includes_may_not_be_redirected_to_another_origin(http_server, fetcher: HttpFetcher) -> None:
    port = http_server.httpd.server_address[1]
    foreign = f"http://localhost:{port}/final.txt"
    http_server.serve_bytes("/final.txt", LIST)
    http_server.route("/away", redirect(foreign))
    with pytest.raises(FetchError, match=rf"redirected to another origin \(http://localhost:{port}\)"):
        fetcher.fetch(http_server.url("/away"), same_origin_redirects=True)
    assert requested_paths(http_server) == ["/away"]
    assert fetcher.fetch(http_server.url("/away")).body == LIST  # a configured source may be redirected
