"""Rules are checked when they load, and no rule can stall detection on a hostile line.

The sweep is a catastrophe detector, not a benchmark: a regex that backtracks catastrophically
takes minutes on a 4 KB line (the ESLint rules once did on a line of blanks); every rule here must
take far less than a second on every pathological line.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time

import pytest

from bloqr_dagster.build_errors.detectors import (
    DETECTORS,
    RuleSet,
    RuleSetError,
    UserRulesError,
    default_rules,
    diagnose,
    pathological,
)
from bloqr_dagster.build_errors.detectors.regex_analysis import (
    backtracking_risk,
    derive_keywords,
    split_branches,
    unreachable_branch,
)
from bloqr_dagster.build_errors.detectors.rules._dsl import rule
from bloqr_dagster.build_errors.detectors.user_rules import parse_user_rules

CATASTROPHE_S = 1.0  # per search on one line of at most 4 KB; a catastrophic one takes minutes


def test_every_builtin_branch_is_reachable_and_no_pattern_is_risky() -> None:
    rules = default_rules()  # building the rule set checks every branch; this names the offenders
    assert len(rules.rules) > 100
    for r in rules.rules:
        flags = r.pattern.flags & ~re.UNICODE
        assert unreachable_branch(r.pattern.pattern, flags, r.keywords) is None, r.name
        assert backtracking_risk(r.pattern.pattern, flags) is None, r.name


# Characters that open many positions of any log line: the prefilter's trie is tried wherever a keyword's
# first character occurs, so a keyword opening with one of these slows the scan of every line.
_COMMON_OPENERS = set(" \t.,:;-_'`{}()@0123456789")
# a tool's tag in parentheses (`(ts)`, svelte-check's `(js)`): `(` opens these only, which the trie then tries
_PAREN_OPENERS = ("(ts)", "(127)", "(via ", "(js)", "(svelte)", "(css)", "(scss)", "(sass)", "(less)", "(stylus)", "(postcss)")


def test_no_builtin_keyword_opens_with_a_character_common_in_logs() -> None:
    offenders = sorted({(r.name, kw) for r in default_rules().rules for kw in r.keywords
                        if kw[:1] in _COMMON_OPENERS and not kw.startswith(_PAREN_OPENERS)})
    assert not offenders, f"keywords opening with a common character (start them at a letter): {offenders}"


def test_a_dead_branch_fails_loading_with_one_line_naming_rule_and_branch() -> None:
    auth = rule("auth-codes", "auth_error", r"Authentication error|\[code: (?:10000|10042)\]", "authenticat",
                "code: 1000")
    with pytest.raises(RuleSetError) as err:
        RuleSet(DETECTORS, [auth])
    message = str(err.value)
    assert "\n" not in message
    assert "'auth-codes'" in message and "branch 2" in message and "[code: 10042]" in message


def test_unknown_category_and_duplicate_names_fail_loading() -> None:
    with pytest.raises(RuleSetError, match="unknown category 'nope'"):
        RuleSet(DETECTORS, [rule("x-1", "nope", r"boom", "boom")])
    with pytest.raises(RuleSetError, match="rule 'npm-auth': duplicate name"):
        RuleSet(DETECTORS, [rule("npm-auth", "auth_error", r"boom", "boom")])


@pytest.mark.parametrize(("pattern", "keywords", "dead"), [
    (r"npm (?:ERR!|error) code E\w+", ("npm err",), None),  # a keyword spanning text and an alternation
    (r"Command\s+failed", ("command failed",), 1),  # `\s+` may be a tab: the keyword is not guaranteed
    (r"Command failed|exit status \d+", ("command failed", "exit code"), 2),
    (r"(?i:TIMED OUT)|[Tt]ime limit", ("timed out", "time limit"), None),  # case folded, small classes expanded
    (r"FAIL +\S", ("fail ",), None),  # at least one blank follows
    (r"error: (?:GET \S+ - 404|Unexpected)", ("error: get", "error: unexpected"), None),
    (r"(?=.*quota)exceeded", ("quota",), None),  # a look-ahead's text is in the line too
])
def test_reachability_analysis(pattern: str, keywords: tuple[str, ...], dead: int | None) -> None:
    found = unreachable_branch(pattern, 0, keywords)
    assert (found[0] if found else None) == dead


def test_branches_split_at_the_top_level_only() -> None:
    assert split_branches(r"a(?:b|c)|[|]d|e\|f") == ["a(?:b|c)", "[|]d", r"e\|f"]
    assert split_branches(r"(?:x|y)") == ["x", "y"]
    assert derive_keywords(r"verdaccio\.corp: (?:ECONNREFUSED|503)|[Mm]irror down", 0) == (
        "verdaccio.corp: 503", "verdaccio.corp: econnrefused", "mirror down")
    assert "no literal text" in derive_keywords(r"\d+ errors?|x", 0)


@pytest.mark.parametrize("pattern", [
    r"(a+)+b", r"(\w+\s?)*$", r"(a|ab)*c", r"(a*)*x", r"^Line \d+:\s+.+\s{2,}[\w-]+$", r"\s*\s*\s*x",
    r"\S+: not found", r".*timeout",
])
def test_risky_shapes_are_detected(pattern: str) -> None:
    assert backtracking_risk(pattern) is not None


@pytest.mark.parametrize("pattern", [
    r"x(?:\s+\S+)+y", r"a(?:[\w.-]+/)+x", r"^Line \d+:\s++\S(?:.*?\S)?\s{2,}+[\w-]+$", r"error.*timeout",
    r"(?<![^\s:])[^\s:]+: not found", r"\bfoo\w+",
])
def test_safe_shapes_pass(pattern: str) -> None:
    assert backtracking_risk(pattern) is None


@pytest.mark.timeout(600)
def test_no_builtin_rule_backtracks_catastrophically_on_pathological_lines() -> None:
    rules = default_rules()
    worst = (0.0, "", "")
    for r in rules.rules:
        for line in pathological.lines(r.keywords):
            start = time.perf_counter()
            r.pattern.search(line)
            took = time.perf_counter() - start
            if took > worst[0]:
                worst = (took, r.name, line[:30])
    assert worst[0] < CATASTROPHE_S, worst


@pytest.mark.timeout(600)
def test_whole_engine_on_a_log_of_pathological_lines() -> None:
    """Every rule's gate keywords, masks, normalisation and scrub on thousands of hostile 4 KB lines."""
    keywords = tuple(sorted({k for r in default_rules().rules for k in r.keywords}))
    lines = pathological.lines(keywords[::6]) + pathological.lines()
    worst = 0.0
    for k in range(0, len(lines), 50):  # small logs, so that the slowest one is measured
        start = time.perf_counter()
        diagnose("\n".join(lines[k:k + 50]))
        worst = max(worst, time.perf_counter() - start)
    assert worst < 50 * CATASTROPHE_S


def test_user_rule_validator_rejects_a_catastrophic_rule_quickly() -> None:
    text = "rules:\n  - name: bad\n    category: network_error\n    pattern: '(\\w+\\s?)*ECONNRESET$'\n"
    start = time.perf_counter()
    with pytest.raises(UserRulesError, match=r"rules\[0\]\.pattern: catastrophic-backtracking risk"):
        parse_user_rules(text)
    assert time.perf_counter() - start < CATASTROPHE_S


def test_probe_flags_what_static_analysis_misses() -> None:
    # a back-reference hides a cubic shape from the static check; the probe times it (8x slower per doubling
    # of the line: over the budget well before 4 KB on any machine)
    risky = re.compile(r"^x(\s*)\s*\1y")
    assert backtracking_risk(risky.pattern) is None
    assert pathological.probe(risky, ("x",)) is not None
    assert pathological.probe(re.compile(r"^x\s+y"), ("x",)) is None



def test_normalising_an_unclosed_quoted_version_is_bounded() -> None:
    """Found by regex_analysis.backtracking_risk on the masking grammar (22 digits took seconds, 40 forever)
    until the quoted-range token became possessive."""
    code = ("from bloqr_dagster.build_errors.detectors import diagnose\n"
            "diagnose('npm error notarget No matching version found for x@\"' + '1' * 40)")
    subprocess.run([sys.executable, "-c", code], timeout=20, check=True)
