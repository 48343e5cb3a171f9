"""The 13 transformations of hostlist-compiler 2.1.1, list in, list out, with the reference's semantics.

Each one is linear in the number of lines (the reference splices arrays, which is quadratic). The
README lists the few deliberate deviations (quirks of JavaScript objects and crashes of the
reference are not copied).
"""

from __future__ import annotations

from collections.abc import Callable

from bloqr_dagster.filterlists.transformations.ascii import convert_to_ascii
from bloqr_dagster.filterlists.transformations.basic import (
    deduplicate,
    insert_final_new_line,
    invert_allow,
    remove_comments,
    remove_empty_lines,
    remove_modifiers,
    trim_lines,
)
from bloqr_dagster.filterlists.transformations.compress import compress
from bloqr_dagster.filterlists.transformations.validate import normalize_ip_rules, validate_lines

Transformation = Callable[[list[str]], list[str]]


def validate(lines: list[str]) -> list[str]:
    return validate_lines(lines, allow_ip=False, allow_public_suffix=False)


def validate_allow_ip(lines: list[str]) -> list[str]:
    return validate_lines(normalize_ip_rules(lines), allow_ip=True, allow_public_suffix=False)


def validate_allow_public_suffix(lines: list[str]) -> list[str]:
    return validate_lines(lines, allow_ip=False, allow_public_suffix=True)


def validate_allow_ip_and_public_suffix(lines: list[str]) -> list[str]:
    return validate_lines(normalize_ip_rules(lines), allow_ip=True, allow_public_suffix=True)


# In the fixed order the reference applies them, whatever the order in the configuration.
TRANSFORMATION_FUNCTIONS: dict[str, Transformation] = {
    "ConvertToAscii": convert_to_ascii,
    "TrimLines": trim_lines,
    "RemoveComments": remove_comments,
    "Compress": compress,
    "RemoveModifiers": remove_modifiers,
    "InvertAllow": invert_allow,
    "Validate": validate,
    "ValidateAllowIp": validate_allow_ip,
    "ValidateAllowPublicSuffix": validate_allow_public_suffix,
    "ValidateAllowIpAndPublicSuffix": validate_allow_ip_and_public_suffix,
    "Deduplicate": deduplicate,
    "RemoveEmptyLines": remove_empty_lines,
    "InsertFinalNewLine": insert_final_new_line,
}


__all__ = [
    "TRANSFORMATION_FUNCTIONS",
    "compress",
    "convert_to_ascii",
    "deduplicate",
    "insert_final_new_line",
    "invert_allow",
    "remove_comments",
    "remove_empty_lines",
    "remove_modifiers",
    "trim_lines",
    "validate",
    "validate_allow_ip",
    "validate_allow_ip_and_public_suffix",
    "validate_allow_public_suffix",
]
