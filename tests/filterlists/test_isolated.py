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
    assert report["network"].startswith("blocked: network access is disabled")
    assert report["socket"].startswith("blocked")
    assert http_server.requests == []  # nothing reached the live server
    assert "BLOQR_SECRET_TOKEN" not in report["env"] and "AWS_SECRET_ACCESS_KEY" not in report["env"]
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


def test_cpu_limit_stops_the_child(tmp_path: Path) -> None:
    big = "".join(f"||host{i}.example.com^\n" for i in range(600_000))
    payload = _demo_payload(tmp_path, {"demo_ads.txt": big, "demo_hosts.txt": "0.0.0.0 b.com\n"})
    with pytest.raises(IsolatedStepError, match="exceeded its CPU limit of 1 s"):
        run_step("transform", payload, tmp_path, Limits(cpu_seconds=1))
