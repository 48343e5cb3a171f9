"""Pathological log lines: what an attacker who can print to a build log would feed a regex.

Used by the catastrophic-backtracking test sweep over every built-in rule and by `bloqr rules
check`, which probes a user's patterns with them before trusting them (regex_analysis catches the
known shapes statically; a probe catches what slips through, on growing line lengths so that a
blow-up shows early and small).
"""

from __future__ import annotations

import re
import time

from bloqr_dagster.build_errors.detectors import masking

FILLERS = (" ", "a", "-", "/", '"', "'", "(", "[", "\t", ":", "x ", "a/", "é")
MARKERS = ("error: ", "Error: ", "ERROR ", "npm ERR! ", "✘ [ERROR] ", "Line 1:5:", "1:2  error  ", "fatal: ",
           "Failed: ", "make: *** [", "YN0001: ", "ERR_PNPM_X ", "warning ", "sh: 1: ", "exited with code ")


def lines(keywords: tuple[str, ...] = (), length: int = masking.MAX_LINE_CHARS) -> list[str]:
    """Lines of `length` characters: long runs of one filler, repeated tokens, unclosed brackets and
    quotes, each opened by one of `keywords` (so that the prefilter offers it to their rule), or by
    common error markers when no keywords are given."""
    out = []
    for head in (tuple(k.strip() + " " for k in keywords if k.strip()) or MARKERS):
        for filler in FILLERS:
            body = filler * ((length - len(head)) // len(filler) + 1)
            out.append((head + body)[:length])
            out.append((head + body)[: length - 2] + "!x")  # a near-miss tail forces backtracking
        token = head.strip() + " "
        out.append((token * (length // len(token) + 1))[:length])
        out.append((head + (" " * 40 + "a") * (length // 41 + 1))[:length])
    return out


def probe(pattern: re.Pattern[str], keywords: tuple[str, ...], budget_s: float = 0.05) -> str | None:
    """Time `pattern.search` on pathological lines of growing length; a description of the first line
    that takes longer than `budget_s`, else None. Stops at the first slow length, so a pattern that
    backtracks cubically costs well under a second here instead of minutes on a real line."""
    length = 256
    while length <= masking.MAX_LINE_CHARS:
        for line in lines(keywords, length):
            start = time.perf_counter()
            pattern.search(line)
            took = time.perf_counter() - start
            if took > budget_s:
                shown = line[:24].encode("unicode_escape").decode()
                return f"{took * 1000:.0f} ms on a {length}-character line starting {shown!r}"
        length *= 2
    return None
