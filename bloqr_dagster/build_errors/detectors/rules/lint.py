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
         r"|Could not find \"[^\"]{1,100}\" in plugin \"|^(?:(?:Type|Config)?Error: )?(?:Config (?:\"[^\"\n]{1,200}\"|\(unnamed\)): )?"
         r"Key \"(?:rules|plugins|languageOptions|extends"
         r"|settings|files|ignores|parserOptions|processor|linterOptions)\": |ESLint must be installed"
         r"|Environment key \"[^\"]{1,100}\" is unknown",
         "eslint couldn't", "no files matching", "you are linting", "all files matched by", "a config object",
         "too many warnings", "eslint configuration in", "configuration for rule", "in plugin", "key \"",
         "eslint must be installed", "environment key", priority=110,
         masks=(mask(r'((?:config|plugin|pattern|linting|glob pattern|in plugin|find) )"[^"]*"', r'\1"<NAME>"'),
                mask(r"((?:matching|matched by) )'[^']*'", r"\1'<NAME>'"), mask(r'(rule )"[^"]*"', r'\1"<RULE>"'),
                mask(r'(Could not find )"[^"]*"', r'\1"<RULE>"'), mask(r"(ESLint configuration in )\S+", r"\1<FILE>"),
                mask(r'(Key "(?:rules|plugins)": Key |Environment key |^(?:\w*Error: )?Config )"[^"]*"', r'\1"<NAME>"'),
                mask(r'(Rule )"[^"]*"( was removed and replaced by )"[^"]*"', r'\1"<RULE>"\2"<RULE>"'))),
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
    # More of ESLint's catalogue (eslint/eslint `messages/*.js`, `lib/config/config.js`, `lib/cli.js`, and the
    # option parser's `Invalid option '--x' - perhaps you meant '-y'?`): a rule whose plugin the config lacks, rules
    # of another language, a malformed config specifier, a function in a config to serialise, a plugin defined twice,
    # jiti for TypeScript configs, stale suppressions, and options ESLint 9 removed (`Invalid Options:` then bullets)
    rule("eslint-catalogue", "lint_error",
         r"^A configuration object specifies rule \"[^\"\n]{1,200}\", but could not find plugin \""
         r"|^The following rules do not support the language \"|^\"[^\"\n]{1,200}\" is invalid syntax for a config specifier\."
         r"|^The requested operation requires ESLint to serialize configuration data|^(?:TypeError: )?Cannot redefine plugin \""
         r"|^(?:Error: )?(?:The 'jiti' library is required for loading TypeScript configuration files"
         r"|You are using an outdated version of the 'jiti' library)"
         r"|^There are suppressions left that do not occur anymore\.|^(?:Error: )?Invalid option '--[\w-]{1,60}' - perhaps you meant '"
         r"|^Invalid Options:$|^- Unknown options?: [\w-]|^- '[\w-]{1,60}' has been removed\.",
         "configuration object specifies rule", "do not support the language", "invalid syntax for a config specifier",
         "requires eslint to serialize", "redefine plugin", "jiti", "suppressions left", "invalid option",
         "unknown option", "has been removed", priority=110, tool="eslint",
         masks=(mask(r'(specifies rule )"[^"]*"', r'\1"<RULE>"'),
                mask(r'((?:find plugin|redefine plugin|the language) )"[^"]*"', r'\1"<NAME>"'),
                mask(r'^"[^"]*"(?= is invalid syntax)', '"<NAME>"'))),
    # ESLint's checkstyle formatter (`<error line="3" column="10" severity="error" message="..." source="eslint.rules.x"`)
    # and the visualstudio one (`a.js(3,10): error no-undef : message`)
    rule("eslint-checkstyle-visualstudio", "lint_error",
         r'^<error line="\d+" column="\d+" severity="error" message="[^"\n]{0,1000}"'
         r"|^[^\s(]{1,300}\(\d+,\d+\): error (?:@[\w-]+/)?[\w-]+(?:/[\w-]+)* : \S",
         'severity="error"', "error", priority=90, tool="eslint",
         masks=(mask(r'line="\d+" column="\d+"', 'line="<LINE>" column="<COL>"'), mask(r"&apos;.*?&apos;", "&apos;<IDENTIFIER>&apos;"),
                mask(r"&quot;.*?&quot;", "&quot;<IDENTIFIER>&quot;"), mask(r"^[^\s(]+\(\d+,\d+\)", "<FILE>(<LINE>,<COL>)"),
                mask(r"'[^'\n]*'", "'<IDENTIFIER>'"))),
    # stylelint's own errors (stylelint/stylelint `lib/getConfigForFile.mjs`, `lib/utils/getModulePath.mjs`,
    # `lib/utils/errors.mjs`, the string formatter's `Invalid Option: ` lines) and a warning row printed without a
    # position (`✖  Unexpected unknown at-rule "@x"  at-rule-no-unknown`)
    rule("stylelint-catalogue", "lint_error",
         r"^(?:Error: )?No configuration provided(?: for \S|$)"
         r"|^(?:Error: )?Could not find \"[^\"\n]{1,200}\"\. Do you need (?:to install the package or use )?the \"configBasedir\""
         r"|^(?:Error: )?All input files were ignored because of the ignore pattern|^Invalid Option: \S"
         rf"|^✖ {{2,}}+\S(?:.*?\S)?\s{{2,}}+{RULE_ID}$",
         "no configuration provided", "configbasedir", "all input files were ignored", "invalid option", "✖",
         priority=120, tool="stylelint",
         masks=(mask(r'(Could not find )"[^"]*"', r'\1"<PACKAGE>"'),
                mask(r'(for rule )"[^"]*"', r'\1"<RULE>"'), mask(r'^(✖.*?)"[^"]*"', r'\1"<SELECTOR>"'))),
    # Prettier's CLI (prettier/prettier `src/cli/`): a file it cannot parse (`[error] a.ts: SyntaxError: x (3:5)`,
    # a syntax error found by the format check, a lint failure like ESLint's `Parsing error:`), the check's
    # verdict when a file failed, invalid configuration, an unknown parser, patterns matching nothing
    rule("prettier-errors", "lint_error",
         r"^\[error\] [^\s:]{1,300}\.\w{1,12}: (?:SyntaxError|TypeError|Error|UndefinedParserError|ConfigError): \S"
         r"|^(?:\[error\] )?Error occurred when checking code style in (?:\d+ files|the above file)"
         r"|^\[error\] Invalid configuration(?: for file \"[^\"\n]{1,300}\")?:|^\[error\] Couldn't resolve parser \""
         r"|^\[error\] (?:No matching files\. Patterns: |Unable to (?:resolve file|expand directory|expand glob pattern)"
         r"|Explicitly specified (?:file was ignored due to negative glob patterns|pattern \"))",
         "syntaxerror", "typeerror", "error: ", "undefinedparsererror", "configerror", "error occurred when checking",
         "invalid configuration", "resolve parser", "no matching files", "unable to", "explicitly specified",
         priority=120, tool="prettier",
         masks=(mask(r"^\[error\] [^\s:]+:", "[error] <FILE>:"), mask(r"(in )\d+( files)", r"\1<N>\2"),
                mask(r'(for file )"[^"]*"', r'\1"<FILE>"'), mask(r'(parser |pattern )"[^"]*"', r'\1"<NAME>"'), mask(r"(Patterns: ).*", r"\1<PATTERN>"),
                mask(r'((?:file|directory|glob pattern): )"[^"]*"', r'\1"<PATTERN>"'))),
    # Biome (biomejs/biome `crates/biome_cli/src/diagnostics.rs`, `biome_deserialize`): a configuration, parse or
    # suppression diagnostic's header (`biome.json:3:5 deserialize ━━━`), no file processed, an unknown config key
    rule("biome-catalogue", "lint_error",
         r"^\S{1,300}? (?:parse|deserialize|configuration|suppressions/\w+|syntax/\w+/\w+|plugin|files/\w+|flags/\w+"
         r"|args/\w+|internalError/\w+)(?: +[A-Z]+)*+ +━━━"
         r"|^(?:[×✖] )?No files were processed in the specified paths\.|^[×✖] Found an unknown key `[^`\n]{1,100}`",
         "━━━", "no files were processed", "found an unknown key", priority=95, tool="biome",
         masks=(mask(r"^\S{1,300}? (?=(?:parse|deserialize|configuration|suppressions/|syntax/|plugin|files/|flags/|args/"
                     r"|internalError/))", "<FILE> "), mask(r"━+", "━━━"), mask(r"(unknown key )`[^`]*`", r"\1`<NAME>`"))),
    # markdownlint-cli2's closing line (`Summary: 3 issues in 2 files`; `Summary: 3 error(s)` before v0.14)
    rule("markdownlint-summary", "lint_error", r"^Summary: [1-9]\d* (?:error\(s\)|issues? in \d+ files?)$", "summary: ",
         priority=90, tool="markdownlint"),
    rule("eslint-no-errors", "not_an_error", r"✖ \d+ problems? \(0 errors?", "problem", priority=150, ignore=True),
    rule("eslint-crash", "lint_error", r"^Oops! Something went wrong! :\(", "oops! something went wrong", priority=60),
    rule("eslint-summary", "lint_error", r"✖ \d+ problems? \([1-9]\d* errors?|ESLint: .*(?:[Ee]rror|[Ff]ailed)",
         "problem", "eslint", priority=60),
))
