"""Build-stage formats of bundlers, frameworks, tsc, eslint and Node (lines written for these tests, not
copied from the corpus): each line alone, its category and the group its rule masks."""

from __future__ import annotations

import pytest

from bloqr_dagster.build_errors.detectors import diagnose

CASES = [
    # esbuild's source diagnostics are build errors when vite (or esbuild itself) bundles
    ('> vite build\n✘ [ERROR] The character ">" is not valid inside a JSX element', "build_command_failed", None),
    ('> vite build\n✘ [ERROR] Expected ")" but found "return"', "build_command_failed",
     '✘ [ERROR] Expected "<TOKEN>" but found "<TOKEN>"'),
    ("> esbuild src/a.ts\n✘ [ERROR] No loader is configured for \".wasm\" files: src/lib/x.wasm", "build_command_failed", None),
    ('> vite build\n✘ [ERROR] Top-level await is not available in the configured target environment ("chrome87")',
     "build_command_failed", None),
    ('entry.js: ERROR: This require call is not allowed because the transitive dependency "b.js" contains a top-level'
     ' await', "build_command_failed", None),
    ('> vite build\nsrc/main.ts:9:2: ERROR: Unterminated string literal', "build_command_failed", None),
    ('X [ERROR] Unexpected external import of "node:net".', "wrangler_error", None),
    # Rollup/Vite load failures, Turbopack and Gatsby resolve details
    ("[vite:virtual] Could not load virtual:my-plugin/routes (imported by src/main.ts): boom",
     "build_command_failed", None),
    ("Could not load /app/src/A.vue (imported by src/main.ts): ENOENT: no such file or directory, open '/app/src/A.vue'",
     "module_not_found", None),
    ("    Error resolving CommonJS request", "module_not_found", None),
    ("If you're trying to use a package make sure that 'lodash' is installed.", "module_not_found", None),
    ("If you do want to externalize this module explicitly add it to", "module_not_found", None),
    # frameworks
    ("info  - Creating an optimized production build ...Failed to compile.", "build_command_failed", None),
    ("▲  Failed to type check.", "typescript_error", None),
    ("[MissingSharpError] Could not find Sharp.", "build_command_failed", None),
    ("│   ✖ Nuxt Fatal Error   │", "build_command_failed", None),
    ("[11ty] > Having trouble rendering liquid template ./src/index.liquid", "build_command_failed",
     "[11ty] > Having trouble rendering liquid template <FILE>"),
    ("[11ty] 1. Cannot find module 'markdown-it-anchor' (via Error)", "module_not_found", None),
    ("You’re trying to use a layout that does not exist: base.njk", "missing_file", None),
    ("⚡️ ERROR: Failed to produce a Cloudflare Pages build from the project.", "build_command_failed", None),
    ("  You may need an appropriate loader to handle this file type, currently no loaders are configured.",
     "build_command_failed", None),
    ('Warning: Task "eslint:src" failed. Use --force to continue.', "lint_error", None),
    ("Execution failed for task ':app:mergeDebugResources'.", "build_command_failed",
     "Execution failed for task '<TASK>'."),
    ("build error:", "build_command_failed", None),
    # tsc and the tools that print its diagnostics
    ("TypeScript error in /app/src/List.tsx(14,3):", "typescript_error", "TypeScript error in <PATH>(<LINE>,<COL>):"),
    (" ERROR(vue-tsc)  Property 'foo' does not exist on type 'Bar'.", "typescript_error", None),
    ('1700000000000 COMPLETED 12 FILES 3 ERRORS 0 WARNINGS 2 FILES_WITH_PROBLEMS', "typescript_error", None),
    ("  Object literal may only specify known properties, and 'colour' does not exist in type 'Style'.",
     "typescript_error", None),
    # eslint
    ("Most CI servers set it automatically.", "lint_error", None),
    ("  3 errors and 0 warnings potentially fixable with the `--fix` option.", "lint_error", None),
    ("./pages/a.js 4:5 See: https://nextjs.org/docs/messages/no-img-element", "lint_error", None),
    # Node / V8 and the shell
    ("[my-plugin] Cannot read properties of null (reading 'id')", "build_command_failed", None),
    ("> kit.adapter.build is not a function", "build_command_failed", None),
    (" 1: 0xb0a7c0 node::Abort() [node]", "out_of_memory", None),
    ("/tmp/run.sh: line 12:  4242 Killed                  node build.js", "out_of_memory", None),
    ("/tmp/run.sh: line 12:  4242 Aborted                 (core dumped) vite build", "build_command_failed", None),
    ("code: 'PLUGIN_ERROR',", "build_command_failed", None),
    # npm's ENOENT exit code, and CRA's missing required file
    ('Error: Command "yarn build" exited with 254', "missing_file", None),
    ("  Searched in: /home/app/public", "missing_file", None),
]


@pytest.mark.parametrize(("line", "category", "group"), CASES)
def test_build_format_lines(line: str, category: str, group: str | None) -> None:
    d = diagnose(line)
    assert d.errors, line
    assert d.errors[0].error_code == category, line
    if group is not None:
        assert d.errors[0].error_group == group


@pytest.mark.parametrize("line", [
    "1700000000000 COMPLETED 12 FILES 0 ERRORS 2 WARNINGS 1 FILES_WITH_PROBLEMS",
    "[TypeScript] Found 0 errors. Watching for file changes.",
    "Compiled successfully in 3.2s",
])
def test_build_format_non_errors(line: str) -> None:
    assert not diagnose(line).errors
