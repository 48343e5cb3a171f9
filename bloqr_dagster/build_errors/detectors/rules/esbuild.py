"""esbuild diagnostics (`✘ [ERROR] ...`, `X [ERROR]` in snapshots, `file:1:2: ERROR: ...`).

wrangler, vite, astro and others bundle with esbuild and print the same format: a line is attributed
to the tool running when it was printed (context.py), else by the stage (deploy: wrangler).
"""

from __future__ import annotations

from bloqr_dagster.build_errors.detectors.model import Detector
from bloqr_dagster.build_errors.detectors.rules._dsl import mask, rule

ERR = r"(?:✘|X|×) \[ERROR\]"
# the opening of a diagnostic in either format, with the plugin that reported it: `✘ [ERROR] [plugin x] `, `a.ts: ERROR: `
DIAGNOSTIC = rf"^(?:{ERR} |[^\s:]{{1,300}}: ERROR: )(?:\[plugin:? [^\]]{{1,80}}\] )?"
# esbuild before 0.14 (2021): ` > src/a.ts:1:2: error: Could not resolve "x" (mark it as external ...)`
OLD = r"^> [^\s:]{1,300}:\d+:\d+: error:"
# js_parser's `Cannot use "await" outside an async function`, `Cannot use "x" as an identifier here:`,
# `Cannot use "??" with "||" without parentheses`, `Cannot use a "yield" expression here:`
CANNOT_USE = (r"Cannot use (?:an? )?\"[^\"]{1,40}\" (?:expression |declaration |directive )?"
              r"(?:outside an?|as an identifier here|here|with \"[^\"]{1,10}\" without parentheses|directly inside|in a function)")


def _file_or_module(keyword: str, placeholder_for_paths: str = "<FILE>") -> tuple:
    """`in "src/a.ts"` -> `in "<FILE>"`, `in "node:fs"` -> `in "<MODULE>"`."""
    return (
        mask(rf'({keyword} )"(?:[^"]*/[^"]*|[^"]*\.[a-z]{{1,5}})"', rf'\1"{placeholder_for_paths}"'),
        mask(rf'({keyword} )"[^"<]*"', r'\1"<MODULE>"'),
    )


DETECTOR = Detector("esbuild", "esbuild", shared=True, rules=(
    rule("esbuild-could-not-resolve", "module_not_found",
         rf"{ERR} Could not resolve \"|\bERROR: Could not resolve \"|{OLD} Could not resolve \"", "could not resolve", priority=100,
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
         DIAGNOSTIC + r"(?:Expected .{1,80} but found |Unexpected (?:\"|end of file|closing \"|newline)|Unterminated "
         r"|The character \"[^\"]{1,4}\" is not valid inside a JSX element|The JSX syntax extension is not currently enabled"
         r"|No loader is configured for \"|Do not know how to load path"
         r"|.{1,120}(?:to|in) the configured target environment|Top-level await is (?:not available|currently not supported)"
         r"|This require call is not allowed because|Detected inconsistent metadata for the path|CSS nesting is causing"
         r"|The symbol \"[^\"]{1,80}\" has already been declared|Multiple exports with the same name"
         r"|Invalid assignment target|Cannot assign to \"[^\"]{1,80}\" because it is a constant"
         # more of js_parser's and js_lexer's messages: misplaced keywords, bad syntax, class and JSON rules
         rf"|{CANNOT_USE}|Syntax error \"|Expected \"[^\"]{{1,10}}\" to (?:terminate|go with)"
         r"|Invalid binding pattern|Decorators are not (?:valid here|allowed on class constructors)|Multiple default clauses are not allowed"
         r"|Classes cannot contain more than one constructor|Class constructor cannot be an? |A return statement cannot be used here"
         r"|Private name \"[^\"]{1,80}\" must be declared in an enclosing class|Legacy octal (?:literals|escape sequences) cannot be used"
         r"|Unexpected newline before \"|The keyword \"[^\"]{1,20}\" cannot be used here|Template literals cannot have an optional chain"
         r"|JSON does not support (?:trailing commas|comments)|Duplicate label \"|Delete of a bare identifier cannot be used)",
         "but found", "unexpected ", "unterminated", "inside a jsx element", "jsx syntax extension", "no loader is configured",
         "do not know how to load path", "configured target environment", "top-level await", "this require call",
         "inconsistent metadata", "css nesting", "has already been declared", "multiple exports with the same name",
         "invalid assignment target", "because it is a constant", "cannot use", "syntax error", "to terminate", "to go with",
         "invalid binding pattern", "decorators are not", "multiple default clauses", "more than one constructor",
         "class constructor cannot be", "a return statement cannot", "must be declared in an enclosing class", "legacy octal",
         "unexpected newline before", "the keyword", "optional chain", "json does not support", "duplicate label",
         "delete of a bare identifier", priority=65, relative="general",
         masks=(mask(r'((?:Expected|but found|Unexpected) )"[^"]*"', r'\1"<TOKEN>"'),
                mask(r'(Private name )"[^"]*"', r'\1"<IDENTIFIER>"'))),
    # the bundler's and the API's own errors (not the parsed source): unreadable inputs, conflicting outputs and
    # options; the category follows the tool that bundled, like the source errors above
    rule("esbuild-bundle-error", "build_command_failed",
         DIAGNOSTIC + r"(?:Cannot read (?:file|directory) \"|Could not read from file: |The (?:entry point|injected path) \"[^\"]{1,200}\" cannot be marked as external"
         r"|Two output files share the same path but have different contents|Cannot use both \"outfile\" and \"outdir\""
         r"|Must use \"outdir\" when there are multiple input files|Detected cycle while resolving import \"|Could not load data URL"
         r"|Bundling (?:with \"[^\"]{1,40}\" imports is not supported|\"[^\"]{1,40}\" imports with the \"[^\"]{1,20}\" output format)"
         r"|Splitting currently only works with the \"esm\" format|Refusing to overwrite input file \"|Invalid loader value: \")",
         "cannot read file", "cannot read directory", "could not read from file", "cannot be marked as external",
         "two output files share", "both \"outfile\" and \"outdir\"", "must use \"outdir\"", "detected cycle", "could not load data url",
         "imports is not supported", "imports with the", "splitting currently", "refusing to overwrite", "invalid loader value", priority=65, relative="general",
         masks=(mask(r'((?:file|entry point|injected path|input file) )"[^"]*"', r'\1"<FILE>"'),
                mask(r'(directory )"[^"]*"', r'\1"<PATH>"'))),
    # esbuild before 0.14: ` > src/a.ts:1:2: error: Unexpected "}"` (its warnings say `warning:`)
    rule("esbuild-old-file-error", "build_command_failed", OLD, "error:", priority=55,
         masks=(mask(r"^> [^\s:]+:\d+:\d+:", "> <FILE>:<LINE>:<COL>:"), mask(r'((?:Expected|but found|Unexpected) )"[^"]*"', r'\1"<TOKEN>"'))),
    # `✘ [ERROR] Build failed with 3 errors:`: wrangler's bundle step, or vite's, per the tool running
    rule("esbuild-build-failed-summary", "build_command_failed", rf"{ERR} Build failed with \d+ errors?",
         "build failed", priority=20, relative="general"),
    rule("esbuild-build-failed", "build_command_failed", r"^Build failed with \d+ errors?", "build failed",
         priority=20),
    rule("esbuild-file-error", "build_command_failed", r"^\S+:\d+:\d+: ERROR: ", "error:", priority=55,
         masks=(mask(r"\[plugin(:?) [^\]]+\]", r"[plugin\1 <PLUGIN>]"),)),
))
