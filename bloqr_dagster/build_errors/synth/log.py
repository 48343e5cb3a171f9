"""The per-build log writer the templates append to, and the per-project settings they read."""

from __future__ import annotations

import random
from dataclasses import dataclass

_ESC = "\x1b["


@dataclass(slots=True)
class Project:
    account_id: str  # 32 hex, as in Cloudflare account ids
    project_id: str
    platform: str  # "workers" (Workers Builds) or "pages"
    worker: str  # Worker / Pages project name
    subdomain: str  # <worker>.<subdomain>.workers.dev
    owner: str
    repo: str
    pm: str
    pm_version: str
    framework: str
    node: str
    user: str  # the developer's local user name (leaks through absolute paths)
    email: str
    ansi: bool  # this project's tools print colour codes (FORCE_COLOR set)


class LogWriter:
    """Collects one build's messages, their timestamps (epoch µs) and the planted values."""

    __slots__ = ("rng", "r", "p", "msgs", "ts", "t", "planted", "ansi")

    def __init__(self, rng: random.Random, project: Project, start_us: int) -> None:
        self.rng = rng
        self.r = rng.random
        self.p = project
        self.msgs: list[str] = []
        self.ts: list[int] = []
        self.t = start_us
        self.planted: list[tuple[int, str, str]] = []  # (line_no, kind, value)
        self.ansi = project.ansi

    # -- writing -------------------------------------------------------------------------
    def add(self, msg: str) -> None:
        self.msgs.append(msg)
        self.ts.append(self.t)
        self.t += int(self.r() * 4000) + 50

    def block(self, msgs: list[str] | tuple[str, ...]) -> None:
        """Several lines printed together (one write): microseconds apart."""
        n = len(msgs)
        if not n:
            return
        self.msgs.extend(msgs)
        self.ts.extend(range(self.t, self.t + n * 37, 37))
        self.t += n * 37 + int(self.r() * 3000)

    def private(self, msg: str, *values: tuple[str, str]) -> None:
        """Add a line holding private values; each (kind, value) is recorded with its line."""
        self.add(msg)
        line_no = len(self.msgs)
        for kind, value in values:
            self.planted.append((line_no, kind, value))

    def wait(self, lo_s: float, hi_s: float) -> None:
        self.t += int((lo_s + self.r() * (hi_s - lo_s)) * 1_000_000)

    # -- randomness ----------------------------------------------------------------------
    def pick(self, seq):
        return seq[int(self.r() * len(seq))]

    def chance(self, p: float) -> bool:
        return self.r() < p

    def n(self, lo: int, hi: int) -> int:
        """An integer in [lo, hi]."""
        return lo + int(self.r() * (hi - lo + 1))

    def longtail(self, lo: int, hi: int) -> int:
        """Mostly near lo, sometimes far up to hi (for list lengths)."""
        return lo + int((hi - lo) * self.r() ** 3)

    # -- colour --------------------------------------------------------------------------
    def esbuild_error(self, text: str) -> str:
        if self.ansi:
            return f"{_ESC}31m✘ {_ESC}41;31m[{_ESC}41;97mERROR{_ESC}41;31m]{_ESC}0m {_ESC}1m{text}{_ESC}0m"
        return f"✘ [ERROR] {text}"

    def esbuild_warning(self, text: str) -> str:
        if self.ansi:
            return f"{_ESC}33m▲ {_ESC}43;33m[{_ESC}43;30mWARNING{_ESC}43;33m]{_ESC}0m {_ESC}1m{text}{_ESC}0m"
        return f"▲ [WARNING] {text}"

    def color(self, code: str, text: str) -> str:
        return f"{_ESC}{code}m{text}{_ESC}0m" if self.ansi else text

    def pnpm_err(self, code: str, text: str) -> str:
        if self.ansi:
            return f"{_ESC}41m{_ESC}30m {code} {_ESC}39m{_ESC}49m {_ESC}31m{text}{_ESC}39m"
        return f" {code}  {text}"

    def tsc(self, path: str, line: int, col: int, code: str, text: str, pretty: bool) -> str:
        if pretty and self.ansi:
            return (f"{_ESC}96m{path}{_ESC}0m:{_ESC}93m{line}{_ESC}0m:{_ESC}93m{col}{_ESC}0m - "
                    f"{_ESC}91merror{_ESC}0m{_ESC}90m {code}: {_ESC}0m{text}")
        if pretty:
            return f"{path}:{line}:{col} - error {code}: {text}"
        return f"{path}({line},{col}): error {code}: {text}"
