"""The detector registry: every tool family's rules, in the order ties are broken."""

from __future__ import annotations

from bloqr_dagster.build_errors.detectors.model import CATEGORIES, Detector
from bloqr_dagster.build_errors.detectors.rules import (
    bun,
    ci,
    esbuild,
    frameworks,
    generic,
    git,
    lint,
    network,
    node,
    npm,
    platform,
    pnpm,
    python,
    ruby,
    shell,
    typescript,
    wrangler,
    yarn,
)

# Order matters only between rules of equal priority matching the same line: earlier wins.
DETECTORS: tuple[Detector, ...] = tuple(m.DETECTOR for m in (
    generic, npm, pnpm, yarn, bun, python, ruby, git, network, typescript, esbuild, wrangler, node,
    frameworks, lint, shell, ci, platform,
))


def validate(detectors: tuple[Detector, ...] = DETECTORS) -> None:
    """Fail fast on a rule that names an unknown category or duplicates a name."""
    seen: set[str] = set()
    for det in detectors:
        for r in det.rules:
            if r.name in seen:
                raise ValueError(f"duplicate rule name {r.name!r}")
            seen.add(r.name)
            codes = [r.error_code, *(c.error_code for c in r.causes)]
            for code in codes:
                if not r.ignore and code not in CATEGORIES:
                    raise ValueError(f"rule {r.name!r}: unknown error_code {code!r}")


validate()
