"""A compiled rule set: the built-in rules plus a user's own, validated, ordered and indexed.

Order: user rules first (a user's knowledge overrides the built-ins, a user's `not_an_error` rule
silences a false positive), then the built-ins, highest priority first; ties keep declaration
order. The prefilter is one trie regex over every keyword of a rule that reports something plus
the context markers' keywords (see prefilter.py, context.py).

Validation happens when a rule set is built, so a bad rule fails loading with one line naming
it: an unknown category, a duplicate name, or a branch of its regex that can match a line holding
none of its keywords (the prefilter would never offer it such a line: a dead branch).

Each rule set keeps its own caches (what a line decides depends on the rules): per cleaned message
(an LRU) and per raw line (_LineCache).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from bloqr_dagster.build_errors.detectors import context, masking
from bloqr_dagster.build_errors.detectors.model import CATEGORIES, RANK_GENERIC_CAUSE, Detector, Rule
from bloqr_dagster.build_errors.detectors.prefilter import candidate_lines, minimal_keywords, trie_pattern
from bloqr_dagster.build_errors.detectors.prefixes import annotation, message
from bloqr_dagster.build_errors.detectors.regex_analysis import unreachable_branch
from bloqr_dagster.build_errors.detectors.rules import general
from bloqr_dagster.build_errors.detectors.rules.esbuild import CANNOT_USE

_CACHE_LINES = 8192
_CACHE_MAX_CHARS = 512  # longer cleaned lines bypass the message caches
_LINE_CACHE_MAX_CHARS = 256  # longer raw lines bypass the raw-line cache
_LINE_CACHE_GENERATION = 32768

# esbuild's diagnostics, printed by every tool that bundles with it (wrangler, vite, astro, ...).
_ESBUILD_FORMAT = re.compile(r"^(?:✘|X|×) \[ERROR\]|^\S+:\d+:\d+: ERROR: ")
# esbuild's own diagnostics of the source it parses (syntax, JSX, loaders, target features): whoever
# drives esbuild, these say the code does not build. With no tool running and no stage known they are
# esbuild's; other `✘ [ERROR]` lines of an unknown context stay wrangler's (its config, API, limits).
_ESBUILD_SOURCE = re.compile(
    r"\[ERROR\] (?:Expected [^\n]{1,80}? but found |Unexpected \"|Unterminated |The character \"[^\"]{1,4}\" is not valid"
    r"|No loader is configured for |Transforming [^\n]{1,80}? to the configured target environment"
    r"|[^\n]{1,120}? is not (?:available|supported) in the configured target environment|Invalid assignment target"
    r"|The symbol \"[^\"]{1,200}\" has already been declared|Multiple exports with the same name|\[plugin [^\]]{1,80}\] "
    r"|The JSX syntax extension is not currently enabled|Top-level await is (?:not available|currently not supported)"
    rf"|{CANNOT_USE}"
    r"|Syntax error \"|Unexpected end of file|Expected \"[^\"]{1,10}\" to (?:terminate|go with)|Invalid binding pattern|Legacy octal |Private name \"[^\"]{1,80}\" must be declared"
    r"|Classes cannot contain more than one constructor|Class constructor cannot be |JSON does not support )")


class RuleSetError(ValueError):
    """A rule that cannot be loaded; the message is one line naming the rule (and branch)."""


def check_rule(rule: Rule) -> None:
    """Raise RuleSetError for an unknown category or a branch its keywords cannot reach."""
    codes = [rule.error_code, *(c.error_code for c in rule.causes)]
    for code in codes:
        if code not in CATEGORIES and not (rule.ignore and code == "not_an_error"):
            raise RuleSetError(f"rule {rule.name!r}: unknown category {code!r}")
    dead = unreachable_branch(rule.pattern.pattern, rule.pattern.flags & ~re.UNICODE, rule.keywords)
    if dead is not None:
        n, branch, witness = dead
        shown = branch if len(branch) <= 90 else branch[:87] + "..."
        raise RuleSetError(f"rule {rule.name!r}: branch {n} ({shown}) is unreachable: it can match a line holding "
                           f"none of the keywords {list(rule.keywords)}" + (f", e.g. {witness!r}" if witness else ""))


# What a line decides on its own (before the context of the log is applied): False for nothing, a
# context.Marker, or a hit: (rule index, category, tool, group, cleaned line, cause, command, activity, esbuild
# format: "" none, "source" a diagnostic of the parsed code, "bundle" any other, weight); category and tool
# are None when they depend on the context (engine.Scanner._in_context), cause/command/activity are what a
# general line's words say (rules/general.py), and weight ranks it for the primary error.
Record = tuple[int, str | None, str | None, str, str, str | None, str | None, str | None, str, int]


class RuleSet:
    def __init__(self, detectors: Iterable[Detector], user_rules: Sequence[Rule] = (), version: str = "") -> None:
        self.version = version
        entries: list[tuple[tuple[int, int, int], Rule, str, bool]] = []
        seen: set[str] = set()
        seq = 0
        for group, rules in ((0, [(r, r.tool or "user", False) for r in user_rules]),
                             (1, [(r, r.tool or d.tool, d.shared or (r.tool or d.tool) == "auto")
                                  for d in detectors for r in d.rules])):
            for r, tool, shared in rules:
                if r.name in seen:
                    raise RuleSetError(f"rule {r.name!r}: duplicate name")
                seen.add(r.name)
                check_rule(r)
                entries.append(((group, -r.priority, seq), r, tool, shared))
                seq += 1
        entries.sort(key=lambda e: e[0])
        self.rules: list[Rule] = [e[1] for e in entries]
        self.tools: list[str] = [e[2] for e in entries]
        self.shared: list[bool] = [e[3] for e in entries]
        self.user_count = len(user_rules)
        self.weights: list[int] = [r.weight for r in self.rules]
        self.special: frozenset[int] = frozenset(i for i, r in enumerate(self.rules) if r.summary or r.causes)
        # Candidate lines: those with a keyword of a rule that reports something, or of a context
        # marker. Noise rules need not find lines, they only veto lines found by others.
        self.prefilter = re.compile(trie_pattern(minimal_keywords(
            [kw for r in self.rules if not r.ignore for kw in r.keywords] + list(context.KEYWORDS))))
        # Within a candidate line, the keywords it holds select the rules worth running: an overlapping
        # scan finds the longest keyword starting at each position; the keywords that are prefixes of it
        # start there too (a keyword inside another one is found at its own position).
        rules_of: dict[str, set[int]] = {}
        for i, r in enumerate(self.rules):
            for kw in r.keywords:
                rules_of.setdefault(kw, set()).add(i)
        # every position where a keyword starts, in one pass (a lookahead match is empty, so findall moves on
        # by one character and overlapping keywords are all found)
        self.keywords = re.compile(f"(?=({trie_pattern(rules_of, longest=True)}))")
        self.rules_of: dict[str, frozenset[int]] = {
            kw: frozenset(i for j in range(1, len(kw) + 1) for i in rules_of.get(kw[:j], ())) for kw in rules_of}
        self.lines = _LineCache(self, _LINE_CACHE_GENERATION)
        self._classify_cached = lru_cache(maxsize=_CACHE_LINES)(self._classify_uncached)
        self._decide_cached = lru_cache(maxsize=_CACHE_LINES)(self._decide)
        self._candidates = lru_cache(maxsize=4096)(self._candidates_uncached)
        self._render_cached = lru_cache(maxsize=_CACHE_LINES)(self._render_uncached)

    # -- one line ------------------------------------------------------------------------------

    def classify(self, clean: str) -> int | None:
        """Index of the rule deciding this cleaned line (noise rules included), or None."""
        return self._classify_cached(clean) if len(clean) <= _CACHE_MAX_CHARS else self._classify_uncached(clean)

    def _classify_uncached(self, clean: str) -> int | None:
        found = self.keywords.findall(clean.lower())
        rules = self.rules
        for idx in self._candidates(tuple(found)):
            if rules[idx].pattern.search(clean) is not None:
                return idx
        return None

    def _candidates_uncached(self, found: tuple[str, ...]) -> tuple[int, ...]:
        """The rules worth trying on a line holding these keywords, in evaluation order."""
        return tuple(sorted(frozenset().union(*(self.rules_of[kw] for kw in found))))

    def render(self, idx: int, clean: str) -> str:
        """The error_group of a line decided by rule `idx` (its sample is made only when it is listed:
        `sample_of`, by the engine, for the first line of each distinct error of a log)."""
        if len(clean) <= _CACHE_MAX_CHARS:
            return self._render_cached(idx, clean)
        return self._render_uncached(idx, clean)

    def _render_uncached(self, idx: int, clean: str) -> str:
        rule = self.rules[idx]
        if rule.group is not None:
            return rule.group
        return group_of(masking.apply_masks(clean, rule.masks) if rule.masks else clean)

    def record(self, raw: str) -> Record | context.Marker | bool:
        """What one raw (ANSI-free) line decides on its own; the line holds a prefilter keyword.
        Lines that differ only in their timestamp prefix share one cached decision."""
        clean = message(raw)
        if not clean:
            return False
        decision = self._decide_cached(clean) if len(clean) <= _CACHE_MAX_CHARS else self._decide(clean)
        if decision.__class__ is not tuple and (marker := annotation(raw)) is not None:
            # The platform or logger marked the line an error though no rule knows its words: the marked
            # form decides (rules/ci.py's `##[error]` summary, the general `[ERROR]` marker).
            return self._decide(marker + clean)
        return decision

    def deciding(self, raw: str) -> tuple[int | None, str]:
        """(the rule that decides a raw line, or None; the text it decides on): `record`'s choice, for
        `bloqr rules check` to show which rule claims a line."""
        clean = message(raw)
        idx = self.classify(clean) if clean else None
        if (idx is None or self.rules[idx].ignore) and clean and (marker := annotation(raw)) is not None:
            marked = marker + clean
            if (again := self.classify(marked)) is not None:
                return again, marked
        return idx, clean

    def _decide(self, clean: str) -> Record | context.Marker | bool:
        idx = self.classify(clean)
        if idx is None or self.rules[idx].ignore:  # not an error line: maybe a stage marker or command echo
            return context.marker(clean) or False
        rule = self.rules[idx]
        group = self.render(idx, clean)
        tool = general.line_tool(clean)
        esbuild = ("source" if _ESBUILD_SOURCE.search(clean, 0, 400) else "bundle") if _ESBUILD_FORMAT.match(clean) else ""
        if tool is None and not esbuild and not self.shared[idx]:
            tool = self.tools[idx]
        if rule.relative == "general":
            cause = general.cause_category(clean)
            # a general line whose words name a cause outranks a tool's summary (an install named only by
            # its words is no cause)
            weight = self.weights[idx] if cause in (None, "dependency_install_failed") else RANK_GENERIC_CAUSE
            return (idx, None, tool, group, clean, cause, general.command_category(clean),
                    general.activity_category(clean), esbuild, weight)
        return (idx, None if rule.relative else rule.error_code, tool, group, clean, None, None, None, esbuild,
                self.weights[idx])

    def clear_caches(self) -> None:
        self.lines.clear()
        self._classify_cached.cache_clear()
        self._decide_cached.cache_clear()
        self._render_cached.cache_clear()


def sample_of(clean: str) -> str:
    """The privacy-safe sample_line of a cleaned line: made only for the lines a Diagnosis lists (the first of
    each distinct error of a log), so the repeats of an error in a log cost no scrub."""
    return _sample_cached(clean) if len(clean) <= _CACHE_MAX_CHARS else masking.sample(clean)


_sample_cached = lru_cache(maxsize=_CACHE_LINES)(masking.sample)


@lru_cache(maxsize=_CACHE_LINES)
def group_of(text: str) -> str:
    """The privacy-safe error group of a (rule-masked) message; masked messages (and the cause lines of
    wrangler's API errors) repeat across builds."""
    return masking.scrub(masking.normalise(text))


class _LineCache:
    """Raw line -> what it decides, so a repeated line costs one dict lookup instead of a regex scan.

    Two generations bound the memory: when the young one is full it becomes the old one, and a
    line found in the old one is copied back into the young one (an approximate LRU without per-hit
    bookkeeping). At most 2 x 32,768 lines of <= 256 characters (~20 MB worst case).
    """

    def __init__(self, rules: RuleSet, generation: int) -> None:
        self.rules = rules
        self.generation = generation
        self.young: dict[str, Record | context.Marker | bool] = {}
        self.old: dict[str, Record | context.Marker | bool] = {}

    def lookup(self, lines: list[str]) -> list:
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
            record = self.rules.record
            found = candidate_lines(joined, self.rules.prefilter)
            for k in found:
                i = unknown[k]
                decisions[i] = record(lines[i])
            if "> " in joined:
                # npm's script headers, which no keyword finds (context.SCRIPT_HEADER_RE): with no keyword no rule
                # can claim one, so what it says is its marker alone
                for k in set(candidate_lines(joined, context.SCRIPT_HEADER_RE)).difference(found):
                    i = unknown[k]
                    decisions[i] = context.script_header_marker(message(lines[i])) or False
        young.update({line: decisions[i] for i in missing if len(line := lines[i]) <= _LINE_CACHE_MAX_CHARS})
        if len(young) >= self.generation:
            self.old = young
            self.young = {}
        return decisions

    def clear(self) -> None:
        self.young = {}
        self.old = {}
