"""Data types of the detector engine: what a rule is, what a detection returns."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

# The taxonomy (shared/buildlogs/TAXONOMY.md) minus its negative class `not_an_error`.
CATEGORIES: tuple[str, ...] = (
    "wrangler_error", "module_not_found", "lockfile_out_of_sync", "dependency_install_failed",
    "node_version_mismatch", "python_version_error", "typescript_error", "build_command_failed",
    "lint_error", "deploy_command_failed", "build_output_missing", "missing_file",
    "command_not_found", "clone_failed", "network_error", "auth_error", "out_of_memory", "timeout",
    "platform_internal_error",
)

Mask = tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]  # (pattern, replacement) for re.sub

# Primary-selection weights (a rule's `rank`, or its priority): the hit of highest weight is a build's
# root cause, the earliest among equals.
RANK_CAUSE = 100  # names the cause (lockfile out of sync, missing module, auth, OOM)
# a universal error marker whose words name a cause (`OSError: Readme file does not exist`, `Error: connect
# ETIMEDOUT`): above the tools' errors that only say a step failed (uv's `× Failed to build x`, whose cause
# the build backend prints below it), under a rule that knows the format
RANK_GENERIC_CAUSE = 75
RANK_ERROR = 50  # a tool's specific error
RANK_GENERIC = 30  # a line with a universal error marker only (the general layer)
RANK_TOOL_SUMMARY = 20  # a tool says it failed (`ELIFECYCLE Command failed`, `exited with code 1`)
RANK_STAGE_SUMMARY = 5  # the platform says which stage failed; a build's primary only when nothing else is
# Hits in a segment of the log that was followed by another one (a step that finished) rank below every
# hit of the first failing segment (see context.py).
FINISHED_SEGMENT_PENALTY = 1000


@dataclass(frozen=True, slots=True)
class ErrorHit:
    line_no: int  # 1-based line number within the log
    error_code: str  # a taxonomy category (never "not_an_error")
    error_group: str  # normalised, privacy-masked message
    tool: str  # the program that printed the line
    sample_line: str  # the line without prefixes/ANSI, private values masked
    count: int = 1  # occurrences of this error (same category, group and tool) in the log


@dataclass(frozen=True, slots=True)
class Diagnosis:
    errors: tuple[ErrorHit, ...]  # one per distinct error, in log order of first occurrence
    primary: ErrorHit | None  # the root cause; None = no error line at all
    dropped: int = 0  # distinct errors beyond the per-log limit (counted, not listed)


@dataclass(frozen=True, slots=True)
class Cause:
    """A line shortly after a matched line that names the real cause (wrangler API failures)."""

    pattern: re.Pattern[str]
    error_code: str
    priority: int


@dataclass(frozen=True, slots=True)
class Rule:
    """One matcher: a regex over the cleaned line, gated by cheap lowercase keywords.

    Rules are tried highest priority first; the first whose regex matches decides the line. An
    `ignore` rule claims a line as noise (warnings, progress) so that no lower-priority rule fires
    on it. The weight of a hit for the primary selection is `rank`, else `priority` (RANK_*).
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
    # "" = the category is error_code. "stage": a tool's generic failure summary (ELIFECYCLE, `error
    # Command failed`) says a step failed, not which: the category of the stage the line is in.
    # "general": a universal error marker: the category the line's words, its tool or its stage give
    # (rules/general.py), error_code when none does.
    relative: str = ""
    # A CI platform's closing stage summary (`Failed: error occurred while running build command`,
    # `##[error]Process completed with exit code 1`): it marks its segment of the log as failed and
    # is a build's primary only when there is no other evidence (rank RANK_STAGE_SUMMARY).
    summary: bool = False
    origin: str = "built-in"  # or the user rules file that declared it
    description: str = ""  # shown by `bloqr rules check` (user rules)

    @property
    def weight(self) -> int:
        return self.priority if self.rank is None else self.rank


@dataclass(frozen=True, slots=True)
class Detector:
    """A tool family's rules (npm, wrangler, git, ...)."""

    name: str
    tool: str
    rules: tuple[Rule, ...]
    # A format several tools print (esbuild's `✘ [ERROR]` inside wrangler or vite, Node's `Error:`):
    # its lines are attributed to the tool running at that point when the line does not name one.
    shared: bool = False

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
