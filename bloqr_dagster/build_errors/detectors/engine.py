"""The detector engine: prefilter candidate lines, classify them, pick the primary error.

Per log: newlines are normalised, ANSI codes dropped, and one prefilter pass over the lowered
lines finds the few lines worth classifying. Each candidate line is cleaned (prefixes off,
capped at MAX_LINE_CHARS) and offered to the rules whose keywords it contains, highest
priority first; the first rule whose regex matches decides the line (an `ignore` rule claims
it as noise). The primary error is the hit of highest weight, earliest among equals, so a
specific cause beats the tool's summary. A CI platform's stage summary (`Failed: ...`) is
reported as an error line but is never the primary: a build with nothing else is uncategorised.

Speed: most lines of a build log were seen in earlier builds (platform banners, tool output, the
same error again), so what a line decides on its own is cached per raw line (_LineCache): a
repeated line costs a dict lookup, and only unseen lines go through the prefilter. What depends on
the rest of the log (the platform stage, a cause on a following line, whether wrangler ran) is
applied per occurrence, never cached."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from itertools import compress

from bloqr_dagster.build_errors.detectors import masking
from bloqr_dagster.build_errors.detectors.model import Diagnosis, ErrorHit, Rule
from bloqr_dagster.build_errors.detectors.prefilter import candidate_lines, minimal_keywords, trie_pattern
from bloqr_dagster.build_errors.detectors.registry import DETECTORS


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

# (pattern, tool, literals): the first pattern that matches names the tool. A pattern can only match a
# line holding one of its literals (or, for `None`, any line), so most lines skip most regexes.
_TOOL_HINTS: tuple[tuple[re.Pattern[str], str, tuple[str, ...] | None], ...] = (
    (re.compile(r"^(?:npm |\d+ (?:verb|info|http|sill|error) )"), "npm", None),
    (re.compile(r"ERR_PNPM_|^pnpm |\bELIFECYCLE\b"), "pnpm", ("ERR_PNPM_", "pnpm ", "ELIFECYCLE")),
    (re.compile(r"\bYN\d{4}\b|^(?:error|info|warning) \S"), "yarn", ("YN", "error ", "info ", "warning ")),
    (re.compile(r"\bcurl: \(\d+\)"), "curl", ("curl: (",)),
    (re.compile(r"\bfatal: |\bgit\b"), "git", ("fatal: ", "git")),
    (re.compile(r"\berror TS\d+"), "tsc", ("error TS",)),
    (re.compile(r"^Type error: "), "next", ("Type error: ",)),
    (re.compile(r"\[ERROR\]"), "wrangler", ("[ERROR]",)),
)


def _infer_tool(clean: str, default: str) -> str:
    for pattern, tool, literals in _TOOL_HINTS:
        if literals is not None and not any(map(clean.__contains__, literals)):
            continue
        if pattern.search(clean):
            return tool
    return "node" if default == "auto" else default


# Build logs repeat lines (platform banners, tool output, the same error in build after build), so the
# analysis of a line is cached twice: per cleaned message (one LRU) and per raw line (see _LineCache).
# Long lines bypass both caches to keep memory bounded.
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
    found = []
    m = search(low)
    while m is not None:  # overlapping scan: keywords may share characters
        found.append(m.group(0))
        m = search(low, m.start() + 1)
    rules = _C.rules
    for idx in _candidate_rules(tuple(found)):
        if rules[idx].pattern.search(clean) is not None:
            return idx
    return None


@lru_cache(maxsize=4096)
def _candidate_rules(found: tuple[str, ...]) -> tuple[int, ...]:
    """The rules worth trying on a line holding these keywords, in evaluation order."""
    return tuple(sorted({idx for keyword in found for idx in _C.rules_for[keyword]}))


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

# What a line decides, before its context (stage, following lines) is applied: False for a line that
# reports nothing, else (rule, error_group, sample_line, tool).
_Record = tuple[Rule, str, str, str]


def _record(raw: str) -> _Record | bool:
    """The decision on one raw (ANSI-free) line already known to hold a prefilter keyword."""
    clean = masking.clean_line(raw)
    if not clean:
        return False
    idx = _classify(clean)
    if idx is None:
        return False
    rule = _C.rules[idx]
    if rule.ignore:
        return False
    group, sample, tool = _render(idx, clean)
    return rule, group, sample, tool


class _LineCache:
    """Raw line -> _Record | False, so a repeated line costs one dict lookup instead of a regex scan.

    Two generations bound the memory: when the young one is full it becomes the old one, and a
    line found in the old one is copied back into the young one (an approximate LRU without per-hit
    bookkeeping).
    """

    def __init__(self, generation: int) -> None:
        self.generation = generation
        self.young: dict[str, _Record | bool] = {}
        self.old: dict[str, _Record | bool] = {}

    def lookup(self, lines: list[str]) -> list[_Record | bool]:
        """One decision per line: cached ones looked up, the rest worked out by one prefilter pass."""
        young = self.young
        decisions: list = list(map(young.get, lines))
        if None not in decisions:
            return decisions
        missing = [i for i, d in enumerate(decisions) if d is None]
        old_get = self.old.get
        unknown = []
        for i in missing:
            d = old_get(lines[i])
            if d is None:
                unknown.append(i)
                decisions[i] = False
            else:
                decisions[i] = d
        if unknown:
            # One prefilter pass over the unknown lines together, as over a log of just those lines.
            joined = "\n".join([lines[i] for i in unknown]).lower()
            for k in candidate_lines(joined, _C.prefilter):
                i = unknown[k]
                decisions[i] = _record(lines[i])
        young.update({line: decisions[i] for i in missing if len(line := lines[i]) <= _LINE_CACHE_MAX_CHARS})
        if len(young) >= self.generation:
            self.old = young
            self.young = {}
        return decisions

    def clear(self) -> None:
        self.young = {}
        self.old = {}


# At most 2 x 32,768 lines of <= 256 characters (~20 MB worst case, ~7 MB on typical logs whose lines
# average ~50 characters); longer lines are rare and seldom repeat.
_LINE_CACHE_MAX_CHARS = 256
_LINES = _LineCache(generation=32768)


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


@lru_cache(maxsize=1024)
def _cause_group(cause_line: str) -> str:
    """The group suffix a cause line adds (causes repeat build after build: `[code: 10000]`)."""
    return masking.scrub(masking.normalise(cause_line))


def _diagnose_split(lines: list[str], text: str) -> Diagnosis:
    """Diagnose `lines` (ANSI-free); `text` is them joined by newlines."""
    hits: list[ErrorHit] = []
    weights: list[int | None] = []
    lowered: str | None = None  # only stage-relative and esbuild hits need the whole lowered log
    stages: list[tuple[int, str]] | None = None
    decisions = _LINES.lookup(lines)
    for i in compress(range(len(decisions)), decisions):
        rule, group, sample, tool = decisions[i]
        code, weight = rule.error_code, rule.weight
        if rule.stage_relative:
            if stages is None:
                if lowered is None:
                    lowered = text.lower()
                stages = _stages(lowered)
            code = _stage_code(stages, i, code)
        if rule.causes:
            caused = _look_ahead(rule, lines, i)
            if caused is not None:
                code, weight, cause_line = caused
                group = f"{group} {_cause_group(cause_line)}"[: masking.MAX_GROUP_CHARS]
        if tool == "esbuild":
            if lowered is None:
                lowered = text.lower()
            if "wrangler" in lowered:
                tool = "wrangler"  # wrangler bundles with esbuild and prints its diagnostics
        hits.append(ErrorHit(i + 1, code, group, tool, sample))
        weights.append(None if rule.summary else weight)
    # The root cause: the highest weight, earliest among equals; platform summaries never qualify.
    causes = [k for k, w in enumerate(weights) if w is not None]
    primary = hits[max(causes, key=lambda k: (weights[k], -k))] if causes else None
    return Diagnosis(tuple(hits), primary)


def diagnose(text: str) -> Diagnosis:
    """Diagnose a whole log; lines are split on \\n, \\r\\n or \\r."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = masking.strip_ansi(text)
    return _diagnose_split(text.split("\n"), text)


def diagnose_bytes(data: bytes) -> Diagnosis:
    return diagnose(data.decode("utf-8", errors="replace"))


def diagnose_lines(lines: Iterable[str]) -> Diagnosis:
    """Diagnose a log given as lines (with or without line endings); line_no counts the items."""
    items = [masking.strip_ansi(line.rstrip("\r\n")) for line in lines]
    # An item must stay one line so that line_no matches the caller's numbering.
    items = [s.replace("\r", " ").replace("\n", " ") if ("\r" in s or "\n" in s) else s for s in items]
    return _diagnose_split(items, "\n".join(items))
