"""The private-value corpus (tests/data/privacy/cases.jsonl) through the engine and `bloqr detect`,
the independent privacy scan, and the mask consistency of error groups (issue 8 item 4)."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from bloqr_dagster.build_errors import privacy
from bloqr_dagster.build_errors.detectors import diagnose, masking
from bloqr_dagster.build_errors.detectors.masking import normalise, scrub
from bloqr_dagster.build_errors.detectors.regex_analysis import backtracking_risk
from bloqr_dagster.cli import main

CASES_FILE = Path(__file__).resolve().parents[1] / "data" / "privacy" / "cases.jsonl"
CASES = [json.loads(line) for line in CASES_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]
PREFIX = "2026-03-04T05:06:07.890Z\t"
# Kinds the independent scan cannot recognise without the masking's context (a worker name is a plain
# word); the masking still masks them (test_every_case_is_detected_and_masked).
CONTEXT_ONLY = {"p081"}
CATASTROPHE_S = 1.0  # per call on one hostile line; a catastrophic pattern takes minutes


def _leaks(case: dict, text: str) -> list[str]:
    return [s for s in case["secrets"] if s in text]


def test_the_corpus_covers_every_family() -> None:
    assert len(CASES) >= 80
    assert {c["kind"] for c in CASES} == {"auth_header", "credential", "login", "token", "private_key", "url",
                                          "email", "user_path", "host", "account"}
    assert len({c["id"] for c in CASES}) == len(CASES)
    for case in CASES:  # every secret is really in its line (a typo would make the case pass for nothing)
        assert case["secrets"] and all(s in case["line"] for s in case["secrets"]), case["id"]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_every_case_is_detected_and_masked(case: dict) -> None:
    d = diagnose(PREFIX + case["line"])
    assert d.errors, f"not detected, so the case tests nothing: {case['line']}"
    for e in d.errors:
        for text in (e.error_group, e.sample_line):
            assert _leaks(case, text) == [], text
            assert privacy.private_kinds(text) == [], text


@pytest.mark.parametrize("case", [c for c in CASES if c["id"] not in CONTEXT_ONLY], ids=lambda c: c["id"])
def test_the_independent_scan_finds_every_unmasked_case(case: dict) -> None:
    # The blocking check is a second, separately written look: it must see each raw value itself.
    assert privacy.private_kinds(case["line"]), case["line"]


def test_detect_cli_prints_no_private_value(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BLOQR_RULES_FILE", raising=False)
    monkeypatch.setenv("BLOQR_HOME", str(tmp_path / "home"))
    files = []
    for case in CASES:
        path = tmp_path / f"{case['id']}.log"
        path.write_text(f"{PREFIX}Cloning repository...\n{PREFIX}{case['line']}\n{PREFIX}Failed: build\n",
                        encoding="utf-8")
        files.append(str(path))
    assert main(["detect", *files]) == 0
    out = capsys.readouterr().out
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) == len(CASES)
    for case, record in zip(CASES, records, strict=True):
        assert any(e["line_no"] == 2 for e in record["errors"]), case["id"]
    for case in CASES:
        assert _leaks(case, out) == [], case["id"]
    assert privacy.scan(e["error_group"] for r in records for e in r["errors"]) == {}


# Mask consistency: names a project chooses are masked to the taxonomy's placeholders; codes that name
# the kind of error (HTTP statuses, tool codes) stay.
@pytest.mark.parametrize(("text", "group"), [
    # quoted identifiers, types and modules
    ("error TS2339: Property 'fooBar' does not exist on type 'Baz'.",
     "error TS2339: Property '<IDENTIFIER>' does not exist on type '<TYPE>'."),
    ("error TS6133: 'unusedThing' is declared but its value is never read.",
     "error TS6133: '<IDENTIFIER>' is declared but its value is never read."),
    ("TypeError: Cannot read properties of undefined (reading 'map')",
     "TypeError: Cannot read properties of undefined (reading '<IDENTIFIER>')"),
    ('ERROR: Cannot assign to import "x"', 'ERROR: Cannot assign to import "<IDENTIFIER>"'),
    ("error TS2322: Type 'number' is not assignable to type 'string'.",
     "error TS2322: Type 'number' is not assignable to type 'string'."),
    ("Error: Cannot find module 'left-pad'", "Error: Cannot find module '<MODULE>'"),
    # packages: plain, scoped, with versions and ranges
    ("npm error notarget No matching version found for left-pad@9.9.9.",
     "npm error notarget No matching version found for <PACKAGE>@<VERSION>."),
    ("ERR_PNPM_NO_MATCHING_VERSION No matching version found for @acme/ui-kit@^2.0.0",
     "ERR_PNPM_NO_MATCHING_VERSION No matching version found for <PACKAGE>@<RANGE>"),
    ("npm error Missing: @rollup/rollup-linux-x64-gnu@4.50.0 from lock file",
     "npm error Missing: <PACKAGE>@<VERSION> from lock file"),
    # worker names
    ("✘ [ERROR] Uploaded acme-payments (1.20 sec)", "✘ [ERROR] Uploaded <WORKER_NAME> (<DURATION>)"),
    ('Error: worker "billing-api" not found [code: 10007]', 'Error: worker "<WORKER_NAME>" not found [code: 10007]'),
    ("wrangler deploy --name shop-frontend failed", "wrangler deploy --name <WORKER_NAME> failed"),
    # status codes and tools' error codes stay
    ("npm ERR! 404 Not Found - GET https://registry.npmjs.org/x", "npm ERR! 404 Not Found - GET <URL>"),
    ("npm error 401 Unauthorized - PUT https://registry.npmjs.org/x", "npm error 401 Unauthorized - PUT <URL>"),
    ("fatal: unable to access 'https://github.com/a/b.git/': The requested URL returned error: 403",
     "fatal: unable to access '<URL>': The requested URL returned error: 403"),
    ("npm ERR! fetch failed with status code 404", "npm ERR! fetch failed with status code 404"),
    ("Authentication failed (status: 400) [code: 9106]", "Authentication failed (status: 400) [code: 9106]"),
    ("npm error code E404", "npm error code E404"),
    ("npm error code E401", "npm error code E401"),
    ("➤ YN0028: The lockfile would have been modified by this install, which is explicitly forbidden.",
     "➤ YN0028: The lockfile would have been modified by this install, which is explicitly forbidden."),
    ("ERR_PNPM_OUTDATED_LOCKFILE Cannot install with frozen-lockfile",
     "ERR_PNPM_OUTDATED_LOCKFILE Cannot install with frozen-lockfile"),
    ("✘ [ERROR] A request to the Cloudflare API (/accounts/abc/workers/scripts/x) failed. [code: 10042]",
     "✘ [ERROR] A request to the Cloudflare API (/accounts/<ACCOUNT_ID>/workers/scripts/<WORKER_NAME>) failed. "
     "[code: 10042]"),
    ("Error: code: 10042", "Error: code: 10042"),
    ("npm ERR! errno -2", "npm ERR! errno -2"),
    ("npm ERR! errno 1", "npm ERR! errno <CODE>"),
    ("sh: line 1: x: exited with exit code 127", "sh: line <N>: x: exited with exit code 127"),
    ("Error: Command failed with exit code 1.", "Error: Command failed with exit code <CODE>."),
    # line and column numbers
    ("Line 12:5:  'x' is defined but never used  no-unused-vars",
     "Line <LINE>:<COL>:  '<IDENTIFIER>' is defined but never used  no-unused-vars"),
    ("SyntaxError: Unexpected token (3:14)", "SyntaxError: Unexpected token (<LINE>:<COL>)"),
])
def test_mask_consistency(text: str, group: str) -> None:
    assert scrub(normalise(text)) == group


def _masking_patterns() -> dict[str, str]:
    out = dict(masking._alternatives(masking._PRIVATE + masking._STRUCTURAL))
    out.update(prefix=masking._PREFIX_RE.pattern, login=masking._LOGIN_RE.pattern,
               short_credential=masking._SHORT_CRED_RE.pattern, ansi=masking.ANSI_RE.pattern)
    return out


@pytest.mark.parametrize(("name", "pattern"), sorted(_masking_patterns().items()))
def test_no_masking_pattern_has_a_backtracking_shape(name: str, pattern: str) -> None:
    assert backtracking_risk(pattern, re.X) is None


@pytest.mark.parametrize("kind", sorted(privacy.PRIVATE_PATTERNS))
def test_no_privacy_pattern_has_a_backtracking_shape(kind: str) -> None:
    pattern = privacy.PRIVATE_PATTERNS[kind]
    assert backtracking_risk(pattern.pattern, pattern.flags & ~re.UNICODE) is None


def _hostile_lines() -> list[str]:
    tokens = ["a", " ", "\t", "-", "/", ".", ":", "=", "@", "'", '"', "`", "a.", "a-", "a/", "1.", "x=",
              "password=", "--token ", "Bearer ", "Authorization: ", "login -p ", "/home/", "C:\\Users\\",
              "eyJ", "AKIA", "ab.internal.", "type '", "module '", "Property '", '"1', "@a/b@", "10.0.0.",
              "-----BEGIN ", "Cookie: ", "https://a:", "x@y.", "Line 1:", "(1,", "[1:"]
    lines = []
    for size in (4096, 50 * 1024):
        for token in tokens:
            body = token * (size // len(token) + 1)
            lines += [body[:size], body[: size - 2] + "!x", ("error: " + body)[:size]]
    lines.append(" " * 10_000 + "error: x")
    return lines


@pytest.mark.timeout(600)
def test_masking_and_the_privacy_scan_are_fast_on_hostile_lines() -> None:
    worst = (0.0, "", "")
    for line in _hostile_lines():
        for name, fn in (("normalise", normalise), ("scrub", scrub), ("sample", masking.sample),
                         ("privacy", privacy.private_kinds), ("clean_line", masking.clean_line)):
            start = time.perf_counter()
            fn(line)
            took = time.perf_counter() - start
            if took > worst[0]:
                worst = (took, name, line[:20])
    assert worst[0] < CATASTROPHE_S, worst


def test_the_blocking_check_finds_nothing_in_masked_real_logs() -> None:
    # A finding blocks publishing, so on real traffic (the project corpus: every split, lines and whole
    # logs) the scan must agree with the masking: nothing it reports may survive masking.
    from bloqr_dagster.build_errors.detectors import corpus, diagnose_file

    root = Path(__file__).resolve().parents[1] / "data" / "buildlogs"
    outputs: list[str] = []
    for item in corpus.load_lines(root):
        outputs += [text for e in diagnose(item.line).errors for text in (e.error_group, e.sample_line)]
    for log in corpus.load_logs(root):
        outputs += [text for e in diagnose_file(log.path).errors for text in (e.error_group, e.sample_line)]
    assert len(outputs) > 2_000
    assert privacy.scan(outputs) == {}


def test_a_user_rule_whose_fixed_group_holds_a_private_value_is_refused() -> None:
    # A fixed group is published as written (no masking), so a private value in it is a load error.
    from bloqr_dagster.build_errors.detectors import UserRulesError
    from bloqr_dagster.build_errors.detectors.user_rules import parse_user_rules

    text = ("rules:\n  - name: mirror-down\n    category: network_error\n    pattern: 'mirror\\.example: 503'\n"
            "    keywords: [mirror.example]\n    group: 'npm mirror down, ask ops@example.com'\n")
    with pytest.raises(UserRulesError) as err:
        parse_user_rules(text)
    assert str(err.value).endswith("rules[0].group: holds a private value (email); write a placeholder "
                                   "(<EMAIL>, <HOST>, <TOKEN>, ...) instead")
    assert "ops@example.com" not in str(err.value)
    assert parse_user_rules(text.replace("ops@example.com", "<EMAIL>")).rules[0].group == \
        "npm mirror down, ask <EMAIL>"


def test_a_secret_across_a_length_cap_is_not_half_published() -> None:
    # Samples and groups keep the head of a long line, cut at a blank: half a secret would be too short
    # to be recognised and masked, so the token across a cap must go whole.
    secret = "Qm9vK2Zv/by8xY+3zTq7Lw5nR1sV0pUe4aGdHcJk"
    for cap in (2 * masking.MAX_GROUP_CHARS, masking.MAX_SAMPLE_CHARS, masking.MAX_SAMPLE_CHARS + 64):
        for offset in range(4, 40, 9):  # the cap falls `offset` characters into the secret
            head = ("Error: failed " + "x " * cap)[: cap - offset]
            d = diagnose(head + " " + secret + " tail")
            assert d.errors
            for e in d.errors:
                for text in (e.error_group, e.sample_line):
                    assert secret[: offset - 1] not in text and secret[-12:] not in text, (cap, offset)


def test_masked_mixtures_of_private_values_never_trip_the_blocking_check() -> None:
    # A finding blocks publishing, so whatever the masking leaves must pass the scan: random lines made
    # of the corpus's and the token zoo's words (fixed seed, so a failure reproduces).
    import random

    from tests.build_errors.test_masking import _TOKEN_ZOO

    words = [w for text in _TOKEN_ZOO + [c["line"] for c in CASES] for w in text.split(" ") if w]
    rnd = random.Random(7)
    flagged = []
    for _ in range(8_000):
        # mostly blanks between words; sometimes none or a separator, gluing a value to a word
        text = rnd.choice(words)
        for _ in range(rnd.randint(0, 7)):
            text += (rnd.choice(["", "=", ":", "/", ",", "'"]) if rnd.random() < 0.3 else " ") + rnd.choice(words)
        for out in (scrub(normalise(text)), masking.sample(text)):
            if privacy.private_kinds(out):
                flagged.append((text, out))
    assert flagged == []


@pytest.mark.parametrize(("line", "gone"), [
    ("Error: path acceptedC:\\Users\\First directory", "Users\\First"),
    ("curl to/4.0.0hooks.slack.com/services/T0/B0/XX failed", "hooks.slack.com/services"),
    ("Error: connect service,::ffff:10.0.0.1returned 403", "10.0.0.1"),
])
def test_a_value_glued_to_a_word_takes_its_chunk_with_it(line: str, gone: str) -> None:
    for out in (scrub(line), masking.sample(line)):
        assert gone not in out and "<REDACTED>" in out, out
    for out in (scrub(line), masking.sample(line), scrub(normalise(line))):
        assert not privacy.private_kinds(out), out  # nothing the blocking check would refuse
    assert scrub(line).split(" ")[0] == line.split(" ")[0]  # the rest of the line stays readable
