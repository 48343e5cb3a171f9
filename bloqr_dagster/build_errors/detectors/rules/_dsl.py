"""Helpers to declare rules compactly, and masks several tool families share."""

from __future__ import annotations

import re

from bloqr_dagster.build_errors.detectors.model import RANK_STAGE_SUMMARY, Cause, Mask, Rule


def rule(
    name: str,
    error_code: str,
    pattern: str,
    *keywords: str,
    priority: int = 50,
    tool: str | None = None,
    masks: tuple[Mask, ...] = (),
    group: str | None = None,
    causes: tuple[Cause, ...] = (),
    lookahead: int = 0,
    ignore: bool = False,
    rank: int | None = None,
    relative: str = "",
    summary: bool = False,
    flags: int = 0,
) -> Rule:
    """A built-in rule; the rule set checks at load that every branch of `pattern` holds a keyword."""
    if not keywords:
        raise ValueError(f"rule {name}: needs at least one keyword for the prefilter")
    if summary and rank is None:
        rank = RANK_STAGE_SUMMARY
    return Rule(
        name=name, error_code=error_code, pattern=re.compile(pattern, flags),
        keywords=tuple(k.lower() for k in keywords), priority=priority, tool=tool, masks=masks,
        group=group, causes=causes, lookahead=lookahead, ignore=ignore, rank=rank, relative=relative,
        summary=summary,
    )


def cause(pattern: str, error_code: str, priority: int, flags: int = 0) -> Cause:
    return Cause(re.compile(pattern, flags), error_code, priority)


def mask(pattern: str, repl: str, flags: int = 0) -> Mask:
    return (re.compile(pattern, flags), repl)


def quoted_after(words: str, placeholder: str, quote: str = "[\"'`]") -> Mask:
    """Mask the quoted value after one of `words`: `module 'x'` -> `module '<MODULE>'`."""
    return mask(rf"((?:{words})\s+)({quote})(?:(?!\2).)*(?:\2|$)", rf"\1\2{placeholder}\2")


QUOTED_MODULE = quoted_after("resolve|module|package|import of|import|from|imported from|in", "<MODULE>")
