"""Patterns of private values that must never reach the build-error lake (no Dagster import).

The detectors mask these before anything leaves them; this is the independent second look the
asset check takes at what was written. Placeholders such as `<email>` or `/home/<user>` are fine.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

PRIVATE_PATTERNS: dict[str, re.Pattern[str]] = {
    "email": re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"),
    "ipv4": re.compile(r"(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}"
                       r"(?:25[0-5]|2[0-4]\d|1?\d?\d)(?![\w.])"),
    "ipv6": re.compile(
        r"(?<![\w:])(?:(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}"
        r"|(?:[0-9A-Fa-f]{1,4}:){1,6}:(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,5})?"
        r"|::(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4})(?![\w:])"
    ),
    "hex_id": re.compile(r"(?<![0-9A-Za-z])[0-9A-Fa-f]{32,}(?![0-9A-Za-z])"),
    "token": re.compile(
        r"(?:\b(?:ghp|gho|ghs|github_pat|glpat|xox[abpr]|sk|pk|rk)[-_][A-Za-z0-9_-]{16,})"
        r"|(?:Bearer\s+[A-Za-z0-9._~+/-]{16,})"
        r"|(?<![A-Za-z0-9_-])(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Z])(?=[A-Za-z0-9_-]*[a-z])"
        r"[A-Za-z0-9_-]{32,}(?![A-Za-z0-9_-])"
    ),
    "user_path": re.compile(r"(?:/home/|/Users/|[A-Za-z]:\\Users\\)(?![<{\[])[^\s/\\<>'\"]+"),
    "worker_url": re.compile(r"(?<![\w<.-])[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)?\.workers\.dev", re.I),
}


_LONG_RUN = re.compile(r"[A-Za-z0-9_-]{32,}")
_TOKEN_RUN = re.compile(r"[A-Za-z0-9_-]{19,}")  # a prefix, a separator and 16+ characters
_DIGIT_DOT_DIGIT = re.compile(r"\d\.\d")

# Cheap tests that rule a pattern out for most lines, so the regexes run on few of them.
_MAY_CONTAIN: dict[str, Callable[[str], bool]] = {
    "email": lambda s: "@" in s,
    "ipv4": lambda s: _DIGIT_DOT_DIGIT.search(s) is not None,
    "ipv6": lambda s: "::" in s or s.count(":") >= 7,
    "hex_id": lambda s: _LONG_RUN.search(s) is not None,
    "token": lambda s: "Bearer" in s or _TOKEN_RUN.search(s) is not None,
    "user_path": lambda s: "/home/" in s or "/Users/" in s or "\\Users\\" in s,
    "worker_url": lambda s: "workers.dev" in s.lower(),
}


def private_kinds(text: str | None) -> list[str]:
    """The kinds of private value found in `text` (empty when clean)."""
    if not text:
        return []
    return [kind for kind, pattern in PRIVATE_PATTERNS.items()
            if _MAY_CONTAIN[kind](text) and pattern.search(text)]


def scan(values: Iterable[str | None]) -> dict[str, list[str]]:
    """kind -> values that contain it (each distinct value scanned once)."""
    found: dict[str, list[str]] = {}
    for value in set(values):
        for kind in private_kinds(value):
            found.setdefault(kind, []).append(value)  # type: ignore[arg-type]
    return found
