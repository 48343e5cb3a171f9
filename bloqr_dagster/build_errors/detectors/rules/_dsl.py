"""Helpers to declare rules compactly, and masks several tool families share."""

from __future__ import annotations

import re
from collections.abc import Callable

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


def mask(pattern: str, repl: str | Callable[[re.Match[str]], str], flags: int = 0) -> Mask:
    return (re.compile(pattern, flags), repl)


def quoted_after(words: str, placeholder: str, quote: str = "[\"'`]") -> Mask:
    """Mask the quoted value after one of `words`: `module 'x'` -> `module '<MODULE>'`."""
    return mask(rf"((?:{words})\s+)({quote})(?:(?!\2).)*(?:\2|$)", rf"\1\2{placeholder}\2")


def _package_spec(m: re.Match[str]) -> str:
    spec = m.group("spec").strip('"')
    if spec.startswith("npm:"):
        return "<PACKAGE>@npm:" + ("<RANGE>" if spec[4:5] in "^~<>=*" else "<VERSION>")
    if spec.startswith(("workspace:", "file:", "link:")):
        return "<PACKAGE>@<SPEC>"
    if m.group("spec").startswith('"'):
        return '<PACKAGE>@"<RANGE>"' if re.search(r"[\^~<>=*|x]|\s-\s", spec) else '<PACKAGE>@"<VERSION>"'
    return "<PACKAGE>@" + ("<RANGE>" if spec[:1] in "^~<>=*" else "<VERSION>")


# `name@1.2.3`, `@scope/name@^1.2`, `name@"^1.0"`, `name@npm:1.0` as the normaliser writes them, so that the
# group of a line that differs only in its package is known without normalising it again.
PACKAGE_SPEC = mask(r"""(?<![\w/.@-])(?:@[\w.-]+/)?[A-Za-z0-9][\w.-]*@(?P<spec>"[^"\s]*"|[^\s"',)]+)""", _package_spec)
# tsc's `src/a.ts(12,5): ` and `src/a.ts:12:5 - ` locations.
TS_LOCATION = mask(r"^\S+?(?:\(\d+,\d+\)(?=: )|:\d+:\d+(?= - ))",
                   lambda m: "<FILE>(<LINE>,<COL>)" if m.group().endswith(")") else "<FILE>:<LINE>:<COL>")

QUOTED_MODULE = quoted_after("resolve|module|package|import of|import|from|imported from|in", "<MODULE>")
