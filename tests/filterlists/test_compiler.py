"""compile_config: pipeline order, headers, exclusions/inclusions, statistics, events and errors."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bloqr_dagster import __version__
from bloqr_dagster.errors import BloqrError
from bloqr_dagster.filterlists.compiler import (
    QUICK_LIST_TRANSFORMATIONS,
    CompileError,
    compile_config,
    iso_timestamp,
    transform,
)
from bloqr_dagster.filterlists.model import CompileConfig, FilterSettings, LoadedSource, SourceConfig
from bloqr_dagster.filterlists.sources import SourceLoader


class DictLoader:
    """An in-memory loader: source name -> lines (what the download step would have produced)."""

    def __init__(self, files: dict[str, list[str]]) -> None:
        self.files = files
        self.loaded: list[str] = []

    def load(self, source: str, *, name: str | None = None) -> LoadedSource:
        self.loaded.append(source)
        return LoadedSource(source=source, lines=list(self.files[source]), etag=f"etag-{source}")

    def load_entries(self, source: str) -> list[str]:
        return [line for line in self.files[source] if line.strip() and not line.startswith("!")]


def _body(result: Any) -> list[str]:
    return result.lines[result.header_lines :]


def test_header_and_source_headers_like_the_reference() -> None:
    config = CompileConfig(
        name="My list",
        description="Blocks ads",
        homepage="https://example.org",
        license="MIT",
        version="1.2.3",
        sources=(SourceConfig(source="a.txt", name="List A"), SourceConfig(source="b.txt")),
    )
    result = compile_config(config, DictLoader({"a.txt": ["||a.com^"], "b.txt": ["||b.com^"]}))
    header = result.lines[: result.header_lines]
    assert header[:6] == [
        "!",
        "! Title: My list",
        "! Description: Blocks ads",
        "! Version: 1.2.3",
        "! Homepage: https://example.org",
        "! License: MIT",
    ]
    assert re.fullmatch(r"! Last modified: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", header[6])
    assert header[7:] == ["!", f"! Compiled by bloqr_dagster {__version__}", "!"]
    assert _body(result) == [
        "!", "! Source name: List A", "! Source: a.txt", "!", "||a.com^",
        "!", "! Source: b.txt", "!", "||b.com^",
    ]
    assert result.text() == "\n".join(result.lines)  # the reference joins with "\n", no final newline


def test_minimal_header_leaves_out_empty_fields() -> None:
    result = compile_config(CompileConfig(name="x", sources=(SourceConfig(source="a"),)), DictLoader({"a": []}))
    assert [line for line in result.lines[: result.header_lines] if not line.startswith("! Last modified")] == [
        "!", "! Title: x", "!", f"! Compiled by bloqr_dagster {__version__}", "!",
    ]


def test_iso_timestamp_is_javascript_to_iso_string() -> None:
    assert iso_timestamp(datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)) == "2026-01-02T03:04:05.678Z"


def test_transformations_run_in_the_fixed_order_whatever_the_configured_order() -> None:
    lines = ["||a.com^", "! c", "||a.com^", "  ||b.com^  ", "||sub.b.com^", ""]
    forward = FilterSettings(transformations=("TrimLines", "RemoveComments", "Compress", "Deduplicate"))
    backward = FilterSettings(transformations=("Deduplicate", "Compress", "RemoveComments", "TrimLines"))
    loader = DictLoader({})
    assert transform(lines, forward, loader) == transform(lines, backward, loader) == ["||a.com^", "||b.com^", ""]


def test_top_level_transformations_see_the_source_headers() -> None:
    config = CompileConfig(
        name="x",
        sources=(SourceConfig(source="a", name="A"),),
        transformations=("RemoveComments",),
        inclusions=("example",),
    )
    result = compile_config(config, DictLoader({"a": ["||example.org^", "||other.org^", "! example note"]}))
    assert _body(result) == ["||example.org^"]


def test_exclusions_and_inclusions_inline_and_from_sources() -> None:
    files = {
        "list": ["||ads.example.org^", "||tracker.example.com^", "||good.org^", "||ads.other.net^", "! comment"],
        "excl": ["! a comment is not an entry", "", "*tracker*"],
        "incl": ["/^\\|\\|ADS/"],
    }
    source = SourceConfig(source="list", exclusions=("other.net",), exclusions_sources=("excl",))
    top = CompileConfig(name="x", sources=(source,), inclusions_sources=("incl",))
    result = compile_config(top, DictLoader(files))
    assert _body(result) == ["||ads.example.org^"]
    scopes = [(s.scope, s.name, s.lines_in, s.lines_out) for s in result.transformations]
    assert scopes == [("source:0", "Exclusions", 5, 3), ("top", "Inclusions", 6, 1)]


def test_statistics_cache_key_and_events() -> None:
    events: list[tuple[str, dict]] = []
    config = CompileConfig(
        name="x",
        sources=(SourceConfig(source="a", name="A", transformations=("Deduplicate",)), SourceConfig(source="b")),
        transformations=("RemoveComments", "Validate"),
    )
    files = {"a": ["||a.com^", "||a.com^", "||org^"], "b": ["! c", "0.0.0.0 b.com", ""]}
    result = compile_config(config, DictLoader(files), on_event=lambda kind, fields: events.append((kind, fields)))
    body = _body(result)
    assert body == ["||a.com^", "0.0.0.0 b.com", ""]
    assert result.rule_count == 2
    assert result.cache_key == hashlib.sha256("\n".join(body).encode()).hexdigest()
    assert [(s.source, s.downloaded_lines, s.lines_after_transformations, s.etag) for s in result.sources] == [
        ("a", 3, 2, "etag-a"), ("b", 3, 3, "etag-b"),
    ]
    assert [(s.scope, s.name) for s in result.transformations] == [
        ("source:0", "Deduplicate"), ("top", "RemoveComments"), ("top", "Validate"),
    ]
    kinds = [kind for kind, _ in events]
    assert kinds[:4] == ["source_fetch_started", "transformation_started", "transformation_completed",
                         "source_fetch_completed"]
    assert kinds[-1] == "compile_completed"
    assert events[3][1] == {"source": "a", "name": "A", "lines": 3, "rule_count": 2}
    completed = dict(events[2][1])
    assert completed.pop("seconds") >= 0
    assert completed == {"scope": "source:0", "name": "Deduplicate", "lines_in": 3, "lines_out": 2}
    assert events[-1][1]["cache_key"] == result.cache_key and events[-1][1]["rule_count"] == 2


def test_same_rules_same_cache_key_whatever_the_time() -> None:
    config = CompileConfig(name="x", sources=(SourceConfig(source="a"),))
    loader = DictLoader({"a": ["||a.com^"]})
    first, second = compile_config(config, loader), compile_config(config, loader)
    assert first.cache_key == second.cache_key


def test_validation_transformations_cannot_be_combined() -> None:
    config = CompileConfig(name="x", sources=(SourceConfig(source="a"),),
                           transformations=("ValidateAllowIp", "Deduplicate", "Validate"))
    with pytest.raises(CompileError) as excinfo:
        compile_config(config, DictLoader({"a": []}))
    assert str(excinfo.value) == "transformations: Validation transformations cannot be combined: Validate, ValidateAllowIp."


def test_validation_at_top_and_source_level_is_refused_before_any_download() -> None:
    loader = DictLoader({"a": [], "b": []})
    config = CompileConfig(
        name="x",
        sources=(SourceConfig(source="a"), SourceConfig(source="b", transformations=("ValidateAllowIp",))),
        transformations=("Validate",),
    )
    with pytest.raises(BloqrError, match=r"^sources\[1\]\.transformations: Validation transformations cannot be "
                                          r"used at both source and top level"):
        compile_config(config, loader)
    assert loader.loaded == []


def test_unknown_transformation_is_refused() -> None:
    config = CompileConfig(name="x", sources=(SourceConfig(source="a", transformations=("Compres",)),))
    with pytest.raises(BloqrError, match=r"^sources\[0\]\.transformations: unknown transformation 'Compres'"):
        compile_config(config, DictLoader({"a": []}))


def test_quick_list_transformations_are_the_reference_cli_ones() -> None:
    assert QUICK_LIST_TRANSFORMATIONS == (
        "RemoveComments", "Deduplicate", "Compress", "Validate", "TrimLines", "InsertFinalNewLine",
    )


def test_compiles_local_files_through_the_source_loader(tmp_path: Path) -> None:
    (tmp_path / "hosts.txt").write_text("# hosts\n0.0.0.0 ads.example.org\n0.0.0.0 example.org\n\n0.0.0.0 co.uk\n")
    (tmp_path / "rules.txt").write_text("! rules\r\n||tracker.example.net^\r\n||tracker.example.net^$important\r\n")
    config = CompileConfig(
        name="local",
        sources=(SourceConfig(source="hosts.txt", name="Hosts"), SourceConfig(source="rules.txt")),
        transformations=QUICK_LIST_TRANSFORMATIONS,
    )
    with SourceLoader(tmp_path) as loader:
        result = compile_config(config, loader)
    assert _body(result) == ["||example.org^", "||tracker.example.net^", "||tracker.example.net^$important", ""]
    assert result.sources[0].downloaded_lines == 4  # blank lines disappear at download time
