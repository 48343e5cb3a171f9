"""Users' own rules: loading, one-line validation errors, merging with the built-ins, the version."""

from __future__ import annotations

from pathlib import Path

import pytest

from bloqr_dagster.build_errors.detectors import (
    RULES_VERSION,
    UserRulesError,
    build_rules,
    default_rules,
    diagnose,
    load_user_rules,
    rules_version,
)
from bloqr_dagster.build_errors.detectors.user_rules import parse_user_rules

GOOD = """\
# our own knowledge base
rules:
  - name: internal-registry-down
    category: network_error
    pattern: 'registry\\.corp\\.example: (?:ECONNREFUSED|503)'
    description: Our npm mirror is down, see the runbook
    tags: [infra]
    examples: ['npm error registry.corp.example: 503 Service Unavailable']
    counter_examples: ['registry.corp.example: 200 OK']
  - name: flaky-e2e-is-noise
    category: not_an_error
    pattern: '^E2E retry \\d+ failed'
    keywords: [e2e retry]
  - name: quota-after-upload
    category: deploy_command_failed
    pattern: '^deploy-bot: upload failed'
    rank: error
    followed_by:
      within: 3
      causes: [{pattern: 'quota exceeded', category: timeout}]
"""
LOG = "\n".join([
    "Executing user build command: npm run build",
    "npm error registry.corp.example: 503 Service Unavailable",
    "E2E retry 2 failed: ECONNRESET",
    "Failed: error occurred while running build command",
])


def test_user_rules_merge_with_and_override_the_builtins(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(GOOD)
    user = load_user_rules(path)
    assert user is not None and [r.name for r in user.rules] == [
        "internal-registry-down", "flaky-e2e-is-noise", "quota-after-upload"]
    assert user.rules[0].keywords == ("registry.corp.example: 503", "registry.corp.example: econnrefused")
    merged = build_rules(user)
    builtin = diagnose(LOG).errors
    mine = diagnose(LOG, merged).errors
    # the built-ins call line 2 a generic network error from words, line 3 a network error too
    assert [e.line_no for e in builtin] == [2, 3, 4]
    # the user's rule claims line 2 (same category here, its rank), and silences line 3
    assert [(e.line_no, e.error_code) for e in mine] == [(2, "network_error"), (4, "build_command_failed")]
    assert mine[0].tool == "npm"
    follow = diagnose("deploy-bot: upload failed\n\n  storage quota exceeded\n", merged)
    assert follow.primary is not None and follow.primary.error_code == "timeout"
    assert follow.primary.error_group.endswith("storage quota exceeded")


def test_rules_version_is_builtin_plus_a_hash_of_the_user_rules(tmp_path: Path) -> None:
    assert rules_version(None) == RULES_VERSION == default_rules().version
    a = parse_user_rules(GOOD)
    reformatted = parse_user_rules(GOOD.replace("# our own knowledge base\n", "").replace("[infra]", "\n      - infra"))
    changed = parse_user_rules(GOOD.replace("503", "502"))
    assert rules_version(a) == rules_version(reformatted) != rules_version(changed)
    assert rules_version(a).startswith(RULES_VERSION + "+user.")
    assert build_rules(a).version == rules_version(a)
    assert build_rules(a) is build_rules(parse_user_rules(GOOD))  # one rule set (and its caches) per content
    assert rules_version(parse_user_rules("rules: []\n")) == RULES_VERSION


def test_default_places(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BLOQR_RULES_FILE", raising=False)
    monkeypatch.setenv("BLOQR_HOME", str(tmp_path))
    assert load_user_rules() is None  # no file: no user rules
    (tmp_path / "rules.yaml").write_text(GOOD)
    assert load_user_rules() is not None
    other = tmp_path / "other.yaml"
    other.write_text("rules:\n  - {name: x-y, category: timeout, pattern: 'took forever'}\n")
    monkeypatch.setenv("BLOQR_RULES_FILE", str(other))
    loaded = load_user_rules()
    assert loaded is not None and [r.name for r in loaded.rules] == ["x-y"]
    monkeypatch.setenv("BLOQR_RULES_FILE", str(tmp_path / "missing.yaml"))
    with pytest.raises(UserRulesError, match="missing.yaml: cannot read"):
        load_user_rules()


def _rule(**fields: str) -> str:
    body = {"name": "my-rule", "category": "network_error", "pattern": "'mirror is down'", **fields}
    return "rules:\n  - " + "\n    ".join(f"{k}: {v}" for k, v in body.items() if v is not None) + "\n"


@pytest.mark.parametrize(("text", "message"), [
    ("rules: [", r"rules.yaml:1:\d+: "),
    ("- a\n- b\n", "rules.yaml: expected a mapping with a `rules:` list"),
    ("rules: {}\n", "rules.yaml: rules: expected a list of rules"),
    ("rulez: []\n", "rules.yaml: rulez: unknown top-level field"),
    ("rules:\n  - name: a-b\n    name: c-d\n", r"rules.yaml:3:5: duplicate key 'name'"),
    ("base: &b {name: x}\nrules: [*b]\n", "aliases are not allowed"),
    (_rule(patern="'x'"), r"rules\[0\]\.patern: unknown field \(did you mean pattern\?\)"),
    (_rule(name="'Bad Name'"), r"rules\[0\]\.name: use lowercase letters"),
    (_rule(category="netwrk_error"), r"rules\[0\]\.category: unknown category 'netwrk_error' \(did you mean network_error\?\)"),
    (_rule(pattern="'(unclosed'"), r"rules\[0\]\.pattern: bad regex: missing \), unterminated subpattern"),
    (_rule(pattern="'x*'"), r"rules\[0\]\.pattern: matches an empty line"),
    (_rule(pattern="'(a+)+b'"), r"rules\[0\]\.pattern: catastrophic-backtracking risk: nested quantifiers"),
    (_rule(pattern="'.*down'"), r"rules\[0\]\.pattern: catastrophic-backtracking risk: branch 1 .* starts with an unbounded"),
    (_rule(pattern=r"'^\d+x'"), r"rules\[0\]\.pattern: missing keyword: branch 1 .* has no literal text"),
    (_rule(keywords="[mirror]", pattern="'mirror is down|registry gone'"),
     r"rules\[0\]\.pattern: branch 2 \(registry gone\) is unreachable"),
    (_rule(keywords="[ab]"), r"rules\[0\]\.keywords\[0\]: a keyword needs 3\+ characters"),
    (_rule(rank="urgent"), r"rules\[0\]\.rank: expected cause, error, summary or a number 1-200"),
    (_rule(examples="['all good here']"), r"rules\[0\]\.examples\[0\]: the pattern does not match it"),
    (_rule(counter_examples="['the mirror is down again']"), r"rules\[0\]\.counter_examples\[0\]: the pattern matches it"),
    (_rule(followed_by="{within: 99, causes: []}"), r"rules\[0\]\.followed_by\.within: expected a number of lines"),
    (_rule(name="npm-auth"), r"rules\[0\]\.name: 'npm-auth' is a built-in rule's name"),
    ("rules:\n  - {name: a-a, category: timeout, pattern: 'took forever'}\n"
     "  - {name: a-a, category: timeout, pattern: 'took ages'}\n", r"rules\[1\]\.name: duplicate name 'a-a'"),
])
def test_bad_rules_fail_with_one_line_naming_the_field(text: str, message: str) -> None:
    with pytest.raises(UserRulesError, match=message) as err:
        parse_user_rules(text)
    assert "\n" not in str(err.value)


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(UserRulesError, match="is a directory"):
        load_user_rules(tmp_path)
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (2 << 20))
    with pytest.raises(UserRulesError, match="larger than"):
        load_user_rules(big)
    binary = tmp_path / "bin.yaml"
    binary.write_bytes(b"\xff\xfe\x00rules")
    with pytest.raises(UserRulesError, match="not UTF-8"):
        load_user_rules(binary)
