"""The product code uses Dagster's public API only: nothing under bloqr_dagster/ names a private
Dagster module (`dagster._core`, `dagster._daemon`, `dagster_graphql._…`, …), imported or spelled."""

from __future__ import annotations

import re
from pathlib import Path

import bloqr_dagster

PACKAGE = Path(bloqr_dagster.__file__).resolve().parent
PRIVATE = re.compile(r"\bdagster(?:_[a-z]+)?\._")


def test_no_private_dagster_module_in_the_package() -> None:
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) > 50  # the whole package is scanned
    offenders = [f"{path.relative_to(PACKAGE)}:{no}: {line.strip()}"
                 for path in files for no, line in enumerate(path.read_text().splitlines(), 1)
                 if PRIVATE.search(line)]
    assert not offenders, "\n".join(offenders)


def test_the_pattern_catches_what_it_should() -> None:
    assert PRIVATE.search("from dagster._core.execution.backfill import PartitionBackfill")
    assert PRIVATE.search('cmd = [sys.executable, "-m", "dagster._daemon", "run"]')
    assert PRIVATE.search("import dagster_graphql._internal")
    assert not PRIVATE.search("Path(bloqr_dagster.__file__)")
    assert not PRIVATE.search("import dagster as dg")
