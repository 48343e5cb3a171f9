"""Compiling one configuration the way every filter-list op and asset does it: through the
conditional-GET fetcher and the compiled cache, with events in the run log and a time budget."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import dagster as dg

from bloqr_dagster.defs.filterlists.resources import FilterListsResource
from bloqr_dagster.defs.filterlists.runtime import within
from bloqr_dagster.errors import BloqrError
from bloqr_dagster.filterlists import cached_compile
from bloqr_dagster.filterlists.cached_compile import CompileOutcome
from bloqr_dagster.filterlists.compiler import CompileError
from bloqr_dagster.filterlists.config import ConfigError, parse_config
from bloqr_dagster.filterlists.model import CompileConfig

PERMANENT_ERRORS = (ConfigError, CompileError)  # retrying cannot fix these


def parse_or_fail(configuration: dict[str, Any], where: str = "configuration") -> CompileConfig:
    """parse_config, turning a bad configuration into a non-retryable step failure naming the field."""
    try:
        return parse_config(configuration)
    except BloqrError as exc:
        raise dg.Failure(description=f"{where}: {exc}", allow_retries=False) from None


def compile_cached(fl: FilterListsResource, config: CompileConfig, name: str, *,
                   on_event: Callable[[str, dict[str, Any]], None] | None = None, force: bool = False,
                   store: bool = True) -> CompileOutcome:
    """Load the sources (304s for unchanged URLs), then reuse the cached output or compile (and
    store, unless store=False). Raises BloqrError; the caller decides what is retryable."""

    def work() -> CompileOutcome:
        with fl.fetcher() as http:
            outcome = cached_compile.compile_or_reuse(config, fl.cache(), base_dir=fl.sources_dir, http=http,
                                                      config_name=name, on_event=on_event, force=force)
        if store:
            cached_compile.store(outcome, config, fl.cache(), on_event=on_event)
        return outcome

    return within(fl.compile_timeout, f"compile of {name!r}", work)


def as_step_failure(exc: BloqrError) -> dg.Failure:
    return dg.Failure(description=str(exc), allow_retries=not isinstance(exc, PERMANENT_ERRORS))


def compile_with_retries(fl: FilterListsResource, config: CompileConfig, name: str, *, retries: int,
                         base_delay: float, on_event: Callable[[str, dict[str, Any]], None] | None = None,
                         force: bool = False) -> CompileOutcome:
    """One configuration of a batch: transient (source) errors retried with exponential backoff,
    so a flaky list does not fail its whole chunk; configuration errors fail at once."""
    attempt = 0
    while True:
        try:
            return compile_cached(fl, config, name, on_event=on_event, force=force)
        except PERMANENT_ERRORS:
            raise
        except (BloqrError, dg.Failure):
            if attempt >= retries:
                raise
            time.sleep(base_delay * 2**attempt)
            attempt += 1


def outcome_metadata(outcome: CompileOutcome) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "config_name": outcome.config_name, "cache_hit": outcome.cache_hit, "rule_count": outcome.rule_count,
        "cache_key": outcome.cache_key, "fingerprint": outcome.fingerprint,
        "sources_not_modified": outcome.sources_not_modified,
        "load_seconds": round(outcome.load_seconds, 3), "compile_seconds": round(outcome.compile_seconds, 3),
    }
    if outcome.result is not None:
        rows = [f"| {s.name or ''} | {s.source} | {s.downloaded_lines} | {s.lines_after_transformations} | "
                f"{'yes' if s.not_modified else 'no'} |" for s in outcome.result.sources]
        meta["sources"] = dg.MetadataValue.md(
            "| name | source | downloaded lines | after transformations | 304 |\n|---|---|---:|---:|---|\n"
            + "\n".join(rows))
    return meta
