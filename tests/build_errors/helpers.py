"""Shared assertions of the detector tests."""

from __future__ import annotations

from bloqr_dagster.build_errors.detectors import diagnose


def primary_code_and_group(text: str) -> tuple[str, str]:
    """(error_code, error_group) of the text's primary error; fails naming the text when there is none."""
    hit = diagnose(text).primary
    assert hit is not None, text
    return hit.error_code, hit.error_group


def primary_line_and_code(lines: list[str]) -> tuple[int, str]:
    """(line_no, error_code) of the primary error of a log given as lines; fails when there is none."""
    hit = diagnose("\n".join(lines)).primary
    assert hit is not None, lines
    return hit.line_no, hit.error_code
