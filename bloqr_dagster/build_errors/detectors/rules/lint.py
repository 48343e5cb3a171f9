"""ESLint output (stylish and react-scripts formats) and CRA's warnings-as-errors switch."""

from __future__ import annotations

from bloqr_dagster.build_errors.detectors.model import Detector
from bloqr_dagster.build_errors.detectors.rules._dsl import mask, rule

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
    rule("eslint-no-errors", "not_an_error", r"✖ \d+ problems? \(0 errors?", "problem", priority=150, ignore=True),
    rule("eslint-crash", "lint_error", r"^Oops! Something went wrong! :\(", "oops! something went wrong", priority=60),
    rule("eslint-summary", "lint_error", r"✖ \d+ problems? \([1-9]\d* errors?|ESLint: .*(?:[Ee]rror|[Ff]ailed)",
         "problem", "eslint", priority=60),
))
