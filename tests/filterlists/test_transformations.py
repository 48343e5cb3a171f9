"""Each transformation over the cases of the reference behaviour notes (SPEC.md section 5)."""

from __future__ import annotations

import pytest

from bloqr_dagster.filterlists.transformations import (
    compress,
    convert_to_ascii,
    deduplicate,
    insert_final_new_line,
    invert_allow,
    remove_comments,
    remove_empty_lines,
    remove_modifiers,
    trim_lines,
    validate,
    validate_allow_ip,
    validate_allow_ip_and_public_suffix,
    validate_allow_public_suffix,
)
from bloqr_dagster.filterlists.transformations.validate import normalize_ip_rules

# --------------------------------------------------------------------------------------- simple ones


def test_remove_comments_uses_the_reference_comment_rules() -> None:
    lines = ["! c", "# c", "#", "####", "##.ad", "#0.0.0.0 x", "rule", "#@#.x", "!"]
    assert remove_comments(lines) == ["##.ad", "#0.0.0.0 x", "rule", "#@#.x"]


def test_trim_lines_strips_only_spaces_and_tabs() -> None:
    assert trim_lines(["  a \t", "\xa0b\xa0", "\tc"]) == ["a", "\xa0b\xa0", "c"]


def test_remove_empty_lines_uses_javascript_whitespace() -> None:
    assert remove_empty_lines(["", " ", "\t", "\xa0", "\ufeff", "a", " b "]) == ["a", " b "]
    # U+001C..U+001F are whitespace for Python but not for JavaScript's trim()
    assert remove_empty_lines(["\x1c"]) == ["\x1c"]


def test_insert_final_new_line() -> None:
    assert insert_final_new_line([]) == [""]
    assert insert_final_new_line(["a"]) == ["a", ""]
    assert insert_final_new_line(["a", ""]) == ["a", ""]
    assert insert_final_new_line(["a", "  "]) == ["a", "  "]


def test_invert_allow_skips_comments_hosts_and_allow_rules() -> None:
    lines = ["||a.com^", "@@||b.com^", "! c", "", "0.0.0.0 c.com", "example.org"]
    assert invert_allow(lines) == ["@@||a.com^", "@@||b.com^", "! c", "", "0.0.0.0 c.com", "@@example.org"]


# --------------------------------------------------------------------------------------- Deduplicate


def test_deduplicate_keeps_the_last_occurrence() -> None:
    assert deduplicate(["rule1", "rule3", "rule1", "rule1"]) == ["rule3", "rule1"]


def test_deduplicate_drops_comments_above_a_removed_duplicate_but_never_dedups_comments() -> None:
    lines = ["! about a", "", "a", "! keep", "b", "! about a again", "a", "! c", "! c"]
    assert deduplicate(lines) == ["! keep", "b", "! about a again", "a", "! c", "! c"]


@pytest.mark.parametrize(
    ("lines", "kept"),
    [
        (["a", "! c", "a", "! d", "a"], ["! d", "a"]),
        (["! c", "x", "! c", "x"], ["! c", "x"]),
        (["x", "", "a", "a"], ["x", "a"]),
        (["a", "", "b", "a"], ["", "b", "a"]),
        (["a", " ", "a", " "], ["a", " "]),  # a whitespace-only line is a rule: deduplicated, stops removal
        (["#", "#", "a"], ["#", "#", "a"]),
    ],
)
def test_deduplicate_cases(lines: list[str], kept: list[str]) -> None:
    assert deduplicate(lines) == kept


def test_deduplicate_does_not_copy_the_javascript_object_quirk() -> None:
    # the reference treats `constructor`, `toString`, ... as already seen and drops them
    assert deduplicate(["constructor", "toString", "a"]) == ["constructor", "toString", "a"]


# --------------------------------------------------------------------------------------- Compress


def test_compress_converts_hosts_and_domains_and_removes_covered_rules() -> None:
    lines = [
        "0.0.0.0 a.b.example.com b.example.com",
        "||example",
        "||example.org^",
        "0.0.0.0 0.0.0.0",
        "127.0.0.1 localhost",
        "sub.example.org",
        "Example.NET",
        "||x.example.net^",
        "@@||allowed.example.org^",
        "||mod.example.org^$important",
        "! comment",
    ]
    assert compress(lines) == [
        "||b.example.com^",
        "||example",
        "||example.org^",
        "||0.0.0.0^",
        "||localhost^",
        "||Example.NET^",
        "||x.example.net^",  # the hosts-file key is case-sensitive: `Example.NET` does not cover it
        "@@||allowed.example.org^",
        "||mod.example.org^$important",
        "! comment",
    ]


def test_compress_keeps_the_first_rule_per_hostname_and_the_original_text() -> None:
    assert compress(["||a.com^", " ||a.com^", "0.0.0.0 a.com", "||b.com^$", "||b.com^"]) == [
        "||a.com^",
        "||b.com^$",
    ]


def test_compress_hosts_comment_and_interface_forms() -> None:
    assert compress(["0.0.0.0 x.org # comment", "fe80::1%lo0 y.org", "[::]  a.org b.org"]) == [
        "||x.org^",
        "||y.org^",
        "||a.org^",
        "||b.org^",
    ]


# --------------------------------------------------------------------------------------- RemoveModifiers


def test_remove_modifiers() -> None:
    lines = [
        "||a.com^$third-party",
        "||b.com^$3p,important",
        "  ||c.com^$popup,all,doc,document,network  ",
        "@@||d.com^$domain=x.com,third-party",
        "! $third-party",
        "   ",
        "@@",
    ]
    assert remove_modifiers(lines) == [
        "||a.com^",
        "||b.com^$important",
        "||c.com^",
        "@@||d.com^$domain=x.com",
        "! $third-party",
        "",
        "@@",  # the reference crashes on this line
    ]


def test_remove_modifiers_reserialises_options_like_the_reference() -> None:
    # lodash split(option, '=', 2) keeps only the first value part; an empty value disappears
    assert remove_modifiers(["||a.com^$x=a=b,3p", "||a.com^$x=,3p", "||a.com^$a\\,b,3p"]) == [
        "||a.com^$x=a",
        "||a.com^$x",
        "||a.com^$a,b",
    ]


# --------------------------------------------------------------------------------------- Validate

KEPT = [
    "||example.org^",
    "||ex*.org^",
    "||example.org^$important",
    "||*.ga^$denyallow=a.com|b.com",
    "://ww4.$denyallow=a.com",
    "||example.org^|",
    "@@||example.org^|$important",
    "||foo.bar.^",
    "||localhost.localdomain^",
    "0.0.0.0 EXAMPLE.COM",
    "rule1",
    "://example.org",
    "||example.org",
    "/ads[0-9]+$/",
    "||co.uk^$denyallow=a.co.uk",
]
DROPPED = [
    "||185.149.120.173^",
    "||org^",
    ".org^",
    "*.org^",
    "||*.org^",
    "||uk^",
    "||*.co.uk^",
    "||example.org^$third-party",
    "||example.com/atata",
    "@@||example.com^*-tracking.js",
    "||bad_host.com^",
    "ex.org##.ad",
    "0.0.0.0 co.uk",
    "||localhost^",
    "||xyz123notreal^",
    "||example.org^test*",
    "@@",
    "0.0.0.0 bad_host..com",
]


@pytest.mark.parametrize("rule", KEPT)
def test_validate_keeps(rule: str) -> None:
    assert validate([rule]) == [rule]


@pytest.mark.parametrize("rule", DROPPED)
def test_validate_drops(rule: str) -> None:
    assert validate([rule]) == []


def test_validate_drops_comments_and_empty_lines_right_above_an_invalid_rule() -> None:
    lines = ["! keep", "||ok.com^", "! about org", "", "||org^", " ", "! about uk", "||uk^", "||fine.org^"]
    # the whitespace-only line counts as a valid rule and stops the removal
    assert validate(lines) == ["! keep", "||ok.com^", " ", "||fine.org^"]


IP_FORMS = ["1.2.3.4", "1.2.3.4^", "|1.2.3.4", "|1.2.3.4^", "||1.2.3.4", "1.2.3.4^|", "||1.2.3.4^|"]


@pytest.mark.parametrize("rule", IP_FORMS)
def test_ip_normalisation_of_full_addresses(rule: str) -> None:
    assert normalize_ip_rules([rule]) == ["||1.2.3.4^"]
    assert validate_allow_ip([rule]) == ["||1.2.3.4^"]
    assert validate([rule]) == []


def test_ip_normalisation_keeps_modifiers_and_allow_prefix() -> None:
    assert normalize_ip_rules(["@@1.2.3.4^$important", "|1.2.3.4$dnstype=A", "! 1.2.3.4", "#1.2.3.4"]) == [
        "@@||1.2.3.4^$important",
        "||1.2.3.4^$dnstype=A",
        "! 1.2.3.4",
        "#1.2.3.4",
    ]


@pytest.mark.parametrize(
    ("rule", "normalised"),
    [("1.2.3.", "||1.2.3."), ("1.2.3.*", "||1.2.3.*"), ("|1.2.3.", "||1.2.3."), ("||1.2.3.*", "||1.2.3.*")],
)
def test_ip_normalisation_of_subnets(rule: str, normalised: str) -> None:
    assert normalize_ip_rules([rule]) == [normalised]
    assert validate_allow_ip([rule]) == [normalised]
    assert validate([rule]) == []


@pytest.mark.parametrize(
    "rule",
    ["1.2", "1.2^", "||1.2^", "||1.2.", "192.168.1", "192.168.1^", "||192.168.1^", "1.2.3.4.*", "||1.2.3.4.",
     "||1.2.3.4^$denyallow=a.com"],
)
def test_unsafe_ip_patterns_are_dropped_even_with_allow_ip(rule: str) -> None:
    assert validate_allow_ip([rule]) == []
    assert validate_allow_ip_and_public_suffix([rule]) == []


def test_hosts_rules_with_ip_hostnames_need_allow_ip() -> None:
    assert validate(["0.0.0.0 1.2.3.4"]) == []
    assert validate_allow_ip(["0.0.0.0 1.2.3.4"]) == ["0.0.0.0 1.2.3.4"]


@pytest.mark.parametrize("rule", ["||org^", "||co.uk^", "||uk^", "||*.co.uk^", ".org^", "0.0.0.0 co.uk"])
def test_allow_public_suffix_keeps_listed_suffixes(rule: str) -> None:
    assert validate_allow_public_suffix([rule]) == [rule]
    assert validate_allow_ip_and_public_suffix([rule]) == [rule]


@pytest.mark.parametrize("rule", ["||localhost^", "||xyz123notreal^", "||a^", "0.0.0.0 localhost"])
def test_allow_public_suffix_still_drops_unknown_single_labels(rule: str) -> None:
    assert validate_allow_public_suffix([rule]) == []


def test_public_suffix_rules_with_wildcards_and_exceptions() -> None:
    # *.ck is a rule and !www.ck an exception; *.kawasaki.jp a rule and !city.kawasaki.jp an exception
    assert validate(["||a.ck^", "||www.ck^", "||b.a.ck^"]) == ["||www.ck^", "||b.a.ck^"]
    assert validate(["||x.kawasaki.jp^", "||city.kawasaki.jp^"]) == ["||city.kawasaki.jp^"]
    # private-section suffixes are not public suffixes for the reference (tldts default options)
    assert validate(["||blogspot.com^", "||github.io^"]) == ["||blogspot.com^", "||github.io^"]


# --------------------------------------------------------------------------------------- ConvertToAscii


def test_convert_to_ascii() -> None:
    lines = ["||*.рус^", "||セール.com^", "пример.рф", "! пример.рф", "||a.com^$denyallow=пример.рф", "||ascii.org^"]
    assert convert_to_ascii(lines) == [
        "||*.xn--p1acf^",
        "||xn--1ck2e1b.com^",
        "xn--e1afmkfd.xn--p1ai",
        "! пример.рф",
        "||a.com^$denyallow=xn--e1afmkfd.xn--p1ai",
        "||ascii.org^",
    ]


def test_convert_to_ascii_keeps_what_follows_the_domain() -> None:
    # the reference (Node's URL parser) drops `##.ad` here; bloqr keeps the cosmetic part
    assert convert_to_ascii(["пример.рф##.ad", "Пример.РФ/path"]) == [
        "xn--e1afmkfd.xn--p1ai##.ad",
        "xn--e1afmkfd.xn--p1ai/path",
    ]


# --------------------------------------------------------------------------------------- rule helpers


def test_hosts_rule_detection_and_hostnames() -> None:
    from bloqr_dagster.filterlists.rule_syntax import etc_hosts_hostnames, is_etc_hosts_rule

    assert etc_hosts_hostnames("[::]  a b") == ["a", "b"]
    assert etc_hosts_hostnames("fe80::1%lo0 localhost") == ["localhost"]
    assert etc_hosts_hostnames("0.0.0.0 x # c") == ["x"]
    assert [is_etc_hosts_rule(x) for x in ["0.0.0.0 x", "0.0.0.0", "#0.0.0.0 x", "0.0.0.0\u3000x", "0.0.0.0 #x"]] == [
        True, False, False, True, False,
    ]
    assert is_etc_hosts_rule("0.0.0.0 x\n")
    assert not is_etc_hosts_rule("0.0.0.0 x #c\u2028")  # JavaScript's `.` stops at a line separator


def test_adblock_parsing() -> None:
    from bloqr_dagster.filterlists.rule_syntax import RuleParseError, parse_adblock

    rule = parse_adblock("  @@||a.com^$important,dnstype=A\\,AAAA,,x=a=b  ")
    assert (rule.whitelist, rule.pattern, rule.hostname) == (True, "||a.com^", "a.com")
    assert rule.options == [("important", None), ("dnstype", "A,AAAA"), ("x", "a")]
    assert parse_adblock("/ads$/").pattern == "/ads$/"  # a regex keeps its `$`
    assert parse_adblock("||a.com^$x\\$y$important").options == [("important", None)]  # last unescaped `$`
    assert parse_adblock("||A.com^").hostname is None  # hostnames are lower-case only
    with pytest.raises(RuleParseError):
        parse_adblock("@@")
