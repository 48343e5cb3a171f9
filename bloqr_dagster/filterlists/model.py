"""Data types shared by the configuration parser, the source loader, the compiler and its callers.

The configuration mirrors hostlist-compiler's JSON schema field for field (see config.py for the
parser and its validation). CompileResult is what every caller (CLI, Dagster assets, the isolated
step) gets back.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

# Names accepted in `transformations`, in the fixed order the compiler applies them.
TRANSFORMATIONS: tuple[str, ...] = (
    "ConvertToAscii",
    "TrimLines",
    "RemoveComments",
    "Compress",
    "RemoveModifiers",
    "InvertAllow",
    "Validate",
    "ValidateAllowIp",
    "ValidateAllowPublicSuffix",
    "ValidateAllowIpAndPublicSuffix",
    "Deduplicate",
    "RemoveEmptyLines",
    "InsertFinalNewLine",
)
VALIDATE_TRANSFORMATIONS = frozenset(
    {"Validate", "ValidateAllowIp", "ValidateAllowPublicSuffix", "ValidateAllowIpAndPublicSuffix"}
)


@dataclass(frozen=True)
class FilterSettings:
    """The fields a source and the top level have in common."""

    transformations: tuple[str, ...] = ()
    exclusions: tuple[str, ...] = ()
    exclusions_sources: tuple[str, ...] = ()
    inclusions: tuple[str, ...] = ()
    inclusions_sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class SourceConfig(FilterSettings):
    source: str = ""
    name: str | None = None
    type: str | None = None  # "adblock" | "hosts"; like the reference, only informative


@dataclass(frozen=True)
class CompileConfig(FilterSettings):
    name: str = ""
    sources: tuple[SourceConfig, ...] = ()
    description: str | None = None
    homepage: str | None = None
    license: str | None = None
    version: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The configuration as hostlist-compiler JSON (unset optional fields left out)."""
        return _drop_empty(asdict(self))

    def fingerprint(self) -> str:
        """SHA-256 over every field, nested ones included (source URLs, per-source lists)."""
        canonical = json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()


def _drop_empty(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_empty(v) for k, v in value.items() if v not in (None, (), [])}
    if isinstance(value, list | tuple):
        return [_drop_empty(v) for v in value]
    return value


@dataclass
class LoadedSource:
    """A source after download and pre-processing (`!#if`, `!#include`, split into lines)."""

    source: str  # as written in the configuration
    lines: list[str]
    replaced_chars: int = 0  # bytes that were not valid UTF-8, decoded as U+FFFD
    size_bytes: int = 0
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False  # served from the conditional-GET cache (HTTP 304)


@dataclass
class SourceStats:
    name: str | None
    source: str
    downloaded_lines: int
    lines_after_transformations: int
    replaced_chars: int = 0
    not_modified: bool = False
    etag: str | None = None
    last_modified: str | None = None
    seconds: float = 0.0


@dataclass
class TransformStats:
    scope: str  # "source:<index>" or "top"
    name: str  # a transformation name, or "Exclusions" / "Inclusions"
    seconds: float
    lines_in: int
    lines_out: int


@dataclass
class CompileResult:
    lines: list[str]  # header and rules, as the reference writes them (joined with "\n")
    header_lines: int  # how many leading lines are the main header
    rule_count: int  # non-comment, non-empty lines
    cache_key: str  # SHA-256 hex over the compiled rules (the lines after the main header)
    sources: list[SourceStats] = field(default_factory=list)
    transformations: list[TransformStats] = field(default_factory=list)
    seconds: float = 0.0

    def text(self) -> str:
        return "\n".join(self.lines)


# on_event(kind, fields): "source_fetch_started", "source_fetch_completed", "transformation_started",
# "transformation_completed", "compile_completed". Dagster runs log these as structured events.
EventCallback = Callable[[str, dict[str, Any]], None]
