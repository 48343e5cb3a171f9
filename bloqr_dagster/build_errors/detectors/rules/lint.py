"""ESLint output (stylish and react-scripts formats) and CRA's warnings-as-errors switch."""

from __future__ import annotations

import re

from bloqr_dagster.build_errors.detectors.model import Detector
from bloqr_dagster.build_errors.detectors.rules._dsl import mask, rule

# a quoted name in a Python linter's message: `os` (ruff), 'os' (flake8, pylint)
_QUOTED_NAME = re.compile(r"`[^`\n]{0,200}`|'[^'\n]{0,200}'")
RULE_ID = r"(?:@[\w-]+/)?[\w-]+(?:/[\w-]+)*"

DETECTOR = Detector("eslint", "eslint", (
    rule("cra-warnings-as-errors", "lint_error", r"Treating warnings as errors because process\.env\.CI = true",
         "treating warnings as errors", priority=100, tool="react-scripts"),
    # `Line 12:5:  'x' is assigned a value but never used  no-unused-vars` (react-scripts) and the stylish
    # `12:5  error  message  rule-id`. Possessive repeats keep the match linear on lines of blanks.
    rule("eslint-cra-line", "lint_error", rf"^Line \d+(?::\d+)?:\s++\S(?:.*?\S)?\s{{2,}}+{RULE_ID}$", "line ",
         priority=90, masks=(mask(r"'[^']*'", "'<IDENTIFIER>'"),)),
    rule("eslint-stylish-line", "lint_error", rf"^\d+:\d+\s++(?:error|Error:)\s++\S(?:.*?\S)?\s{{2,}}+{RULE_ID}$",
         "error", priority=90, masks=(mask(r"'[^']*'", "'<IDENTIFIER>'"),)),
    rule("stylelint-line", "lint_error", rf"^(?:>> +)?\d+:\d+\s++✖\s++\S(?:.*?\S)?\s{{2,}}+{RULE_ID}$", "✖",
         priority=90, tool="stylelint", masks=(mask(r'"[^"]*"', '"<SELECTOR>"'),)),
    # a rule id after the message without a line:col (Next.js lint summaries): `Error: x  react/no-y`
    rule("eslint-plugin-rule-line", "lint_error", r"^Error: \S(?:.*?\S)?\s{2,}+@?[\w-]+/[\w-]+(?:/[\w-]+)*$", "error:",
         priority=85, masks=(mask(r"'[^']*'", "'<IDENTIFIER>'"),)),
    rule("eslint-config", "lint_error",
         r"ESLint couldn't find (?:the )?(?:config|plugin)|Failed to load (?:config|plugin|parser) [\"'][^\"']*[\"']"
         r" (?:to extend from|declared in)|Definition for rule '[^']+' was not found|^(?:Error: )?Parsing error: "
         r"|Found errors in \[[\w-]+\] linter", "eslint couldn't find", "failed to load", "definition for rule",
         "parsing error", "linter", priority=110,
         masks=(mask(r"(config|plugin|parser) [\"'][^\"']*[\"']", r"\1 '<NAME>'"), mask(r"rule '[^']+'", "rule '<RULE>'"))),
    # CRA's second line of the warnings-as-errors notice; eslint's `N errors and M warnings potentially fixable`;
    # vite-plugin-checker's `ERROR(ESLint)`; an eslint-plugin-next rule's documentation URL
    rule("eslint-follow-up", "lint_error",
         r"^Most CI servers set it automatically\.$|^[1-9]\d* errors? and \d+ warnings? potentially fixable with the"
         r"|\bERROR\((?:ESLint|Stylelint)\)"
         r"|nextjs\.org/docs/messages/(?:no-html-link-for-pages|no-img-element|no-sync-scripts|no-css-tags|no-head-element"
         r"|no-page-custom-font|no-title-in-document-head|no-document-import-in-page|no-head-import-in-document"
         r"|no-script-component-in-head|no-styled-jsx-in-document|no-before-interactive-script-outside-document"
         r"|no-unwanted-polyfillio|no-duplicate-head|no-typos|no-assign-module-variable|no-async-client-component"
         r"|google-font-display|google-font-preconnect|inline-script-id|next-script-for-ga)\b",
         "most ci servers", "potentially fixable", "error(eslint)", "error(stylelint)", "nextjs.org/docs/messages/",
         priority=95, rank=40),
    # ESLint's other formatters: compact `a.js: line 3, col 10, Error - msg (rule)`, unix `a.js:3:10: msg [Error/rule]`
    # and the unix summary `5 problems`; the stylish line of a fatal parse error has no rule id
    rule("eslint-compact-unix", "lint_error",
         r"^\S[^\n]{0,300}?: line \d+, col \d+, Error - \S|^[^\s:]{1,300}:\d{1,7}:\d{1,7}: \S[^\n]{0,500}? \[Error/[\w@-]"
         r"|^[1-9]\d* problems?$|^\d+:\d+\s++error\s++Parsing error: ",
         "error - ", "[error/", "problem", "parsing error", priority=90,
         masks=(mask(r"^\S[^\n]{0,300}?(?=: line \d+, col \d+, )", "<FILE>"),
                mask(r"(: line )\d+(, col )\d+", r"\1<LINE>\2<COL>"),
                mask(r"^\S[^\n]{0,300}?:\d+:\d+(?=: )", "<FILE>:<LINE>:<COL>"), mask(r"'[^']*'", "'<IDENTIFIER>'"))),
    # ESLint's own messages (its `messages/` templates and CLI): missing or invalid configuration, flat config
    # misuse, patterns that match nothing, `--max-warnings` exceeded; Next.js's `ESLint must be installed`
    rule("eslint-config-messages", "lint_error",
         r"ESLint couldn't (?:find|determine) |^(?:Error: )?No files matching (?:the pattern )?[\"'][^\n]{0,300}?[\"']"
         r"(?: \(with disabled globs\))? were found|^You are linting \"|^(?:Error: )?All files matched by '"
         r"|A config object (?:is using|has) (?:the|a) \"\w+\" key|ESLint found too many warnings \(maximum: \d+\)"
         r"|ESLint configuration in \S[^\n]{0,300}? is invalid|Configuration for rule \"[^\"]{1,100}\" is invalid"
         r"|Could not find \"[^\"]{1,100}\" in plugin \"|^(?:Error: )?Key \"(?:rules|plugins|languageOptions|extends"
         r"|settings|files|ignores|parserOptions|processor|linterOptions)\": |ESLint must be installed"
         r"|Environment key \"[^\"]{1,100}\" is unknown",
         "eslint couldn't", "no files matching", "you are linting", "all files matched by", "a config object",
         "too many warnings", "eslint configuration in", "configuration for rule", "in plugin", "key \"",
         "eslint must be installed", "environment key", priority=110,
         masks=(mask(r'((?:config|plugin|pattern|linting|glob pattern|in plugin|find) )"[^"]*"', r'\1"<NAME>"'),
                mask(r"((?:matching|matched by) )'[^']*'", r"\1'<NAME>'"), mask(r'(rule )"[^"]*"', r'\1"<RULE>"'),
                mask(r'(Could not find )"[^"]*"', r'\1"<RULE>"'), mask(r"(ESLint configuration in )\S+", r"\1<FILE>"),
                mask(r'(Key "(?:rules|plugins)": Key |Environment key )"[^"]*"', r'\1"<NAME>"'))),
    # Prettier's `--check` verdict (printed at warn level, but it fails the command) and its errors
    rule("prettier-check", "lint_error",
         r"^(?:\[warn\] +)?Code style issues (?:were )?found in (?:\d+ files|the above file)"
         r"|^\[error\] No files matching the pattern were found: |^\[error\] No parser could be inferred for file",
         "code style issues", "no files matching", "no parser could be inferred", priority=160, tool="prettier",
         masks=(mask(r"(found in )\d+( files)", r"\1<N>\2"), mask(r'(were found: )"[^"]*"', r'\1"<PATTERN>"'),
                mask(r"(for file )\S+", r"\1<FILE>"))),
    # Biome: a diagnostic's header `a.ts:3:7 lint/suspicious/noDebugger  FIXABLE  ━━━` (or `a.ts format ━━━`,
    # `a.ts organizeImports ━━━`) and the verdict `× Some errors were emitted while running checks.`
    rule("biome-diagnostic", "lint_error",
         r"^\S{1,300}? (?:lint/\w+/\w+|format|organizeImports|assist/source/\w+)(?: +[A-Z]+)*+ +━━━"
         r"|^(?:ci|check|lint|format) ━━━|^(?:[×✖] )?Some errors were emitted while (?:running checks|applying fixes)"
         r"|^(?:[×✖] )?(?:Formatter would have printed the following content|The imports and exports are not sorted)",
         "━━━", "some errors were emitted", "formatter would have printed", "imports and exports are not sorted",
         priority=90, tool="biome", masks=(mask(r"^\S{1,300}? (?=lint/|format|organizeImports|assist/)", "<FILE> "),
                                           mask(r"━+", "━━━"))),
    # flake8 / pycodestyle / pyflakes / ruff / pylint: `a.py:3:8: F401 'os' imported but unused`,
    # `a.py:10:0: C0114: Missing module docstring (missing-module-docstring)`; ruff's and black's verdicts
    rule("python-lint", "lint_error",
         r"^\S{1,300}?\.pyi?:\d+:\d+: [A-Z]{1,3}\d{3,4}:? \S|^\[\*\] \d+ fixable with the `--fix` option"
         r"|^(?:[Ww]ould reformat:? \S|Oh no! 💥|\d+ files? would be reformatted\b)|^Your code has been rated at \d"
         r"|^\*{13} Module \S",
         "py:", "pyi:", "fixable with the", "would reformat", "oh no!", "would be reformatted", "has been rated at",
         "* module", priority=90, tool="ruff",
         masks=(mask(r"^\S{1,300}?\.pyi?:\d+:\d+:", "<FILE>:<LINE>:<COL>:"), mask(r"(reformat:? )\S+", r"\1<FILE>"),
                mask(r"(\*{13} Module )\S+", r"\1<MODULE>"), mask(r"^\[\*\] \d+", "[*] <N>"),
                mask(r"^\d+( files? would be reformatted)[^\n]*", r"<N>\1"), mask(r"(rated at )\S+[^\n]*", r"\1<SCORE>"),
                mask(r"^<FILE>:<LINE>:<COL>:[^\n]*", lambda m: _QUOTED_NAME.sub("'<IDENTIFIER>'", m.group())))),
    # eslint-webpack-plugin's header before its stylish report (CRA 5: `[eslint] ` then the file, `ERROR in [eslint]`)
    rule("eslint-webpack-header", "lint_error", r"^(?:ERROR in )?\[eslint\](?: |$)", "[eslint]", priority=90,
         tool="eslint", masks=(mask(r"(\[eslint\]) .*", r"\1 <MESSAGE>"),)),
    # markdownlint-cli / markdownlint-cli2: `README.md:12 MD013/line-length Line length [Expected: 80; Actual: 120]`,
    # `docs/a.md:3:1 error MD022/blanks-around-headings ...`
    rule("markdownlint-line", "lint_error", r"^\S{1,300}?:\d+(?::\d+)? (?:error )?MD0\d\d(?:/[\w-]+)+ \S", "md0",
         "error md0", priority=90, tool="markdownlint",
         masks=(mask(r"^\S+?:\d+(?::\d+)?(?= )", "<FILE>:<LINE>"), mask(r"\[(?:Expected|Context|Actual)[^\]]*\]", "[<DETAIL>]"))),
    # golangci-lint's default format: `a.go:12:3: message (linter)`
    rule("golangci-lint-line", "lint_error",
         r"^[^\s:]{1,300}\.go:\d++(?::\d++)?: [^\n]{1,500}? \((?:errcheck|govet|staticcheck|unused|gosimple|ineffassign"
         r"|typecheck|revive|gofmt|gofumpt|goimports|gci|stylecheck|gocritic|gosec|misspell|lll|dupl|gocyclo|gocognit"
         r"|unparam|nakedret|prealloc|bodyclose|noctx|errorlint|wrapcheck|goconst|godot|whitespace|nolintlint|forbidigo"
         r"|depguard|funlen|nestif|mnd|gomnd|exhaustive|dogsled|errname|contextcheck|copyloopvar|intrange|perfsprint"
         r"|usestdlibvars|exportloopref|asciicheck|thelper|tparallel|paralleltest|testifylint|predeclared|goprintffuncname)\)$",
         "go:", priority=88, tool="golangci-lint",
         masks=(mask(r"^\S+?\.go:\d+(?::\d+)?:", "<FILE>:<LINE>:<COL>:"), mask(r"`[^`]*`", "`<IDENTIFIER>`"),
                mask(r'"[^"]*"', '"<IDENTIFIER>"'))),
    rule("eslint-no-errors", "not_an_error", r"✖ \d+ problems? \(0 errors?", "problem", priority=150, ignore=True),
    rule("eslint-crash", "lint_error", r"^Oops! Something went wrong! :\(", "oops! something went wrong", priority=60),
    rule("eslint-summary", "lint_error", r"✖ \d+ problems? \([1-9]\d* errors?|ESLint: .*(?:[Ee]rror|[Ff]ailed)",
         "problem", "eslint", priority=60),
))
