"""The phrase layer (rules/phrases.py): a tool's bare failure sentence, without any error marker.

The lines are written for these tests in the formats the tools print; none is copied from the corpus.
"""

from __future__ import annotations

import pytest

from bloqr_dagster.build_errors.detectors import diagnose
from bloqr_dagster.build_errors.detectors.registry import DETECTORS
from bloqr_dagster.build_errors.detectors.rules.phrases import RANK_PHRASE


@pytest.mark.parametrize(("line", "code", "group"), [
    ("Cannot find extended babel config", "missing_file", "Cannot find extended babel config"),  # a config file absent
    ("Could not statically evaluate import.meta.glob argument", "build_command_failed",
     "Could not statically evaluate import.meta.glob argument"),
    ("Failed to parse .babelrc", "build_command_failed", "Failed to parse .babelrc"),
    ("Unable to load postcss.config.js", "build_command_failed", "Unable to load postcss.config.js"),
    ("Invalid config for @parcel/transformer-js", "build_command_failed", "Invalid config for <PACKAGE>"),
    ("Unknown pipeline 'inline-svg:'", "build_command_failed", "Unknown pipeline 'inline-svg:'"),
    ("Unexpected token `)`. Expected expression", "build_command_failed", "Unexpected token `)`. Expected expression"),
    ("Expected token )", "build_command_failed", "Expected token )"),
    ("Dynamic imports are not supported in worklets.", "build_command_failed",
     "Dynamic imports are not supported in worklets."),
    ("require() is not allowed in ES modules.", "build_command_failed", "require() is not allowed in ES modules."),
    ("Module scripts cannot have top-level return.", "build_command_failed",
     "Module scripts cannot have top-level return."),
    # the cause the words name decides, as in the general layer
    ("Could not connect to registry.example.org: ETIMEDOUT", "network_error", None),
    ("File './src/main.ts' does not exist", "missing_file", None),
    ("Unable to authenticate: invalid API token", "auth_error", None),
])
def test_a_bare_failure_sentence_is_an_error(line: str, code: str, group: str | None) -> None:
    d = diagnose(line)
    assert d.primary is not None, line
    assert d.primary.error_code == code
    if group is not None:
        assert d.primary.error_group == group


def test_the_stage_decides_a_bare_sentence_without_a_cause() -> None:
    d = diagnose("Installing project dependencies: npm ci\nFailed to extract tarball contents")
    assert d.primary is not None and d.primary.error_code == "dependency_install_failed"
    d = diagnose("Executing user deploy command: npx wrangler deploy\nInvalid routes configuration for this zone")
    assert d.primary is not None and d.primary.error_code == "wrangler_error"


@pytest.mark.parametrize("line", [
    # caches, retries, fallbacks, optional things: the build carries on
    "Could not find a cached build, starting fresh",
    "Unable to restore build cache, proceeding without it",
    "Failed to fetch https://registry.example.org/x, retrying in 2s",
    "Unknown option 'foo' ignored",
    "Missing optional dependency fsevents, skipping",
    "Missing peer dependency react-dom; falling back to the bundled copy",
    "Invalid value for NODE_ENV, using the default",
    "Could not detect a framework, using default build settings",
    "Unable to find image 'node:20-alpine' locally",
    "Failed to match Worker name. Overriding using the CI provided Worker name.",
    "Unknown aria attribute 'aria-labeledby'. Did you mean 'labelledby'?",
    "Could not build wheels for foo, since package 'wheel' is not installed.",
    "Unable to list file systems to check whether they can be watched. The state has been discarded.",
    "No lockfile found, will be created",
    # progress and information lines of npm, pip, cargo, gradle, wrangler, vite, next, netlify, vercel
    "npm notice New minor version of npm available! 10.2.4 -> 10.8.1",
    "added 1342 packages, and audited 1343 packages in 21s",
    "Collecting requests>=2.0",
    "Requirement already satisfied: idna<4,>=2.5 in ./venv/lib/python3.11/site-packages",
    "   Compiling serde v1.0.197",
    "    Finished release [optimized] target(s) in 42.17s",
    "> Task :app:compileJava UP-TO-DATE",
    "BUILD SUCCESSFUL in 12s",
    "Total Upload: 312.45 KiB / gzip: 58.12 KiB",
    "Deployed my-worker triggers (0.42 sec)",
    "vite v5.2.0 building for production...",
    "✓ 42 modules transformed.",
    "Creating an optimized production build ...",
    "✓ Compiled successfully",
    "Netlify Build Complete",
    "Using Next.js Runtime - v4.41.3",
    "Vercel CLI 33.5.0",
    "Build Completed in /vercel/output [38s]",
    "Missing an optional field is fine",
])
def test_benign_sentences_are_not_errors(line: str) -> None:
    assert diagnose(line).errors == (), line


@pytest.mark.parametrize(("middle", "line_no", "code"), [
    # a marked error always wins the primary over a bare sentence
    (["Failed to parse tsconfig paths", "error TS2322: Type 'string' is not assignable to type 'number'."], 3,
     "typescript_error"),
    # a bare sentence says more than the platform's stage summary
    (["Invalid webmanifest"], 2, "build_command_failed"),
])
def test_primary_choice_with_a_bare_sentence(middle: list[str], line_no: int, code: str) -> None:
    log = "\n".join(["Executing user build command: npm run build", *middle,
                     "Failed: error occurred while running build command"])
    d = diagnose(log)
    assert d.primary is not None and (d.primary.line_no, d.primary.error_code) == (line_no, code)


def test_a_warning_sentence_stays_a_warning() -> None:
    assert diagnose("warning: Unknown config key 'foo' in wrangler.toml").errors == ()


def test_a_phrase_ranks_below_every_other_error_and_above_every_stage_summary() -> None:
    rules = [(d.name, r) for d in DETECTORS if d.name != "phrases" for r in d.rules if not r.ignore]
    assert rules
    outranked = [r.name for _, r in rules if not r.summary and r.weight <= RANK_PHRASE]
    assert not outranked, f"rules a bare phrase would outrank or tie: {outranked}"
    above = [r.name for _, r in rules if r.summary and r.weight >= RANK_PHRASE]
    assert not above, f"stage summaries that would outrank a bare phrase: {above}"
