"""The compiled cache: content-addressed gzip objects, the index, freshness, `bloqr cache`."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import pytest

from bloqr_dagster.cli import main as bloqr_main
from bloqr_dagster.errors import BloqrError
from bloqr_dagster.filterlists.cache_store import CompiledCache, SourceVersion, source_versions
from bloqr_dagster.filterlists.cached_compile import compile_or_reuse, store
from bloqr_dagster.filterlists.config import parse_config
from bloqr_dagster.filterlists.fetch import HttpFetcher
from bloqr_dagster.filterlists.model import CompileResult, LoadedSource


def _result(rules: list[str], title: str = "T") -> CompileResult:
    header = ["!", f"! Title: {title}", "!"]
    key = hashlib.sha256("\n".join(rules).encode()).hexdigest()
    return CompileResult(lines=header + rules, header_lines=3, rule_count=len(rules), cache_key=key)


def test_store_writes_gzip_object_under_rules_sha_and_reads_back(tmp_path: Path) -> None:
    cache = CompiledCache(tmp_path / "cache")
    config = parse_config({"name": "One", "sources": [{"source": "a.txt"}]})
    result = _result(["||a.com^", "||b.com^"])
    versions = source_versions([LoadedSource("a.txt", ["||a.com^"], etag='"v1"')])
    entry = cache.store_result(config, result, "one", versions)

    path = tmp_path / "cache" / "objects" / result.cache_key[:2] / f"{result.cache_key}.txt.gz"
    assert path.is_file()
    assert hashlib.sha256(gzip.decompress(path.read_bytes())).hexdigest() == result.cache_key
    assert entry.rule_count == 2 and entry.raw_bytes == len("||a.com^\n||b.com^")
    assert entry.compressed_bytes == path.stat().st_size
    assert entry.fingerprint == config.fingerprint()
    assert entry.source_versions[0].etag == '"v1"'
    assert cache.read_text(cache.latest("one")) == result.text()
    assert not list(path.parent.glob("*.tmp"))


def test_same_rules_share_one_object_but_keep_their_own_header(tmp_path: Path) -> None:
    cache = CompiledCache(tmp_path)
    a = cache.store("a", "f1", *_split(_result(["||x.com^"], "A")))
    b = cache.store("b", "f2", *_split(_result(["||x.com^"], "B")))
    assert a.cache_key == b.cache_key
    assert len(list((tmp_path / "objects").rglob("*.gz"))) == 1
    assert "Title: B" in cache.read_text(cache.latest("b"))
    assert "Title: A" in cache.read_text(cache.latest("a"))


def _split(result: CompileResult) -> tuple[str, int, str, str]:
    return (result.cache_key, result.rule_count, "\n".join(result.lines[:3]), "\n".join(result.lines[3:]))


def test_store_rejects_a_key_that_is_not_the_rules_hash(tmp_path: Path) -> None:
    with pytest.raises(BloqrError, match="not the SHA-256"):
        CompiledCache(tmp_path).store("a", "f", "0" * 64, 1, "!", "||x.com^")
    assert not (tmp_path / "objects").exists()


def test_lookup_needs_same_fingerprint_and_same_source_contents(tmp_path: Path) -> None:
    cache = CompiledCache(tmp_path)
    v1 = (SourceVersion("a.txt", "h1"),)
    cache.store("n", "fp", *_split(_result(["||x.com^"])), versions=v1)
    assert cache.lookup("n", "fp", v1) is not None
    assert cache.lookup("n", "fp", (SourceVersion("a.txt", "h2"),)) is None
    assert cache.lookup("n", "other-fp", v1) is None
    assert cache.lookup("unknown", "fp", v1) is None


def test_fingerprint_covers_nested_source_urls() -> None:
    a = parse_config({"name": "x", "sources": [{"source": "https://a.example/list.txt"}]})
    b = parse_config({"name": "x", "sources": [{"source": "https://b.example/list.txt"}]})
    c = parse_config({"name": "x", "sources": [{"source": "https://a.example/list.txt",
                                                "transformations": ["Deduplicate"]}]})
    assert len({a.fingerprint(), b.fingerprint(), c.fingerprint()}) == 3


def test_compile_or_reuse_hits_on_304_and_recompiles_on_change(tmp_path: Path, http_server) -> None:
    state = {"body": b"||a.com^\n||b.com^\n", "etag": '"1"', "gets": 0, "not_modified": 0}

    def handler(req) -> None:
        state["gets"] += 1
        if req.headers.get("If-None-Match") == state["etag"]:
            state["not_modified"] += 1
            req.send_response(304)
            req.send_header("ETag", state["etag"])
            req.send_header("Content-Length", "0")
            req.end_headers()
            return
        req.send_response(200)
        req.send_header("ETag", state["etag"])
        req.send_header("Content-Length", str(len(state["body"])))
        req.end_headers()
        req.wfile.write(state["body"])

    url = http_server.route("/list.txt", handler)
    config = parse_config({"name": "L", "sources": [{"source": url}], "transformations": ["Deduplicate"]})
    cache = CompiledCache(tmp_path / "cache")

    def run():
        events: list[str] = []
        with HttpFetcher(cache_dir=tmp_path / "http") as http:
            outcome = compile_or_reuse(config, cache, base_dir=tmp_path, http=http,
                                       on_event=lambda k, f: events.append(k))
            store(outcome, config, cache, on_event=lambda k, f: events.append(k))
        return outcome, events

    first, events1 = run()
    assert not first.cache_hit and first.rule_count == 2
    assert "cache_stored" in events1 and "transformation_started" in events1
    second, events2 = run()
    assert second.cache_hit and second.sources_not_modified == 1 and state["not_modified"] == 1
    assert "transformation_started" not in events2 and "cache_hit" in events2
    assert cache.latest("L").hits == 1
    state["body"], state["etag"] = b"||a.com^\n||c.com^\n||d.com^\n", '"2"'
    third, _ = run()
    assert not third.cache_hit and third.rule_count == 3


def test_cli_cache_get_and_list(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("BLOQR_HOME", str(tmp_path))
    cache = CompiledCache(tmp_path / "cache")
    result = _result(["||x.com^", "||y.com^"], "Mine")
    cache.store("my_list", "fp", *_split(result))
    out = tmp_path / "out" / "list.txt"
    assert bloqr_main(["cache", "get", "my_list", "-o", str(out)]) == 0
    assert out.read_text() == result.text()
    assert bloqr_main(["cache", "list"]) == 0
    assert "my_list" in capsys.readouterr().out
    assert bloqr_main(["cache", "get", "nope", "-o", str(tmp_path / "n.txt")]) == 1
    err = capsys.readouterr().err
    assert "no compiled list cached for configuration 'nope'" in err and "my_list" in err
    assert not (tmp_path / "n.txt").exists()


def test_a_changed_include_is_not_a_stale_hit(tmp_path: Path) -> None:
    (tmp_path / "main.txt").write_text("||a.com^\n!#include extra.txt\n")
    (tmp_path / "extra.txt").write_text("||b.com^\n")
    config = parse_config({"name": "Inc", "sources": [{"source": "main.txt"}]})
    cache = CompiledCache(tmp_path / "cache")

    def run():
        with HttpFetcher() as http:
            outcome = compile_or_reuse(config, cache, base_dir=tmp_path, http=http)
            store(outcome, config, cache)
        return outcome

    assert not run().cache_hit
    assert run().cache_hit  # unchanged: a hit after pre-processing (includes resolved)
    (tmp_path / "extra.txt").write_text("||b.com^\n||c.com^\n")
    changed = run()
    assert not changed.cache_hit and changed.rule_count == 3
