"""Static analysis of rule regexes: which keywords every match must contain, and backtracking risks.

The prefilter offers a line to a rule only when the lowered line holds one of the rule's keywords.
A top-level alternative (branch) of a rule's pattern is *reachable* when every line it can match
holds one of them. `unreachable_branch` proves that from the parsed pattern: a run of literal
items (with small alternations, optional parts and case-insensitive letters expanded into their
few spellings) must contain a keyword in every spelling, or a required group must. A branch that
cannot be proven is reported, so that a dead branch (`[code: 10042]` behind keywords that only
find `code: 1000`) fails loading instead of silently never firing.

`backtracking_risk` flags the two shapes that make Python's backtracking engine explode:
a repeated group whose iterations can split the same text in several ways (`(a+)+`, `(\\w+\\s?)*`,
`(a|ab)*`: exponential) and three or more unbounded repeats in a row whose characters overlap
(`\\s+.+\\s{2,}`: cubic, minutes on a 4 KB line of blanks). Possessive repeats and atomic groups
never backtrack and are exempt.
"""

from __future__ import annotations

import re
from re import _constants as C  # noqa: N812 - the parser's opcode names
from re import _parser as sre  # the standard library's own regex parser (stable across 3.11-3.13)
from typing import Any

_MAX_SPELLINGS = 64  # a literal run with more spellings than this is cut in two
_REPEATS = (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT)
# Characters standing for "any character" when comparing character sets: ASCII plus a few others.
_UNIVERSE = "".join(map(chr, range(9, 14))) + "".join(map(chr, range(32, 127))) + "\xa0é✘中"

Items = list[tuple[Any, Any]]


def split_branches(pattern: str) -> list[str]:
    """The top-level alternatives of a pattern's source; a pattern that is one group of alternatives
    (`(?:a|b)`) is opened."""
    parts, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            if pattern[i + 1:i + 2] == "^":
                i += 1
            if pattern[i + 1:i + 2] == "]":  # `[]...]`: a literal ] first
                i += 1
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    parts.append(pattern[start:])
    if len(parts) == 1:
        m = re.fullmatch(r"\(\?:(.*)\)", pattern, re.S)
        if m and _balanced(m.group(1)):
            inner = split_branches(m.group(1))
            if len(inner) > 1:
                return inner
    return parts


def _balanced(text: str) -> bool:
    try:
        sre.parse(text)
    except re.error:
        return False
    return True


def _parse(branch: str, flags: int) -> Items | None:
    try:
        return list(sre.parse(branch, flags))
    except re.error:
        return None  # e.g. a back-reference to a group of another branch


# ------------------------------------------------------------------------------------------------
# Keywords every match must contain


def _class_chars(av: list) -> frozenset[str] | None:
    """The lowercase characters of a small positive character class (`[Ee]`), else None."""
    chars: set[str] = set()
    for op, val in av:
        if op is C.LITERAL:
            chars.add(chr(val).lower())
        elif op is C.RANGE and val[1] - val[0] < 8:
            chars.update(chr(c).lower() for c in range(val[0], val[1] + 1))
        else:
            return None
    return frozenset(chars) if len(chars) <= 8 else None


def _spellings(items: Items) -> frozenset[str] | None:
    """Every lowercase string a sequence of literal-like items can match, or None (not finite/too many)."""
    out = {""}
    for op, av in items:
        s = _item_spellings(op, av)
        if s is None:
            return None
        out = {a + b for a in out for b in s}
        if len(out) > _MAX_SPELLINGS:
            return None
    return frozenset(out)


def _item_spellings(op: Any, av: Any) -> frozenset[str] | None:
    if op is C.LITERAL:
        return frozenset({chr(av).lower()})
    if op is C.IN:
        return _class_chars(av)
    if op is C.SUBPATTERN:
        return _spellings(av[3])
    if op is C.ATOMIC_GROUP:
        return _spellings(av)
    if op is C.BRANCH:
        out: set[str] = set()
        for alt in av[1]:
            s = _spellings(alt)
            if s is None:
                return None
            out |= s
        return frozenset(out) if len(out) <= _MAX_SPELLINGS else None
    if op in _REPEATS:
        lo, hi, body = av
        base = _spellings(body)
        if base is None or hi > 3:
            return None
        out, cur = set(), {""}
        for k in range(hi + 1):
            if k >= lo:
                out |= cur
            cur = {a + b for a in cur for b in base}
            if len(cur) > _MAX_SPELLINGS:
                return None
        return frozenset(out)
    if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
        return frozenset({""})  # zero-width; a positive look-around is examined on its own
    return None


def _runs(items: Items) -> tuple[list[frozenset[str]], list[tuple[Any, Any]]]:
    """The literal runs of a sequence (each as its set of spellings) and its other required items."""
    runs: list[frozenset[str]] = []
    others: list[tuple[Any, Any]] = []
    cur: set[str] = {""}
    for op, av in items:
        s = _item_spellings(op, av)
        if s is None and op in _REPEATS and av[0] >= 1:
            base = _spellings(av[2])
            if base is not None and len(base) <= 8:
                # `x+`: its first copies end the run before it, its last copy starts the run after it
                head = {a + b for a in cur for b in _power(base, av[0])}
                runs.append(frozenset(head) if len(head) <= _MAX_SPELLINGS else frozenset(cur))
                cur = set(base)
                continue
        if s is not None:
            nxt = {a + b for a in cur for b in s}
            if len(nxt) <= _MAX_SPELLINGS:
                cur = nxt
                if op is C.ASSERT:
                    others.append((op, av))
                continue
            runs.append(frozenset(cur))
            cur = set(s)
            continue
        runs.append(frozenset(cur))
        cur = {""}
        others.append((op, av))
    runs.append(frozenset(cur))
    return [r for r in runs if r != {""}], others


def _power(base: frozenset[str], n: int) -> set[str]:
    out = {""}
    for _ in range(min(n, 3)):
        out = {a + b for a in out for b in base}
    return out


def _required(op: Any, av: Any) -> list[Items]:
    """Sub-sequences an item always matches in full (all of them), for the recursive checks."""
    if op is C.SUBPATTERN:
        return [av[3]]
    if op is C.ATOMIC_GROUP:
        return [av]
    if op in _REPEATS and av[0] >= 1:
        return [av[2]]
    if op is C.ASSERT:  # a positive look-around: its text is in the line too
        return [av[1]]
    return []


def _guarantees(items: Items, keywords: tuple[str, ...], depth: int = 0) -> bool:
    """True when every string the sequence matches holds one of `keywords` (lowercased)."""
    items = _open_groups(items)
    runs, others = _runs(items)
    for run in runs:
        if all(any(k in s for k in keywords) for s in run):
            return True
    for op, av in others:
        if op is C.BRANCH:
            if all(_guarantees(alt, keywords, depth + 1) for alt in av[1]):
                return True
            continue
        if any(_guarantees(sub, keywords, depth + 1) for sub in _required(op, av)):
            return True
    # A keyword may span the text around an alternation (`error: (?:GET x|Unexpected)` and `error: get`):
    # put each alternative in its place and check the sequences that result.
    if depth < 4:
        for k, (op, av) in enumerate(items):
            if op is C.BRANCH and _item_spellings(op, av) is None and len(av[1]) <= 32:
                return all(_guarantees(items[:k] + list(alt) + items[k + 1:], keywords, depth + 1) for alt in av[1])
    return False


def _open_groups(items: Items) -> Items:
    """Plain groups (not repeated) opened into the sequence around them."""
    if not any(op is C.SUBPATTERN for op, _ in items):
        return list(items)
    out: Items = []
    for op, av in items:
        if op is C.SUBPATTERN:
            out.extend(_open_groups(av[3]))
        else:
            out.append((op, av))
    return out


def _witness(items: Items, keywords: tuple[str, ...]) -> str:
    """A spelling of the longest literal run that holds no keyword (to name the dead branch)."""
    best = ""
    for run in _runs(items)[0]:
        for s in sorted(run):
            if not any(k in s for k in keywords) and len(s.strip()) > len(best.strip()):
                best = s
    for op, av in _runs(items)[1]:
        subs = av[1] if op is C.BRANCH else _required(op, av)
        for sub in subs:
            w = _witness(sub, keywords)
            if len(w.strip()) > len(best.strip()):
                best = w
    return best.strip()


def unreachable_branch(pattern: str, flags: int, keywords: tuple[str, ...]) -> tuple[int, str, str] | None:
    """(1-based branch number, branch source, a literal it can match without a keyword) of the first
    branch that can match a line holding none of `keywords`; None when every branch is reachable."""
    keywords = tuple(k.lower() for k in keywords)
    whole = _parse(pattern, flags)
    if whole is not None and _guarantees(whole, keywords):
        return None  # the common case: one parse; the branches are looked at only to name a dead one
    branches = split_branches(pattern)
    for n, branch in enumerate(branches, 1):
        items = _parse(branch, flags)
        if items is None:
            items = _parse(pattern, flags)
            if items is None or _guarantees(items, keywords):
                return None
            return n, pattern, _witness(items, keywords)
        if not _guarantees(items, keywords):
            return n, branch, _witness(items, keywords)
    return None


def derive_keywords(pattern: str, flags: int, min_chars: int = 3) -> tuple[str, ...] | str:
    """Keywords that find every branch: per branch, the spellings of its longest literal run.
    Returns an error message instead when a branch has no literal of `min_chars` characters."""
    out: list[str] = []
    for n, branch in enumerate(split_branches(pattern), 1):
        items = _parse(branch, flags) or _parse(pattern, flags) or []
        best = _best_run(items)
        if best is None or min(len(s) for s in best) < min_chars:
            return f"branch {n} ({branch}) has no literal text of {min_chars}+ characters to find it by"
        out.extend(s for s in sorted(best) if s not in out)
    return tuple(out)


def _best_run(items: Items) -> frozenset[str] | None:
    """The run (set of spellings, at most 8) whose shortest spelling is longest, searching required groups."""
    runs, others = _runs(items)
    candidates = [r for r in runs if len(r) <= 8]
    for op, av in others:
        for sub in _required(op, av):
            r = _best_run(sub)
            if r is not None:
                candidates.append(r)
    if not candidates:
        return None
    return max(candidates, key=lambda r: min(len(s.strip()) for s in r))


# ------------------------------------------------------------------------------------------------
# Catastrophic backtracking


class _Shape:
    """What an item can match: the characters it may start with, end with and contain, whether it
    can be empty, whether its length varies, and whether it backtracks without bound."""

    __slots__ = ("first", "last", "chars", "nullable", "variable", "unbounded", "simple")

    def __init__(self, first: frozenset[str], last: frozenset[str], chars: frozenset[str], nullable: bool,
                 variable: bool, unbounded: bool, simple: bool = False) -> None:
        self.first, self.last, self.chars = first, last, chars
        self.nullable, self.variable, self.unbounded = nullable, variable, unbounded
        self.simple = simple  # an unbounded repeat of one character class (`\s+`, `.*`, `[^"]*`)


_EMPTY = frozenset()
_ZERO = _Shape(_EMPTY, _EMPTY, _EMPTY, True, False, False)


def _class_universe(av: list) -> frozenset[str]:
    negate = any(op is C.NEGATE for op, _ in av)
    probe = re.compile(_class_source(av))
    hits = frozenset(ch for ch in _UNIVERSE if probe.fullmatch(ch))
    return frozenset(_UNIVERSE) - hits if negate else hits


def _class_source(av: list) -> str:
    parts = []
    for op, val in av:
        if op is C.LITERAL:
            parts.append(re.escape(chr(val)))
        elif op is C.RANGE:
            parts.append(f"{re.escape(chr(val[0]))}-{re.escape(chr(val[1]))}")
        elif op is C.CATEGORY:
            parts.append({C.CATEGORY_DIGIT: r"\d", C.CATEGORY_NOT_DIGIT: r"\D", C.CATEGORY_SPACE: r"\s",
                          C.CATEGORY_NOT_SPACE: r"\S", C.CATEGORY_WORD: r"\w",
                          C.CATEGORY_NOT_WORD: r"\W"}.get(val, r"\w"))
    return "[" + "".join(parts) + "]" if parts else "[^\\s\\S]"


def _flatten(items: Items) -> Items:
    """Plain groups opened into the sequence around them (`a(?:b+)c` is `ab+c`)."""
    out: Items = []
    for op, av in items:
        if op is C.SUBPATTERN:
            out.extend(_flatten(av[3]))
        else:
            out.append((op, av))
    return out


def _seq_shape(items: Items, risks: list[str], possessive: bool = False) -> _Shape:
    shapes = [_shape(op, av, risks, possessive) for op, av in _flatten(items)]
    _check_chain(shapes, risks, possessive)
    first: set[str] = set()
    for s in shapes:
        first |= s.first
        if not s.nullable:
            break
    last: set[str] = set()
    for s in reversed(shapes):
        last |= s.last
        if not s.nullable:
            break
    chars = frozenset().union(*(s.chars for s in shapes)) if shapes else _EMPTY
    return _Shape(frozenset(first), frozenset(last), chars, all(s.nullable for s in shapes),
                  any(s.variable for s in shapes), any(s.unbounded for s in shapes))


def _shape(op: Any, av: Any, risks: list[str], possessive: bool) -> _Shape:
    if op is C.LITERAL:
        ch = frozenset({chr(av)})
        return _Shape(ch, ch, ch, False, False, False)
    if op is C.NOT_LITERAL:
        ch = frozenset(_UNIVERSE) - {chr(av)}
        return _Shape(ch, ch, ch, False, False, False)
    if op is C.ANY:
        ch = frozenset(_UNIVERSE)
        return _Shape(ch, ch, ch, False, False, False)
    if op is C.IN:
        ch = _class_universe(av)
        return _Shape(ch, ch, ch, False, False, False)
    if op is C.SUBPATTERN:
        return _seq_shape(av[3], risks, possessive)
    if op is C.ATOMIC_GROUP:
        inner = _seq_shape(av, risks, True)
        return _Shape(inner.first, inner.last, inner.chars, inner.nullable, inner.variable, False)
    if op is C.BRANCH:
        alts = [_seq_shape(alt, risks, possessive) for alt in av[1]]
        lengths = {_fixed_length(alt) for alt in av[1]}
        return _Shape(frozenset().union(*(a.first for a in alts)), frozenset().union(*(a.last for a in alts)),
                      frozenset().union(*(a.chars for a in alts)), any(a.nullable for a in alts),
                      any(a.variable for a in alts) or len(lengths) > 1, any(a.unbounded for a in alts))
    if op in _REPEATS:
        lo, hi, body = av
        no_backtrack = possessive or op is C.POSSESSIVE_REPEAT
        inner = _seq_shape(body, risks, no_backtrack)
        if hi > 1 and not no_backtrack:
            _check_repeated(body, inner, risks)
        unbounded = (hi == C.MAXREPEAT or hi > 64) and not no_backtrack
        one_char = len(_flatten(body)) == 1 and _flatten(body)[0][0] in (C.LITERAL, C.NOT_LITERAL, C.ANY, C.IN)
        return _Shape(inner.first, inner.last, inner.chars, lo == 0 or inner.nullable, hi != lo or inner.variable,
                      unbounded or inner.unbounded, simple=unbounded and one_char)
    if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
        if op is not C.AT:
            _seq_shape(av[1], risks, possessive)
        return _ZERO
    # GROUPREF and the rest: assume anything
    ch = frozenset(_UNIVERSE)
    return _Shape(ch, ch, ch, True, True, True)


def _fixed_length(items: Items) -> int | None:
    try:
        lo, hi = sre.SubPattern(sre.State(), list(items)).getwidth()
    except (TypeError, AttributeError, re.error):
        return None
    return lo if lo == hi else None


def _check_repeated(body: Items, inner: _Shape, risks: list[str]) -> None:
    """A repeated group whose iterations can split the same text in several ways."""
    if inner.nullable:
        risks.append("a repeated group that can match the empty string")
    elif inner.variable and inner.first & inner.last:
        risks.append("nested quantifiers: a repeated group of variable length whose end can also start it")
    else:
        for op, av in body:
            if op is C.BRANCH:
                firsts = [_seq_shape(alt, [], False).first for alt in av[1]]
                for i, a in enumerate(firsts):
                    if any(a & b for b in firsts[i + 1:]):
                        risks.append("a repeated alternation whose alternatives can start alike")
                        return


def _check_chain(shapes: list[_Shape], risks: list[str], possessive: bool) -> None:
    """Three unbounded repeats of a character class in a row whose characters overlap, anything between
    them matched by them too (`\\s+.+\\s{2,}`). Repeats of groups are judged by _check_repeated."""
    if possessive:
        return
    best: dict[int, int] = {}  # index of an unbounded repeat -> length of the longest chain ending there
    for j, s in enumerate(shapes):
        if not s.simple:
            continue
        best[j] = 1
        for i in best:
            if i >= j:
                continue
            a = shapes[i]
            between = shapes[i + 1:j]
            if a.chars & s.chars and all(b.nullable or b.chars <= (a.chars | s.chars) for b in between):
                best[j] = max(best[j], best[i] + 1)
        if best[j] >= 3:
            risks.append("three or more unbounded repeats in a row that can match the same characters")
            return


_WORD = frozenset(ch for ch in _UNIVERSE if re.fullmatch(r"\w", ch))


def _leading_repeat(items: Items) -> bool:
    """Whether a search can start the sequence with an unbounded repeat of a character class at every
    position (`\\S+: not found`, `.*x`): each start scans the rest of the line, quadratic in its length.
    `^`, a look-behind or literal text first bound the starts; `\\b` does for word characters."""
    word_boundary = False
    for op, av in _flatten(items):
        if op is C.AT:
            if av in (C.AT_BEGINNING, C.AT_BEGINNING_STRING):
                return False
            word_boundary = word_boundary or av == C.AT_BOUNDARY
            continue
        if op in (C.ASSERT, C.ASSERT_NOT):
            if av[0] == -1:
                return False
            continue
        if op is C.BRANCH:
            return any(_leading_repeat(alt) for alt in av[1])
        shape = _shape(op, av, [], False)
        if shape.simple:
            return not (word_boundary and shape.chars <= _WORD)
        if op in _REPEATS and av[0] == 0:
            if _leading_repeat(av[2]):
                return True
            continue  # optional: what follows may come first
        if op in _REPEATS or op is C.ATOMIC_GROUP:
            return _leading_repeat(av[2] if op in _REPEATS else av)
        return False
    return False


def backtracking_risk(pattern: str, flags: int = 0) -> str | None:
    """A description of the first construct that can backtrack catastrophically (or scan a long line
    quadratically from every position), or None."""
    try:
        items = list(sre.parse(pattern, flags))
    except re.error as exc:
        return f"not a valid regex: {exc}"
    risks: list[str] = []
    _seq_shape(items, risks)
    if risks:
        return risks[0]
    for n, branch in enumerate(split_branches(pattern), 1):
        parsed = _parse(branch, flags)
        if parsed is not None and _leading_repeat(parsed):
            return (f"branch {n} ({branch[:60]}) starts with an unbounded repeat, so every position of a long line "
                    "starts a scan to its end: anchor it (^), or begin with literal text or a look-behind")
    return None
