"""Patterns of private values that must never reach the build-error lake or the warehouse (no Dagster
import).

The detectors mask these before anything leaves them (detectors/masking.py); this is the independent
second look taken at what is about to be published: `range_scan.categorize_range` refuses to write a
range whose rows hold one, the warehouse build refuses to publish such a file, and the
`no_private_values` asset check reads the lake files back. Placeholders such as `<EMAIL>`,
`<TOKEN>` or `/home/<user>` are fine.

The patterns are written apart from the masking grammar on purpose (a bug in one is not copied into
the other) but follow its boundaries, so that what the masking keeps (`auth: This command ...`,
`npm ERR! 404`) is not reported here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from bloqr_dagster.errors import BloqrError

_SECRET_WORDS = r"passw(?:or)?d|passphrase|secret|token|api[_-]?key|[_-]pass(?![a-z])|[_-]pwd"
# Keys whose value is private too: `user=jdoe` names a person (a `--user` flag is pip's, not a name).
_KEY_WORDS = _SECRET_WORDS + r"|user(?:[_-]?name)?(?![a-z_-])"
_LOGIN_WORDS = r"login|mysql|mysqldump|mysqladmin|mariadb|sshpass|curl|psql|pg_dump|pg_dumpall|pg_restore|createdb|dropdb"
# After `key: `, a status word or the start of a sentence is prose; any other value is private.
_PROSE = (r"(?!(?i:not|no|is|are|was|were|must|should|cannot|can't|required|missing|invalid|expired|incorrect|empty"
          r"|wrong|denied|failed|rejected|revoked|unset|undefined|null|none|true|false|yes|ok|redacted|hidden|masked"
          r"|set|present|provided|unknown|mismatch|disabled|enabled|too|the|a|an)(?![\w-])|[A-Za-z][a-z]*+[ \t]++[A-Za-z<])")
_INTERNAL_LABELS = r"internal|corp|intra(?:net)?|lan|local|localdomain|private|priv|svc|cluster"  # _INTERNAL_WORDS

PRIVATE_PATTERNS: dict[str, re.Pattern[str]] = {
    "email": re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9_%+][A-Za-z0-9._%+-]*@(?=[A-Za-z0-9-]*[A-Za-z])[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"
                        r"\.(?:[A-Za-z]{2,}|\(none\))"),
    "ipv4": re.compile(r"(?<![\w.])(?:(?>25[0-5]|2[0-4]\d|1?\d?\d)\.){3}"
                       r"(?>25[0-5]|2[0-4]\d|1?\d?\d)(?!\w|\.\d)"),
    "ipv6": re.compile(
        r"(?<![\w:])(?:(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}"
        r"|(?:[0-9A-Fa-f]{1,4}:){1,6}:(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,5})?"
        r"|::(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4})(?![\w:])"
    ),
    "hex_id": re.compile(r"(?<![0-9A-Za-z])[0-9A-Fa-f]{32,}(?![0-9A-Za-z])"),
    "token": re.compile(
        # the prefixes secret scanners know (GitHub, GitLab, Slack, AWS, Google, npm, PyPI, Hugging Face,
        # DigitalOcean, SendGrid, Stripe, OpenAI/Anthropic, Shopify, Docker Hub, Stripe webhooks)
        r"\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_\w{20,}|glpat-[\w-]{20,}|xox[abposre]-[\w-]{10,}"
        r"|(?:AKIA|ASIA)[0-9A-Z]{16}|AIza[\w-]{30,}|npm_[A-Za-z0-9]{30,}|pypi-[\w-]{50,}|hf_[A-Za-z0-9]{30,}"
        r"|do[opr]_v1_[a-f0-9]{64}|SG\.[\w-]{16,}\.[\w-]{30,}|(?:sk|pk|rk)[-_][A-Za-z0-9_-]{16,}"
        r"|shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}|dckr_pat_[\w-]{20,}|whsec_[A-Za-z0-9+/=]{20,})"
        # JSON web tokens, whatever their signature starts with
        r"|\beyJ[\w-]{8,}\.[\w-]{8,}"
        # long random-looking runs: mixed case and digits
        r"|(?<![A-Za-z0-9_-])(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Z])(?=[A-Za-z0-9_-]*[a-z])"
        r"[A-Za-z0-9_-]{32,}(?![A-Za-z0-9_-])"
        # a random-looking value right after `=` or `:`
        r"|(?:(?<=[=:])|(?<=[=:][\"']))(?!<)(?=[\w+/-]{20})(?=(?:[A-Za-z_+/-]*+\d){3}+)(?=[a-z\d_+/-]*+[A-Z])"
        r"(?=[A-Z\d_+/-]*+[a-z])[\w+/-]{20,}={0,2}(?![\w+/=-])"
        # AWS secret access keys: 40 characters of base64 with a / or +
        r"|(?<![\w/+=])(?=[A-Za-z0-9/+]{0,39}\d)(?=[A-Za-z0-9/+]{0,39}[A-Z])(?=[A-Za-z0-9/+]{0,39}[a-z])"
        r"(?=[A-Za-z0-9]{0,39}[/+])[A-Za-z0-9/+]{40}(?![\w/+=])"
    ),
    "credential": re.compile(
        rf"(?<![\w.-])(?=[A-Za-z_])(?=[\w.-]*?(?i:{_KEY_WORDS}))[\w.-]++[\"']?"
        rf"(?:\s*=\s*|\s*:(?=\S)|\s*:\s+{_PROSE})[\"']?(?!<)(?!\d{{3}}(?!\w))[^\s\"',;]"
        rf"|(?<![\w-])--?(?=[\w-]*?(?i:{_SECRET_WORDS}|pass(?![a-z])|pwd|api-?key|auth|username))[\w-]++(?<!-stdin)(?<!-file)"
        r"(?:=|\s+)"
        r"(?!--|-\w(?!\S)|<)[^\s\"',;]"
        rf"|(?i:\b(?:{_LOGIN_WORDS})\b).*?(?<!\S)-[puU](?:=|\s+)?(?![-<\s])\S"
        r"|(?i:\b(?:user|role)\s+)[\"'](?!<)[^\"'\n]"
    ),
    "auth_header": re.compile(
        r"(?i:\b(?:proxy-)?authorization)[\"']?\s*[:=]\s*[\"']?"
        r"(?:(?i:bearer|basic|token|digest|negotiate|bot|apikey|otp)\s+)?+(?!<)(?![a-z]+(?:\s|$))[^\s\"'`,;]"
        r"|(?i:\b(?:bearer|basic)\s+)(?!<)(?![A-Za-z][a-z]*(?:=[\"']|(?![\w.~+/=-])))[\w.~+/=-]{6,}"
        r"|(?i:\btoken\s+)(?!<)(?=[\w.~+/=-]*\d)[\w.~+/=-]{8,}"
        r"|(?i:\b(?:set-)?cookie)\s*:\s*[\"']?+(?!<)\S"
    ),
    "private_key": re.compile(r"-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----[ \t]*(?!<)[^\s-]"),
    "url_credentials": re.compile(r"://[^\s/@'\"`<>]{1,256}@"),
    "user_path": re.compile(r"(?:/home/|/Users/|/export/home/|[A-Za-z]:\\{1,2}Users\\{1,2})(?![<{\[])[^\s/\\<>'\"]+"),
    "internal_host": re.compile(
        rf"(?<![\w.@/-])(?=[A-Za-z])(?=(?:[A-Za-z0-9-]+\.)*?(?:[A-Za-z0-9-]*-)?(?i:{_INTERNAL_LABELS})(?:\.|(?![\w-])))"
        r"(?=[A-Za-z0-9-]+\.)(?:[A-Za-z0-9-]+\.)+[A-Za-z0-9-]+(?![\w-]|\.[\w-])"
    ),
    "worker_url": re.compile(r"(?<![\w<.-])[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)?\.workers\.dev", re.I),
    "webhook_url": re.compile(r"(?i:hooks\.slack\.com|discord(?:app)?\.com/api/webhooks|hooks\.zapier\.com"
                              r"|outlook\.office\.com/webhook)/\S"),
}

_LONG_RUN = re.compile(r"[A-Za-z0-9_-]{32,}")
_TOKEN_RUN = re.compile(r"[\w+/-]{19,}")  # a prefix, a separator and 16+ characters; 20+ after `=`
_DIGIT_DOT_DIGIT = re.compile(r"\d\.\d")
# Lowercase words one of which every match of the pattern holds (plain `in` tests on the lowered text).
_CREDENTIAL_WORDS = ("pass", "pwd", "secret", "token", "api", "auth", "login", "mysql", "mariadb", "curl", "user", "role", "psql", "pg_")
_HEADER_WORDS = ("authorization", "bearer", "basic", "token", "cookie")
_INTERNAL_WORDS = ("internal", "corp", "intra", "lan", "local", "priv", "svc", "cluster")


def _has_any(low: str, words: tuple[str, ...]) -> bool:
    return any(w in low for w in words)


# Cheap tests that rule a pattern out for most values, so the regexes run on few of them; each gets
# the text and its lowercase form.
_MAY_CONTAIN: dict[str, Callable[[str, str], bool]] = {
    "email": lambda s, low: "@" in s,
    "ipv4": lambda s, low: "." in s and _DIGIT_DOT_DIGIT.search(s) is not None,
    "ipv6": lambda s, low: "::" in s or s.count(":") >= 7,
    "hex_id": lambda s, low: len(s) >= 32 and _LONG_RUN.search(s) is not None,
    "token": lambda s, low: len(s) >= 19 and _TOKEN_RUN.search(s) is not None,
    "credential": lambda s, low: _has_any(low, _CREDENTIAL_WORDS),
    "auth_header": lambda s, low: _has_any(low, _HEADER_WORDS),
    "private_key": lambda s, low: "PRIVATE KEY" in s,
    "url_credentials": lambda s, low: "://" in s and "@" in s,
    "user_path": lambda s, low: "/home/" in s or "Users" in s,
    "internal_host": lambda s, low: "." in s and _has_any(low, _INTERNAL_WORDS),
    "worker_url": lambda s, low: "workers.dev" in low,
    "webhook_url": lambda s, low: "hook" in s,
}


def private_kinds(text: str | None) -> list[str]:
    """The kinds of private value found in `text` (empty when clean)."""
    if not text:
        return []
    low = text.lower()
    return [kind for kind, pattern in PRIVATE_PATTERNS.items()
            if _MAY_CONTAIN[kind](text, low) and pattern.search(text)]


def private_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every private value found in `text`, in no particular order."""
    low = text.lower()
    return [m.span() for kind, pattern in PRIVATE_PATTERNS.items() if _MAY_CONTAIN[kind](text, low)
            for m in pattern.finditer(text)]


def scan(values: Iterable[str | None]) -> dict[str, list[str]]:
    """kind -> values that contain it (each distinct value scanned once)."""
    found: dict[str, list[str]] = {}
    for value in set(values):
        for kind in private_kinds(value):
            found.setdefault(kind, []).append(value)  # type: ignore[arg-type]
    return found


class PrivateValueError(BloqrError):
    """Rows about to be published hold a private value; the message names where, never the value."""


def first_private(rows: Iterable[tuple[object, str, str | None]]) -> tuple[object, str, str] | None:
    """(row id, column, kind) of the first (id, column, value) row holding a private value, else None."""
    seen: set[str] = set()
    for row_id, column, value in rows:
        if not value or value in seen:
            continue
        seen.add(value)
        kinds = private_kinds(value)
        if kinds:
            return row_id, column, kinds[0]
    return None
