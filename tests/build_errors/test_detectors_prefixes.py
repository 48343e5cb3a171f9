"""Platform prefixes end to end: a prefixed line is detected, categorised and grouped like its message.

Each platform's line is written here in its documented format with values of our own (GitHub Actions
workflow commands, GitLab's collapsible-section markers, BuildKit's plain progress, CodeBuild, Vercel,
Netlify, Render), never taken from the corpus.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from bloqr_dagster.build_errors.detectors import diagnose
from bloqr_dagster.build_errors.detectors.masking import MAX_LINE_CHARS
from bloqr_dagster.build_errors.detectors.prefixes import message
from bloqr_dagster.cli import main

# Messages of different tools and categories, each with the category it must get on its own.
MESSAGES = (
    ("npm error code ERESOLVE", "dependency_install_failed"),
    ("Error: Cannot find module 'left-pad'", "module_not_found"),
    ("src/app.ts(4,7): error TS2322: Type 'string' is not assignable to type 'number'.", "typescript_error"),
    ('✘ [ERROR] Could not resolve "./routes"', "module_not_found"),
    ("fatal: could not read Username for 'https://github.com': terminal prompts disabled", "clone_failed"),
)

# Every prefix form of the issue, as each platform prints it before a message.
PREFIXES = (
    ("ISO (GitHub Actions raw log)", "2025-03-04T10:11:12.3456789Z {m}"),
    ("ISO + tab (Cloudflare Pages)", "2025-03-04T10:11:12.345Z\t{m}"),
    ("ISO + [ERROR] level", "2025-03-04 10:11:12,345 [ERROR] {m}"),
    ("HH:MM:SS [ERROR] level", "10:11:12 [ERROR] {m}"),
    ("HH:MM:SS.mmm | (Netlify CLI)", "10:11:12.345 | {m}"),
    ("[HH:MM:SS.mmm] (Vercel)", "[10:11:12.345] {m}"),
    ("HH:MM:SS.mmm (Vercel)", "10:11:12.345 {m}"),
    ("H:MM:SS PM: (Netlify)", "4:11:12 PM: {m}"),
    ("Render date", "Mar  4 10:11:12 AM  {m}"),
    ("GitHub ##[error]", "##[error]{m}"),
    ("GitHub ISO ##[error]", "2025-03-04T10:11:12.3456789Z ##[error]{m}"),
    ("GitHub ::error with properties", "::error file=src/app.ts,line=4,col=7,title=Build::{m}"),
    ("GitHub ::error bare", "::error::{m}"),
    ("GitLab section_start", "\x1b[0Ksection_start:1741083072:step_script[collapsed=true]\r\x1b[0K{m}"),
    ("GitLab section_start, its CR lost", "\x1b[0Ksection_start:1741083072:step_script[collapsed=true]\x1b[0K{m}"),
    ("GitLab colours", "\x1b[0;m\x1b[31;1m{m}\x1b[0;m"),
    ("BuildKit #N seconds", "#12 0.345 {m}"),
    ("CodeBuild", "[Container] 2025/03/04 10:11:12.345678 {m}"),
)


def _primary(text: str) -> tuple[str, str] | None:
    p = diagnose(text).primary
    return None if p is None else (p.error_code, p.error_group)


@pytest.mark.parametrize(("msg", "code"), MESSAGES)
@pytest.mark.parametrize(("name", "form"), PREFIXES, ids=[n for n, _ in PREFIXES])
def test_prefixed_line_is_its_message(name: str, form: str, msg: str, code: str) -> None:
    bare = _primary(msg)
    assert bare is not None and bare[0] == code
    assert _primary(form.format(m=msg)) == bare, name


@pytest.mark.parametrize(("raw", "clean"), [
    ("##[error]Process completed with exit code 1.", "Process completed with exit code 1."),
    ("::error file=a.ts,line=3,endLine=4,title=a::b::c::Error: x", "b::c::Error: x"),
    ("section_end:1741083072:step_script", ""),
    ("section_start:1741083072:build_assets Building assets", "Building assets"),
    ("section_start:1741083072:build_assets\x1b[0K\x1b[36;1mBuilding assets\x1b[0;m", "Building assets"),
    ('#9 ERROR: process "/bin/sh -c npm ci" did not complete successfully: exit code: 1',
     'ERROR: process "/bin/sh -c npm ci" did not complete successfully: exit code: 1'),
    ("#9 CANCELED", "CANCELED"),
    ("#9 [3/5] RUN npm ci", "#9 [3/5] RUN npm ci"),  # the step marker the context reads stays
    ("2025-03-04T10:11:12Z [WARN] Error: deprecated", "[WARN] Error: deprecated"),  # the severity stays
    ("10:11:12 [WARNING] x", "[WARNING] x"),
    ("##[warning]Error: x", "##[warning]Error: x"),
    ("::warning file=a.ts::Error: x", "::warning file=a.ts::Error: x"),
])
def test_prefix_forms_are_stripped(raw: str, clean: str) -> None:
    assert message(raw) == clean


@pytest.mark.parametrize("line", [
    "##[warning]Error: Node.js 16 actions are deprecated.",
    "2025-03-04T10:11:12.3456789Z ##[warning]npm ERR! this is only a warning",
    "::warning file=src/app.ts,line=4::Error: unused variable",
    "2025-03-04T10:11:12.345Z [WARN] Error: deprecated option",
    "10:11:12 [WARNING] error: fallback used",
])
def test_a_platform_warning_is_never_an_error(line: str) -> None:
    assert diagnose(line).errors == ()


@pytest.mark.parametrize(("line", "code"), [
    # words no rule knows: the platform's or logger's error marker decides
    ("##[error]The deployment was rejected by the environment reviewers", "deploy_command_failed"),
    ("::error title=Deploy::The deployment was rejected by the environment reviewers", "deploy_command_failed"),
    ("2025-03-04T10:11:12.345Z [ERROR] The deployment was rejected by the environment reviewers",
     "deploy_command_failed"),
    ("10:11:12 [FATAL] The deployment was rejected by the environment reviewers", "deploy_command_failed"),
])
def test_marked_line_with_unknown_words_is_still_an_error(line: str, code: str) -> None:
    assert diagnose("The deployment was rejected by the environment reviewers").errors == ()  # no rule knows it
    d = diagnose(line)
    assert d.primary is not None and d.primary.error_code == code


def test_github_summary_stays_a_summary_below_the_cause() -> None:
    log = ("2025-03-04T10:11:10.0000000Z ##[group]Run npm run build\n"
           "2025-03-04T10:11:11.0000000Z src/app.ts(4,7): error TS2322: Type 'string' is not assignable to type "
           "'number'.\n"
           "2025-03-04T10:11:12.0000000Z ##[error]Process completed with exit code 2.\n")
    d = diagnose(log)
    assert d.primary is not None and (d.primary.error_code, d.primary.line_no) == ("typescript_error", 2)
    assert [e.error_group for e in d.errors][1] == "Process completed with exit code <CODE>."


def test_docker_buildkit_log_through_the_cli(tmp_path: Path, capsys) -> None:
    log = tmp_path / "docker.log"
    log.write_text(
        "#9 [3/5] RUN npm ci\n"
        "#9 0.512 npm error code E404\n"
        "#9 0.513 npm error 404 Not Found - GET https://registry.npmjs.org/left-pud - Not found\n"
        '#9 ERROR: process "/bin/sh -c npm ci" did not complete successfully: exit code: 1\n'
        '\x1b[0Ksection_end:1741083072:step_script\r\x1b[0K\n')
    assert main(["detect", str(log)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["primary"]["error_code"] == "dependency_install_failed"
    groups = [e["error_group"] for e in out["errors"]]
    assert all(not g.startswith("#") for g in groups), groups


def test_gitlab_log_through_the_cli(tmp_path: Path, capsys) -> None:
    # GitLab's raw trace: the header follows the marker after CR ESC[0K on the same line
    log = tmp_path / "gitlab.log"
    log.write_bytes(
        b"\x1b[0Ksection_start:1741083070:prepare_script\r\x1b[0K\x1b[0K\x1b[36;1mPreparing environment\x1b[0;m\n"
        b"\x1b[0Ksection_end:1741083071:prepare_script\r\x1b[0K\n"
        b"\x1b[0Ksection_start:1741083072:step_script\r\x1b[0K\x1b[0K\x1b[36;1mExecuting \"step_script\" stage\x1b[0;m\n"
        b"\x1b[32;1m$ npm run build\x1b[0;m\n"
        b"Error: Cannot find module 'left-pad'\n"
        b"\x1b[0Ksection_end:1741083075:step_script\r\x1b[0K\x1b[31;1mERROR: Job failed: exit code 1\x1b[0;m\n")
    assert main(["detect", str(log)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["primary"]["error_code"] == "module_not_found"
    groups = [e["error_group"] for e in out["errors"]]
    assert "ERROR: Job failed: exit code <CODE>" in groups and not any("section_" in g for g in groups), groups


@pytest.mark.parametrize("head", ["::error ", "::error file=", "section_start:1741083072:", "##[error]", "#1 "])
def test_hostile_prefixes_are_linear(head: str) -> None:
    for body in (":" * MAX_LINE_CHARS, "a:" * MAX_LINE_CHARS, head * 600, "[" * MAX_LINE_CHARS):
        line = (head + body)[:MAX_LINE_CHARS]
        start = time.perf_counter()
        message(line)
        diagnose(line)
        assert time.perf_counter() - start < 1.0, repr(line[:40])  # a bound, not a timing figure


def test_rules_check_claims_follow_the_detector(tmp_path: Path, capsys) -> None:
    # `bloqr rules check --builtin` counts a marked line with unknown words for the rule that decides it
    corpus = tmp_path / "corpus"
    (corpus / "lines").mkdir(parents=True)
    rows = [{"id": f"p{i}", "line": line, "category": "deploy_command_failed", "source": "github:example-org/x:ci.log"}
            for i, line in enumerate(["##[error]The deployment was rejected by the environment reviewers",
                                      "::error::The environment is protected by a wait timer"])]
    (corpus / "lines" / "p.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert main(["rules", "check", "--builtin", "--corpus", str(corpus), "--split", "all"]) == 0
    summary = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("ci-summary "))
    counts = json.loads(summary.split("branches ")[1].split("]")[0] + "]")
    assert counts[-1] >= 2, summary  # the `^##\[error\]` branch claims both (other sources may add lines)
