"""ESLint output (stylish and react-scripts formats) and CRA's warnings-as-errors switch."""

from __future__ import annotations

from bloqr_dagster.build_errors.detectors.model import Detector
from bloqr_dagster.build_errors.detectors.rules._dsl import mask, rule

RULE_ID = r"(?:@[\w-]+/)?[\w-]+(?:/[\w-]+)*"

DETECTOR = Detector("eslint", "eslint", (
    rule("cra-warnings-as-errors", "lint_error", r"Treating warnings as errors because process\.env\.CI = true",
         "treating warnings as errors", priority=100, tool="react-scripts"),
    rule("eslint-cra-line", "lint_error", rf"^Line \d+(?::\d+)?:\s+.+\s{{2,}}{RULE_ID}$", "line ", priority=90,
         masks=(mask(r"'[^']*'", "'<IDENTIFIER>'"),)),
    rule("eslint-stylish-line", "lint_error", rf"^\d+:\d+\s+(?:error|Error:)\s+.+\s{{2,}}{RULE_ID}$", "error",
         priority=90, masks=(mask(r"'[^']*'", "'<IDENTIFIER>'"),)),
    rule("eslint-summary", "lint_error", r"✖ \d+ problems? \([1-9]\d* errors?|ESLint: .*(?:[Ee]rror|[Ff]ailed)",
         "problem", "eslint", priority=60),
))
