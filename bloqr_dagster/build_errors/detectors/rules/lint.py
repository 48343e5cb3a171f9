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
    rule("eslint-crash", "lint_error", r"^Oops! Something went wrong! :\(", "oops! something went wrong", priority=60),
    rule("eslint-summary", "lint_error", r"✖ \d+ problems? \([1-9]\d* errors?|ESLint: .*(?:[Ee]rror|[Ff]ailed)",
         "problem", "eslint", priority=60),
))
