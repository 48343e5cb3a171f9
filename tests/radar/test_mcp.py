"""`bloqr mcp` through the SDK's own client: the real server process over stdio.

The corpus has planted private values (account ids, emails, tokens, IPs, paths, worker names in
log lines, error lines included): no tool answer may contain any of them.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client

from bloqr_dagster import settings
from bloqr_dagster.build_errors.generator import generate, incident
from bloqr_dagster.build_errors.stores import open_store
from bloqr_dagster.radar.corpus import scan_store_into_lake
from bloqr_dagster.warehouse.build import build_warehouse

INCIDENT = "✘ [ERROR] Build image v9 lost its TLS roots: certificate store missing at build step 3"
BLOQR = str(Path(sys.executable).parent / "bloqr")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    home = tmp_path_factory.mktemp("mcp")
    paths = settings.paths(home)
    with open_store(f"sqlite:///{paths.builds_db}") as store:
        report = generate(store, 3_000, seed=5, start_id=1, days=8)
        incident(store, 100, INCIDENT)
    scan_store_into_lake(paths)
    build_warehouse(paths)
    return home, sorted({p.value for p in report.planted if len(p.value) >= 6})


def _call_all(home: Path, calls: list[tuple[str, dict[str, Any]]]) -> list[Any]:
    async def main() -> list[Any]:
        env = {**os.environ, "BLOQR_HOME": str(home)}
        env.pop("BLOQR_BUILD_STORE", None)
        params = StdioServerParameters(command=BLOQR, args=["mcp", "--home", str(home)], env=env)
        async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            results: list[Any] = [sorted(t.name for t in (await session.list_tools()).tools)]
            for name, arguments in calls:
                results.append(await session.call_tool(name, arguments))
            return results

    return anyio.run(main)


def test_tools_answer_with_masked_bounded_text(corpus: tuple[Path, list[str]]) -> None:
    home, planted = corpus
    incident_build = 3_050
    tools, why, top, sharing, anomalies, past = _call_all(home, [
        ("why_build_failed", {"build_id": incident_build, "context_lines": 2}),
        ("top_error_groups", {"days": 2, "limit": 3}),
        ("builds_sharing_group", {"build_id": incident_build, "limit": 5}),
        ("current_anomalies", {}),
        ("current_anomalies", {"include_past": True, "limit": 50}),
    ])
    assert tools == ["builds_sharing_group", "current_anomalies", "top_error_groups", "why_build_failed"]
    for result in (why, top, sharing, anomalies, past):
        assert not result.is_error, result.content
    answer = why.structured_content
    assert answer["primary_error"]["sample_line"] == INCIDENT
    assert "Build image <VERSION>" in answer["primary_error"]["error_group"]
    excerpt = answer["log_excerpt"]
    line_no = answer["primary_error"]["line_no"]
    numbers = [line["line_no"] for line in excerpt]  # up to 2 either side; the log may end sooner
    assert numbers[:3] == [line_no - 2, line_no - 1, line_no] and numbers == list(range(numbers[0], numbers[-1] + 1))
    assert len(numbers) <= 5 and excerpt[2]["text"] == answer["primary_error"]["error_group"]
    assert len(top.structured_content["groups"]) == 3
    assert top.structured_content["groups"][0]["error_group"].startswith("✘ [ERROR] Build image")
    assert sharing.structured_content["builds_in_group"] >= 50 and len(sharing.structured_content["builds"]) == 5
    current = anomalies.structured_content["anomalies"]
    assert any(a["kind"] == "new" and "Build image" in (a["error_group"] or "") for a in current)
    assert len(past.structured_content["anomalies"]) <= 50

    # no planted private value in any answer, also in every failed build's excerpt
    failed = [b for b in range(1, 3_000, 37)]
    more = _call_all(home, [("why_build_failed", {"build_id": b, "context_lines": 10}) for b in failed])[1:]
    text = json.dumps([r.structured_content for r in (why, top, sharing, anomalies, past, *more)])
    assert planted and not [value for value in planted if value in text]


def test_bad_arguments_are_tool_errors_with_one_line(corpus: tuple[Path, list[str]]) -> None:
    home, _ = corpus
    _, too_many, unknown, context = _call_all(home, [
        ("top_error_groups", {"limit": 10_000}),
        ("why_build_failed", {"build_id": 99_999_999}),
        ("why_build_failed", {"build_id": 1, "context_lines": 500}),
    ])
    assert too_many.is_error and "limit: must be between 1 and 50" in too_many.content[0].text
    assert unknown.is_error and "build 99999999: not in the build store" in unknown.content[0].text
    assert context.is_error and "context_lines" in context.content[0].text


def test_works_from_the_lake_without_a_warehouse(corpus: tuple[Path, list[str]], tmp_path: Path) -> None:
    home, _ = corpus
    copy = tmp_path / "home"
    copy.mkdir()
    (copy / "builds.sqlite").symlink_to(home / "builds.sqlite")
    (copy / "lake").symlink_to(home / "lake")
    _, top, anomalies = _call_all(copy, [("top_error_groups", {"days": 1, "limit": 1}),
                                         ("current_anomalies", {})])
    assert top.structured_content["source"] == "lake" and len(top.structured_content["groups"]) == 1
    assert anomalies.is_error and "no warehouse" in anomalies.content[0].text


def test_a_missing_home_is_one_line_and_a_non_zero_exit(tmp_path: Path) -> None:
    import subprocess

    proc = subprocess.run([BLOQR, "mcp", "--home", str(tmp_path / "nowhere")], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=60)
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.strip() == f"bloqr mcp: --home: no such folder {tmp_path / 'nowhere'}"
