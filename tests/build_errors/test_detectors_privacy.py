"""Nothing private may leave the engine: groups and samples of real and planted lines."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bloqr_dagster.build_errors.detectors import diagnose, diagnose_bytes

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]*[a-z]{2,}", re.I)
IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.])")
HEX32 = re.compile(r"(?<![0-9a-f])[0-9a-f]{32,}(?![0-9a-f])", re.I)
TOKENS = re.compile(r"gh[pousr]_\w{10,}|github_pat_|Bearer\s+(?!<)\S+|\bcf[a-z]{0,3}[-_][A-Za-z0-9_-]{30,}")
USER_PATH = re.compile(r"/home/\w+|/Users/\w+|[A-Za-z]:\\Users\\\w+|/opt/buildhome/", re.I)


def _leaks(text: str) -> list[str]:
    found = []
    for pattern in (EMAIL, IPV4, HEX32, TOKENS, USER_PATH):
        found += pattern.findall(text)
    return found


def test_real_lines_and_logs_leak_nothing(buildlogs_dir: Path) -> None:
    outputs: list[str] = []
    with open(buildlogs_dir / "dev_lines.jsonl", encoding="utf-8") as fh:
        for row in map(json.loads, fh):
            for e in diagnose(row["line"]).errors:
                outputs += [e.error_group, e.sample_line]
    for log in sorted((buildlogs_dir / "dev_logs").glob("*.log")):
        for e in diagnose_bytes(log.read_bytes()).errors:
            outputs += [e.error_group, e.sample_line]
    assert len(outputs) > 200
    leaks = [(o, _leaks(o)) for o in outputs if _leaks(o)]
    assert leaks == []


ACCOUNT = "85896390c4c548dd702c7d50754889c2"
PLANTED = [
    # (line, secrets that must not appear in group or sample)
    (f"✘ [ERROR] A request to the Cloudflare API (/accounts/{ACCOUNT}/workers/scripts/acme-payments) failed.",
     [ACCOUNT, "acme-payments"]),
    (f"✘ [ERROR] Authentication error [code: 10000] for account_id = {ACCOUNT}", [ACCOUNT]),
    ("npm ERR! network request to https://jane:s3cr3tpass@registry.corp.example.com/x failed, reason: ETIMEDOUT",
     ["jane", "s3cr3tpass", "corp.example.com"]),
    ("fatal: could not read Username for 'https://jane.doe@example.com@github.com': terminal prompts disabled",
     ["jane.doe@example.com"]),
    ("Error: connect ECONNREFUSED 10.42.7.19:5432", ["10.42.7.19"]),
    ("Error: connect ETIMEDOUT 2606:4700:3033::ac43:bd2b:443", ["2606:4700:3033::ac43:bd2b"]),
    ("Error: Cannot find module '/home/alice/projects/shop/dist/index.js'", ["alice", "/home/"]),
    ("Error: Cannot find module '/Users/bob/src/app/server.js'", ["bob", "/Users/"]),
    ("npm ERR! enoent ENOENT: no such file or directory, open 'C:\\Users\\carol\\site\\package.json'",
     ["carol", "Users"]),
    ("✘ [ERROR] Invalid API Token: ghp_abcdefghijklmnopqrstuvwxyz0123456789", ["ghp_abcdef"]),
    ("✘ [ERROR] Unable to authenticate request with Authorization: Bearer 8xYq3ZpL0vR7tW2kN5mB9cD4fG6hJ1sA",
     ["8xYq3ZpL0vR7tW2kN5mB9cD4fG6hJ1sA"]),
    ("error: CLOUDFLARE_API_TOKEN=Zk3vQp9LwX2mN8rT5yB1cF7hJ4dG6sA0eK3uW9iO is invalid (code 1031)",
     ["Zk3vQp9LwX2mN8rT5yB1cF7hJ4dG6sA0eK3uW9iO"]),
    ("✘ [ERROR] Uploaded acme-payments (1.20 sec) but deploying its triggers failed", ["acme-payments"]),
    ("✘ [ERROR] Could not route to https://acme-payments.jane-doe.workers.dev, please try again: exceeded",
     ["acme-payments", "jane-doe"]),
    ("✘ [ERROR] Failed to upload Worker --name acme-payments: exceeded the size limit", ["acme-payments"]),
    ("fatal: unable to access 'https://oauth2:glpat-AbCdEfGhIjKlMnOpQrSt@gitlab.com/acme/site.git/': "
     "The requested URL returned error: 403", ["glpat-", "oauth2", "acme/site"]),
    ("✘ [ERROR] Authentication error: key sk_live_4eC39HqLyjWDarjtT1zdp7dc was rejected", ["4eC39HqLyjWDarjtT1zdp7dc"]),
    ("✘ [ERROR] Authentication error <ghp_abcdefghijklmnopqrstuvwxyz0123456789>", ["ghp_abcdef"]),
    ("✘ [ERROR] Authentication error for AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEf1Q", ["AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEf1Q"]),
    ("Error: Failed to publish your Function. Got error: contact ops@acme.io about zone "
     "0f1e2d3c4b5a69788796a5b4c3d2e1f0", ["ops@acme.io", "0f1e2d3c4b5a69788796a5b4c3d2e1f0"]),
]


@pytest.mark.parametrize(("line", "secrets"), PLANTED)
def test_planted_private_values_are_masked(line: str, secrets: list[str]) -> None:
    d = diagnose("2026-01-01T00:00:00.000Z\t" + line)
    assert d.errors, f"not detected: {line}"
    for e in d.errors:
        for secret in secrets:
            assert secret not in e.error_group, (secret, e.error_group)
            assert secret not in e.sample_line, (secret, e.sample_line)
        assert _leaks(e.error_group) == [] and _leaks(e.sample_line) == []
