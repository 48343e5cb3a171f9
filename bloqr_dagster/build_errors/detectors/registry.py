"""The detector registry: every tool family's rules, in the order ties are broken.

The general layer (rules/general.py) comes last: its rules have the lowest priorities, so a tool
rule always claims a line first. Rules are validated when a rule set is built (ruleset.py).
"""

from __future__ import annotations

from bloqr_dagster.build_errors.detectors.model import Detector
from bloqr_dagster.build_errors.detectors.rules import (
    bun,
    bundlers,
    ci,
    docker,
    esbuild,
    frameworks,
    general,
    generic,
    git,
    lint,
    linters,
    network,
    node,
    npm,
    phrases,
    platform,
    pnpm,
    python,
    ruby,
    shell,
    ssg,
    typescript,
    wrangler,
    yarn,
)

# Order matters only between rules of equal priority matching the same line: earlier wins.
DETECTORS: tuple[Detector, ...] = tuple(m.DETECTOR for m in (
    generic, npm, pnpm, yarn, bun, python, ruby, git, network, typescript, esbuild, wrangler, node, docker,
    ssg, frameworks, bundlers, lint, linters, shell, ci, platform, phrases, general,
))
