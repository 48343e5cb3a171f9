"""The filter-list compiler: hostlist-compiler 2.1.1's pipeline, with linear-time transformations.

For each source, in order: load (download + pre-process, by the loader) -> exclusions -> inclusions ->
the source's transformations in the fixed order; then the sources are concatenated, each behind its
`! Source` header, the top-level exclusions/inclusions/transformations run over the whole list (source
headers included, like the reference), and the main header goes on top.

This module imports nothing heavy: compiling local files needs only the standard library (and
`idna` when ConvertToAscii meets a non-ASCII line).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

from bloqr_dagster import __version__
from bloqr_dagster.errors import BloqrError
from bloqr_dagster.filterlists.model import (
    TRANSFORMATIONS,
    VALIDATE_TRANSFORMATIONS,
    CompileConfig,
    CompileResult,
    EventCallback,
    FilterSettings,
    LoadedSource,
    SourceConfig,
    SourceStats,
    TransformStats,
)
from bloqr_dagster.filterlists.transformations import TRANSFORMATION_FUNCTIONS
from bloqr_dagster.filterlists.transformations.basic import count_compiled_rules
from bloqr_dagster.filterlists.wildcard import prepare_wildcards

__all__ = [
    "QUICK_LIST_TRANSFORMATIONS",
    "CompileError",
    "SourceLoaderProtocol",
    "check_configuration",
    "check_validation_combination",
    "compile_config",
    "count_compiled_rules",
    "main_header",
    "source_header",
    "transform",
]

# What `hostlist-compiler -i FILE` applies (its CLI quick-list mode).
QUICK_LIST_TRANSFORMATIONS: tuple[str, ...] = (
    "RemoveComments",
    "Deduplicate",
    "Compress",
    "Validate",
    "TrimLines",
    "InsertFinalNewLine",
)
COMPILER_NAME = "bloqr_dagster"


class SourceLoaderProtocol(Protocol):
    """What the compiler needs from a loader (sources.SourceLoader implements it)."""

    def load(self, source: str, *, name: str | None = None) -> LoadedSource:
        """The source downloaded and pre-processed (`!#if`, `!#include`), split into lines."""
        ...

    def load_entries(self, source: str) -> list[str]:
        """Lines of an exclusions_sources/inclusions_sources file: non-empty, non-comment lines."""
        ...


class CompileError(BloqrError):
    """A configuration the reference compiler would also refuse."""


def check_validation_combination(transformations: Sequence[str], field: str = "transformations") -> None:
    chosen = [name for name in TRANSFORMATIONS if name in VALIDATE_TRANSFORMATIONS and name in transformations]
    if len(chosen) > 1:
        raise CompileError(f"{field}: Validation transformations cannot be combined: {', '.join(chosen)}.")


def check_configuration(config: CompileConfig) -> None:
    """The reference's runtime checks: known names, one Validate* per list, not at both levels."""
    lists = [("transformations", config.transformations)] + [
        (f"sources[{i}].transformations", source.transformations) for i, source in enumerate(config.sources)
    ]
    for field, names in lists:
        for name in names:
            if name not in TRANSFORMATION_FUNCTIONS:
                raise CompileError(f"{field}: unknown transformation {name!r}")
        check_validation_combination(names, field)
    top = [name for name in TRANSFORMATIONS if name in VALIDATE_TRANSFORMATIONS and name in config.transformations]
    if not top:
        return
    for i, source in enumerate(config.sources):
        own = [n for n in TRANSFORMATIONS if n in VALIDATE_TRANSFORMATIONS and n in source.transformations]
        if own:
            raise CompileError(
                f"sources[{i}].transformations: Validation transformations cannot be used at both source "
                f"and top level: source {source.source!r} uses [{', '.join(own)}], the top level uses "
                f"[{', '.join(top)}]"
            )


class _Run:
    """Bookkeeping of one compile: step statistics and events."""

    def __init__(self, loader: SourceLoaderProtocol, on_event: EventCallback | None) -> None:
        self.loader = loader
        self.on_event = on_event
        self.steps: list[TransformStats] = []

    def emit(self, kind: str, **fields: Any) -> None:
        if self.on_event is not None:
            self.on_event(kind, fields)

    def step(self, scope: str, name: str, lines: list[str], apply: Callable[[list[str]], list[str]]) -> list[str]:
        self.emit("transformation_started", scope=scope, name=name, lines_in=len(lines))
        started = time.perf_counter()
        out = apply(lines)
        seconds = time.perf_counter() - started
        self.steps.append(TransformStats(scope, name, seconds, len(lines), len(out)))
        self.emit(
            "transformation_completed",
            scope=scope,
            name=name,
            lines_in=len(lines),
            lines_out=len(out),
            seconds=seconds,
        )
        return out

    def transform(self, lines: list[str], settings: FilterSettings, scope: str) -> list[str]:
        check_validation_combination(settings.transformations, _field(scope))
        for kind, inline, sources in (
            ("Exclusions", settings.exclusions, settings.exclusions_sources),
            ("Inclusions", settings.inclusions, settings.inclusions_sources),
        ):
            if not inline and not sources:
                continue
            entries = list(inline)
            for source in sources:
                entries.extend(self.loader.load_entries(source))
            matcher = prepare_wildcards(entries, field=_field(scope, kind.lower()))
            if not len(matcher):
                continue
            keep_matching = kind == "Inclusions"
            lines = self.step(
                scope, kind, lines, lambda ls, m=matcher, k=keep_matching: [x for x in ls if m.matches(x) is k]
            )
        for name in TRANSFORMATIONS:
            if name in settings.transformations:
                lines = self.step(scope, name, lines, TRANSFORMATION_FUNCTIONS[name])
        return lines


def _field(scope: str, key: str = "transformations") -> str:
    return key if scope == "top" else f"sources[{scope.split(':', 1)[1]}].{key}"


def transform(
    lines: list[str],
    settings: FilterSettings,
    loader: SourceLoaderProtocol,
    *,
    scope: str = "top",
    on_event: EventCallback | None = None,
) -> list[str]:
    """Exclusions, inclusions, then the settings' transformations in the fixed order."""
    return _Run(loader, on_event).transform(list(lines), settings, scope)


def source_header(source: SourceConfig) -> list[str]:
    header = ["!"]
    if source.name:
        header.append(f"! Source name: {source.name}")
    header += [f"! Source: {source.source}", "!"]
    return header


def iso_timestamp(moment: datetime | None = None) -> str:
    """JavaScript's `Date.prototype.toISOString()` format: UTC, milliseconds, `Z`."""
    moment = (moment or datetime.now(UTC)).astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def main_header(config: CompileConfig, moment: datetime | None = None) -> list[str]:
    header = ["!", f"! Title: {config.name}"]
    for label, value in (
        ("Description", config.description),
        ("Version", config.version),
        ("Homepage", config.homepage),
        ("License", config.license),
    ):
        if value:
            header.append(f"! {label}: {value}")
    header += [f"! Last modified: {iso_timestamp(moment)}", "!", f"! Compiled by {COMPILER_NAME} {__version__}", "!"]
    return header


def compile_config(
    config: CompileConfig,
    loader: SourceLoaderProtocol,
    *,
    on_event: EventCallback | None = None,
) -> CompileResult:
    """Compile `config` like `hostlist-compiler -c`, returning the lines the reference would write."""
    started = time.perf_counter()
    check_configuration(config)
    run = _Run(loader, on_event)
    combined: list[str] = []
    source_stats: list[SourceStats] = []
    for index, source in enumerate(config.sources):
        source_started = time.perf_counter()
        run.emit("source_fetch_started", source=source.source, name=source.name)
        loaded = loader.load(source.source, name=source.name)
        rules = run.transform(list(loaded.lines), source, f"source:{index}")
        if on_event is not None:
            run.emit(
                "source_fetch_completed",
                source=source.source,
                name=source.name,
                lines=len(loaded.lines),
                rule_count=count_compiled_rules(rules),
            )
        source_stats.append(
            SourceStats(
                name=source.name,
                source=source.source,
                downloaded_lines=len(loaded.lines),
                lines_after_transformations=len(rules),
                replaced_chars=loaded.replaced_chars,
                not_modified=loaded.not_modified,
                etag=loaded.etag,
                last_modified=loaded.last_modified,
                seconds=time.perf_counter() - source_started,
            )
        )
        combined += source_header(source)
        combined += rules
    body = run.transform(combined, config, "top")
    header = main_header(config)
    cache_key = hashlib.sha256("\n".join(body).encode("utf-8")).hexdigest()
    rule_count = count_compiled_rules(body)
    seconds = time.perf_counter() - started
    run.emit("compile_completed", rule_count=rule_count, cache_key=cache_key, seconds=seconds)
    return CompileResult(
        lines=header + body,
        header_lines=len(header),
        rule_count=rule_count,
        cache_key=cache_key,
        sources=source_stats,
        transformations=run.steps,
        seconds=seconds,
    )
