"""Isolated steps: a child process with no network, no inherited environment, and resource limits."""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import pytest

from bloqr_dagster.filterlists.cache_store import CompiledCache
from bloqr_dagster.filterlists.demo import DEMO_CONFIG, DEMO_DIR
from bloqr_dagster.filterlists.isolated import IsolatedStepError, Limits, run_step


def test_child_cannot_open_sockets_and_sees_no_secrets(tmp_path: Path, http_server, monkeypatch) -> None:
    monkeypatch.setenv("BLOQR_SECRET_TOKEN", "hunter2")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "x")
    http_server.serve_bytes("/ping", b"pong")
    port = http_server.httpd.server_address[1]
    report = run_step("sandbox-check", {"host": "127.0.0.1", "port": port}, tmp_path,
                      Limits(cpu_seconds=30, memory_bytes=1024**3))
    assert report["network"] == "blocked: [Errno 1] Operation not permitted"
    assert http_server.requests == []  # nothing reached the live server
    assert set(report["env"]) <= {"PATH", "PYTHONPATH", "LANG", "PYTHONDONTWRITEBYTECODE"}
    assert report["cpu_limit"] == 30 and report["memory_limit"] == 1024**3


def _demo_payload(tmp_path: Path, prefetched: dict[str, str] | None) -> dict:
    config = json.loads(DEMO_CONFIG.read_text())
    payload = {"config": config, "output_file": str(tmp_path / "compiled.txt")}
    if prefetched is not None:
        (tmp_path / "prefetched.json").write_text(json.dumps(prefetched))
        payload["prefetched_file"] = str(tmp_path / "prefetched.json")
    return payload


def test_transform_requires_prefetched_content(tmp_path: Path) -> None:
    with pytest.raises(IsolatedStepError, match="pre-fetched content is required: no prefetched_file"):
        run_step("transform", _demo_payload(tmp_path, None), tmp_path)
    partial = {"demo_ads.txt": (DEMO_DIR / "demo_ads.txt").read_text()}
    with pytest.raises(IsolatedStepError, match="missing for: 'demo_hosts.txt'"):
        run_step("transform", _demo_payload(tmp_path, partial), tmp_path)
    assert not (tmp_path / "compiled.txt").exists()


def test_validate_transform_cache_in_children(tmp_path: Path) -> None:
    prefetched = {name: (DEMO_DIR / name).read_text() for name in ("demo_ads.txt", "demo_hosts.txt")}
    payload = _demo_payload(tmp_path, prefetched)
    validated = run_step("validate", payload, tmp_path / "v")
    assert validated["name"] == "bloqr demo blocklist"
    compiled = run_step("transform", payload, tmp_path / "t")
    lines = Path(compiled["output_file"]).read_text().split("\n")
    body = "\n".join(lines[compiled["header_lines"]:])
    assert hashlib.sha256(body.encode()).hexdigest() == compiled["cache_key"]
    assert compiled["rule_count"] == 8
    stored = run_step("cache", {**payload, **compiled, "compiled_file": compiled["output_file"],
                                "cache_dir": str(tmp_path / "cache"), "config_name": "demo"}, tmp_path / "c")
    assert stored["cache_key"] == compiled["cache_key"] and stored["fingerprint"] == validated["fingerprint"]
    obj = tmp_path / "cache" / "objects" / stored["cache_key"][:2] / f"{stored['cache_key']}.txt.gz"
    assert gzip.decompress(obj.read_bytes()).decode() == body
    assert CompiledCache(tmp_path / "cache").latest("demo").rule_count == 8


def test_invalid_configuration_names_the_field(tmp_path: Path) -> None:
    with pytest.raises(IsolatedStepError, match=r"sources\[0\]\.transformations\[0\]: unknown transformation"):
        run_step("validate", {"config": {"name": "x", "sources": [{"source": "a",
                                                                   "transformations": ["Dedupe"]}]}}, tmp_path)


def test_memory_limit_stops_the_child(tmp_path: Path) -> None:
    big = "".join(f"||host{i}.example.com^\n" for i in range(1_000_000))  # ~25 MB, ~150 MB as lines
    prefetched = {"demo_ads.txt": big, "demo_hosts.txt": "0.0.0.0 b.com\n"}
    with pytest.raises(IsolatedStepError, match="memory"):
        run_step("transform", _demo_payload(tmp_path, prefetched), tmp_path,
                 Limits(memory_bytes=200 * 1024**2))


@pytest.mark.parametrize("include", ["/etc/passwd", "../../etc/passwd", "file:///etc/passwd",
                                     "file://localhost/etc/hostname", "sub/../../../../proc/self/environ"])
def test_includes_resolve_only_to_prefetched_entries(tmp_path: Path, include: str) -> None:
    prefetched = {"demo_ads.txt": f"||a.example^\n!#include {include}\n", "demo_hosts.txt": "0.0.0.0 b.com\n"}
    with pytest.raises(IsolatedStepError) as info:
        run_step("transform", _demo_payload(tmp_path, prefetched), tmp_path / "w")
    message = str(info.value)
    assert message.startswith(f"isolated step 'transform': source 'demo_ads.txt': !#include '{include}' in "
                              "demo_ads.txt: ") and "only pre-fetched entries" in message
    assert "\n" not in message and "root:" not in message
    assert not (tmp_path / "compiled.txt").exists()


def test_an_include_of_another_prefetched_entry_works(tmp_path: Path) -> None:
    prefetched = {"demo_ads.txt": "||a.example^\n!#include parts/more.txt\n", "parts/more.txt": "||more.example^\n",
                  "demo_hosts.txt": "0.0.0.0 b.com\n"}
    result = run_step("transform", _demo_payload(tmp_path, prefetched), tmp_path / "w")
    text = Path(result["output_file"]).read_text()
    assert result["output_file"] == str(tmp_path / "compiled.txt")
    assert "||more.example^" in text and "||a.example^" in text
    # the same include of a name that is not in the map is an error, not a read from disk
    (tmp_path / "w" / "parts").mkdir(parents=True)
    (tmp_path / "w" / "parts" / "more.txt").write_text("||from-disk.example^\n")
    del prefetched["parts/more.txt"]
    with pytest.raises(IsolatedStepError, match=r"!#include 'parts/more.txt' in demo_ads.txt: not pre-fetched"):
        run_step("transform", _demo_payload(tmp_path, prefetched), tmp_path / "w")


def test_prefetched_file_is_read_from_an_allowed_place_only(tmp_path: Path) -> None:
    (tmp_path / "run").mkdir()
    payload = _demo_payload(tmp_path / "run", {"demo_ads.txt": "x\n", "demo_hosts.txt": "y\n"})
    payload["prefetched_file"] = "/etc/passwd"
    with pytest.raises(IsolatedStepError, match=r"prefetched_file: /etc/passwd is outside the allowed folders"):
        run_step("validate", {**payload, "require_prefetched": True}, tmp_path / "run" / "validate")
    link = tmp_path / "run" / "link.json"
    link.symlink_to("/etc/passwd")
    payload["prefetched_file"] = str(link)
    with pytest.raises(IsolatedStepError, match=r"prefetched_file: .*link.json is outside the allowed folders"):
        run_step("validate", {**payload, "require_prefetched": True}, tmp_path / "run" / "validate")
    payload["prefetched_file"] = str(tmp_path / "run" / "prefetched.json")
    assert run_step("validate", {**payload, "require_prefetched": True},
                    tmp_path / "run" / "validate")["name"] == "bloqr demo blocklist"
