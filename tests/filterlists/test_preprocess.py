"""Pre-processing semantics of @adguard/filters-downloader 2.4.5 (cases confirmed against the package)."""

from __future__ import annotations

import pytest

from bloqr_dagster.filterlists.preprocess import (
    DirectiveError,
    decode_utf8,
    drop_diff_path,
    evaluate_condition,
    js_trim,
    original_line_number,
    resolve_conditions,
    split_lines,
)


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("", [""]),
        ("   \n\n \t ", [""]),
        ("a\r\nb\rc\nd", ["a", "b", "c", "d"]),
        ("a\n\n\n\r\n\rb", ["a", "b"]),  # blank lines vanish at download time
        ("a\n   \nb", ["a", "   ", "b"]),  # whitespace-only lines survive
        ("\ufeff\u00a0 a \n", ["a"]),  # JS trim() strips the BOM and NBSP at both ends of the content
        ("a \nb\t", ["a ", "b"]),  # only the content is trimmed, not each line
    ],
)
def test_split_lines_like_the_reference(text: str, lines: list[str]) -> None:
    assert split_lines(text) == lines


def test_js_trim_differs_from_python_strip() -> None:
    assert js_trim("\ufeffx\u3000") == "x"
    assert js_trim("\x1cx\x85") == "\x1cx\x85"  # Python's strip() would remove these


def test_decode_counts_invalid_sequences_and_keeps_real_replacement_chars() -> None:
    assert decode_utf8("héllo".encode()) == ("héllo", 0)
    text, replaced = decode_utf8(b"a\xff\xfeb\xc3(" + "\ufffd".encode())
    assert text == "a\ufffd\ufffdb\ufffd(\ufffd"
    assert replaced == 3


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("true", True),
        ("false", False),
        ("ext_ublock", False),  # no properties are defined
        ("!env_safari", True),
        ("!true", False),
        ("!!true", True),
        ("true && !x", True),
        ("true && x", False),
        ("x || true", True),
        ("(x || true) && !(false)", True),
        ("!(true && false)", True),
        ("true||x", False),  # the reference drops the character before `||`
        ("  true  ", True),
    ],
)
def test_condition_evaluator(expression: str, expected: bool) -> None:
    assert evaluate_condition(expression) is expected


@pytest.mark.parametrize("expression", ["", "   ", "!", "(true", "true)", "x || ", "()"])
def test_condition_evaluator_errors(expression: str) -> None:
    with pytest.raises(ValueError):
        evaluate_condition(expression)


def test_conditions_keep_true_branches_and_drop_false_ones() -> None:
    lines = [
        "a",
        "!#if ext_ublock", "ublock-only", "!#endif",
        "!#if !env_safari", "not-safari",
        "!#if cap_html_filtering", "html", "!#else", "no-html", "!#endif",
        "!#endif",
        "!#if true", "t", "!#else", "f", "!#endif",
        " !#if x", "z",
    ]
    assert resolve_conditions(lines) == ["a", "not-safari", "no-html", "t", " !#if x", "z"]


def test_nested_if_without_else_hides_the_outer_else_like_the_reference() -> None:
    # The reference pairs the inner `!#if` with the outer `!#else`, so the outer block has no else:
    # a false condition drops everything up to the outer `!#endif`.
    lines = ["!#if x", "a", "!#if y", "b", "!#endif", "!#else", "c", "!#endif", "d"]
    assert resolve_conditions(lines) == ["d"]


@pytest.mark.parametrize(
    ("lines", "index", "fragment"),
    [
        (["a", "!#if true", "b"], 1, "no matching !#endif"),
        (["a", "!#endif"], 1, "without a preceding !#if"),
        (["!#else"], 0, "without a preceding !#if"),
        (["!#if true", "!#else x", "!#endif"], 1, "nothing may follow !#else"),
        (["!#if", "!#endif"], 0, "empty condition"),
        (["!#if (x", "!#endif"], 0, "unbalanced brackets"),
    ],
)
def test_unbalanced_directives_raise_with_the_line(lines: list[str], index: int, fragment: str) -> None:
    with pytest.raises(DirectiveError) as info:
        resolve_conditions(lines)
    assert info.value.index == index
    assert fragment in info.value.message


def test_original_line_number_counts_removed_blank_lines() -> None:
    text = "\n\r\nfirst\r\n\r\nsecond\rthird\n\n\nfourth"
    assert split_lines(text) == ["first", "second", "third", "fourth"]
    assert [original_line_number(text, i) for i in range(4)] == [3, 5, 6, 9]


def test_diff_path_removed_in_first_50_lines_with_the_reference_skip() -> None:
    lines = ["! Diff-Path: a", "! Diff-Path: b", "x", *(["y"] * 60), "! Diff-Path: late"]
    drop_diff_path(lines)
    # The second of two adjacent Diff-Path lines survives, as in the reference's splice loop.
    assert lines[:2] == ["! Diff-Path: b", "x"]
    assert lines[-1] == "! Diff-Path: late"


def test_split_lines_equals_the_regex_definition_on_random_text() -> None:
    import random
    import re

    rng = random.Random(7)
    alphabet = ["a", "b", " ", "\t", "\r", "\n", "\r\n", "\ufeff", "\u00a0", "!#if x"]
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        assert split_lines(text) == re.split(r"[\r\n]+", js_trim(text)), repr(text)


def test_hostile_conditions_are_bounded() -> None:
    from bloqr_dagster.filterlists.preprocess import MAX_IF_DEPTH, evaluate_condition

    assert evaluate_condition("(" * 5000 + "true" + ")" * 5000) is True  # a loop, not 5,000 stack frames
    assert evaluate_condition(" && ".join(["true"] * 2000)) is True
    assert evaluate_condition("!" * 5001 + "true") is False
    with pytest.raises(ValueError, match="condition longer than 20000 characters"):
        evaluate_condition("(" * 20_000 + "true" + ")" * 20_000)
    nested = ["!#if true"] * (MAX_IF_DEPTH + 1) + ["x"] + ["!#endif"] * (MAX_IF_DEPTH + 1)
    with pytest.raises(DirectiveError, match=f"!#if blocks nested deeper than {MAX_IF_DEPTH}"):
        resolve_conditions(nested)
    assert resolve_conditions(nested[1:-1]) == ["x"]
