"""ConvertToAscii: internationalised domain names in rules become punycode."""

from __future__ import annotations

import re

from bloqr_dagster.filterlists import rule_syntax as r

_COMMENT = r.COMMENT_PREFIXES

_DOMAIN_TOKEN = re.compile(r"(\*\.|)([^" + r.JS_S[1:-1] + r"^$|=]+(?:\.[^" + r.JS_S[1:-1] + r"^$|=]+)+)")
_HOST_END = re.compile(r"[/?#\\:@]")
_HEX_NUMBER = re.compile(r"0[xX][0-9a-fA-F]*")
_FORBIDDEN_HOST_CHARS = re.compile(r"[\x00-\x20#%/:<>?@\[\\\]^|\x7f]")


def domain_to_ascii(domain: str) -> str:
    """Node's `url.domainToASCII` (WHATWG host parsing, UTS-46 non-transitional, no STD3 rules).

    Returns '' when the domain cannot be converted (disallowed code points, a label starting with a
    combining mark, a misplaced joiner, a bad `xn--` label, a right-to-left label breaking the Bidi
    rule, or a last label that is a number), as Node does.
    """
    import unicodedata

    import idna
    from idna import core

    try:
        labels = idna.uts46_remap(domain, std3_rules=False, transitional=False).split(".")
        for i, label in enumerate(labels):
            if label.startswith("xn--"):
                if not label.isascii():
                    return ""
                label[4:].encode("ascii").decode("punycode")
            elif not label.isascii():
                core.check_initial_combiner(label)
                for pos, char in enumerate(label):
                    if char in "\u200c\u200d" and not core.valid_contextj(label, pos):
                        return ""
                if any(unicodedata.bidirectional(char) in ("R", "AL") for char in label):
                    core.check_bidi(label)
                labels[i] = "xn--" + label.encode("punycode").decode("ascii")
    except (idna.IDNAError, UnicodeError, ValueError):
        return ""
    ascii_domain = ".".join(labels)
    if _FORBIDDEN_HOST_CHARS.search(ascii_domain) or _ends_in_number(labels):
        return ""
    return ascii_domain


def _ends_in_number(labels: list[str]) -> bool:
    """WHATWG "ends in a number": such a host is parsed as IPv4, which fails for these domains."""
    last = labels[-2] if len(labels) > 1 and labels[-1] == "" else labels[-1]
    return bool(last) and (last.isascii() and last.isdigit() or _HEX_NUMBER.fullmatch(last) is not None)


def _convert_token(match: re.Match[str]) -> str:
    wildcard, domain = match.group(1), match.group(2)
    if domain.isascii():
        return match.group(0)
    # Only the host part is converted; the reference (Node's URL parser) also drops what follows
    # a `#`, `/`, `?` ... (`пример.рф##.ad` lost its `##.ad`), which is not copied.
    end = _HOST_END.search(domain)
    host, rest = (domain[: end.start()], domain[end.start() :]) if end else (domain, "")
    if host.isascii():
        return match.group(0)
    return wildcard + domain_to_ascii(host) + rest


def convert_to_ascii(lines: list[str]) -> list[str]:
    out = []
    for line in lines:
        if line and not line.isascii() and not (line.startswith(_COMMENT) or line == "#"):
            line = _DOMAIN_TOKEN.sub(_convert_token, line)
        out.append(line)
    return out
