"""Data types of the detector engine: what a rule is, what a detection returns."""

from __future__ import annotations

import re
from dataclasses import dataclass

# The taxonomy (shared/buildlogs/TAXONOMY.md) minus its negative class `not_an_error`.
CATEGORIES: tuple[str, ...] = (
    "wrangler_error", "module_not_found", "lockfile_out_of_sync", "dependency_install_failed",
    "node_version_mismatch", "python_version_error", "typescript_error", "build_command_failed",
    "lint_error", "deploy_command_failed", "build_output_missing", "missing_file",
    "command_not_found", "clone_failed", "network_error", "auth_error", "out_of_memory", "timeout",
    "platform_internal_error",
)

Mask = tuple[re.Pattern[str], str]


@dataclass(frozen=True, slots=True)
class ErrorHit:
    line_no: int  # 1-based line number within the log
    error_code: str  # a taxonomy category (never "not_an_error")
    error_group: str  # normalised, privacy-masked message
    tool: str  # the program that printed the line
    sample_line: str  # the line without prefixes/ANSI, private values masked


@dataclass(frozen=True, slots=True)
class Diagnosis:
    errors: tuple[ErrorHit, ...]
    primary: ErrorHit | None  # the root cause; None = uncategorised


@dataclass(frozen=True, slots=True)
class Cause:
    """A line shortly after a matched line that names the real cause (wrangler API failures)."""

    pattern: re.Pattern[str]
    error_code: str
    priority: int


@dataclass(frozen=True, slots=True)
class Rule:
    """One matcher: a regex over the cleaned line, gated by cheap lowercase keywords.

    priority orders root causes: 100 = specific cause, 50-70 = specific build/tool error,
    20-40 = a tool's own failure summary, 10 = the platform's stage summary. An `ignore` rule
    claims a line as noise (warnings, progress) so that no lower-priority rule fires on it.
    """

    name: str
    error_code: str
    pattern: re.Pattern[str]
    keywords: tuple[str, ...]
    priority: int = 50
    tool: str | None = None  # overrides the detector's tool
    masks: tuple[Mask, ...] = ()  # applied before the generic normaliser
    group: str | None = None  # a fixed group, when the message has nothing variable worth keeping
    causes: tuple[Cause, ...] = ()
    lookahead: int = 0  # how many following lines `causes` may look at
    ignore: bool = False
    rank: int | None = None  # primary-selection weight when it differs from the evaluation order
    # A tool's generic failure summary (ELIFECYCLE, `error Command failed`, `Error: ...`) says a step
    # failed, not which: its category follows the platform stage the line is in, when known.
    stage_relative: bool = False
    # A CI platform's closing stage summary (`Failed: error occurred while running build command`,
    # `##[error]Process completed with exit code 1`): an error line with the stage's category, but
    # never a build's root cause. A build whose only hits are summaries is uncategorised.
    summary: bool = False

    @property
    def weight(self) -> int:
        return self.priority if self.rank is None else self.rank


@dataclass(frozen=True, slots=True)
class Detector:
    """A tool family's rules (npm, wrangler, git, ...)."""

    name: str
    tool: str
    rules: tuple[Rule, ...]

    @property
    def error_codes(self) -> tuple[str, ...]:
        codes: list[str] = []
        for r in self.rules:
            for code in (r.error_code, *(c.error_code for c in r.causes)):
                if not r.ignore and code not in codes:
                    codes.append(code)
        return tuple(codes)

    @property
    def matchers(self) -> tuple[Rule, ...]:
        return self.rules
