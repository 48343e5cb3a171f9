"""Linter, formatter and type-checker formats from the tools' own message catalogues (ESLint's `messages/*.js`,
config and CLI errors and formatters; stylelint's configuration errors and string formatter; Prettier's CLI; Biome's
diagnostics; markdownlint-cli2's summary; mypy, pyright and ruff; RuboCop; golangci-lint; hadolint; ShellCheck;
commitlint): each line is written from the tool's message template for this test with invented values (not copied
from the corpus), diagnosed as a one-line log, with its category and error group.

Decisions: Prettier's `[warn] Code style issues found ...` fails `prettier --check` (exit 1), so it is a lint_error
despite its level; a file Prettier cannot parse during a format check is a lint_error like ESLint's `Parsing error:`.
Type checkers of any language (mypy, pyright) are typescript_error (TAXONOMY: type-check failures), except an import
they cannot resolve, which is module_not_found like tsc's TS2307. hadolint's and ShellCheck's warnings fail their
run by default (hadolint's threshold is `info`), so they are errors; hadolint's `style` findings are not."""

from __future__ import annotations

import pytest

from bloqr_dagster.build_errors.detectors import default_rules, diagnose

from .helpers import primary_code_and_group

CASES = [
    # ESLint's message templates (eslint/eslint messages/*.js) and config errors (lib/config/config.js)
    ('A configuration object specifies rule "import-x/no-cycle", but could not find plugin "import-x".',
     'lint_error', 'A configuration object specifies rule "<RULE>", but could not find plugin "<NAME>".'),
    ('The following rules do not support the language "json/jsonc":',
     'lint_error', 'The following rules do not support the language "<NAME>":'),
    ('"plugin:vue/recomended" is invalid syntax for a config specifier.',
     'lint_error', '"<NAME>" is invalid syntax for a config specifier.'),
    ('The requested operation requires ESLint to serialize configuration data,',
     'lint_error', 'The requested operation requires ESLint to serialize configuration data,'),
    ('TypeError: Cannot redefine plugin "unicorn".',
     'lint_error', 'TypeError: Cannot redefine plugin "<NAME>".'),
    ("Error: The 'jiti' library is required for loading TypeScript configuration files. Make sure to install it.",
     'lint_error', "Error: The 'jiti' library is required for loading TypeScript configuration files. Make sure to "
     "install it."),
    ('There are suppressions left that do not occur anymore. To resolve this, re-run the command with '
     '`--prune-suppressions` to remove unused suppressions.',
     'lint_error', 'There are suppressions left that do not occur anymore. To resolve this, re-run the command with '
     '`--prune-suppressions` to remove unused suppressions.'),
    ("Invalid option '--ext' - perhaps you meant '-c'?",
     'lint_error', "Invalid option '--ext' - perhaps you meant '-c'?"),
    ('Invalid Options:',
     'lint_error', 'Invalid Options:'),
    ('- Unknown options: rulesdir, resolve-plugins-relative-to',
     'lint_error', '- Unknown options: rulesdir, resolve-plugins-relative-to'),
    ("- 'ignorePath' has been removed.",
     'lint_error', "- 'ignorePath' has been removed."),
    ('TypeError: Key "rules": Key "no-native-reassign": Rule "no-native-reassign" was removed and replaced by '
     '"no-global-assign".',
     'lint_error', 'TypeError: Key "rules": Key "<NAME>": Rule "<RULE>" was removed and replaced by "<RULE>".'),
    ('ConfigError: Config "vendor/strict": Key "rules": Key "jsdoc/check-tag": Could not find plugin "jsdoc" in '
     'configuration.',
     'lint_error', 'ConfigError: Config "<NAME>": Key "rules": Key "<NAME>": Could not find plugin "<NAME>" in '
     'configuration.'),
    ('Config (unnamed): Key "plugins": Key "react": Expected an object.',
     'lint_error', 'Config (unnamed): Key "plugins": Key "<NAME>": Expected an object.'),
    # formatters: stylish, checkstyle, visualstudio; Next.js's `next lint`
    ("  41:7  error  'handler' is assigned a value but never used  @typescript-eslint/no-unused-vars",
     'lint_error', "<LINE>:<COL>  error  '<IDENTIFIER>' is assigned a value but never used  "
     "@typescript-eslint/no-unused-vars"),
    ('<error line="18" column="3" severity="error" message="Unexpected console statement. (no-console)" '
     'source="eslint.rules.no-console" />',
     'lint_error', '<error line="<LINE>" column="<COL>" severity="error" message="Unexpected console statement. '
     '(no-console)" source="eslint.rules.no-console" />'),
    ('<error line="7" column="12" severity="error" message="&apos;ctx&apos; is defined but never used. '
     '(no-unused-vars)" source="eslint.rules.no-unused-vars" />',
     'lint_error', '<error line="<LINE>" column="<COL>" severity="error" message="&apos;<IDENTIFIER>&apos; is defined '
     'but never used. (no-unused-vars)" source="eslint.rules.no-unused-vars" />'),
    ("lib/router.js(22,14): error no-undef : 'fetchJson' is not defined.",
     'lint_error', "<FILE>(<LINE>,<COL>): error no-undef : '<IDENTIFIER>' is not defined."),
    ("33:11  Error: 'router' is defined but never used.  @typescript-eslint/no-unused-vars",
     'lint_error', "<LINE>:<COL>  Error: '<IDENTIFIER>' is defined but never used.  @typescript-eslint/no-unused-vars"),
    ('ESLint found too many warnings (maximum: 10).',
     'lint_error', 'ESLint found too many warnings (maximum: <N>).'),
    # stylelint (lib/getConfigForFile.mjs, lib/utils/getModulePath.mjs, lib/utils/errors.mjs, string formatter)
    ('Error: No configuration provided for /home/runner/work/shop/src/styles/theme.scss',
     'lint_error', 'Error: No configuration provided for <PATH>'),
    ('Error: Could not find "stylelint-config-recess-order". Do you need to install the package or use the '
     '"configBasedir" option?',
     'lint_error', 'Error: Could not find "<PACKAGE>". Do you need to install the package or use the "configBasedir" '
     'option?'),
    ('Error: All input files were ignored because of the ignore pattern. Either change your input, ignore pattern or '
     'use "--allow-empty-input" to allow no inputs',
     'lint_error', 'Error: All input files were ignored because of the ignore pattern. Either change your input, '
     'ignore pattern or use "--allow-empty-input" to allow no inputs'),
    ('Invalid Option: Invalid option value "always" for rule "selector-max-id"',
     'lint_error', 'Invalid Option: Invalid option value "always" for rule "<RULE>"'),
    ('✖  Unexpected unknown at-rule "@apply"  scss/at-rule-no-unknown',
     'lint_error', '✖  Unexpected unknown at-rule "<SELECTOR>"  scss/at-rule-no-unknown'),
    ('  9:3  ✖  Unexpected duplicate selector ".card"  no-duplicate-selectors',
     'lint_error', '<LINE>:<COL>  ✖  Unexpected duplicate selector "<SELECTOR>"  no-duplicate-selectors'),
    # Prettier's CLI (prettier/prettier src/cli/)
    ('[error] src/components/Modal.tsx: SyntaxError: Unexpected token, expected "," (27:9)',
     'lint_error', '[error] <FILE>: SyntaxError: Unexpected token, expected "," (<LINE>:<COL>)'),
    ('[error] Error occurred when checking code style in the above file.',
     'lint_error', '[error] Error occurred when checking code style in the above file.'),
    ('Error occurred when checking code style in 2 files.',
     'lint_error', 'Error occurred when checking code style in <N> files.'),
    ('[error] Invalid configuration for file "docs/intro.md":',
     'lint_error', '[error] Invalid configuration for file "<FILE>":'),
    ('[error] Couldn\'t resolve parser "astro".',
     'lint_error', '[error] Couldn\'t resolve parser "<NAME>".'),
    ('[error] No matching files. Patterns: "content/**/*.mdx" "!vendor"',
     'lint_error', '[error] No matching files. Patterns: <PATTERN>'),
    ('[warn] Code style issues found in 7 files. Run Prettier with --write to fix.',
     'lint_error', '[warn] Code style issues found in <N> files. Run Prettier with --write to fix.'),
    # Biome (crates/biome_cli/src/diagnostics.rs, biome_deserialize)
    ('biome.json:12:7 deserialize ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━',
     'lint_error', '<FILE> deserialize ━━━'),
    ('src/pages/index.tsx:40:1 parse ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━',
     'lint_error', '<FILE> parse ━━━'),
    ('× No files were processed in the specified paths.',
     'lint_error', '× No files were processed in the specified paths.'),
    ('× Found an unknown key `noVar`.',
     'lint_error', '× Found an unknown key `<NAME>`.'),
    # markdownlint-cli2 (markdownlint-cli2.mjs)
    ('Summary: 4 issues in 2 files',
     'lint_error', 'Summary: <N> issues in <N> files'),
    ('Summary: 1 error(s)',
     'lint_error', 'Summary: <N> error(s)'),
    # ruff's full output format and summary
    ('F841 [*] Local variable `tmp` is assigned to but never used',
     'lint_error', 'F841 [*] Local variable `<IDENTIFIER>` is assigned to but never used'),
    (' --> services/billing/invoice.py:14:5',
     'lint_error', '--> <FILE>:<LINE>:<COL>'),
    ('Found 6 errors (4 fixed, 2 remaining).',
     'lint_error', 'Found <N> errors (<N> fixed, <N> remaining).'),
    # mypy (mypy/errors.py) and pyright
    ('app/models.py:88: error: Incompatible return value type (got "int | None", expected "int")  [return-value]',
     'typescript_error', '<FILE>:<LINE>: error: Incompatible return value type (got "<TYPE>", expected "<TYPE>")  '
     '[return-value]'),
    ('app/views.py:17:12: error: Name "reqest" is not defined  [name-defined]',
     'typescript_error', '<FILE>:<LINE>:<COL>: error: Name "<IDENTIFIER>" is not defined  [name-defined]'),
    ('app/api.py:5: error: Argument 2 to "send" has incompatible type "bytes"; expected "str"  [arg-type]',
     'typescript_error', '<FILE>:<LINE>: error: Argument <N> to "<IDENTIFIER>" has incompatible type "<TYPE>"; '
     'expected "<TYPE>"  [arg-type]'),
    ('Found 3 errors in 2 files (checked 41 source files)',
     'typescript_error', 'Found <N> errors in <N> files (checked <N> source files)'),
    ('pkg/util.py: error: Duplicate module named "util" (also at "pkg/legacy/util.py")',
     'typescript_error', '<FILE>: error: Duplicate module named "<MODULE>" (also at "<FILE>")'),
    ('app/tasks.py:2: error: Cannot find implementation or library stub for module named "celery"  [import-not-found]',
     'module_not_found', '<FILE>:<LINE>: error: Cannot find implementation or library stub for module named "<MODULE>"  '
     '[import-not-found]'),
    ('Found 12 errors in 4 files (checked 37 source files)',
     'typescript_error', 'Found <N> errors in <N> files (checked <N> source files)'),
    ('  /work/api/app/main.py:30:16 - error: Cannot access attribute "json" for class "Response" '
     '(reportAttributeAccessIssue)',
     'typescript_error', '<FILE>:<LINE>:<COL> - error: Cannot access attribute "<IDENTIFIER>" for class "<TYPE>" '
     '(reportAttributeAccessIssue)'),
    ('  /work/api/app/db.py:1:6 - error: Import "sqlalchemy.orm" could not be resolved (reportMissingImports)',
     'module_not_found', '<FILE>:<LINE>:<COL> - error: Import "<MODULE>" could not be resolved (reportMissingImports)'),
    ('2 errors, 0 warnings, 0 informations ',
     'typescript_error', '<N> errors, <N> warnings, <N> informations'),
    # RuboCop
    ('app/controllers/orders_controller.rb:27:9: C: [Correctable] Style/RedundantReturn: Redundant `return` detected.',
     'lint_error', '<FILE>:<LINE>:<COL>: C: [Correctable] Style/RedundantReturn: Redundant `<IDENTIFIER>` detected.'),
    ('lib/tasks/import.rake:4:3: W: Lint/ShadowingOuterLocalVariable: Shadowing outer local variable - `row`.',
     'lint_error', '<FILE>:<LINE>:<COL>: W: Lint/ShadowingOuterLocalVariable: Shadowing outer local variable - '
     '`<IDENTIFIER>`.'),
    ('18 files inspected, 5 offenses detected, 3 offenses autocorrectable',
     'lint_error', '<N> files inspected, <N> offenses detected, <N> offenses autocorrectable'),
    # golangci-lint
    ('level=error msg="Running error: 1 error occurred:\\n\\t* can\'t run linter goanalysis_metalinter: buildir: failed"',
     'lint_error', 'level=error msg="Running error: <N> error occurred:\\n\\t* can\'t run linter '
     'goanalysis_metalinter: buildir: failed"'),
    ("Error: unknown linters: 'golint', run 'golangci-lint help linters' to see the list of supported linters",
     'lint_error', "Error: unknown linters: '<NAME>', run 'golangci-lint help linters' to see the list of supported "
     "linters"),
    ('7 issues:',
     'lint_error', '<N> issues:'),
    ("Error: can't load config: the Go language version (go1.22) used to build golangci-lint is lower than the "
     "targeted Go version (1.23.4)",
     'lint_error', "Error: can't load config: the Go language version (<VERSION>) used to build golangci-lint is lower "
     "than the targeted Go version (<VERSION>)"),
    # hadolint
    ('Dockerfile:14 DL3018 warning: Pin versions in apk add. Instead of `apk add <package>` use `apk add '
     '<package>=<version>`',
     'lint_error', '<FILE>:<LINE> DL3018 warning: Pin versions in apk add. Instead of `<IDENTIFIER>` use '
     '`<IDENTIFIER>`'),
    ('docker/api.Dockerfile:3 DL3006 error: Always tag the version of an image explicitly',
     'lint_error', '<FILE>:<LINE> DL3006 error: Always tag the version of an image explicitly'),
    # ShellCheck
    ('scripts/release.sh:40:12: warning: Quote this to prevent word splitting. [SC2046]',
     'lint_error', '<FILE>:<LINE>:<COL>: warning: Quote this to prevent word splitting. [SC2046]'),
    ('       ^----^ SC2034 (warning): BUILD_DIR appears unused. Verify use (or export if used externally).',
     'lint_error', '^-- SC2034 (warning): BUILD_DIR appears unused. Verify use (or export if used externally).'),
    # black, isort
    ('error: cannot format api/handlers.py: Cannot parse for target version Python 3.12: 41:8:     return {**',
     'lint_error', 'error: cannot format <FILE>: Cannot parse for target version Python <VERSION>: <LINE>:<COL>: '
     '<SOURCE>'),
    ('ERROR: /srv/app/api/handlers.py Imports are incorrectly sorted and/or formatted.',
     'lint_error', 'ERROR: <FILE> Imports are incorrectly sorted and/or formatted.'),
    # yamllint (standard and parsable formats)
    ('  14:81     error    line too long (97 > 80 characters)  (line-length)',
     'lint_error', '<LINE>:<COL> error line too long (<N> > <N> characters)  (line-length)'),
    ('deploy/values.yaml:7:3: [error] duplication of key "image" in mapping (key-duplicates)',
     'lint_error', '<FILE>:<LINE>:<COL>: [error] duplication of key "image" in mapping (key-duplicates)'),
    # actionlint
    ('.github/workflows/release.yml:31:15: label "ubuntu-20.4" is unknown. available labels are "ubuntu-latest", '
     '"ubuntu-24.04" [runner-label]',
     'lint_error', '<FILE>:<LINE>:<COL>: label "<IDENTIFIER>" is unknown. available labels are "<IDENTIFIER>", '
     '"<IDENTIFIER>" [runner-label]'),
    # CSpell
    ('docs/guide/setup.md:88:14 - Unknown word (Kubernets)',
     'lint_error', '<FILE>:<LINE>:<COL> - Unknown word (<WORD>)'),
    ('CSpell: Files checked: 64, Issues found: 5 in 3 files.',
     'lint_error', 'CSpell: Files checked: <N>, Issues found: <N> in <N> files.'),
    # oxlint
    ('Found 2 warnings and 4 errors.',
     'lint_error', 'Found <N> warnings and <N> errors.'),
    # commitlint
    ('✖   header must not be longer than 72 characters, current length is 91 [header-max-length]',
     'lint_error', '✖ header must not be longer than <N> characters, current length is <N> [header-max-length]'),
    ('✖   found 3 problems, 1 warnings',
     'lint_error', '✖ found <N> problems, <N> warnings'),
]


@pytest.mark.parametrize(("text", "category", "group"), CASES, ids=[c[0].splitlines()[0][:48] for c in CASES])
def test_catalog_format(text: str, category: str, group: str) -> None:
    assert primary_code_and_group(text) == (category, group)


# Progress, info, warnings, deprecations and clean summaries of the same tools: not errors.
NEGATIVES = [
    # ESLint and Next.js
    "✖ 4 problems (0 errors, 4 warnings)",
    "  12:3  warning  Unexpected console statement  no-console",
    "21:9  Warning: Img elements must have an alt prop, either with meaningful text, or an empty string for "
    "decorative images.  jsx-a11y/alt-text",
    "✔ No ESLint warnings or errors",
    "  0 errors and 2 warnings potentially fixable with the `--fix` option.",
    "(node:2231) ESLintRCWarning: You are using an eslintrc configuration file, which is deprecated and support will "
    "be removed in v10.0.0.",
    '<error line="4" column="1" severity="warning" message="Unexpected console statement. (no-console)" '
    'source="eslint.rules.no-console" />',
    "lib/router.js(9,1): warning no-console : Unexpected console statement.",
    # stylelint
    "  3:5  ⚠  Expected empty line before comment  comment-empty-line-before",
    "⚠ 2 problems (0 errors, 2 warnings)",
    "Deprecation warnings:",
    # Prettier
    "Checking formatting...",
    "All matched files use Prettier code style!",
    "[warn] Ignored unknown option { tabwidth: 4 }. Did you mean tabWidth?",
    "Code style issues fixed in 3 files.",
    # Biome
    "Checked 118 files in 41ms. No fixes applied.",
    "Found 3 warnings.",
    "Skipped 2 suggested fixes.",
    # markdownlint-cli2
    "Summary: 0 issues in 0 files",
    "Linting: 14 file(s)",
    "Finding: **/*.md !node_modules",
    # ruff, mypy, pyright
    "All checks passed!",
    "12 files left unchanged",
    "Success: no issues found in 37 source files",
    "Found 0 errors in 0 files (checked 37 source files)",
    'app/views.py:17: note: Revealed type is "builtins.str"',
    "0 errors, 3 warnings, 0 informations ",
    '  /work/api/app/db.py:9:5 - warning: Import "redis" could not be resolved from source (reportMissingModuleSource)',
    # RuboCop
    "Inspecting 18 files",
    "18 files inspected, no offenses detected",
    # golangci-lint
    "0 issues.",
    "level=warning msg=\"[runner] The linter 'deadcode' is deprecated (since v1.49.0) due to: The owner seems to have "
    "abandoned the linter. Replaced by unused.\"",
    # black, yamllint, CSpell, oxlint
    "All done! ✨ 🍰 ✨",
    "12 files would be left unchanged.",
    '  1:1       warning  missing document start "---"  (document-start)',
    "CSpell: Files checked: 64, Issues found: 0 in 0 files.",
    "Found 3 warnings and 0 errors.",
    "Finished in 31ms on 57 files with 101 rules using 4 threads.",
    # hadolint, ShellCheck, commitlint
    "Dockerfile:1 DL3007 style: Using latest is prone to errors if the image will ever update.",
    "In scripts/release.sh line 40:",
    "For more information:",
    "⚠   body must have leading blank line [body-leading-blank]",
    "⚠   found 0 problems, 1 warnings",
    "⧗   input: fix(api): handle empty carts",
]


@pytest.mark.parametrize("line", NEGATIVES)
def test_catalog_not_an_error(line: str) -> None:
    assert diagnose(line, default_rules()).primary is None, line
