"""Linters and type checkers of other languages that fail a CI step, from their own message formats: Python's
type checkers (mypy's `file:line: error: message  [code]`, pyright's `file:line:col - error: message (rule)` and its
count line) and ruff's full output format; RuboCop's offenses and its summary; golangci-lint's run errors and
summary; hadolint's and ShellCheck's findings; commitlint's report; black's and isort's check failures; yamllint,
actionlint, CSpell and oxlint.

A type checker's errors are `typescript_error` (TAXONOMY: type-check failures), whatever the language."""

from __future__ import annotations

import re

from bloqr_dagster.build_errors.detectors.model import RANK_TOOL_SUMMARY, Detector
from bloqr_dagster.build_errors.detectors.rules._dsl import mask, rule

# mypy and pyright quote names, types, modules and files with double quotes: `Name "x" is not defined`, `has type
# "str"`, `module named "x"`, `(also at "a/b.py")`; the word before a quoted value says which it is
_PY_QUOTE = re.compile(r'"[^"\n]{0,300}"')
_BEFORE_TYPE = re.compile(r"(?:\btypes?|\bexpected|\bgot|\bclass|\bItem|\bof|\bis) $")
_BEFORE_MODULE = re.compile(r"(?:\bfor|\bmodule|\bnamed|\bImport|\bimport|\bModule|\bpackage) $")


def _py_quoted_value(m: re.Match[str]) -> str:
    before = m.string[max(0, m.start() - 12):m.start()]
    value = m.group()[1:-1]
    if "/" in value or value.endswith((".py", ".pyi", ".toml", ".ini", ".cfg")):
        return '"<FILE>"'
    if _BEFORE_TYPE.search(before):
        return '"<TYPE>"'
    return '"<MODULE>"' if _BEFORE_MODULE.search(before) else '"<IDENTIFIER>"'


def _py_location(m: re.Match[str]) -> str:
    """`<FILE>`, `<FILE>:<LINE>` or `<FILE>:<LINE>:<COL>`, as the location has a line and a column."""
    return "<FILE>" + ("", ":<LINE>", ":<LINE>:<COL>")[min(m.group().count(":"), 2)]


_PY_QUOTED = mask(r'"[^"\n]{0,300}"', _py_quoted_value)
# a type checker that cannot resolve an import: TAXONOMY's module_not_found, as tsc's TS2307
_PY_UNRESOLVED_IMPORT = (r'(?:Import "[^"\n]{1,300}" could not be resolved|Cannot find implementation or library stub'
                         r" for module named )")
_COP_DEPARTMENTS = ("Style", "Layout", "Lint", "Metrics", "Naming", "Security", "Bundler", "Gemspec", "Migration",
                    "Rails", "RSpec", "Performance", "Minitest", "Capybara", "FactoryBot", "Sorbet", "Gitlab")

# `a/b.rb:3:5:` opening a finding, and a `backticked` name in its message
_FILE_LINE_COL = mask(r"^[^\s:]+:\d+:\d+:", "<FILE>:<LINE>:<COL>:")
_BACKTICKED = mask(r"`[^`\n]*`", "`<IDENTIFIER>`")
# actionlint's check names (rhysd/actionlint `rule_*.go`), printed after each message
_ACTIONLINT_RULES = ("action", "credentials", "deprecated-commands", "env-var", "events", "expression", "glob", "id", "if-cond", "job-needs", "matrix", "permissions", "pyflakes", "runner-label", "shell-name", "shellcheck", "syntax-check", "workflow-call")

DETECTOR = Detector("linters", "linters", (
    # mypy (python/mypy `mypy/errors.py`): `src/a.py:12: error: Incompatible types in assignment (...)  [assignment]`,
    # with a column under --show-column-numbers; without a line only its file-level errors (`a.py: error: Duplicate
    # module named "x"`), not argparse's `manage.py: error: unrecognized arguments`; its `note:` lines and
    # `Success: no issues found` are not errors
    rule("mypy-error", "typescript_error", r"^[^\s:]{1,300}\.pyi?(?::\d{1,7}){1,2}: error: \S"
         r"|^[^\s:]{1,300}\.pyi?: error: (?:Duplicate module named|Source file found twice|\S+ is not a valid Python package)",
         "error: ",
         priority=90, tool="mypy",
         masks=(mask(r"^[^\s:]+\.pyi?(?::\d+){0,2}(?=: error: )", _py_location), _PY_QUOTED)),
    # mypy's closing count (mypy/main.py): `Found 3 errors in 2 files (checked 10 source files)`; tsc's own count
    # never says `checked`
    rule("mypy-summary", "typescript_error",
         r"^Found [1-9]\d* errors? in \d+ files? \(checked \d+ source files?\)$", "source file", priority=90,
         rank=RANK_TOOL_SUMMARY, tool="mypy"),
    rule("python-typecheck-import", "module_not_found",
         rf"^[^\s:]{{1,300}}\.pyi?(?::\d{{1,7}}){{0,2}}(?::| -) error: {_PY_UNRESOLVED_IMPORT}", "error: ", priority=95,
         tool="mypy", masks=(mask(r"^[^\s:]+\.pyi?(?::\d+){0,2}(?=(?::| -) error: )", _py_location), _PY_QUOTED)),
    # pyright (microsoft/pyright `packages/pyright-internal/src/pyright.ts`): `  /a/b.py:12:5 - error: msg (rule)`
    # and the closing count `3 errors, 1 warning, 0 informations` (0 errors: it passed)
    rule("pyright-error", "typescript_error",
         r"^[^\s:]{1,300}\.pyi?:\d{1,7}:\d{1,7} - error: \S|^[1-9]\d* errors?, \d+ warnings?, \d+ informations? *$",
         "py:", "pyi:", "information", priority=90, tool="pyright",
         masks=(mask(r"^[^\s:]+\.pyi?:\d+:\d+(?= - )", "<FILE>:<LINE>:<COL>"), _PY_QUOTED)),
    # ruff's `full` output format (astral-sh/ruff, the default since 0.12): a violation's header `F401 [*] `os`
    # imported but unused` (fixable ones carry `[*]`) and its location line ` --> src/a.py:1:8`
    rule("ruff-full", "lint_error",
         r"^[A-Z]{1,5}\d{2,4} \[\*\] \S|^--> [^\s:]{1,300}\.pyi?:\d{1,7}:\d{1,7}$"
         r"|^Found [1-9]\d* errors? \(\d+ fixed, \d+ remaining\)\.$", "[*]", "py:", "pyi:", "remaining)", priority=85,
         tool="ruff", rank=40,
         masks=(_BACKTICKED, mask(r"^--> \S+", "--> <FILE>:<LINE>:<COL>"))),
    # RuboCop (rubocop/rubocop `lib/rubocop/formatter/`): an offense `app/a.rb:3:5: C: [Correctable]
    # Style/StringLiterals: message` (every severity fails by default) and the summary with offenses
    rule("rubocop-offense", "lint_error",
         rf"^[^\s:]{{1,300}}:\d{{1,7}}:\d{{1,7}}: [CWEFR]: (?:\[(?:Correctable|Corrected|Todo)\] )?"
         rf"(?:{'|'.join(_COP_DEPARTMENTS)})/\w+: \S"
         r"|^\d+ files? inspected, [1-9]\d* offenses? detected",
         *(f"{d.lower()}/" for d in _COP_DEPARTMENTS), "inspected", priority=90, tool="rubocop",
         masks=(_FILE_LINE_COL, _BACKTICKED)),
    # golangci-lint (golangci/golangci-lint): its run errors (v1's `level=error msg="Running error: x"`, v2's
    # `Error: unknown linters: 'x'` and a config targeting a newer Go than it was built with; not any program's
    # `Error: can't load config`) and v2's count `3 issues:`
    rule("golangci-lint-run", "lint_error",
         r"^level=error msg=\"(?:Running error: |\[linters_context\] |can't load config: )"
         r"|^Error: (?:unknown linters?: '|can't load config: the Go language version \()"
         r"|^[1-9]\d* (?:issue|issues):$",
         "running error", "can't load config", "unknown linter", "linters_context", "issue:", "issues:", priority=100,
         tool="golangci-lint", masks=(mask(r"(unknown linters?: )'[^']*'", r"\1'<NAME>'"), mask(r"\(go\d[\d.]*\)", "(<VERSION>)"))),
    # hadolint (hadolint/hadolint, default failure threshold `info`): `Dockerfile:3 DL3008 warning: message`,
    # ShellCheck findings in RUN lines as `SC2086 info:`; `style:` findings do not fail the run. Above the
    # warning-first noise rule: hadolint's warnings fail the step.
    rule("hadolint-finding", "lint_error", r"^[^\s:]{1,300}:\d{1,7} (?:DL3|DL4|SC1|SC2|SC3)\d{3} (?:error|warning|info): \S",
         "dl3", "dl4", "sc1", "sc2", "sc3", priority=160, tool="hadolint",
         masks=(mask(r"^[^\s:]+:\d+", "<FILE>:<LINE>"), _BACKTICKED)),
    # ShellCheck (koalaman/shellcheck, fails on any finding by default): gcc format `a.sh:12:6: note: msg [SC2086]`
    # and the tty format's marker line `  ^-- SC2086 (info): msg`
    rule("shellcheck-finding", "lint_error",
         r"^[^\s:]{1,300}:\d{1,7}:\d{1,7}: (?:error|warning|note|info|style): \S[^\n]{0,500}? \[(?:SC1|SC2|SC3)\d{3}\]$"
         r"|^\^-*+\^? (?:SC1|SC2|SC3)\d{3} \((?:error|warning|info|style)\): \S",
         "sc1", "sc2", "sc3", priority=160, tool="shellcheck",
         masks=(_FILE_LINE_COL, mask(r"^\^-*+\^?", "^--"),
                _BACKTICKED)),
    # black (psf/black): a file it cannot parse, `error: cannot format a.py: Cannot parse: 12:4: <source line>`;
    # isort's check: `ERROR: /a/b.py Imports are incorrectly sorted and/or formatted.`
    rule("black-isort", "lint_error",
         r"^error: cannot format [^\s:]{1,300}: \S|^ERROR: \S{1,300} Imports are incorrectly sorted and/or formatted\.",
         "cannot format", "imports are incorrectly sorted", priority=90, tool="black",
         masks=(mask(r"^(error: cannot format )[^\s:]+", r"\1<FILE>"),
                mask(r"(Cannot parse(?: for target version [^:]+)?: \d+:\d+: ).*", r"\1<SOURCE>"),
                mask(r"^(ERROR: )\S+", r"\1<FILE>"))),
    # yamllint's standard format `  3:1       error    wrong indentation: expected 2 but found 4  (indentation)` and
    # its parsable one `a.yml:3:1: [error] message (rule)`; its warnings do not fail the run (without --strict)
    rule("yamllint-error", "lint_error",
         r"^\d{1,7}:\d{1,7} ++error {2,}+\S(?:.*?\S)? {2}\([a-z-]{1,60}\)$"
         r"|^[^\s:]{1,300}\.ya?ml:\d{1,7}:\d{1,7}: \[error\] \S[^\n]{0,500}? \([a-z-]{1,60}\)$",
         "error", priority=90, tool="yamllint",
         masks=(mask(r"^\d+:\d+ +", "<LINE>:<COL> "), _FILE_LINE_COL,
                mask(r"\(\d+ > \d+ characters\)", "(<N> > <N> characters)"))),
    # actionlint (rhysd/actionlint `error.go`): `.github/workflows/ci.yml:12:5: message [check]`
    rule("actionlint-error", "lint_error",
         rf"^[^\s:]{{1,300}}\.ya?ml:\d{{1,7}}:\d{{1,7}}: \S[^\n]{{0,1000}}? \[(?:{'|'.join(_ACTIONLINT_RULES)})\]$",
         "yml:", "yaml:", priority=90, tool="actionlint",
         masks=(_FILE_LINE_COL, mask(r'"[^"\n]*"', '"<IDENTIFIER>"'))),
    # CSpell (streetsidesoftware/cspell): `src/a.ts:14:22 - Unknown word (recieve)` and its summary with issues
    rule("cspell-issue", "lint_error",
         r"^[^\s:]{1,300}:\d{1,7}:\d{1,7} - Unknown word \(|^CSpell: Files checked: \d+, Issues found: [1-9]\d* in \d+ files?",
         "unknown word", "cspell: ", priority=90, tool="cspell",
         masks=(mask(r"^[^\s:]+:\d+:\d+", "<FILE>:<LINE>:<COL>"), mask(r"(Unknown word )\([^)]*\).*", r"\1(<WORD>)"))),
    # oxlint's closing count `Found 0 warnings and 5 errors.` (its `× rule(x): message` lines are found as icon-led
    # errors; `⚠` ones are warnings)
    rule("oxlint-summary", "lint_error", r"^Found \d+ warnings? and [1-9]\d* errors?\.$", "warning and", "warnings and", priority=160,
         tool="oxlint"),
    # commitlint (conventional-changelog/commitlint `@commitlint/format`): `✖   subject may not be empty
    # [subject-empty]` and `✖   found 2 problems, 0 warnings`; its `⚠` lines are warnings
    rule("commitlint-problem", "lint_error",
         r"^✖ {1,4}+\S[^\n]{0,500}? \[(?:body|footer|header|references|scope|subject|type)-[a-z-]+\]$"
         r"|^✖ {1,4}+\S[^\n]{0,500}? \[(?:signed-off-by|trailer-exists)\]$|^✖ {1,4}+found [1-9]\d* problems?, \d+ warnings?$",
         "✖", priority=120, tool="commitlint"),  # `✖` already finds icon-led errors: no extra candidate lines
))
