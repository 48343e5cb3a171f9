"""Candidate-line prefilter: one regex, built from every rule's keywords, over the lowered log.

Python's regex engine tries each alternative at each position, so a flat alternation of ~150
keywords runs at a few MB/s. Compiling the keywords into a character trie (shared prefixes
factored out) and dropping keywords that contain a shorter keyword makes one pass over the
whole log cheap; detectors then run only on the few lines it hits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable


def minimal_keywords(keywords: Iterable[str]) -> list[str]:
    """Drop every keyword that contains another one: the shorter one already finds its lines."""
    unique = sorted(set(keywords), key=len)
    kept: list[str] = []
    for kw in unique:
        if not any(k in kw for k in kept):
            kept.append(kw)
    return sorted(kept)


def trie_pattern(words: Iterable[str], longest: bool = False) -> str:
    """One regex matching any of `words`. By default it stops at the shortest word found at a position
    (enough to find a line); with `longest`, it prefers the longest word starting there."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        if "" in node and len(node) == 1:
            return ""
        alts = [re.escape(ch) + build(sub) for ch, sub in sorted(node.items()) if ch]
        if "" in node:
            if not longest:  # a keyword ends here: the longer continuations are not needed to find the line
                return ""
            return "(?:" + "|".join(alts) + "|)"  # continuations first, then the word that ends here
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return build(trie)


def compile_prefilter(keywords: Iterable[str]) -> re.Pattern[str]:
    return re.compile(trie_pattern(minimal_keywords(keywords)))


def candidate_lines(lowered: str, prefilter: re.Pattern[str]) -> list[int]:
    """0-based indexes of the lines of `lowered` (split on \\n) that contain a keyword."""
    out: list[int] = []
    search = prefilter.search
    find = lowered.find
    count = lowered.count
    pos = line = 0
    while True:
        m = search(lowered, pos)
        if m is None:
            return out
        start = m.start()
        line += count("\n", pos, start)
        out.append(line)
        end = find("\n", start)
        if end < 0:
            return out
        pos = end + 1
        line += 1
