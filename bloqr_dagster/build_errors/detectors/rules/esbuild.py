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
    # esbuild's own parse, JSX, loader and target diagnostics, in either format (`✘ [ERROR] x` as vite, astro or
    # wrangler print it, `file: ERROR: x`): the source did not compile. The category follows the tool that
    # bundled (vite: build_command_failed; wrangler's bundle step: wrangler_error, as the taxonomy says).
    # `file:1:2: ERROR: x` (esbuild's own log format) is left to the fixed-category rules below.
    rule("esbuild-source-error", "build_command_failed",
         rf"^(?:{ERR} |[^\s:]{{1,300}}: ERROR: )(?:\[plugin:? [^\]]{{1,80}}\] )?"
         r"(?:Expected .{1,80} but found |Unexpected (?:\"|end of file|closing \"|newline)|Unterminated "
         r"|The character \"[^\"]{1,4}\" is not valid inside a JSX element|The JSX syntax extension is not currently enabled"
         r"|No loader is configured for \"|Do not know how to load path"
         r"|.{1,120}(?:to|in) the configured target environment|Top-level await is (?:not available|currently not supported)"
         r"|This require call is not allowed because|Detected inconsistent metadata for the path|CSS nesting is causing"
         r"|The symbol \"[^\"]{1,80}\" has already been declared|Multiple exports with the same name"
         r"|Invalid assignment target|Cannot assign to \"[^\"]{1,80}\" because it is a constant)",
         "but found", "unexpected ", "unterminated", "inside a jsx element", "jsx syntax extension", "no loader is configured",
         "do not know how to load path", "configured target environment", "top-level await", "this require call",
         "inconsistent metadata", "css nesting", "has already been declared", "multiple exports with the same name",
         "invalid assignment target", "because it is a constant", priority=65, relative="general",
         masks=(mask(r'((?:Expected|but found|Unexpected) )"[^"]*"', r'\1"<TOKEN>"'),)),
    # `✘ [ERROR] Build failed with 3 errors:`: wrangler's bundle step, or vite's, per the tool running
    rule("esbuild-build-failed-summary", "build_command_failed", rf"{ERR} Build failed with \d+ errors?",
         "build failed", priority=20, relative="general"),
    rule("esbuild-build-failed", "build_command_failed", r"^Build failed with \d+ errors?", "build failed",
         priority=20),
    rule("esbuild-file-error", "build_command_failed", r"^\S+:\d+:\d+: ERROR: ", "error:", priority=55,
         masks=(mask(r"\[plugin(:?) [^\]]+\]", r"[plugin\1 <PLUGIN>]"),)),
))
