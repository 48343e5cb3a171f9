"""Rule-level helpers with the exact semantics of hostlist-compiler 2.1.1 (`src/rule.js`, `src/utils.js`).

Regexes are written so that Python matches what JavaScript matches: JavaScript's `\\s` and
`String.prototype.trim` use a different whitespace set than Python's, and JavaScript's `$` (no `m`
flag) only matches at the very end of the input, so the patterns below spell both out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# ECMAScript WhiteSpace + LineTerminator: what JS `trim()` strips and what `\s` matches.
JS_WHITESPACE = (
    "\t\n\x0b\x0c\r \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000\ufeff"
)
JS_S = "[" + "".join(f"\\u{ord(c):04x}" for c in JS_WHITESPACE) + "]"
# Characters where Python's whitespace set and JavaScript's disagree.
_WHITESPACE_MISMATCH = re.compile("[\x1c-\x1f\x85\ufeff]")
_JS_WS_RUN = re.compile(JS_S + "+")

COMMENT_PREFIXES = ("!", "# ", "####")

# `^([a-f0-9.:\][]+)(%[a-z0-9]+)?\s+([^#]+)(#.*)?$` with JS `\s`, JS `.` and an end-of-input `$`.
_ETC_HOSTS = re.compile(r"[a-f0-9.:\]\[]+(?:%[a-z0-9]+)?" + JS_S + r"+[^#]+(?:#[^\n\r\u2028\u2029]*)?\Z")
ETC_HOSTS_FIRST_CHARS = frozenset("abcdef0123456789.:[]")
JUST_DOMAIN = re.compile(
    r"[0-9A-Za-z](?:[0-9A-Za-z-]{0,61}[0-9A-Za-z])?(?:\.[0-9A-Za-z](?:[0-9A-Za-z-]{0,61}[0-9A-Za-z])?)*\.?\Z"
)
_ADBLOCK_HOSTNAME = re.compile(r"\|\|([a-z0-9.-]+)\^\Z")


class RuleParseError(ValueError):
    """The reference throws for these (only `@@` with nothing after it)."""


def js_trim(text: str) -> str:
    return text.strip(JS_WHITESPACE)


def js_split_whitespace(text: str) -> list[str]:
    """`text.trim().split(/\\s+/)` for a text, using the fast built-in when it agrees with JS."""
    if _WHITESPACE_MISMATCH.search(text) is None:
        return text.split()
    trimmed = js_trim(text)
    return _JS_WS_RUN.split(trimmed) if trimmed else [""]


def is_comment(line: str) -> bool:
    return line.startswith(COMMENT_PREFIXES) or line == "#"


def is_allow_rule(line: str) -> bool:
    return line.startswith("@@")


def is_etc_hosts_rule(line: str) -> bool:
    return bool(line) and line[0] in ETC_HOSTS_FIRST_CHARS and _ETC_HOSTS.match(line) is not None


def etc_hosts_hostnames(line: str) -> list[str]:
    """Hostnames of a hosts-file line (the tokens after the address, before any `#`)."""
    rule = js_trim(line)
    cut = rule.find("#")
    if cut > 0:
        rule = rule[:cut]
    return js_split_whitespace(rule)[1:]


# A cheap first test: a bare domain has only these characters (the full regex backtracks on near misses).
_DOMAIN_CHARS_RUN = re.compile(r"[0-9A-Za-z.-]*")


def is_just_domain(line: str) -> bool:
    return (
        "." in line
        and len(line) <= 255
        and _DOMAIN_CHARS_RUN.match(line).end() == len(line)  # type: ignore[union-attr]
        and JUST_DOMAIN.match(line) is not None
    )


def contains_non_ascii(text: str) -> bool:
    return not text.isascii()


Option = tuple[str, str | None]


@dataclass
class AdblockRule:
    pattern: str
    options: list[Option] | None
    whitelist: bool
    hostname: str | None

    def to_text(self) -> str:
        text = "@@" + self.pattern if self.whitelist else self.pattern
        if self.options:
            text += "$" + ",".join(name + "=" + value if value else name for name, value in self.options)
        return text

    def has_option(self, name: str) -> bool:
        return bool(self.options) and any(option[0] == name for option in self.options)

    def remove_options(self, names: frozenset[str]) -> None:
        if self.options:
            self.options = [option for option in self.options if option[0] not in names]


def split_pattern_options(text: str) -> tuple[str, str | None, bool]:
    """(pattern, options text or None, whitelist) of an already trimmed rule text."""
    start = 2 if text.startswith("@@") else 0
    if len(text) <= start:
        raise RuleParseError(f"the rule is too short: {text}")
    pattern = text[start:] if start else text
    if pattern.startswith("/") and pattern.endswith("/") and "replace=" not in pattern:
        return pattern, None, bool(start)
    # the last `$` not preceded by a backslash (a `$` right at the start is never "escaped")
    i = text.rfind("$", start)
    while i != -1:
        if i > start and text[i - 1] == "\\":
            i = text.rfind("$", start, i)
            continue
        return text[start:i], text[i + 1 :], bool(start)
    return pattern, None, bool(start)


def split_options(options: str) -> list[str]:
    """Split on `,` not preceded by a backslash (which is then dropped); empty parts vanish."""
    if "\\" not in options:
        return [part for part in options.split(",") if part]
    parts: list[str] = []
    current: list[str] = []
    for i, char in enumerate(options):
        if char != ",":
            current.append(char)
        elif i == 0:
            continue
        elif options[i - 1] == "\\":
            if current:
                current.pop()
            current.append(char)
        elif current:
            parts.append("".join(current))
            current = []
    if current:
        parts.append("".join(current))
    return parts


def parse_option(option: str) -> Option:
    # lodash `split(option, '=', 2)`: anything after a second `=` is dropped, like the reference
    pieces = option.split("=", 2)
    return pieces[0], (pieces[1] or None) if len(pieces) > 1 else None


def parse_adblock(line: str) -> AdblockRule:
    """Parse an adblock-style rule; raises RuleParseError for `@@` alone."""
    pattern, options_text, whitelist = split_pattern_options(js_trim(line))
    options = None
    if options_text:
        parts = split_options(options_text)
        if parts:
            options = [parse_option(part) for part in parts]
    match = _ADBLOCK_HOSTNAME.match(pattern)
    return AdblockRule(pattern, options, whitelist, match.group(1) if match else None)
