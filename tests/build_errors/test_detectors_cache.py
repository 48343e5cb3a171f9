"""The engine's per-line cache: a repeated line must be diagnosed exactly as a fresh one, in its context."""

from __future__ import annotations

import pytest

from bloqr_dagster.build_errors.detectors import diagnose, diagnose_lines, engine


@pytest.fixture()
def fresh_cache():
    engine._LINES.clear()
    engine._classify_cached.cache_clear()
    engine._render_cached.cache_clear()
    yield engine._LINES
    engine._LINES.clear()


def _cold(text: str):
    engine._LINES.clear()
    engine._classify_cached.cache_clear()
    engine._render_cached.cache_clear()
    return diagnose(text)


def test_repeated_line_takes_its_category_from_its_own_stage(fresh_cache) -> None:
    summary = "npm error Lifecycle script `build` failed with error:"
    install = f"Installing project dependencies: npm ci\n{summary}\nFailed: error occurred while installing tools"
    build = f"Executing user build command: npm run build\n{summary}\nFailed: error occurred while running build command"
    first, second = diagnose(install), diagnose(build)  # the second sees the summary line cached
    assert first.errors[0].line_no == second.errors[0].line_no == 2
    assert first.errors[0].error_code != second.errors[0].error_code
    assert first == _cold(install) and second == _cold(build)


def test_repeated_esbuild_line_follows_whether_wrangler_ran(fresh_cache) -> None:
    line = 'src/app.ts:3:9: ERROR: Could not resolve "lodash"'
    plain, wrangled = diagnose(f"vite build\n{line}"), diagnose(f" ⛅️ wrangler 4.20.0\n{line}")
    assert [e.tool for e in plain.errors] == ["esbuild"] and [e.tool for e in wrangled.errors] == ["wrangler"]
    assert plain == _cold(f"vite build\n{line}") and wrangled == _cold(f" ⛅️ wrangler 4.20.0\n{line}")


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
    ]
    cold = [_cold(log) for log in logs]
    engine._LINES.clear()
    warm = [diagnose(log) for log in logs + logs]
    assert warm == cold + cold
    assert diagnose_lines(logs[0].splitlines()) == cold[0]


def test_cache_memory_is_bounded(fresh_cache) -> None:
    cache = engine._LineCache(generation=100)
    lines = [f"step {i}: npm ERR! code EINTEGRITY{i}" for i in range(1000)]
    for k in range(0, 1000, 10):
        decided = cache.lookup(lines[k:k + 10])
        assert all(d is not False and d[0].error_code == "dependency_install_failed" for d in decided)
    assert len(cache.young) < 100 and len(cache.old) < 110
    long_line = "npm ERR! code ETIMEDOUT " + "y" * 1000
    assert cache.lookup([long_line])[0] is not False and long_line not in cache.young
