"""The rule set's per-line caches: a repeated line must be diagnosed exactly as a fresh one, in its context."""

from __future__ import annotations

import pytest

from bloqr_dagster.build_errors.detectors import default_rules, diagnose, diagnose_lines
from bloqr_dagster.build_errors.detectors.ruleset import _LineCache


@pytest.fixture()
def fresh_cache():
    rules = default_rules()
    rules.clear_caches()
    yield rules
    rules.clear_caches()


def _cold(text: str):
    default_rules().clear_caches()
    return diagnose(text)


def test_repeated_line_takes_its_category_from_its_own_stage(fresh_cache) -> None:
    summary = "npm error Lifecycle script `build` failed with error:"
    install = f"Installing project dependencies: npm ci\n{summary}\nFailed: error occurred while installing tools"
    build = f"Executing user build command: npm run build\n{summary}\nFailed: error occurred while running build command"
    first, second = diagnose(install), diagnose(build)  # the second sees the summary line cached
    assert first.errors[0].line_no == second.errors[0].line_no == 2
    assert first.errors[0].error_code != second.errors[0].error_code
    assert first == _cold(install) and second == _cold(build)


def test_repeated_esbuild_line_follows_the_tool_running(fresh_cache) -> None:
    line = '✘ [ERROR] Expected ";" but found "}"'
    vite = f"Executing user build command: npm run build\n> vite build\n{line}"
    wrangler = f"Executing user deploy command: npx wrangler deploy\n ⛅️ wrangler 4.20.0\n{line}"
    built, deployed = diagnose(vite), diagnose(wrangler)
    assert [(e.tool, e.error_code) for e in built.errors] == [("vite", "build_command_failed")]
    assert [(e.tool, e.error_code) for e in deployed.errors] == [("wrangler", "wrangler_error")]
    assert built == _cold(vite) and deployed == _cold(wrangler)


def test_repeated_api_failure_takes_the_cause_that_follows_it(fresh_cache) -> None:
    head = "✘ [ERROR] A request to the Cloudflare API (/accounts/abc/workers/scripts/x) failed."
    auth = f"{head}\n\n  Authentication error [code: 10000]\n"
    other = f"{head}\n\n  Something else [code: 10014]\n"
    assert diagnose(auth).primary.error_code == "auth_error"
    assert diagnose(other).primary.error_code == "wrangler_error"
    assert diagnose(auth) == _cold(auth) and diagnose(other) == _cold(other)


def test_results_do_not_depend_on_what_was_cached_before(fresh_cache) -> None:
    logs = [
        "Cloning repository...\nnpm ERR! code ETIMEDOUT\nsh: 1: vite: not found\n",
        "npm ERR! code ETIMEDOUT\nFailed: error occurred while installing tools or dependencies",
        "x" * 600 + " ENOENT: no such file or directory\n" + "x" * 600 + " ENOENT: no such file or directory",
        "warning: something\nerror TS2307: Cannot find module 'a' or its corresponding type declarations.",
        "$ npm ci\nerror: something odd\n$ npm run build\nerror: something odd",
    ]
    cold = [_cold(log) for log in logs]
    fresh_cache.lines.clear()
    warm = [diagnose(log) for log in logs + logs]
    assert warm == cold + cold
    assert diagnose_lines(logs[0].splitlines()) == cold[0]


def test_cache_memory_is_bounded(fresh_cache) -> None:
    cache = _LineCache(fresh_cache, generation=100)
    lines = [f"step {i}: npm ERR! code EINTEGRITY{i}" for i in range(1000)]
    for k in range(0, 1000, 10):
        decided = cache.lookup(lines[k:k + 10])
        assert all(d is not False and d[1] == "dependency_install_failed" for d in decided)
    assert len(cache.young) < 100 and len(cache.old) < 110
    long_line = "npm ERR! code ETIMEDOUT " + "y" * 1000
    assert cache.lookup([long_line])[0] is not False and long_line not in cache.young


def test_esbuild_source_diagnostic_alone_is_esbuilds_and_other_bundle_errors_stay_wranglers() -> None:
    for line in ('✘ [ERROR] Unexpected "<<" in JSX', '  ✘ [ERROR] No loader is configured for ".node" files: a.node',
                 '✘ [ERROR] Expected ")" but found "{"'):
        assert [(e.tool, e.error_code) for e in diagnose(line).errors] == [("esbuild", "build_command_failed")], line
    assert diagnose("✘ [ERROR] Build failed with 2 errors:").primary.error_code == "wrangler_error"
    assert diagnose("✘ [ERROR] Unexpected external import of \"node:fs\".").primary.error_code == "wrangler_error"
