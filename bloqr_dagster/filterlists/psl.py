"""Public-suffix lookups with the semantics of `tldts.parse(hostname)` (tldts 7.0.28, default options).

The reference validates hostnames with tldts' defaults: the hostname is extracted from URL-like
input (scheme, userinfo, port, path are cut; upper case lowered; trailing dots trimmed), validated,
checked for being an IP, and its public suffix is looked up with ICANN rules only
(`allowPrivateDomains: false`). A label with no matching rule falls back to the default rule `*`,
so any unknown single label (`localhost`) is its own public suffix.

The rules come from the Public Suffix List file bundled in the `publicsuffixlist` package
(installed with bloqr_dagster, read from disk, never fetched at run time). tldts' bundled snapshot
is older; the few suffixes that differ are listed in tests/filterlists/known_differences.json.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

ICANN = 1
PRIVATE = 2
_ALLOWED = ICANN  # tldts.parse() default: allowIcannDomains=true, allowPrivateDomains=false
_FAST_PATH_SUFFIXES = {".com": "com", ".org": "org", ".edu": "edu", ".gov": "gov", ".net": "net"}

# tldts `isValidHostname`: characters [a-z0-9_-] or non-ASCII and dots; the first character is not
# `-`; no empty label except a leading one; a label followed by a dot does not end with `-` or `_`;
# the last label does not end with `-`; labels of at most 63 and hostnames of at most 255 characters.
# (negated ASCII classes: a positive `\x80-\U0010ffff` range takes Python ~50 ms to compile)
_ANY = r"[^\x00-\x2c\x2e\x2f\x3a-\x5e\x60\x7b-\x7f]"  # a-z 0-9 - _ or non-ASCII
_INNER = rf"{_ANY}{{0,62}}[^\x00-\x2f\x3a-\x60\x7b-\x7f]"  # ... not ending with - or _
_LAST = rf"(?:{_ANY}{{0,62}}[^\x00-\x2f\x3a-\x5e\x60\x7b-\x7f])?"  # ... not ending with -
_VALID_HOSTNAME = re.compile(rf"(?!-)\.?(?:{_INNER}\.)*{_LAST}\Z")
_WEB_SCHEMES = frozenset({"https", "http", "wss", "ws"})

Node = list  # [flags, {label: Node}], the shape of tldts' trie


class ParsedHost(NamedTuple):
    hostname: str | None
    is_ip: bool
    public_suffix: str | None
    is_listed: bool  # the suffix comes from a list rule (tldts isIcann || isPrivate), not the default `*`


def is_valid_hostname(hostname: str) -> bool:
    return 0 < len(hostname) <= 255 and _VALID_HOSTNAME.match(hostname) is not None


def _is_probably_ipv4(hostname: str) -> bool:
    if not 7 <= len(hostname) <= 15 or hostname[0] == "." or hostname[-1] == ".":
        return False
    return hostname.count(".") == 3 and hostname.replace(".", "").isdigit() and hostname.isascii()


# tldts 7.0.28 accepts A-Z (not only A-F) in an IPv6 address
_IPV6_CHARS = frozenset("0123456789abcdefABCDEFGHIJKLMNOPQRSTUVWXYZ:")


def _is_probably_ipv6(hostname: str) -> bool:
    if len(hostname) < 3:
        return False
    start = 1 if hostname.startswith("[") else 0
    end = len(hostname) - 1 if hostname.endswith("]") else len(hostname)
    if end - start > 39:
        return False
    body = hostname[start:end]
    return ":" in body and all(char in _IPV6_CHARS for char in body)


def is_ip(hostname: str) -> bool:
    return _is_probably_ipv6(hostname) or _is_probably_ipv4(hostname)


@lru_cache(maxsize=1)
def deep_tlds() -> frozenset[str]:
    """TLDs under which a hostname of two or more labels can be a public suffix (deeper or exception
    rules exist; tldts' fast-path TLDs excluded). Under any other TLD such a hostname never is."""
    rules, exceptions = _tries()
    deep = {tld for tld, node in rules[1].items() if node[1]} | set(exceptions[1])
    return frozenset(deep - {"com", "org", "edu", "gov", "net", "de"})


def is_ipv4(hostname: str) -> bool:
    return _is_probably_ipv4(hostname)


def extract_hostname(url: str) -> str | None:
    """tldts 7.0.28 `extractHostname` for input that is not already a valid hostname."""
    if url.startswith("data:"):
        return None
    start, end = 0, len(url)
    while start < len(url) and ord(url[start]) <= 32:
        start += 1
    while end > start + 1 and ord(url[end - 1]) <= 32:
        end -= 1
    if url.startswith("//", start):
        start += 2
    else:
        protocol = url.find(":/", start)
        if protocol != -1:
            scheme = url[start:protocol]
            if scheme not in _WEB_SCHEMES:
                for char in scheme:
                    code = ord(char) | 32
                    if not (97 <= code <= 122 or 48 <= code <= 57 or code in (43, 45, 46)):
                        return None
            start = protocol + 2
            while url.startswith("/", start):
                start += 1
    identifier = closing_bracket = port = -1
    has_upper = False
    for i in range(start, end):
        char = url[i]
        if char in "#/?":
            end = i
            break
        if char == "@":
            identifier = i
        elif char == "]":
            closing_bracket = i
        elif char == ":":
            port = i
        elif "A" <= char <= "Z":
            has_upper = True
    if identifier != -1 and start < identifier < end:
        start = identifier + 1
    if url.startswith("[", start):
        return url[start + 1 : closing_bracket].lower() if closing_bracket != -1 else None
    if port != -1 and start < port < end:
        end = port
    while end > start + 1 and url[end - 1] == ".":
        end -= 1
    hostname = url[start:end]
    return hostname.lower() if has_upper else hostname


def _load_trie() -> tuple[Node, Node]:
    from importlib import resources

    text = resources.files("publicsuffixlist").joinpath("public_suffix_list.dat").read_text("utf-8")
    rules: Node = [0, {}]
    exceptions: Node = [0, {}]
    section = 0
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("//"):
            if "===BEGIN ICANN DOMAINS===" in line:
                section = ICANN
            elif "===BEGIN PRIVATE DOMAINS===" in line:
                section = PRIVATE
            continue
        if not line or not section:
            continue
        rule = line.split()[0]
        trie, body = (exceptions, rule[1:]) if rule.startswith("!") else (rules, rule)
        # tldts indexes every rule under its Unicode and its punycode spelling
        labels = body.split(".")
        _insert(trie, labels, section)
        if not body.isascii():
            _insert(trie, [_to_punycode(label) for label in labels], section)
    return rules, exceptions


def _to_punycode(label: str) -> str:
    return label if label.isascii() else "xn--" + label.encode("punycode").decode("ascii")


def _insert(trie: Node, labels: list[str], flag: int) -> None:
    node = trie
    for label in reversed(labels):
        node = node[1].setdefault(label, [0, {}])
    node[0] |= flag


_TRIES: tuple[Node, Node] | None = None


def _tries() -> tuple[Node, Node]:
    global _TRIES
    if _TRIES is None:
        _TRIES = _load_trie()
    return _TRIES


def _lookup(parts: list[str], trie: Node) -> tuple[int, int] | None:
    """(index of the matched label, flag) of the longest allowed match, walking like tldts (no backtracking)."""
    result = None
    node: Node | None = trie
    index = len(parts) - 1
    while node is not None:
        if node[0] & _ALLOWED:
            result = (index + 1, node[0])
        if index == -1:
            break
        children = node[1]
        node = children.get(parts[index]) or children.get("*")
        index -= 1
    return result


def public_suffix_of(hostname: str) -> tuple[str, bool]:
    """(public suffix, listed) for an already extracted, valid, non-IP hostname."""
    if len(hostname) > 3:
        fast = _FAST_PATH_SUFFIXES.get(hostname[-4:])
        if fast is not None:
            return fast, True
        if hostname.endswith(".de"):
            return "de", True
    rules, exceptions = _tries()
    parts = hostname.split(".")
    match = _lookup(parts, exceptions)
    if match is not None:
        return ".".join(parts[match[0] + 1 :]), True
    match = _lookup(parts, rules)
    if match is not None:
        return ".".join(parts[match[0] :]), True
    return parts[-1], False


NOT_A_SUFFIX, LISTED_SUFFIX, UNLISTED_SUFFIX = range(3)


def suffix_status(hostname: str) -> int:
    """Whether a valid, non-IP hostname is itself its public suffix, and if so by a list rule or `*`.

    Same walk as public_suffix_of, without building the suffix: the hostname equals its suffix
    exactly when a rule matches at its first label (an exception never covers the whole hostname).
    """
    if len(hostname) > 3 and (hostname[-4:] in _FAST_PATH_SUFFIXES or hostname.endswith(".de")):
        return NOT_A_SUFFIX
    rules, exceptions = _tries()
    dot = hostname.rfind(".")
    if dot != -1:
        top = rules[1].get(hostname[dot + 1 :])
        if top is None and "*" not in rules[1] or top is not None and not top[1]:
            # a TLD with no deeper rules: a hostname with more than one label is never a suffix
            return NOT_A_SUFFIX
    parts = hostname.split(".")
    last = len(parts) - 1
    if parts[last] in exceptions[1] and _lookup(parts, exceptions) is not None:
        return NOT_A_SUFFIX
    children = rules[1]
    index = last
    best = -1
    while index >= 0:
        node = children.get(parts[index])
        if node is None:
            node = children.get("*")
            if node is None:
                break
        if node[0] & _ALLOWED:
            best = index
        children = node[1]
        index -= 1
    if best == -1:
        return UNLISTED_SUFFIX if last == 0 else NOT_A_SUFFIX
    return LISTED_SUFFIX if best == 0 else NOT_A_SUFFIX


@lru_cache(maxsize=1 << 16)
def parse_host(text: str) -> ParsedHost:
    """`tldts.parse(text)` reduced to the fields the validators read."""
    if is_valid_hostname(text):
        end = len(text)
        while end > 1 and text[end - 1] == ".":
            end -= 1
        hostname: str | None = text[:end]
        already_valid = end == len(text)  # a trimmed copy is checked again, like tldts does
    else:
        hostname = extract_hostname(text)
        already_valid = False
    if hostname is None:
        return ParsedHost(None, False, None, False)
    if is_ip(hostname):
        return ParsedHost(hostname, True, None, False)
    if not already_valid and not is_valid_hostname(hostname):
        return ParsedHost(None, False, None, False)
    suffix, listed = public_suffix_of(hostname)
    return ParsedHost(hostname, False, suffix, listed)


def get_public_suffix(text: str) -> str | None:
    """`tldts.getPublicSuffix(text)`."""
    return parse_host(text).public_suffix
