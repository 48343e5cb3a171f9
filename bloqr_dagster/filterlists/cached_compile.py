"""Compile a configuration unless the compiled cache already holds its output.

A configuration is recompiled only when its fingerprint (every field, source URLs included) or the
content of one of its sources changed. Sources are downloaded first through an HttpFetcher with a
conditional-GET cache (an unchanged URL answers 304 and is not downloaded again); their hashes are
compared with the cache index; on a hit the compile is skipped, on a miss the compiler reuses the
already-downloaded bytes.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bloqr_dagster.filterlists.cache_store import CacheEntry, CompiledCache, SourceVersion
from bloqr_dagster.filterlists.fetch import FetchError, HttpFetcher
from bloqr_dagster.filterlists.model import CompileConfig, CompileResult, EventCallback, LoadedSource
from bloqr_dagster.filterlists.opener import open_source
from bloqr_dagster.filterlists.sources import SourceLoader


class RecordingLoader(SourceLoader):
    """A SourceLoader that loads each source once per compile and remembers what it loaded."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.loaded: dict[str, LoadedSource] = {}

    def load(self, source: str, *, name: str | None = None) -> LoadedSource:
        if source not in self.loaded:
            self.loaded[source] = super().load(source, name=name)
        return self.loaded[source]


def referenced_sources(config: CompileConfig) -> list[tuple[str, str | None]]:
    """(source, name) of every list a compile reads: sources and *_sources files, in order."""
    refs: list[tuple[str, str | None]] = []
    for src in config.sources:
        refs.append((src.source, src.name))
        refs += [(s, None) for s in (*src.exclusions_sources, *src.inclusions_sources)]
    refs += [(s, None) for s in (*config.exclusions_sources, *config.inclusions_sources)]
    seen: set[str] = set()
    return [r for r in refs if not (r[0] in seen or seen.add(r[0]))]


@dataclass
class CompileOutcome:
    config_name: str
    fingerprint: str
    cache_hit: bool
    versions: tuple[SourceVersion, ...]
    result: CompileResult | None = None  # set on a miss
    entry: CacheEntry | None = None  # the cached entry (a hit, or after store())
    sources_not_modified: int = 0
    load_seconds: float = 0.0
    compile_seconds: float = 0.0
    source_stats: list[dict[str, Any]] = field(default_factory=list)

    @property
    def rule_count(self) -> int:
        if self.entry is not None:
            return self.entry.rule_count
        return self.result.rule_count if self.result else 0

    @property
    def cache_key(self) -> str:
        if self.entry is not None:
            return self.entry.cache_key
        return self.result.cache_key if self.result else ""

    def summary(self) -> dict[str, Any]:
        return {"config_name": self.config_name, "fingerprint": self.fingerprint, "cache_hit": self.cache_hit,
                "rule_count": self.rule_count,
                "cache_key": self.cache_key, "sources_not_modified": self.sources_not_modified,
                "load_seconds": round(self.load_seconds, 3), "compile_seconds": round(self.compile_seconds, 3)}


@dataclass
class RawSource:
    """A source as downloaded (or read), before pre-processing."""

    source: str
    body: bytes
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()

    @property
    def self_contained(self) -> bool:
        """No `!#include` directive (they start a line): the bytes alone determine the lines."""
        body = self.body
        return not (body.startswith(b"!#include") or b"\n!#include" in body or b"\r!#include" in body)


def fetch_raw(source: str, base_dir: Path, http: HttpFetcher, *, confine: bool = False) -> RawSource | None:
    """Download a URL source (conditional GET) or read a local one. None when a local source cannot
    be read: the SourceLoader then reports the problem in its own words."""
    try:
        response = open_source(source, base_dir=base_dir, http=http, confine=confine)
    except FetchError:
        if source.lower().startswith(("http://", "https://")):
            raise
        return None
    return RawSource(source, response.body, response.etag, response.last_modified, response.not_modified)


def _unchanged_raw(entry: CacheEntry, raws: dict[str, RawSource], refs: list[tuple[str, str | None]]) -> bool:
    recorded = {v.source: v.raw_sha256 for v in entry.source_versions}
    if set(recorded) != {source for source, _ in refs}:
        return False
    for source, _ in refs:
        raw = raws.get(source)
        if raw is None or not raw.self_contained or recorded[source] != raw.sha256:
            return False
    return True


def compile_or_reuse(config: CompileConfig, cache: CompiledCache, *, base_dir: Path, http: HttpFetcher,
                     config_name: str | None = None, on_event: EventCallback | None = None,
                     force: bool = False, confine: bool = False) -> CompileOutcome:
    """Download the sources (conditional GET: 304 when unchanged), then reuse the cached output
    (a hit) or compile. A compiled result is not stored yet: call store(), so a failing store can
    be retried without compiling again.

    Fast path: when the configuration's fingerprint and every source's downloaded bytes equal
    what the cached entry was compiled from, nothing is pre-processed at all. Otherwise the
    sources are pre-processed (includes resolved) and compared again before compiling."""
    from bloqr_dagster.filterlists.compiler import compile_config, count_compiled_rules

    emit = on_event or (lambda kind, fields: None)
    name = config_name or config.name
    fingerprint = config.fingerprint()
    refs = referenced_sources(config)
    started = time.monotonic()
    raws: dict[str, RawSource] = {}
    for source, source_name in refs:
        emit("source_fetch_started", {"source": source, "name": source_name})
        raw = fetch_raw(source, base_dir, http, confine=confine)
        if raw is not None:
            raws[source] = raw
    not_modified = sum(r.not_modified for r in raws.values())
    entry = None if force else cache.latest(name)
    if entry is not None and entry.fingerprint == fingerprint and _unchanged_raw(entry, raws, refs):
        recorded = {v.source: v for v in entry.source_versions}
        for source, source_name in refs:
            emit("source_fetch_completed", {
                "source": source, "name": source_name, "bytes": len(raws[source].body),
                "not_modified": raws[source].not_modified, "changed": False,
                "rule_count": recorded[source].rule_count})
        return _hit(cache, entry, CompileOutcome(name, fingerprint, True, entry.source_versions,
                                                 sources_not_modified=not_modified,
                                                 load_seconds=time.monotonic() - started), emit)

    loader = RecordingLoader(base_dir, http=http, prefetched={s: r.body for s, r in raws.items()}, confine=confine)
    versions = []
    for source, source_name in refs:
        loaded = loader.load(source, name=source_name)
        raw = raws.get(source)
        if raw is not None:
            loaded.etag, loaded.last_modified, loaded.not_modified = raw.etag, raw.last_modified, raw.not_modified
        rules = count_compiled_rules(loaded.lines)
        emit("source_fetch_completed", {
            "source": source, "name": source_name, "bytes": loaded.size_bytes, "not_modified": loaded.not_modified,
            "lines": len(loaded.lines), "rule_count": rules})
        versions.append(SourceVersion.of(loaded, raw.sha256 if raw and raw.self_contained else None, rules))
    outcome = CompileOutcome(name, fingerprint, False, tuple(sorted(versions, key=lambda v: v.source)),
                             sources_not_modified=not_modified, load_seconds=time.monotonic() - started)
    entry = None if force else cache.lookup(name, fingerprint, outcome.versions)
    if entry is not None:
        return _hit(cache, entry, outcome, emit)
    started = time.monotonic()
    outcome.result = compile_config(config, loader, on_event=_compile_phase_events(on_event))
    outcome.compile_seconds = time.monotonic() - started
    return outcome


def _hit(cache: CompiledCache, entry: CacheEntry, outcome: CompileOutcome, emit: EventCallback) -> CompileOutcome:
    cache.record_hit(entry)
    outcome.cache_hit, outcome.entry = True, entry
    emit("cache_hit", {"config": outcome.config_name, "cache_key": entry.cache_key,
                       "rule_count": entry.rule_count})
    return outcome


def _compile_phase_events(on_event: EventCallback | None) -> EventCallback | None:
    """The sources were fetched (and reported) already; the compiler's own per-source events then
    describe the transformed source (rule counts after transformations), so they are renamed
    rather than reported as second fetches."""
    if on_event is None:
        return None

    def forward(kind: str, fields: dict[str, Any]) -> None:
        if kind == "source_fetch_started":
            return
        on_event("source_compiled" if kind == "source_fetch_completed" else kind, fields)

    return forward


def store(outcome: CompileOutcome, config: CompileConfig, cache: CompiledCache,
          on_event: EventCallback | None = None) -> CacheEntry:
    """Store a freshly compiled outcome (a hit is returned as is)."""
    if outcome.entry is not None:
        return outcome.entry
    assert outcome.result is not None
    outcome.entry = cache.store_result(config, outcome.result, outcome.config_name, outcome.versions)
    if on_event:
        on_event("cache_stored", {"config": outcome.config_name, "cache_key": outcome.entry.cache_key,
                                  "rule_count": outcome.entry.rule_count,
                                  "compressed_bytes": outcome.entry.compressed_bytes})
    return outcome.entry

