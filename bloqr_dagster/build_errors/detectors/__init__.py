"""Build-failure detectors: categorise failed build logs into privacy-safe error groups.

    from bloqr_dagster.build_errors.detectors import diagnose
    d = diagnose(log_text)
    d.primary.error_code, d.primary.error_group   # root cause, or d.primary is None

Library code only (no Dagster). RULES_VERSION is stored with every result; bump it whenever
a rule, a mask or the primary-selection logic changes.
"""

from __future__ import annotations

from bloqr_dagster.build_errors.detectors.engine import diagnose, diagnose_bytes, diagnose_lines
from bloqr_dagster.build_errors.detectors.model import CATEGORIES, Cause, Detector, Diagnosis, ErrorHit, Rule
from bloqr_dagster.build_errors.detectors.registry import DETECTORS

RULES_VERSION = "2026.11.2"

__all__ = [
    "CATEGORIES", "DETECTORS", "RULES_VERSION", "Cause", "Detector", "Diagnosis", "ErrorHit", "Rule",
    "diagnose", "diagnose_bytes", "diagnose_lines",
]
