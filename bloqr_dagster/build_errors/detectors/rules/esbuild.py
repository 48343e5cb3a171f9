"""esbuild diagnostics (`✘ [ERROR] ...`, `X [ERROR]` in snapshots, `file:1:2: ERROR: ...`).

wrangler, vite, astro and others bundle with esbuild and print the same format: a line is attributed
to the tool running when it was printed (context.py), else by the stage (deploy: wrangler).
"""

from __future__ import annotations

from bloqr_dagster.build_errors.detectors.model import Detector
from bloqr_dagster.build_errors.detectors.rules._dsl import mask, rule

ERR = r"(?:✘|X|×) \[ERROR\]"


def _file_or_module(keyword: str, placeholder_for_paths: str = "<FILE>") -> tuple:
    """`in "src/a.ts"` -> `in "<FILE>"`, `in "node:fs"` -> `in "<MODULE>"`."""
    return (
        mask(rf'({keyword} )"(?:[^"]*/[^"]*|[^"]*\.[a-z]{{1,5}})"', rf'\1"{placeholder_for_paths}"'),
        mask(rf'({keyword} )"[^"<]*"', r'\1"<MODULE>"'),
    )


DETECTOR = Detector("esbuild", "esbuild", shared=True, rules=(
    rule("esbuild-could-not-resolve", "module_not_found",
         rf"{ERR} Could not resolve \"|\bERROR: Could not resolve \"", "could not resolve", priority=100,
         masks=(mask(r'(Could not resolve )"[^"]*"', r'\1"<MODULE>"'),)),
    rule("esbuild-no-matching-export", "module_not_found", r"No matching export in \"[^\"]*\" for import",
         "no matching export", priority=100,
         masks=(*_file_or_module("in"), mask(r'(for import )"[^"]*"', r'\1"<IDENTIFIER>"'))),
    rule("esbuild-did-you-mean-import", "module_not_found", r"Did you mean to import \"[^\"]*\" instead",
         "did you mean to import", priority=60, masks=(mask(r'(import )"[^"]*"', r'\1"<IDENTIFIER>"'),)),
    rule("esbuild-node-builtin", "module_not_found",
         r"The package \"[^\"]+\" wasn't found on the file system but is built into node", "wasn't found",
         priority=100, masks=(mask(r'(package )"[^"]*"', r'\1"<MODULE>"'),)),
    rule("esbuild-syntax", "build_command_failed", r"\bERROR: (?:Expected .+ but found|Unexpected |Unterminated )",
         "error: expected", "error: unexpected", "error: unterminated", priority=60,
         masks=(mask(r'"[^"]*"', '"<TOKEN>"'),)),
    # `✘ [ERROR] Build failed with 3 errors:`: wrangler's bundle step, or vite's, per the tool running
    rule("esbuild-build-failed-summary", "build_command_failed", rf"{ERR} Build failed with \d+ errors?",
         "build failed", priority=20, relative="general"),
    rule("esbuild-build-failed", "build_command_failed", r"^Build failed with \d+ errors?", "build failed",
         priority=20),
    rule("esbuild-file-error", "build_command_failed", r"^\S+:\d+:\d+: ERROR: ", "error:", priority=55,
         masks=(mask(r"\[plugin(:?) [^\]]+\]", r"[plugin\1 <PLUGIN>]"),)),
))
