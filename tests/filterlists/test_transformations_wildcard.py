"""Exclusion/inclusion matchers and the public-suffix lookups the Validate transformations use."""

from __future__ import annotations

import pytest

from bloqr_dagster.errors import BloqrError
from bloqr_dagster.filterlists import psl
from bloqr_dagster.filterlists.wildcard import Wildcard, WildcardSet, js_regex_to_python, prepare_wildcards


@pytest.mark.parametrize(
    ("pattern", "line", "matches"),
    [
        ("*.example.org", "||ads.example.org^", False),  # `*` patterns match the whole line
        ("*example.org*", "||ads.example.org^", True),
        ("*EXAMPLE.org*", "||ads.example.org^", True),  # ... case-insensitively
        ("||ads.*^", "||ads.example.org^", True),
        ("a**b", "a\nb", True),  # `*` also spans line terminators
        ("example.org", "||ads.example.org^", True),  # plain text: a substring ...
        ("EXAMPLE.org", "||ads.example.org^", False),  # ... case-sensitive
        ("! comment", "! comment line", True),
        ("/^\\|\\|ADS\\./", "||ads.example.org^", True),  # /regex/: searched, flags i and m
        ("/example\\.org\\^$/", "||ads.example.org^", True),
        ("/\\d+\\.\\d+/", "1.2", True),
        ("/\\d/", "\u0663", False),  # JavaScript's \d is ASCII only
        ("//", "a//b", True),  # too short for a regex: a substring
        ("/(?<name>ads)\\./", "||ads.example.org^", True),
    ],
)
def test_wildcard(pattern: str, line: str, matches: bool) -> None:
    assert Wildcard(pattern).test(line) is matches
    assert WildcardSet([pattern]).matches(line) is matches


def test_wildcard_set_merges_plain_entries() -> None:
    wildcards = WildcardSet(["ads", "track", "*.org^", "/^@@/"])
    assert [wildcards.matches(x) for x in ["x-ads-y", "tracker", "||a.org^", "@@||b.com^", "||c.com^"]] == [
        True, True, True, True, False,
    ]


def test_prepare_wildcards_drops_duplicates_and_empty_entries() -> None:
    assert len(prepare_wildcards(["a", "", "a", "b"], field="exclusions")) == 2


def test_invalid_regex_names_the_field() -> None:
    with pytest.raises(BloqrError, match=r"sources\[0\]\.exclusions: invalid regular expression '/\(/'"):
        Wildcard("/(/", field="sources[0].exclusions")


def test_js_regex_translation_keeps_classes_and_escapes() -> None:
    assert js_regex_to_python(r"[\d]\/x") == "[0-9]/x"


@pytest.mark.parametrize(
    ("text", "hostname", "is_ip", "suffix", "listed"),
    [
        ("example.org", "example.org", False, "org", True),
        ("EXAMPLE.co.uk", "example.co.uk", False, "co.uk", True),
        ("localhost", "localhost", False, "localhost", False),
        ("foo.bar.", "foo.bar", False, "bar", True),
        ("a.b.ck", "a.b.ck", False, "b.ck", True),
        ("www.ck", "www.ck", False, "ck", True),
        ("http://user@x.example.com:8080/path", "x.example.com", False, "com", True),
        ("1.2.3.4", "1.2.3.4", True, None, False),
        ("[::1]", "::1", True, None, False),
        ("::1", None, False, None, False),  # tldts 7.0.28 reads `::1` as host `` with port `1`
        ("a..b", None, False, None, False),
        ("bad_host.com", "bad_host.com", False, "com", True),
        ("пример.рф", "пример.рф", False, "рф", True),
        ("xn--e1afmkfd.xn--p1ai", "xn--e1afmkfd.xn--p1ai", False, "xn--p1ai", True),
    ],
)
def test_parse_host_like_tldts(text: str, hostname: str | None, is_ip: bool, suffix: str | None, listed: bool) -> None:
    assert psl.parse_host(text) == psl.ParsedHost(hostname, is_ip, suffix, listed)


def test_suffix_status_matches_the_general_lookup() -> None:
    for host in ["co.uk", "uk", "example.co.uk", "localhost", "a.ck", "www.ck", "kawasaki.jp", "x.kawasaki.jp",
                 "city.kawasaki.jp", "example.com", "example.xyz", "github.io", "a.b.c.d.e"]:
        suffix, listed = psl.public_suffix_of(host)
        expected = (psl.NOT_A_SUFFIX if suffix != host else psl.LISTED_SUFFIX if listed else psl.UNLISTED_SUFFIX)
        assert psl.suffix_status(host) == expected, host


def test_many_plain_entries_behave_like_substring_tests() -> None:
    entries = ["ads.", "ads.example", "track", "x^y", "a[b]", "|bar", "tr", "zz"]
    lines = ["||ads.example.org^", "||tracker.net^", "||t.r^", "x^y", "a[b]", "foo|bar", "||ad.org^", "Track", "zz"]
    matcher = WildcardSet(entries)
    assert [matcher.matches(line) for line in lines] == [any(e in line for e in entries) for line in lines]


def test_many_star_entries_each_match_the_whole_line() -> None:
    matcher = WildcardSet(["*.example.org^", "||ads.*", "*TRACK*"])
    assert [matcher.matches(x) for x in ["||ads.example.org^", "@@||ads.x^", "||x.track.y^", "||b.com^"]] == [
        True, False, True, False,
    ]
