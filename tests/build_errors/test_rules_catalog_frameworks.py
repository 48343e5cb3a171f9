"""Framework, static-site, test-runner, compiler and linter formats from the tools' own message catalogues
(the Svelte compiler's compile-errors messages, vite-plugin-svelte, SvelteKit, Docusaurus, MkDocs, Sphinx, Hexo,
Eleventy/Nunjucks, Storybook, Jest/Vitest, PostCSS, SWC, Angular, cargo, go, Gradle, MSBuild, markdownlint,
golangci-lint, eslint-webpack-plugin, fork-ts-checker-webpack-plugin, webpack): each line is written from the tool's
message template for this test (not copied from the corpus), diagnosed as a one-line log, with its category and
error group."""

from __future__ import annotations

import pytest

from bloqr_dagster.build_errors.detectors import default_rules, diagnose

from .helpers import primary_code_and_group

CASES = [
    # the Svelte compiler's catalogue, bare and after vite-plugin-svelte's location
    ('[vite-plugin-svelte:compile] src/routes/+page.svelte:12:3 Attributes need to be unique',
     'build_command_failed', '[vite-plugin-svelte:compile] <FILE>:<LINE>:<COL> Attributes need to be unique'),
    ('src/lib/Card.svelte:4:10 Expected token }',
     'build_command_failed', '<FILE>:<LINE>:<COL> Expected token }'),
    ('src/lib/Nav.svelte:8:1 `<section>` was left open',
     'build_command_failed', '<FILE>:<LINE>:<COL> `<IDENTIFIER>` was left open'),
    ('Attribute shorthand cannot be empty',
     'build_command_failed', 'Attribute shorthand cannot be empty'),
    ('`style:` name cannot be empty',
     'build_command_failed', '`style:` name cannot be empty'),
    ('A :global {...} block cannot follow a > combinator',
     'build_command_failed', 'A :global {...} block cannot follow a > combinator'),
    ('A `:global` selector cannot be inside a pseudoclass',
     'build_command_failed', 'A `:global` selector cannot be inside a pseudoclass'),
    (':global(...) must contain exactly one selector',
     'build_command_failed', ':global(...) must contain exactly one selector'),
    ('Cannot use `export let` in runes mode — use `$props()` instead',
     'build_command_failed', 'Cannot use `export let` in runes mode — use `$props()` instead'),
    ('`$state.frozen` is now `$state.raw`',
     'build_command_failed', '`$state.frozen` is now `$state.raw`'),
    ('Cyclical dependency detected: total → sum → total',
     'build_command_failed', 'Cyclical dependency detected: <IDENTIFIER>'),
    ('`bind:checked` can only be used with <input type="checkbox">',
     'build_command_failed', '`bind:<IDENTIFIER>` can only be used with <input type="checkbox">'),
    ('{@const ...} must consist of a single variable declaration',
     'build_command_failed', '{@const ...} must consist of a single variable declaration'),
    ('ParseError: Unexpected token',
     'build_command_failed', 'ParseError: Unexpected token'),
    ('> config.kit.files.template has been renamed to config.kit.files.appTemplate',
     'build_command_failed', '> config.kit.files.template has been renamed to config.kit.files.appTemplate'),
    # Docusaurus' broken-link report
    ('Exhaustive list of all broken links found:',
     'build_command_failed', 'Exhaustive list of all broken links found:'),
    ('- Broken link on source page path = /docs/getting-started:',
     'build_command_failed', '- Broken link on source page path = <PATH>:'),
    ('- On source page path = /blog/2024/release:',
     'build_command_failed', '- On source page path = <PATH>:'),
    ('   -> linking to ../api/client (resolved as: /docs/api/client)',
     'build_command_failed', '-> linking to <PATH> (resolved as: <PATH>)'),
    ("Note: it's possible to ignore broken links with the 'onBrokenLinks' Docusaurus configuration, and let the build pass.",
     'build_command_failed', "Note: it's possible to ignore broken links with the 'onBrokenLinks' Docusaurus configuration, and let the build pass."),
    # MkDocs and Sphinx
    ('ERROR    -  Config value \'plugins\': The "search2" plugin is not installed',
     'build_command_failed', 'ERROR -  Config value \'<NAME>\': The "<NAME>" plugin is not installed'),
    ('Aborted with 12 warnings in strict mode!',
     'build_command_failed', 'Aborted with <N> warnings in strict mode!'),
    ('Aborted with a configuration error!',
     'build_command_failed', 'Aborted with a configuration error!'),
    ('Warning, treated as error:',
     'build_command_failed', 'Warning, treated as error:'),
    ('Extension error:',
     'build_command_failed', 'Extension error:'),
    ('build finished with problems, 2 warnings (with warnings treated as errors).',
     'build_command_failed', 'build finished with problems, <N> warnings (with warnings treated as errors).'),
    # Hexo, Eleventy, Nunjucks, Storybook
    ("FATAL Something's wrong. Maybe you can find the solution here: https://hexo.io/docs/troubleshooting.html",
     'build_command_failed', "FATAL Something's wrong. Maybe you can find the solution here: <URL>"),
    ('[11ty] Eleventy fatal error: (more in DEBUG output)',
     'build_command_failed', '[11ty] Eleventy fatal error: (more in DEBUG output)'),
    ('  expected block end in if statement',
     'build_command_failed', 'expected block end in if statement'),
    ('unknown block tag: endfor',
     'build_command_failed', 'unknown block tag: endfor'),
    ('SB_BUILDER-WEBPACK5_0003 (WebpackCompilationError): There were problems when compiling your code with Webpack.',
     'build_command_failed', 'SB_BUILDER-WEBPACK5_0003 (WebpackCompilationError): There were problems when compiling your code with Webpack.'),
    ('=> Failed to build the preview',
     'build_command_failed', '=> Failed to build the preview'),
    # Jest / Vitest in a build
    ('Tests:       3 failed, 40 passed, 43 total',
     'build_command_failed', 'Tests: <N> failed, <N> passed, <N> total'),
    ('Test Suites: 1 failed, 7 passed, 8 total',
     'build_command_failed', 'Test Suites: <N> failed, <N> passed, <N> total'),
    (' Test Files  2 failed | 11 passed (13)',
     'build_command_failed', 'Test Files  <N> failed | <N> passed (<N>)'),
    ('      Tests  5 failed | 120 passed (125)',
     'build_command_failed', 'Tests  <N> failed | <N> passed (<N>)'),
    # PostCSS, SWC, Angular
    ('[vite:css] [postcss] /app/src/styles/main.css:14:3: Unknown word',
     'build_command_failed', '[vite:css] [postcss] <FILE>:<LINE>:<COL>: Unknown word'),
    ("  x Expected ';', '}' or <eof>",
     'build_command_failed', "x Expected ';', '}' or <eof>"),
    ('  × Unexpected token `<`. Expected jsx identifier',
     'build_command_failed', '× Unexpected token `<`. Expected jsx identifier'),
    ('1: failed to parse input file',
     'build_command_failed', '<N>: failed to parse input file'),
    ("✘ [ERROR] NG8001: 'app-header' is not a known element:",
     'build_command_failed', "✘ [ERROR] NG8001: '<IDENTIFIER>' is not a known element:"),
    ("Error: src/app/app.component.html:7:3 - error NG8002: Can't bind to 'ngModel' since it isn't a known property of 'input'.",
     'build_command_failed', "Error: <FILE>:<LINE>:<COL> - error NG8002: Can't bind to '<IDENTIFIER>' since it isn't a known property of '<IDENTIFIER>'."),
    # compilers a build step runs
    ('error: could not compile `webapp` (lib) due to 3 previous errors',
     'build_command_failed', 'error: could not compile `<PACKAGE>` (lib) due to <N> previous errors'),
    ('./cmd/server/main.go:41:2: undefined: handleLogin',
     'build_command_failed', '<FILE>:<LINE>:<COL>: undefined: <IDENTIFIER>'),
    ('internal/db/db.go:9:2: no required module provides package github.com/lib/pq; to add it:',
     'module_not_found', '<FILE>:<LINE>:<COL>: no required module provides package <MODULE>; to add it:'),
    ('main.go:5:2: package golang.org/x/exp/slices is not in std (/usr/local/go/src/golang.org/x/exp/slices)',
     'module_not_found', '<FILE>:<LINE>:<COL>: package <MODULE> is not in std (<PATH>)'),
    ('* What went wrong:',
     'build_command_failed', '* What went wrong:'),
    ('    2 Error(s)',
     'build_command_failed', '<N> Error(s)'),
    ('/usr/share/dotnet/sdk/6.0.400/Sdks/Microsoft.NET.Sdk/targets/Microsoft.NET.TargetFrameworkInference.targets(144,5): error NETSDK1045: The current .NET SDK does not support targeting .NET 8.0. [/home/runner/work/app/app.csproj]',
     'build_command_failed', '<FILE>(<LINE>,<COL>): error NETSDK1045: The current .NET SDK does not support targeting .NET <VERSION>. [<PATH>]'),
    # linters
    ('[eslint] ',
     'lint_error', '[eslint]'),
    ('ERROR in [eslint] ',
     'lint_error', 'ERROR in [eslint]'),
    ('CHANGELOG.md:33 MD012/no-multiple-blanks Multiple consecutive blank lines [Expected: 1; Actual: 2]',
     'lint_error', '<FILE>:<LINE> MD012/no-multiple-blanks Multiple consecutive blank lines [<DETAIL>]'),
    ('docs/setup.md:3:81 error MD013/line-length Line length [Expected: 80; Actual: 97]',
     'lint_error', '<FILE>:<LINE> error MD013/line-length Line length [<DETAIL>]'),
    ('pkg/api/server.go:88:12: Error return value of `w.Write` is not checked (errcheck)',
     'lint_error', '<FILE>:<LINE>:<COL>: Error return value of `<IDENTIFIER>` is not checked (errcheck)'),
    ('internal/cache/lru.go:17:6: func `newEntry` is unused (unused)',
     'lint_error', '<FILE>:<LINE>:<COL>: func `<IDENTIFIER>` is unused (unused)'),
    # fork-ts-checker and webpack's cause on the next line
    ('ERROR in /home/runner/work/app/src/store/index.ts(14,7):',
     'typescript_error', 'ERROR in <FILE>'),
    ('ERROR in src/components/Table.tsx:22:9',
     'typescript_error', 'ERROR in <FILE>'),
    # webpack's own module error names a request, not a TypeScript file
    ('ERROR in ./src/index.ts 12:3-15',
     'build_command_failed', 'ERROR in <FILE> <N>:<N>-<N>'),
    ("ERROR in ./src/index.js\nModule not found: Error: Can't resolve 'lodash-es' in '/app/src'",
     'module_not_found', "ERROR in <FILE> Module not found: Error: Can't resolve '<MODULE>' in '<PATH>'"),
]


@pytest.mark.parametrize(("text", "category", "group"), CASES, ids=[c[0].splitlines()[0][:48] for c in CASES])
def test_catalog_format(text: str, category: str, group: str) -> None:
    assert primary_code_and_group(text) == (category, group)


# Progress, info, warnings and clean summaries of the same tools: not errors.
@pytest.mark.parametrize("line", [
    "[vite-plugin-svelte] src/App.svelte:12:2 A11y: <img> element should have an alt attribute",
    "[vite-plugin-svelte] src/lib/Card.svelte:3:5 Unused CSS selector \".title\"",
    "svelte-check found 0 errors and 0 warnings",
    "[SUCCESS] Generated static files in \"build\".",
    "[WARNING] Docusaurus found broken anchors!",
    "INFO    -  Documentation built in 1.23 seconds",
    "WARNING -  Doc file 'index.md' contains a link 'missing.md', but the target is not found among documentation files.",
    "build succeeded, 3 warnings.",
    "build finished with problems, 3 warnings.",
    "INFO  Generated: index.html",
    "[11ty] Wrote 42 files in 0.81 seconds (19.3ms each, v2.0.1)",
    "=> Preview built (12 s)",
    "Tests:       42 passed, 42 total",
    "Test Suites: 8 passed, 8 total",
    " Test Files  13 passed (13)",
    "      Tests  125 passed (125)",
    "Tests:       0 failed, 12 passed, 12 total",
    "   Compiling webapp v0.1.0 (/home/runner/work/webapp)",
    "    Finished `release` profile [optimized] target(s) in 41.20s",
    "warning: unused variable: `x`",
    "    0 Error(s)",
    "    2 Warning(s)",
    "BUILD SUCCESSFUL in 12s",
    "go: downloading github.com/lib/pq v1.10.9",
    "Summary: 0 error(s)",
    "0 issues.",
    "webpack compiled with 2 warnings",
    "Linting: 12 file(s)",
])
def test_catalog_not_an_error(line: str) -> None:
    assert diagnose(line, default_rules()).primary is None, line
