"""bloqr against AdGuard hostlist-compiler 2.1.1.

1. The four reference configurations over the real lists in ../shared: our output must equal what the
   reference wrote (expected/*.txt.gz), byte for byte, once the `! Last modified:` and `! Compiled by`
   lines are dropped; lines listed under `configs` in known_differences.json are the only exceptions.
2. reference_cases.json holds what the reference's own transformation functions returned for the
   edge-case lines of reference_cases_input.txt (each line alone and all together; written by
   `benchmarks/compile_vs_reference.py --write-cases`). Every case must match, except the ones
   known_differences.json explains (public-suffix snapshot, or a reference quirk not copied).
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from bloqr_dagster.filterlists.compiler import compile_config
from bloqr_dagster.filterlists.config import load_config
from bloqr_dagster.filterlists.sources import SourceLoader
from bloqr_dagster.filterlists.transformations import TRANSFORMATION_FUNCTIONS
from bloqr_dagster.filterlists.wildcard import Wildcard

HERE = Path(__file__).parent
KNOWN = json.loads((HERE / "known_differences.json").read_text("utf-8"))
CASES = json.loads((HERE / "reference_cases.json").read_text("utf-8"))
DROPPED = ("! Last modified: ", "! Compiled by ")
CONFIGS = ["easylist_seed", "easylist_full", "all_seed", "all_full"]


def _known_lines() -> set[tuple[str, str]]:
    return {(entry["transformation"], entry["line"]) for entry in KNOWN["psl"] + KNOWN["deliberate"]}


@pytest.mark.shared
@pytest.mark.parametrize("name", CONFIGS)
def test_reference_configuration_output_is_identical(name: str, shared_dir: Path, filterlists_dir: Path) -> None:
    reference = shared_dir / "reference" / "hostlist-compiler"
    config = load_config(reference / "configs" / f"{name}.json")
    with SourceLoader(filterlists_dir) as loader:
        result = compile_config(config, loader)
    expected_text = gzip.decompress((reference / "expected" / f"{name}.txt.gz").read_bytes()).decode("utf-8")
    expected = [line for line in expected_text.split("\n") if not line.startswith(DROPPED)]
    ours = [line for line in result.text().split("\n") if not line.startswith(DROPPED)]
    allowed = KNOWN["configs"].get(name, {})
    ours_set, expected_set = set(ours), set(expected)
    missing = [line for line in expected if line not in ours_set]
    extra = [line for line in ours if line not in expected_set]
    assert sorted(missing) == sorted(allowed.get("only_in_reference", []))
    assert sorted(extra) == sorted(allowed.get("only_in_bloqr", []))
    if not allowed:
        assert "\n".join(ours).encode("utf-8") == "\n".join(expected).encode("utf-8")
    assert result.lines[result.header_lines - 2] == f"! Compiled by bloqr_dagster {_version()}"


def _version() -> str:
    from bloqr_dagster import __version__

    return __version__


def _ours(case: dict) -> list:
    if "wildcard" in case:
        wildcard = Wildcard(case["wildcard"])
        return [wildcard.test(line) for line in case["lines"]]
    return TRANSFORMATION_FUNCTIONS[case["transformation"]](list(case["lines"]))


def test_reference_cases_cover_every_transformation_and_ran_without_errors() -> None:
    assert {case["transformation"] for case in CASES if "transformation" in case} == set(TRANSFORMATION_FUNCTIONS)
    assert not [case for case in CASES if "error" in case]


def test_single_line_reference_cases() -> None:
    known = _known_lines()
    unexplained, explained = [], set()
    for case in CASES:
        if "wildcard" in case or len(case["lines"]) != 1:
            continue
        key = (case["transformation"], case["lines"][0])
        if _ours(case) != case["output"]:
            (explained.add(key) if key in known else unexplained.append((key, case["output"], _ours(case))))
    assert unexplained == []
    # every listed difference still exists (a stale entry would hide a regression)
    assert explained == known


def test_whole_list_reference_cases_differ_only_by_known_lines() -> None:
    known = _known_lines()
    for case in CASES:
        if "wildcard" in case or len(case["lines"]) == 1:
            continue
        transformation = case["transformation"]
        ours = _ours(case)
        if ours == case["output"]:
            continue
        # lines the known single-line differences account for, in either output
        accounted: set[str] = set()
        for t, line in known:
            if t == transformation:
                single = {"transformation": t, "lines": [line]}
                accounted |= {line, *_ours(single)}
                accounted |= {out for c in CASES if c.get("transformation") == t and c["lines"] == [line]
                              for out in c["output"]}
        reference = case["output"]
        assert [x for x in ours if x not in accounted] == [x for x in reference if x not in accounted], transformation


def test_wildcard_reference_cases() -> None:
    for case in CASES:
        if "wildcard" in case:
            assert _ours(case) == case["output"], case["wildcard"]


def test_public_suffix_snapshot_differs_only_by_the_listed_rules() -> None:
    from bloqr_dagster.filterlists import psl

    rules = KNOWN["psl_icann_rules"]
    for rule in rules["only_in_bloqr"]:
        # a rule of the newer list: the suffix itself (or, for `*.x`, a label under it) is a public suffix
        host = rule.replace("*", "sub")
        assert psl.public_suffix_of(host) == (host, True), rule
    for rule in rules["only_in_reference"]:
        suffix, listed = psl.public_suffix_of(rule)
        assert suffix != rule or not listed, rule
