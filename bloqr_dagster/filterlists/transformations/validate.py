"""Validate, ValidateAllowIp, ValidateAllowPublicSuffix, ValidateAllowIpAndPublicSuffix.

A rule is kept when a DNS-level blocker can use it safely (reference: `src/transformations/validate.js`
and `ip-normalize.js`). Lists are scanned from the end: an invalid rule is dropped together with the
comments and exactly-empty lines right above it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bloqr_dagster.filterlists import psl
from bloqr_dagster.filterlists import rule_syntax as r

SUPPORTED_MODIFIERS = frozenset(
    {"important", "~important", "dnstype", "dnsrewrite", "ctag", "denyallow", "badfilter", "client"}
)
LIMIT_MODIFIERS = frozenset({"denyallow", "badfilter", "client"})
MIN_PATTERN_LENGTH = 5

_LABEL = r"[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?"
_EXACT_DOMAIN = re.compile(rf"(?:\|\|)?(?:\*\.|\.)?({_LABEL}(?:\.{_LABEL})*\.?)\^\|?\Z")
_DOMAIN_CHARS = re.compile(r"[a-zA-Z0-9.*|^-]+\Z")
_ALNUM = re.compile(r"[a-zA-Z0-9]")
_NOT_IP_PATTERN_CHAR = re.compile(r"[^|^.*0-9]")
_CARET_END = re.compile(r"\^\|?\Z")
_COMMENT = r.COMMENT_PREFIXES


@dataclass(frozen=True)
class IpPattern:
    """An IP-like adblock pattern split into its parts (`utils.classifyIpPattern`)."""

    prefix: str
    octets: tuple[str, ...]
    trailing_dot: bool
    trailing_wildcard: bool
    caret: bool
    caret_pipe: bool

    @property
    def is_full_ip(self) -> bool:
        return len(self.octets) == 4 and not self.trailing_dot and not self.trailing_wildcard

    @property
    def is_subnet_wildcard(self) -> bool:
        return len(self.octets) < 4 and (self.trailing_dot or self.trailing_wildcard)


def classify_ip_pattern(pattern: str) -> IpPattern | None:
    if _NOT_IP_PATTERN_CHAR.search(pattern) is not None:
        return None
    rest, prefix = pattern, ""
    if rest.startswith("||"):
        rest, prefix = rest[2:], "||"
    elif rest.startswith("|"):
        rest, prefix = rest[1:], "|"
    caret = caret_pipe = False
    if rest.endswith("^|"):
        rest, caret, caret_pipe = rest[:-2], True, True
    elif rest.endswith("^"):
        rest, caret = rest[:-1], True
    trailing_wildcard = rest.endswith(".*")
    if trailing_wildcard:
        rest = rest[:-2]
    trailing_dot = rest.endswith(".")
    if trailing_dot:
        rest = rest[:-1]
    octets = rest.split(".")
    if len(octets) > 4 or not all(0 < len(o) <= 3 and o.isdigit() and int(o) <= 255 for o in octets):
        return None
    return IpPattern(prefix, tuple(octets), trailing_dot, trailing_wildcard, caret, caret_pipe)


def _is_ip_suffix_pattern(ip: IpPattern) -> bool:
    return ip.prefix == "" and ip.caret and len(ip.octets) >= 2


def _is_unsafe_ip_pattern(pattern: str, ip: IpPattern) -> bool:
    if "^" in pattern:
        return False
    count = len(ip.octets)
    if count <= 2:
        return True
    if count == 3 and not ip.trailing_dot and not ip.trailing_wildcard and not ip.caret:
        return True
    return count in (3, 4) and (ip.trailing_dot or ip.trailing_wildcard) and ip.prefix == ""


def _is_ip_subnet_pattern(ip: IpPattern) -> bool:
    if ip.prefix == "":
        return False
    return len(ip.octets) < 4 or ip.trailing_dot or ip.trailing_wildcard


def _is_3_octet_subnet_with_suffix(ip: IpPattern) -> bool:
    return len(ip.octets) == 3 and ip.is_subnet_wildcard and not ip.caret and ip.prefix == "||"


# What validHostname needs to know about a hostname, independent of the Validate flavour.
HOST_INVALID, HOST_IP, HOST_LISTED_SUFFIX, HOST_UNLISTED_SUFFIX, HOST_OK = range(5)


@lru_cache(maxsize=1 << 18)
def host_kind(hostname: str) -> int:
    if psl.is_valid_hostname(hostname):
        # the common case, spelled out for speed: tldts only trims trailing dots off such a hostname,
        # and it cannot be an IPv6 address (no `:`)
        host = hostname.rstrip(".") or "."
        if host[-1] in "0123456789" and psl.is_ipv4(host):
            return HOST_IP
        if _ALNUM.search(host) is None:
            return HOST_INVALID
        status = psl.suffix_status(host)
    else:
        parsed = psl.parse_host(hostname)
        if not parsed.hostname or _ALNUM.search(parsed.hostname) is None:
            return HOST_INVALID
        if parsed.is_ip:
            return HOST_IP
        if parsed.hostname != parsed.public_suffix:
            return HOST_OK
        status = psl.LISTED_SUFFIX if parsed.is_listed else psl.UNLISTED_SUFFIX
    if status == psl.NOT_A_SUFFIX:
        return HOST_OK
    return HOST_LISTED_SUFFIX if status == psl.LISTED_SUFFIX else HOST_UNLISTED_SUFFIX


def valid_hostname(hostname: str, allow_ip: bool, limit_modifier: bool, allow_public_suffix: bool) -> bool:
    kind = host_kind(hostname)
    if kind == HOST_OK:
        return True
    if kind == HOST_INVALID:
        return False
    if kind == HOST_IP:
        return allow_ip
    return limit_modifier or (allow_public_suffix and kind == HOST_LISTED_SUFFIX)


def _exact_domain(pattern: str) -> str | None:
    match = _EXACT_DOMAIN.match(pattern)
    if match is None:
        return None
    hostname = match.group(1)
    return hostname[:-1] if hostname.endswith(".") else hostname


def valid_etc_hosts_rule(line: str, allow_ip: bool, allow_public_suffix: bool) -> bool:
    hostnames = r.etc_hosts_hostnames(line)
    if not hostnames:
        return False
    return all(valid_hostname(h, allow_ip, False, allow_public_suffix) for h in hostnames)


def valid_adblock_rule(line: str, allow_ip: bool, allow_public_suffix: bool) -> bool:
    try:
        pattern, options_text, _allow = r.split_pattern_options(line.strip(r.JS_WHITESPACE))
    except r.RuleParseError:
        return False
    limit_modifier = denyallow = False
    if options_text:
        for option in r.split_options(options_text):
            name = option.split("=", 1)[0]
            if name not in SUPPORTED_MODIFIERS:
                return False
            if name in LIMIT_MODIFIERS:
                limit_modifier = True
                denyallow = denyallow or name == "denyallow"
    exact_domain = _exact_domain(pattern)
    if len(pattern) < MIN_PATTERN_LENGTH and not exact_domain:
        return False
    if pattern.startswith("/") and pattern.endswith("/"):
        return True
    to_test = pattern.lstrip(":/") if pattern.startswith("://") else pattern
    if _DOMAIN_CHARS.match(to_test) is None:
        return False

    ip = classify_ip_pattern(pattern)
    if ip is not None:
        if denyallow:
            return False
        if _is_ip_suffix_pattern(ip) or _is_unsafe_ip_pattern(pattern, ip):
            return False
        if _is_ip_subnet_pattern(ip) and not (allow_ip and _is_3_octet_subnet_with_suffix(ip)):
            return False

    candidate = pattern
    if candidate.startswith("||"):
        candidate = candidate[2:]
    elif candidate.startswith("|"):
        candidate = candidate[1:]
    candidate = _CARET_END.sub("", candidate, count=1)
    if _is_ip_candidate(candidate):
        return allow_ip

    separator = pattern.find("^")
    wildcard = pattern.find("*")
    if separator != -1 and wildcard > separator:
        return False  # `||example.org^test*`
    if exact_domain:
        return valid_hostname(exact_domain, allow_ip, limit_modifier, allow_public_suffix)
    if not pattern.startswith("||") or separator == -1:
        return True
    domain = _substring_between(pattern, "||", "^")
    if wildcard != -1:
        # `||*.org^` and `||*.co.uk^` block a whole public suffix; other wildcard rules are fine
        suffix_pattern = domain.replace("*.", "", 1) if domain is not None else None
        if (
            domain is not None
            and domain.startswith("*.")
            and psl.get_public_suffix(suffix_pattern) == suffix_pattern
        ):
            return valid_hostname(suffix_pattern, allow_ip, limit_modifier, allow_public_suffix)
        return True
    if domain is None or not valid_hostname(domain, allow_ip, limit_modifier, allow_public_suffix):
        return False
    return not (len(pattern) > separator + 1 and pattern[separator + 1] != "|")


def _is_ip_candidate(candidate: str) -> bool:
    """`tldts.parse(candidate).isIp` for a pattern that passed the domain-character check."""
    if ":" in candidate or "/" in candidate:
        return psl.parse_host(candidate).is_ip
    # only trailing dots are cut from such text when tldts extracts its hostname
    return psl.is_ip(candidate.rstrip(".") or candidate[:1])


def _substring_between(text: str, start_tag: str, end_tag: str) -> str | None:
    """`utils.substringBetween`, including its quirk of treating a missing start tag as index 0 + length."""
    if not text:
        return None
    start = text.find(start_tag) + len(start_tag)
    end = text.find(end_tag, start)
    if end > start and start != -1:
        return text[start:end]
    return None


# `||host^` with a host of [a-z0-9.-], most of a compressed list. When the host is also made of
# LDH labels (checked with string tests, which beat a label regex), every branch of the full check
# ends in validHostname(host), which for such a host only depends on whether it is its own public
# suffix -- unless it is made of digits and dots only (IP-like patterns have their own rules).
_SIMPLE_BLOCK = re.compile(r"\|\|([a-z0-9.-]+)\^\Z")


def _is_ldh_hostname(host: str) -> bool:
    return (
        host[0] not in ".-"
        and host[-1] not in ".-"
        and ".." not in host
        and "-." not in host
        and ".-" not in host
        and (len(host) <= 63 or max(map(len, host.split("."))) <= 63)
    )


_DIGITS_AND_DOTS = re.compile(r"[0-9.]*\Z")
_NOT_A_SUFFIX = psl.NOT_A_SUFFIX
_LISTED_SUFFIX = psl.LISTED_SUFFIX


# Text up to the first `$` holding a character no valid adblock pattern has (after `@@`): such a rule
# is invalid whatever its options, unless it is a `/regex/` (checked before the characters).
_BAD_PATTERN_START = re.compile(r"[a-zA-Z0-9.*|^:/-]*[^a-zA-Z0-9.*|^:/$-]")
_JS_WS_CHARS = frozenset(r.JS_WHITESPACE)


def is_valid_rule(line: str, allow_ip: bool, allow_public_suffix: bool) -> bool:
    match = _SIMPLE_BLOCK.match(line)
    if match is not None:
        host = match.group(1)
        if (
            len(host) <= 255
            and _is_ldh_hostname(host)
            and (host[-1] not in "0123456789" or _DIGITS_AND_DOTS.match(host) is None)
        ):
            dot = host.rfind(".")
            if dot != -1 and host[dot + 1 :] not in psl.deep_tlds():
                return True  # not its own public suffix, the common case
            status = psl.suffix_status(host)
            return status == _NOT_A_SUFFIX or (allow_public_suffix and status == _LISTED_SUFFIX)
    if line.startswith(_COMMENT) or line == "#" or not line.strip(r.JS_WHITESPACE):
        return True
    if line[0] in r.ETC_HOSTS_FIRST_CHARS and r.is_etc_hosts_rule(line):
        return valid_etc_hosts_rule(line, allow_ip, allow_public_suffix)
    if line[0] not in _JS_WS_CHARS and line[-1] not in _JS_WS_CHARS and _rejected_early(line):
        return False
    return valid_adblock_rule(line, allow_ip, allow_public_suffix)


def _rejected_early(line: str) -> bool:
    """Cheap tests that reject most invalid adblock rules (an already trimmed line) before parsing."""
    body = line[2:] if line.startswith("@@") else line
    if not body:
        return False
    if body[0] == "/":
        if body[-1] == "/" and "replace=" not in body:
            return False  # a /regex/ rule: no options to check
    elif _BAD_PATTERN_START.match(body) is not None:
        return True
    dollar = body.rfind("$")
    if dollar != -1 and "\\" not in body:
        for option in body[dollar + 1 :].split(","):
            if option and option.split("=", 1)[0] not in SUPPORTED_MODIFIERS:
                return True
    return False


def validate_lines(lines: list[str], *, allow_ip: bool, allow_public_suffix: bool) -> list[str]:
    """Drop invalid rules and the comments/empty lines immediately above each of them."""
    verdicts = [is_valid_rule(line, allow_ip, allow_public_suffix) for line in lines]
    return drop_invalid(lines, verdicts)


def drop_invalid(lines: list[str], verdicts: list[bool]) -> list[str]:
    kept: list[str] = []
    dropping = False
    for index in range(len(lines) - 1, -1, -1):
        line = lines[index]
        if not verdicts[index]:
            dropping = True
        elif dropping and (not line or line.startswith(_COMMENT) or line == "#"):
            continue
        else:
            dropping = False
            kept.append(line)
    kept.reverse()
    return kept


def normalize_ip_rules(lines: list[str]) -> list[str]:
    """Rewrite IP rules to the canonical `||a.b.c.d^` / `||a.b.c.` / `||a.b.c.*` forms (modifiers kept)."""
    return [_normalize_ip_rule(line) for line in lines]


def _normalize_ip_rule(line: str) -> str:
    if not line or line.startswith(("!", "#")) or not line.strip(r.JS_WHITESPACE):
        return line
    try:
        rule = r.parse_adblock(line)
    except r.RuleParseError:
        return line  # the reference crashes on `@@`; the validator drops it instead
    ip = classify_ip_pattern(rule.pattern)
    if ip is None:
        return line
    address = ".".join(ip.octets)
    if len(ip.octets) == 3 and not ip.caret and (ip.trailing_dot or ip.trailing_wildcard):
        if ip.prefix == "||":
            return line
        rule.pattern = "||" + address + (".*" if ip.trailing_wildcard else ".")
        return rule.to_text()
    if ip.is_full_ip and not (ip.prefix == "||" and ip.caret and not ip.caret_pipe):
        rule.pattern = "||" + address + "^"
        return rule.to_text()
    return line
