"""The detector engine: prefilter candidate lines, classify them, pick the primary error.

Per log: newlines are normalised, ANSI codes dropped, and one prefilter pass over the lowered
text finds the few lines worth classifying. Each candidate line is cleaned (prefixes off,
capped at MAX_LINE_CHARS) and offered to the rules whose keywords it contains, highest
priority first; the first rule whose regex matches decides the line (an `ignore` rule claims
it as noise). The primary error is the hit of highest weight, earliest among equals, so a
specific cause beats the tool's summary, which beats the platform's stage summary.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from bloqr_dagster.builds.detectors import masking
from bloqr_dagster.builds.detectors.model import Diagnosis, ErrorHit, Rule
from bloqr_dagster.builds.detectors.prefilter import candidate_lines, minimal_keywords, trie_pattern
from bloqr_dagster.builds.detectors.registry import DETECTORS


class _Compiled:
    """Rules flattened in evaluation order, indexed by keyword, plus the prefilter."""

    def __init__(self) -> None:
        order: list[tuple[int, int, Rule, str]] = []
        seq = 0
        for det in DETECTORS:
            for r in det.rules:
                order.append((-r.priority, seq, r, r.tool or det.tool))
                seq += 1
        order.sort(key=lambda t: (t[0], t[1]))
        self.rules: list[Rule] = [t[2] for t in order]
        self.tools: list[str] = [t[3] for t in order]
        # Candidate lines: those with a keyword of a rule that reports something. Noise (`ignore`)
        # rules need not find lines, they only veto lines found by others.
        self.prefilter = re.compile(trie_pattern(minimal_keywords(
            kw for r in self.rules if not r.ignore for kw in r.keywords)))
        # Within a candidate line, the keywords found select the only rules worth running: each
        # minimal keyword maps to the rules having a keyword that contains it.
        minimal = minimal_keywords(kw for r in self.rules for kw in r.keywords)
        self.keywords = re.compile(trie_pattern(minimal))
        self.rules_for: dict[str, tuple[int, ...]] = {
            m: tuple(i for i, r in enumerate(self.rules) if any(m in kw for kw in r.keywords)) for m in minimal
        }


_C = _Compiled()

_TOOL_HINTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(?:npm |\d+ (?:verb|info|http|sill|error) )"), "npm"),
    (re.compile(r"ERR_PNPM_|^pnpm |\bELIFECYCLE\b"), "pnpm"),
    (re.compile(r"\bYN\d{4}\b|^(?:error|info|warning) \S"), "yarn"),
    (re.compile(r"\bcurl: \(\d+\)"), "curl"),
    (re.compile(r"\bfatal: |\bgit\b"), "git"),
    (re.compile(r"\berror TS\d+"), "tsc"),
    (re.compile(r"^Type error: "), "next"),
    (re.compile(r"\[ERROR\]"), "wrangler"),
)


def _infer_tool(clean: str, default: str) -> str:
    for pattern, tool in _TOOL_HINTS:
        if pattern.search(clean):
            return tool
    return "node" if default == "auto" else default


# Build logs repeat lines (platform summaries, tool banners), so classification and rendering are
# cached per distinct short line; long lines bypass the caches to keep memory bounded.
_CACHE_LINES = 8192
_CACHE_MAX_CHARS = 512


def _classify(clean: str) -> int | None:
    return _classify_cached(clean) if len(clean) <= _CACHE_MAX_CHARS else _classify_uncached(clean)


def _render(idx: int, clean: str) -> tuple[str, str, str]:
    return _render_cached(idx, clean) if len(clean) <= _CACHE_MAX_CHARS else _render_uncached(idx, clean)


def _classify_uncached(clean: str) -> int | None:
    """Index of the rule deciding this cleaned line, or None."""
    low = clean.lower()
    search = _C.keywords.search
    candidates: set[int] = set()
    m = search(low)
    while m is not None:  # overlapping scan: keywords may share characters
        candidates.update(_C.rules_for[m.group(0)])
        m = search(low, m.start() + 1)
    for idx in sorted(candidates):
        if _C.rules[idx].pattern.search(clean) is not None:
            return idx
    return None


def _render_uncached(idx: int, clean: str) -> tuple[str, str, str]:
    """(error_group, sample_line, tool) of a line decided by rule `idx`."""
    rule = _C.rules[idx]
    if rule.group is not None:
        group = rule.group
    else:
        text = masking.apply_masks(clean, rule.masks) if rule.masks else clean
        group = masking.scrub(masking.normalise(text))
    return group, masking.sample(clean), _infer_tool(clean, _C.tools[idx])


_classify_cached = lru_cache(maxsize=_CACHE_LINES)(_classify_uncached)
_render_cached = lru_cache(maxsize=_CACHE_LINES)(_render_uncached)


# Platform lines that open a stage (Workers Builds / Pages), and the category a stage-relative
# summary takes inside it.
_STAGE_MARKERS: tuple[tuple[str, str], ...] = (
    ("installing project dependencies", "dependency_install_failed"),
    ("executing user build command", "build_command_failed"),
    ("executing user command", "build_command_failed"),
    ("executing user deploy command", "deploy_command_failed"),
)


def _stages(lowered: str) -> list[tuple[int, str]]:
    """(0-based line index, category) of every stage marker, in line order."""
    found = []
    for marker, code in _STAGE_MARKERS:
        pos = lowered.find(marker)
        while pos >= 0:
            found.append((lowered.count("\n", 0, pos), code))
            pos = lowered.find(marker, pos + 1)
    return sorted(found)


def _stage_code(stages: list[tuple[int, str]], line: int, default: str) -> str:
    code = default
    for start, stage_code in stages:
        if start > line:
            break
        code = stage_code
    return code


def _look_ahead(rule: Rule, lines: list[str], i: int) -> tuple[str, int, str] | None:
    """(error_code, weight, cleaned cause line) from the first following line naming a cause."""
    for j in range(i + 1, min(len(lines), i + 1 + rule.lookahead)):
        nxt = masking.clean_line(lines[j])
        if not nxt:
            continue
        for c in rule.causes:
            if c.pattern.search(nxt):
                return c.error_code, c.priority, nxt
    return None


def _diagnose_split(lines: list[str], lowered: str) -> Diagnosis:
    hits: list[ErrorHit] = []
    weights: list[int] = []
    wrangler_ran = "wrangler" in lowered
    stages: list[tuple[int, str]] | None = None
    for i in candidate_lines(lowered, _C.prefilter):
        clean = masking.clean_line(lines[i])
        if not clean:
            continue
        idx = _classify(clean)
        if idx is None:
            continue
        rule = _C.rules[idx]
        if rule.ignore:
            continue
        group, sample, tool = _render(idx, clean)
        code, weight = rule.error_code, rule.weight
        if rule.stage_relative:
            if stages is None:
                stages = _stages(lowered)
            code = _stage_code(stages, i, code)
        if rule.causes:
            caused = _look_ahead(rule, lines, i)
            if caused is not None:
                code, weight, cause_line = caused
                group = f"{group} {masking.scrub(masking.normalise(cause_line))}"[: masking.MAX_GROUP_CHARS]
        if tool == "esbuild" and wrangler_ran:
            tool = "wrangler"  # wrangler bundles with esbuild and prints its diagnostics
        hits.append(ErrorHit(i + 1, code, group, tool, sample))
        weights.append(weight)
    primary = None
    if hits:
        best = max(range(len(hits)), key=lambda k: (weights[k], -k))
        primary = hits[best]
    return Diagnosis(tuple(hits), primary)


def diagnose(text: str) -> Diagnosis:
    """Diagnose a whole log; lines are split on \\n, \\r\\n or \\r."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = masking.strip_ansi(text)
    return _diagnose_split(text.split("\n"), text.lower())


def diagnose_bytes(data: bytes) -> Diagnosis:
    return diagnose(data.decode("utf-8", errors="replace"))


def diagnose_lines(lines: Iterable[str]) -> Diagnosis:
    """Diagnose a log given as lines (with or without line endings); line_no counts the items."""
    items = [masking.strip_ansi(line.rstrip("\r\n")) for line in lines]
    # An item must stay one line so that line_no matches the caller's numbering.
    items = [s.replace("\r", " ").replace("\n", " ") if ("\r" in s or "\n" in s) else s for s in items]
    joined = "\n".join(items)
    return _diagnose_split(items, joined.lower())
