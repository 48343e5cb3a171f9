"""Accuracy of the detectors on labelled lines and whole logs (the corpus format of corpus.py).

Each labelled line is diagnosed as a one-line log. `Figures` counts, per category: error lines,
right categories, detections, groups equal to the expected masked form (blank runs compare as
one); false positives on `not_an_error` lines; whole logs whose primary category and primary line are right. Used by
`benchmarks/detect_accuracy.py` (which prints them) and the corpus floor tests.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from bloqr_dagster.build_errors.detectors import corpus as corpus_mod
from bloqr_dagster.build_errors.detectors.engine import diagnose
from bloqr_dagster.build_errors.detectors.logfile import diagnose_file
from bloqr_dagster.build_errors.detectors.ruleset import RuleSet


@dataclass
class Figures:
    """Counts of one evaluation; `misses` names the items that were wrong (for the train split only)."""

    total: Counter = field(default_factory=Counter)  # error lines per category
    right: Counter = field(default_factory=Counter)
    detected: Counter = field(default_factory=Counter)
    groups: Counter = field(default_factory=Counter)  # right category and group == expected_group
    grouped: Counter = field(default_factory=Counter)  # right category with an expected_group to compare
    # groups equal once placeholder names are set aside (`<FILE>` vs `<PATH>`): how much of the groups
    # gap is the labels' naming rather than a value left unmasked or masked too much
    group_shapes: Counter = field(default_factory=Counter)
    negatives: int = 0
    false_pos: int = 0
    logs: int = 0
    primary_cat: int = 0
    primary_line: int = 0
    logs_with_line: int = 0
    misses: list[str] = field(default_factory=list)

    def rates(self) -> dict[str, float]:
        """The aggregate figures as fractions (0 when there is nothing to count)."""
        return {
            "category": ratio(sum(self.right.values()), sum(self.total.values())),
            "detection": ratio(sum(self.detected.values()), sum(self.total.values())),
            "false_positives": ratio(self.false_pos, self.negatives),
            "groups": ratio(sum(self.groups.values()), sum(self.grouped.values())),
            "group_shapes": ratio(sum(self.group_shapes.values()), sum(self.grouped.values())),
            "primary_category": ratio(self.primary_cat, self.logs),
            "primary_line": ratio(self.primary_line, self.logs_with_line),
        }


def evaluate(lines: list[corpus_mod.CorpusLine], logs: list[corpus_mod.CorpusLog], rules: RuleSet) -> Figures:
    f = Figures()
    for item in lines:
        errors = diagnose(item.line, rules).errors
        hit = errors[0] if errors else None
        if item.category == "not_an_error":
            f.negatives += 1
            f.false_pos += hit is not None
            if hit is not None:
                f.misses.append(f"FP   {item.id}: {hit.error_code:26} {item.line[:90]!r}")
            continue
        cat = item.category
        f.total[cat] += 1
        f.detected[cat] += hit is not None
        if hit is not None and hit.error_code == cat:
            f.right[cat] += 1
            if item.expected_group:
                f.grouped[cat] += 1
                f.groups[cat] += same_group(hit.error_group, item.expected_group)
                f.group_shapes[cat] += same_shape(hit.error_group, item.expected_group)
        else:
            got = hit.error_code if hit else "(not detected)"
            f.misses.append(f"MISS {item.id}: want {cat}, got {got}: {item.line[:90]!r}")
    for log in logs:
        primary = diagnose_file(log.path, rules).primary
        f.logs += 1
        f.primary_cat += primary is not None and primary.error_code == log.category
        if log.primary_line:
            f.logs_with_line += 1
            f.primary_line += primary is not None and primary.line_no == log.primary_line
        if primary is None or primary.error_code != log.category:
            got = f"{primary.error_code} line {primary.line_no}" if primary else "none"
            f.misses.append(f"LOG  {log.path.name}: want {log.category}, got {got}")
    return f


def same_group(got: str, expected: str) -> bool:
    """Groups compare with runs of blanks as one: column padding (eslint's, stylish tables) depends on
    the longest message beside a line, so it is layout, not part of the error's form."""
    return got.split() == expected.split()


_PLACEHOLDER = re.compile(r"<[A-Z][A-Z0-9_]*>")


def same_shape(got: str, expected: str) -> bool:
    """same_group with every placeholder's name set aside: masked in the same places."""
    return same_group(_PLACEHOLDER.sub("<>", got), _PLACEHOLDER.sub("<>", expected))


def ratio(a: int, b: int) -> float:
    return a / b if b else 0.0
