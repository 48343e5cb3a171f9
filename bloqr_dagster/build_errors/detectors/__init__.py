"""Build-failure detectors: categorise failed build logs into privacy-safe error groups.

    from bloqr_dagster.build_errors.detectors import diagnose
    d = diagnose(log_text)
    d.primary.error_code, d.primary.error_group   # root cause, or d.primary is None (no error line)

    rules = build_rules(load_user_rules())        # the built-ins plus $BLOQR_HOME/rules.yaml, if any
    diagnose(log_text, rules); rules.version      # == rules_version(load_user_rules())

Library code only (no Dagster). RULES_VERSION is stored with every result; bump it whenever
a rule, a mask or the primary-selection logic changes.
"""

from __future__ import annotations

from bloqr_dagster.build_errors.detectors.engine import (
    Scanner,
    default_rules,
    diagnose,
    diagnose_bytes,
    diagnose_lines,
)
from bloqr_dagster.build_errors.detectors.logfile import UnreadableLog, diagnose_file, read_lines
from bloqr_dagster.build_errors.detectors.model import CATEGORIES, Cause, Detector, Diagnosis, ErrorHit, Rule
from bloqr_dagster.build_errors.detectors.registry import DETECTORS
from bloqr_dagster.build_errors.detectors.ruleset import RuleSet, RuleSetError
from bloqr_dagster.build_errors.detectors.user_rules import (
    UserRules,
    UserRulesError,
    build_rules,
    load_user_rules,
    rules_version,
)

RULES_VERSION = "2026.12.6"

__all__ = [
    "CATEGORIES", "DETECTORS", "RULES_VERSION", "Cause", "Detector", "Diagnosis", "ErrorHit", "Rule", "RuleSet",
    "RuleSetError", "Scanner", "UnreadableLog", "UserRules", "UserRulesError", "build_rules", "default_rules",
    "diagnose", "diagnose_bytes", "diagnose_file", "diagnose_lines", "load_user_rules", "read_lines",
    "rules_version",
]
