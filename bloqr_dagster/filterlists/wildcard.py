"""Exclusion/inclusion matchers (hostlist-compiler's `Wildcard`).

- `/re/` (longer than 2 characters): a regular expression with the JavaScript flags `m` and `i`,
  searched anywhere in the line;
- a text with `*`: the whole line must match, `*` standing for any run of characters, the rest
  literal, case-insensitive;
- anything else: a case-sensitive substring.

JavaScript regexes are translated for Python's `re` where their syntax differs (`\\d`, `\\w`, `\\s`
keep their JavaScript meaning; `(?<name>` named groups). A pattern Python cannot compile (or one
nested too deeply for its compiler) is a user error naming the entry.

Matching time stays linear in the line for plain and `*` entries, whatever the entry: an entry with
two or more `*` groups is matched by a left-to-right glob scan instead of a backtracking regex (where
`a*b*c` against a long line of `b`s would take quadratic time), and very long plain entries are
tested on their own instead of deepening the trie.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bloqr_dagster.errors import BloqrError
from bloqr_dagster.filterlists.rule_syntax import JS_S

MAX_TRIE_WORD = 200  # longer plain entries are tested with `in`; the trie recursion stays shallow

_JS_CLASS_ESCAPES = {
    "d": "0-9",
    "w": "a-zA-Z0-9_",
    "s": JS_S[1:-1],
}
_JS_ESCAPES = {
    "d": "[0-9]",
    "D": "[^0-9]",
    "w": "[a-zA-Z0-9_]",
    "W": "[^a-zA-Z0-9_]",
    "s": JS_S,
    "S": "[^" + JS_S[1:-1] + "]",
}


def js_regex_to_python(source: str) -> str:
    """Translate the JavaScript-only parts of a regex source to Python syntax."""
    out: list[str] = []
    i, in_class = 0, False
    while i < len(source):
        char = source[i]
        if char == "\\" and i + 1 < len(source):
            escaped = source[i + 1]
            if in_class and escaped in _JS_CLASS_ESCAPES:
                out.append(_JS_CLASS_ESCAPES[escaped])
            elif not in_class and escaped in _JS_ESCAPES:
                out.append(_JS_ESCAPES[escaped])
            elif escaped == "/":
                out.append("/")
            else:
                out.append(source[i : i + 2])
            i += 2
            continue
        if char == "[" and not in_class:
            in_class = True
        elif char == "]" and in_class:
            in_class = False
        elif not in_class and source.startswith("(?<", i) and source[i + 3 : i + 4] not in ("=", "!"):
            out.append("(?P<")
            i += 3
            continue
        out.append(char)
        i += 1
    return "".join(out)


class Wildcard:
    """One exclusion/inclusion entry."""

    def __init__(self, text: str, *, field: str = "exclusions") -> None:
        if not text:
            raise BloqrError(f"{field}: a wildcard cannot be empty")
        self.text = text
        self.regex: re.Pattern[str] | None = None
        self.full_match = False
        self.glob: Glob | None = None
        if text.startswith("/") and text.endswith("/") and len(text) > 2:
            try:
                self.regex = re.compile(js_regex_to_python(text[1:-1]), re.IGNORECASE | re.MULTILINE)
            except re.error as exc:
                raise BloqrError(f"{field}: invalid regular expression {_short(text)}: {exc}") from None
            except (RecursionError, OverflowError):
                raise BloqrError(f"{field}: regular expression {_short(text)} is too complex to compile") from None
        elif "*" in text:
            parts = re.split(r"\*+", text)
            if len(parts) > 2:
                self.glob = Glob(parts)
            else:
                self.regex = re.compile("[\\s\\S]*".join(re.escape(part) for part in parts), re.IGNORECASE)
                self.full_match = True

    def test(self, line: str) -> bool:
        if self.glob is not None:
            return self.glob.matches(line)
        if self.regex is None:
            return self.text in line
        if self.full_match:
            return self.regex.fullmatch(line) is not None
        return self.regex.search(line) is not None

    def __repr__(self) -> str:
        return f"Wildcard({self.text!r})"


def _short(text: str, keep: int = 60) -> str:
    return repr(text) if len(text) <= keep else f"{text[:keep]!r}... ({len(text)} characters)"


class Glob:
    """A whole-line, case-insensitive match of literal parts separated by `*`, in linear time: the
    first part anchors the start, the last the end, each middle part is found leftmost after the
    previous one (which is all a `*`-only pattern needs, so nothing is ever retried)."""

    def __init__(self, parts: list[str]) -> None:
        self.first, self.last = parts[0], parts[-1]
        self.first_re = re.compile(re.escape(self.first), re.IGNORECASE)
        self.last_re = re.compile(re.escape(self.last), re.IGNORECASE)
        self.middle = [re.compile(re.escape(p), re.IGNORECASE) for p in parts[1:-1] if p]

    def matches(self, line: str) -> bool:
        pos, end = len(self.first), len(line) - len(self.last)
        if end < pos or (self.first and self.first_re.match(line) is None):
            return False
        if self.last and self.last_re.fullmatch(line, end) is None:
            return False
        for part in self.middle:
            found = part.search(line, pos, end)
            if found is None:
                return False
            pos = found.end()
        return True


class WildcardSet:
    """Any-of matcher over many wildcards, with the plain substrings merged into one regex search."""

    def __init__(self, entries: Iterable[str], *, field: str = "exclusions") -> None:
        wildcards = [Wildcard(entry, field=field) for entry in entries]
        plain = [w.text for w in wildcards if w.regex is None and w.glob is None and len(w.text) <= MAX_TRIE_WORD]
        self.long_plain = [w.text for w in wildcards if w.regex is None and w.glob is None
                           and len(w.text) > MAX_TRIE_WORD]
        self.globs = [w.glob for w in wildcards if w.glob is not None]
        stars = [w.regex.pattern for w in wildcards if w.full_match and w.regex is not None]
        self.regexes = [w.regex for w in wildcards if w.regex is not None and not w.full_match]
        # one C-level search/fullmatch per line instead of one Python call per entry
        self.plain = re.compile(trie_pattern(plain)) if plain else None
        self.stars = re.compile("|".join(stars), re.IGNORECASE) if stars else None
        self.size = len(wildcards)

    def __len__(self) -> int:
        return self.size

    def matches(self, line: str) -> bool:
        if self.plain is not None and self.plain.search(line) is not None:
            return True
        if self.stars is not None and self.stars.fullmatch(line) is not None:
            return True
        if any(word in line for word in self.long_plain) or any(glob.matches(line) for glob in self.globs):
            return True
        return any(regex.search(line) is not None for regex in self.regexes)


def trie_pattern(words: Iterable[str]) -> str:
    """A regex matching wherever any of `words` occurs, shaped as a trie so that the engine follows
    one branch per character instead of trying every word at every position."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for char in word:
            if "" in node:
                break  # a shorter word already matches here, for a "contains" test that is enough
            node = node.setdefault(char, {})
        else:
            node.clear()
            node[""] = {}
    return _trie_to_pattern(trie)


def _trie_to_pattern(node: dict[str, dict]) -> str:
    branches, leaves = [], []
    for char, child in sorted(node.items()):
        if "" in child:
            leaves.append(re.escape(char))
        else:
            branches.append(re.escape(char) + _trie_to_pattern(child))
    if leaves:
        branches.append(leaves[0] if len(leaves) == 1 else "[" + "".join(leaves) + "]")
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


def prepare_wildcards(entries: Iterable[str], *, field: str) -> WildcardSet:
    """Unique, non-empty entries (order kept) as a matcher, like the reference's `prepareWildcards`."""
    unique = [entry for entry in dict.fromkeys(entries) if entry]
    return WildcardSet(unique, field=field)
