"""The detector engine: stream a log's lines, classify the few worth it, pick the primary error.

A log is read as batches of lines (`Scanner.feed`), so memory stays bounded for any log size.
Per batch, what each line decides on its own comes from the rule set's per-line cache, or from one
prefilter pass over the unseen lines that finds the few worth classifying (ruleset.py). What
depends on the rest of the log is applied per occurrence as the scan goes: the stage and the
command running (context.py markers), the tool of a line in a shared format, the category of a
stage-relative or general hit (rules/general.py), and a cause printed on a following line
(wrangler's API failures), looked for across batch boundaries.

Output stays bounded: an error repeated with the same category, group and tool is counted
(`ErrorHit.count`), not repeated, and at most MAX_ERRORS distinct errors are listed per log (the
rest are counted in `Diagnosis.dropped`; the primary is still chosen among all of them).

The primary error: the hit of highest weight (RANK_* in model.py), earliest among equals, after
hits outside the first failing segment of the log are ranked below those in it (a segment is a
step between two stage markers or command echoes; it failed when a platform summary says so, and
the last one failed anyway). A build whose only evidence is a platform's stage summary gets that
stage's category. A log without any error line has no primary.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import compress

from bloqr_dagster.build_errors.detectors import masking
from bloqr_dagster.build_errors.detectors.context import STAGE_CATEGORY, Marker
from bloqr_dagster.build_errors.detectors.model import (
    FINISHED_SEGMENT_PENALTY,
    Diagnosis,
    ErrorHit,
    Rule,
)
from bloqr_dagster.build_errors.detectors.prefixes import message
from bloqr_dagster.build_errors.detectors.rules.general import tool_category
from bloqr_dagster.build_errors.detectors.ruleset import RuleSet, group_of, sample_of

MAX_ERRORS = 1000  # distinct errors listed per log
BATCH_LINES = 8192  # lines per feed() when reading an iterable
MAX_RAW_LINE = 4 * masking.MAX_LINE_CHARS  # a line's head kept before cleaning (ANSI codes and prefixes)


class Scanner:
    """One log, fed in batches of lines (without line endings); `finish()` gives the Diagnosis."""

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        self.offset = 0  # lines fed so far
        self.stage: str | None = None
        self.tool: str | None = None  # the tool running (from command echoes and banners)
        self.segment = 0
        self.first_failed: int | None = None  # the first segment a platform summary says failed
        self.index: dict[tuple[str, str, str, int], int] = {}
        # per distinct error: [line_no, code, group, tool, sample, count, weight, segment]; a hit carries its
        # cleaned line instead of the sample until it is listed (the sample is made once per distinct error)
        self.entries: list[list] = []
        self.dropped = 0
        self.overflow_best: list | None = None  # the best hit among those not listed
        self.pending: list[tuple[Rule, int, list]] = []  # (rule, lines its look-ahead still covers, hit)
        self.deferred = False  # a pending hit was added after later ones

    def feed(self, lines: list[str]) -> None:
        """Scan the next lines of the log: without line ends and ANSI codes (diagnose* and logfile strip them)."""
        if self.pending:
            self._resolve_pending(lines)
        rules = self.rules
        decisions = rules.lines.lookup(lines)
        special = rules.special  # rules that are summaries or look ahead
        index, entries = self.index, self.entries
        base = self.offset
        for i in compress(range(len(decisions)), decisions):
            d = decisions[i]
            if d.__class__ is Marker:
                if d.stage is not None:
                    self.stage = d.stage
                if d.tool is not None:
                    self.tool = d.tool or None
                if d.segment:
                    self.segment += 1
                continue
            idx, code, tool, group, clean = d[:5]
            if tool is None or code is None:  # depends on where in the build the line is
                code, tool = self._in_context(d)
            if idx in special:
                rule = rules.rules[idx]
                hit = [base + i + 1, code, group, tool, clean, 1, rule.weight, self.segment]
                # a summary says its step failed; one above the first step with nothing before it is a
                # header (Vercel's and a UI's copy put the verdict first), not the step that failed
                if rule.summary and self.first_failed is None and (self.segment or self.entries):
                    self.first_failed = self.segment
                if rule.causes and self._look_ahead(rule, lines, i, hit):
                    continue  # the cause may be in the next batch: added when it is resolved
                self._add(hit)
                continue
            k = index.get((code, group, tool, self.segment))
            if k is not None:
                entries[k][5] += 1
            else:
                self._add([base + i + 1, code, group, tool, clean, 1, d[9], self.segment])
        self.offset += len(lines)

    def _in_context(self, d: tuple) -> tuple[str, str]:
        """(category, tool) of a hit whose category or tool depends on the stage and the running tool."""
        idx, code, tool, _, _, cause, command, activity, esbuild, _ = d
        rules = self.rules
        stage = self.stage
        if tool is None:
            if esbuild:
                tool = self.tool or ("esbuild" if stage in ("install", "build") or (stage is None and esbuild == "source")
                                     else "wrangler")
            else:  # a shared format
                tool = self.tool or (rules.tools[idx] if rules.tools[idx] != "auto" else "unknown")
        if code is None:
            rule = rules.rules[idx]
            if rule.relative == "stage":
                code = STAGE_CATEGORY[stage] if stage else rule.error_code
            else:
                code = (cause or command or tool_category(tool, stage)
                        or (STAGE_CATEGORY[stage] if stage else activity or rule.error_code))
        return code, tool

    def _add(self, hit: list) -> None:
        key = (hit[1], hit[2], hit[3], hit[7])
        k = self.index.get(key)
        if k is not None:
            self.entries[k][5] += 1
        elif len(self.entries) < MAX_ERRORS:
            hit[4] = sample_of(hit[4])
            self.index[key] = len(self.entries)
            self.entries.append(hit)
        else:
            self.dropped += 1
            best = self.overflow_best
            if best is None or hit[6] > best[6]:
                self.overflow_best = hit

    def _look_ahead(self, rule: Rule, lines: list[str], i: int, hit: list) -> bool:
        """Apply a cause from the following lines; True when the window runs past this batch."""
        end = i + 1 + rule.lookahead
        if self._apply_cause(rule, lines[i + 1:end], hit):
            return False
        if end <= len(lines):
            return False
        self.pending.append((rule, end - len(lines), hit))
        return True

    def _resolve_pending(self, lines: list[str]) -> None:
        still = []
        for rule, remaining, hit in self.pending:
            if not self._apply_cause(rule, lines[:remaining], hit) and remaining > len(lines):
                still.append((rule, remaining - len(lines), hit))
                continue
            self.deferred = True
            self._add(hit)
        self.pending = still

    @staticmethod
    def _apply_cause(rule: Rule, following: list[str], hit: list) -> bool:
        for raw in following:
            nxt = message(raw)
            if not nxt:
                continue
            for c in rule.causes:
                if c.pattern.search(nxt):
                    hit[1], hit[6] = c.error_code, c.priority
                    hit[2] = f"{hit[2]} {group_of(nxt)}"[: masking.MAX_GROUP_CHARS]
                    return True
        return False

    def finish(self) -> Diagnosis:
        for _, _, hit in self.pending:  # windows that ran past the end of the log
            self.deferred = True
            self._add(hit)
        self.pending = []
        failing = self.segment if self.first_failed is None else self.first_failed

        def weight(e: list) -> tuple[int, int]:
            return e[6] - (0 if e[7] == failing else FINISHED_SEGMENT_PENALTY), -e[0]

        entries = self.entries
        if self.deferred:  # a hit whose cause was looked for in a later batch was added late
            entries.sort(key=lambda e: e[0])
        errors = tuple([ErrorHit(e[0], e[1], e[2], e[3], e[4], e[5]) for e in entries])
        if not entries:
            return Diagnosis(errors, None, self.dropped)
        best = max(range(len(entries)), key=lambda k: weight(entries[k]))
        primary = errors[best]
        over = self.overflow_best
        if over is not None and weight(over) > weight(entries[best]):
            primary = ErrorHit(over[0], over[1], over[2], over[3], sample_of(over[4]), over[5])
        return Diagnosis(errors, primary, self.dropped)


# -- entry points -----------------------------------------------------------------------------

_DEFAULT: RuleSet | None = None


def default_rules() -> RuleSet:
    """The built-in rule set (built once per process)."""
    global _DEFAULT
    if _DEFAULT is None:
        from bloqr_dagster.build_errors.detectors import RULES_VERSION
        from bloqr_dagster.build_errors.detectors.registry import DETECTORS

        _DEFAULT = RuleSet(DETECTORS, version=RULES_VERSION)
    return _DEFAULT


def _split(text: str) -> list[str]:
    """The lines of a log; a huge line keeps its head (the part the rules would examine, and more)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = masking.strip_ansi(text).split("\n")
    if len(text) > MAX_RAW_LINE and max(map(len, lines)) > MAX_RAW_LINE:
        lines = [line[:MAX_RAW_LINE] for line in lines]
    return lines


def diagnose(text: str, rules: RuleSet | None = None) -> Diagnosis:
    """Diagnose a whole log; lines are split on \\n, \\r\\n or \\r."""
    scanner = Scanner(rules or default_rules())
    lines = _split(text)
    for start in range(0, len(lines), BATCH_LINES):
        scanner.feed(lines[start:start + BATCH_LINES])
    return scanner.finish()


def diagnose_bytes(data: bytes, rules: RuleSet | None = None) -> Diagnosis:
    return diagnose(data.decode("utf-8", errors="replace"), rules)


def diagnose_lines(lines: Iterable[str], rules: RuleSet | None = None) -> Diagnosis:
    """Diagnose a log given as lines (with or without line endings); line_no counts the items.
    The iterable is consumed in batches, so a generator over a huge file stays in bounded memory."""
    scanner = Scanner(rules or default_rules())
    for batch in _batches(lines):
        scanner.feed(batch)
    return scanner.finish()


def _batches(lines: Iterable[str]) -> Iterator[list[str]]:
    batch: list[str] = []
    for line in lines:
        line = masking.strip_ansi(line.rstrip("\r\n"))
        if "\r" in line or "\n" in line:  # an item stays one line so that line_no matches the caller's
            line = line.replace("\r", " ").replace("\n", " ")
        batch.append(line)
        if len(batch) == BATCH_LINES:
            yield batch
            batch = []
    if batch:
        yield batch
