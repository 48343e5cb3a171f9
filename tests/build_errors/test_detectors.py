"""Detector accuracy on the real development set, and the engine's behaviour on tricky input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bloqr_dagster.build_errors.detectors import (
    CATEGORIES,
    DETECTORS,
    RULES_VERSION,
    Diagnosis,
    diagnose,
    diagnose_bytes,
    diagnose_lines,
)


def _dev_lines(buildlogs_dir: Path) -> list[dict]:
    with open(buildlogs_dir / "dev_lines.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _line_hit(line: str):  # noqa: ANN202
    """A one-line log's single hit: the line's category, whether or not it is a root cause."""
    errors = diagnose(line).errors
    assert len(errors) <= 1
    return errors[0] if errors else None


def test_dev_lines_category_accuracy(buildlogs_dir: Path) -> None:
    rows = [r for r in _dev_lines(buildlogs_dir) if r["category"] != "not_an_error"]
    right = [r for r in rows if (h := _line_hit(r["line"])) and h.error_code == r["category"]]
    assert len(rows) > 100
    assert len(right) / len(rows) >= 0.90, f"{len(right)}/{len(rows)}"


def test_dev_lines_false_positive_rate(buildlogs_dir: Path) -> None:
    negatives = [r for r in _dev_lines(buildlogs_dir) if r["category"] == "not_an_error"]
    flagged = [r["line"] for r in negatives if diagnose(r["line"]).errors]
    assert negatives
    assert len(flagged) / len(negatives) <= 0.05, flagged


def test_dev_lines_groups_mostly_match_hints(buildlogs_dir: Path) -> None:
    rows = [r for r in _dev_lines(buildlogs_dir) if r["category"] != "not_an_error"]
    same = [r for r in rows if (h := _line_hit(r["line"])) and h.error_group == r["expected_group_hint"]]
    assert len(same) / len(rows) >= 0.75


def test_dev_logs_primary_category(buildlogs_dir: Path) -> None:
    labels = json.loads((buildlogs_dir / "dev_logs" / "labels.json").read_text())
    right = []
    for name, label in labels.items():
        primary = diagnose_bytes((buildlogs_dir / "dev_logs" / name).read_bytes()).primary
        if primary is not None and primary.error_code == label:
            right.append(name)
    assert len(labels) == 8
    assert len(right) >= 7, right


def test_registry_shape() -> None:
    assert RULES_VERSION and isinstance(RULES_VERSION, str)
    names = [r.name for d in DETECTORS for r in d.matchers]
    assert len(names) == len(set(names))
    for det in DETECTORS:
        assert det.name and det.tool and det.matchers
        assert set(det.error_codes) <= set(CATEGORIES)
    covered = {c for d in DETECTORS for c in d.error_codes}
    assert covered == set(CATEGORIES)


def test_uncategorised_and_empty_logs() -> None:
    assert diagnose("") == Diagnosis((), None)
    d = diagnose("Cloning repository...\nSuccess: Finished cloning\nadded 12 packages in 2s\n")
    assert d.primary is None and d.errors == ()
    d = diagnose("Build step 42 said something odd but no failure keyword")
    assert d.primary is None


def test_primary_prefers_root_cause_over_summaries() -> None:
    log = "\n".join([
        "2025-01-01T00:00:00.000Z\tExecuting user build command: npm run build",
        "2025-01-01T00:00:01.000Z\tsrc/a.ts(3,7): error TS2322: Type 'string' is not assignable to type 'number'.",
        "2025-01-01T00:00:01.100Z\t ELIFECYCLE  Command failed with exit code 2.",
        "2025-01-01T00:00:01.200Z\tFailed: error occurred while running build command",
    ])
    d = diagnose(log)
    assert [e.error_code for e in d.errors] == ["typescript_error", "build_command_failed", "build_command_failed"]
    assert d.primary is not None and d.primary.line_no == 2 and d.primary.error_code == "typescript_error"


def test_summary_only_build_gets_the_stage_category() -> None:
    """Every failed build gets a category: a platform summary alone is the primary (lowest rank)."""
    d = diagnose("Installing project dependencies: npm ci\nFailed: error occurred while installing tools or"
                 " dependencies\n")
    assert d.primary is not None and d.primary.line_no == 2
    assert d.primary.error_code == "dependency_install_failed"
    gha = diagnose("Run npm test\n##[error]Process completed with exit code 1.\n")
    assert gha.primary is not None and gha.primary.error_code == "build_command_failed"


def test_novel_failure_gets_its_stage_from_the_summary() -> None:
    d = diagnose("\n".join([
        "2026-01-01T00:00:00.000Z\tExecuting user deploy command: ./scripts/ship.sh",
        "2026-01-01T00:00:01.000Z\tquillpack: lane 7 collapsed while folding islands (id 4411)",
        "2026-01-01T00:00:02.000Z\tFailed: error occurred while running deploy command",
    ]))
    assert [e.line_no for e in d.errors] == [3]
    assert d.primary is not None and d.primary.error_code == "deploy_command_failed"


def test_earliest_among_equal_causes() -> None:
    d = diagnose("npm error Missing: a@1.0.0 from lock file\nnpm error Missing: b@2.0.0 from lock file\n")
    assert d.primary is not None and d.primary.line_no == 1
    assert {e.error_group for e in d.errors} == {"npm error Missing: <PACKAGE>@<VERSION> from lock file"}


@pytest.mark.parametrize(("cause", "code", "tail"), [
    ("  Authentication error [code: 10000]", "auth_error", "Authentication error [code: 10000]"),
    ("  a namespace with this account ID and title already exists [code: 10014]", "wrangler_error",
     "[code: 10014]"),
])
def test_wrangler_api_failure_uses_following_cause(cause: str, code: str, tail: str) -> None:
    log = "\n".join([
        " ⛅️ wrangler 4.20.0",
        "✘ [ERROR] A request to the Cloudflare API (/accounts/0123456789abcdef0123456789abcdef/workers/scripts/"
        "my-shop-worker) failed.",
        "",
        cause,
        "",
        "If you think this is a bug, please open an issue at: https://github.com/cloudflare/workers-sdk/issues",
    ])
    d = diagnose(log)
    assert d.primary is not None and d.primary.line_no == 2
    assert d.primary.error_code == code
    assert d.primary.error_group.startswith(
        "✘ [ERROR] A request to the Cloudflare API (/accounts/<ACCOUNT_ID>/workers/scripts/<WORKER_NAME>) failed.")
    assert d.primary.error_group.endswith(tail)
    assert "0123456789abcdef" not in d.primary.sample_line and "my-shop-worker" not in d.primary.sample_line


def test_api_failure_without_cause_stays_wrangler_error() -> None:
    d = diagnose("✘ [ERROR] A request to the Cloudflare API (/accounts/abc/d1/database) failed.\n\nbye\n")
    assert d.primary is not None and d.primary.error_code == "wrangler_error"


def test_ansi_codes_and_prefixes_are_stripped() -> None:
    line = "\x1b[2K\x1b[1G14:23:30.407 | \x1b[31m✘ \x1b[41;31m[\x1b[41;97mERROR\x1b[41;31m]\x1b[0m Could not resolve \"tls\""
    d = diagnose(line)
    assert d.primary is not None and d.primary.error_code == "module_not_found"
    assert d.primary.error_group == '✘ [ERROR] Could not resolve "<MODULE>"'
    assert "\x1b" not in d.primary.sample_line


def test_unterminated_escape_sequence_does_not_swallow_lines() -> None:
    d = diagnose("\x1b]8;;https://example.com\nnpm ERR! code ETIMEDOUT\n\x1b]0;title\x07sh: 1: vite: not found")
    assert [(e.line_no, e.error_code) for e in d.errors] == [(2, "network_error"), (3, "command_not_found")]


def test_crlf_and_lone_cr_line_endings() -> None:
    text = "ok line\r\nnpm ERR! code ETIMEDOUT\r\nother\rsh: 1: vite: not found\r"
    d = diagnose(text)
    assert [(e.line_no, e.error_code) for e in d.errors] == [(2, "network_error"), (4, "command_not_found")]
    assert all("\r" not in e.sample_line for e in d.errors)


def test_diagnose_lines_numbers_items() -> None:
    d = diagnose_lines(["first\n", "second\r\n", "fatal: repository 'https://github.com/o/r/' not found\n"])
    assert d.primary is not None and d.primary.line_no == 3 and d.primary.error_code == "clone_failed"
    d2 = diagnose_lines(iter(["embedded\rbreak", "npm ERR! code ERESOLVE"]))
    assert d2.primary is not None and d2.primary.line_no == 2


def test_non_utf8_bytes_are_safe() -> None:
    data = b"\xff\xfe garbage \x80\n" + "npm ERR! code EAI_AGAIN caf\xe9".encode("latin-1") + b"\n"
    d = diagnose_bytes(data)
    assert d.primary is not None and d.primary.error_code == "network_error" and d.primary.line_no == 2


def test_megabyte_line_is_fast_and_safe() -> None:
    huge = "error " + ("x" * 40 + " 192.168.1.20 ") * 20_000 + " JavaScript heap out of memory"
    text = "ok\n" + huge + "\nnpm ERR! code ETIMEDOUT\n"
    assert len(huge) > 1_000_000
    d = diagnose(text)  # linear work: pytest-timeout would catch a quadratic scan of the 1 MB line
    # only the head of the huge line is examined: a generic error line, not the heap OOM at its end
    assert [(e.line_no, e.error_code) for e in d.errors] == [(2, "build_command_failed"), (3, "network_error")]
    d2 = diagnose("npm ERR! code ETIMEDOUT " + "a" * 2_000_000)
    assert d2.primary is not None and len(d2.primary.sample_line) <= 1024 and len(d2.primary.error_group) <= 512


def test_warnings_and_progress_are_not_errors() -> None:
    for line in [
        "npm WARN EBADENGINE Unsupported engine {",
        "▲ [WARNING] Processing wrangler.toml configuration:",
        "Found 0 errors. Watching for file changes.",
        "found 0 vulnerabilities",
        "HEAD is now at 1a2b3c4 fix: build error in CI",
        "Executing user command: npm run build || echo failed",
        "warning: could not look up configuration 'remote.origin.url'.",
    ]:
        assert diagnose(line).errors == (), line


@pytest.mark.parametrize(("line", "code"), [
    ("ERR_PNPM_OUTDATED_LOCKFILE  Cannot install with \"frozen-lockfile\" because pnpm-lock.yaml is not up to date",
     "lockfile_out_of_sync"),
    ("error: lockfile had changes, but lockfile is frozen", "lockfile_out_of_sync"),
    ("➤ YN0028: │ The lockfile would have been modified by this install, which is explicitly forbidden.",
     "lockfile_out_of_sync"),
    ("error Your lockfile needs to be updated, but yarn was run with `--frozen-lockfile`.", "lockfile_out_of_sync"),
    ("npm error code ERESOLVE", "dependency_install_failed"),
    ("ERROR: No matching distribution found for torch==9.9", "dependency_install_failed"),
    ("error @scope/pkg@2.0.0: The engine \"node\" is incompatible with this module. Expected version \">=20\".",
     "node_version_mismatch"),
    ("Node.js v16.20.0 is not supported by Astro!", "node_version_mismatch"),
    ("error: No interpreter found for Python 3.14 in managed installations", "python_version_error"),
    ("app/page.tsx:4:10 - error TS2339: Property 'x' does not exist on type 'Y'.", "typescript_error"),
    ("src/a.ts(1,20): error TS2307: Cannot find module '@/lib/db' or its corresponding type declarations.",
     "module_not_found"),
    ("Error: Cannot find module '/opt/buildhome/repo/dist/index.js'", "module_not_found"),
    ("  12:5  error  'foo' is assigned a value but never used  no-unused-vars", "lint_error"),
    ("Error: Output directory \"build\" not found.", "build_output_missing"),
    ("npm error enoent Could not read package.json: Error: ENOENT: no such file or directory, open "
     "'/opt/buildhome/repo/package.json'", "missing_file"),
    ("/bin/sh: 1: astro: not found", "command_not_found"),
    ("bash: hugo: command not found", "command_not_found"),
    ("git@github.com: Permission denied (publickey).", "clone_failed"),
    ("fatal: unable to access 'https://github.com/a/b.git/': Could not resolve host: github.com", "network_error"),
    ("npm ERR! errno ECONNRESET", "network_error"),
    ("✘ [ERROR] In a non-interactive environment, it's necessary to set a CLOUDFLARE_API_TOKEN environment "
     "variable for wrangler to work.", "auth_error"),
    ("<--- Last few GCs --->", "out_of_memory"),
    ("Error: The build exceeded the memory limit", "out_of_memory"),
    ("The job has exceeded the maximum execution time of 1h0m0s", "timeout"),
    ("Failed: an internal error occurred", "platform_internal_error"),
    ("✘ [ERROR] Missing entry-point to Worker script or to assets directory", "wrangler_error"),
    ("Error: Failed to publish your Function. Got error: Uncaught TypeError: x is not a function",
     "deploy_command_failed"),
    ("Failed: error occurred while running deploy command", "deploy_command_failed"),
    ("Failed: root directory not found", "missing_file"),
    ("error: could not determine executable to run for package wrangler", "command_not_found"),
    ("Usage Error: The nearest package directory (/opt/buildhome/repo) doesn't seem to be part of the project",
     "dependency_install_failed"),
    ("  Liquid Exception: Unknown tag 'x' in /_layouts/default.html", "build_command_failed"),
])
def test_general_rules(line: str, code: str) -> None:
    hit = _line_hit(line)
    assert hit is not None, line
    assert hit.error_code == code


@pytest.mark.parametrize(("marker", "code"), [
    ("Executing user deploy command: npm run deploy", "deploy_command_failed"),
    ("Installing project dependencies: yarn install --frozen-lockfile", "dependency_install_failed"),
    ("Executing user build command: npm run build", "build_command_failed"),
])
def test_generic_summaries_follow_the_platform_stage(marker: str, code: str) -> None:
    log = "\n".join([
        "2026-01-01T00:00:00.000Z\tCloning repository...",
        f"2026-01-01T00:00:01.000Z\t{marker}",
        "2026-01-01T00:00:02.000Z\tError: step exited early: upload returned 1",
        "2026-01-01T00:00:02.100Z\t ELIFECYCLE  Command failed with exit code 1.",
    ])
    d = diagnose(log)
    assert [e.error_code for e in d.errors] == [code, code]
    assert d.primary is not None and d.primary.line_no == 3


def test_a_refused_local_connection_is_the_build_error_the_prerender_line_summarises() -> None:
    """Next.js prints `Error occurred prerendering page` and then the error: the error is the cause. A refused
    connection to this machine (a database the build expected) is not a network failure; to a host it is."""
    log = "\n".join([
        "Error occurred prerendering page \"/blog\". Read more: https://nextjs.org/docs/messages/prerender-error",
        "Error: connect ECONNREFUSED 127.0.0.1:5432",
    ])
    d = diagnose(log)
    assert [e.error_code for e in d.errors] == ["build_command_failed", "build_command_failed"]
    assert d.primary is not None and d.primary.line_no == 2
    remote = diagnose("Error: connect ECONNREFUSED 104.16.0.35:443")
    assert remote.primary is not None and remote.primary.error_code == "network_error"
