"""The general layer, the build's context (stage, running tool) and the primary selection.

Lines here are in formats no tool rule knows, or in formats several tools share: what they get
comes from their universal error marker, their words, the tool that printed them and the stage.
"""

from __future__ import annotations

import pytest

from bloqr_dagster.build_errors.detectors import diagnose
from bloqr_dagster.build_errors.detectors.engine import MAX_ERRORS

from .helpers import primary_line_and_code


def _codes(text: str) -> list[tuple[int, str]]:
    return [(e.line_no, e.error_code) for e in diagnose(text).errors]


@pytest.mark.parametrize(("log", "code", "tool"), [
    # a user's deploy script in the deploy stage (issue 8)
    ("Executing user deploy command: ./deploy.sh\nsh: 1: cd: can't cd to build/server", "deploy_command_failed", "sh"),
    # a package manager's unknown error follows the stage; with no stage, an install failure
    ("Installing project dependencies: npm ci\nnpm error Invalid Version:", "dependency_install_failed", "npm"),
    ("npm error Invalid Version:", "dependency_install_failed", "npm"),
    ("$ npm run build\nnpm error Some new failure we have never seen", "build_command_failed", "npm"),
    # docker names the command that failed: its verb says the stage
    ('ERROR: failed to solve: process "/bin/sh -c npm ci" did not complete successfully: exit code: 1',
     "dependency_install_failed", "docker"),
    ('ERROR: failed to solve: process "/bin/sh -c npm run build" did not complete successfully: exit code: 1',
     "build_command_failed", "docker"),
    # the cause a line names wins over everything else
    ("deployctl: error: unauthorized (401)", "auth_error", "unknown"),
    ("error: request to the mirror failed: ECONNRESET", "network_error", "unknown"),
    ("ERROR: lockfile is frozen but needs to be updated", "lockfile_out_of_sync", "unknown"),
    # exceptions, panics, tracebacks
    ("Traceback (most recent call last):\n  File \"build.py\", line 3\nModuleNotFoundError: No module named 'yaml'",
     "module_not_found", "python"),
    ("panic: runtime error: index out of range [3] with length 3", "build_command_failed", "unknown"),
    ("Executing user build command: hugo\nthread 'main' panicked at src/main.rs:3:5", "build_command_failed", "hugo"),
    # a tool's summary line alone: the stage it is in
    ("##[group]Run ./scripts/deploy.sh\nError: Process completed with exit code 3.", "build_command_failed",
     "github-actions"),
    ("Executing user deploy command: ./go.sh\nscript exited with code 2", "deploy_command_failed", "unknown"),
    ("Cloning repository...\nFAILED to fetch submodule", "clone_failed", "unknown"),
    # no stage: the activity the words name
    ("✖ Deployment failed: upload rejected", "deploy_command_failed", "unknown"),
])
def test_unseen_formats_land_in_a_sensible_category(log: str, code: str, tool: str) -> None:
    d = diagnose(log)
    assert d.primary is not None, log
    assert (d.primary.error_code, d.primary.tool) == (code, tool)


@pytest.mark.parametrize("line", [
    "src/pages/index.astro:3:7 - warning ts(6133): 'x' is declared but its value is never read.",
    "  12:5  warning  'foo' is defined but never used  no-unused-vars",
    "npm warn deprecated inflight@1.0.6: This module is not supported, and leaks memory.",
    "WARNING: the build cache is stale; error counts may differ",
    "⚠ Compiled with warnings: failed to parse source map",
    "[WARN] Build failed to find an icon; using the default",
    "(node:1234) Warning: Accessing non-existent property 'x' of module exports inside circular dependency",
    "Found 0 errors. Watching for file changes.",
    "npm ERR!     /home/runner/.npm/_logs/2024-01-01T00_00_00_000Z-debug-0.log",
])
def test_a_warning_is_never_an_error(line: str) -> None:
    assert diagnose(line).errors == ()


def test_warning_never_becomes_the_primary() -> None:
    log = "\n".join([
        "Executing user build command: npm run check && npm run build",
        "src/pages/index.astro:3:7 - warning ts(6133): 'x' is declared but its value is never read.",
        "Result (12 files): 0 errors, 1 warning",
        "Failed: error occurred while running build command",
    ])
    d = diagnose(log)
    assert d.primary is not None and d.primary.line_no == 4 and d.primary.error_code == "build_command_failed"


def test_tool_is_the_one_that_printed_the_line_not_one_seen_elsewhere() -> None:
    log = "\n".join([
        "Executing user build command: npm run build",
        "> vite build",
        "vite v5.4.0 building for production...",
        '✘ [ERROR] Expected ";" but found "}"',
        "error during build:",
        "Executing user deploy command: npx wrangler deploy",
        " ⛅️ wrangler 4.20.0",
    ])
    d = diagnose(log)
    assert [(e.line_no, e.error_code, e.tool) for e in d.errors][0] == (4, "build_command_failed", "vite")
    assert all(e.error_code != "wrangler_error" for e in d.errors)


def test_wrangler_errors_in_the_deploy_step_are_wrangler_errors() -> None:
    log = "\n".join([
        "Executing user deploy command: npx wrangler deploy",
        " ⛅️ wrangler 4.20.0",
        "✘ [ERROR] Build failed with 1 error:",
        '✘ [ERROR] Could not resolve "tls"',
        '✘ [ERROR] "import-source" is not a valid feature name for the "supported" setting',
    ])
    d = diagnose(log)
    assert [(e.error_code, e.tool) for e in d.errors] == [
        ("wrangler_error", "wrangler"), ("module_not_found", "wrangler"), ("wrangler_error", "wrangler")]
    assert d.primary is not None and d.primary.line_no == 4


@pytest.mark.parametrize(("cause", "code", "tail"), [
    ("  Authentication error [code: 10000]", "auth_error", "[code: 10000]"),
    ("  Invalid access token [code: 9109]", "auth_error", "[code: 9109]"),
    ("  You have exceeded the limit of 100 namespaces [code: 10037]", "wrangler_error", "[code: 10037]"),
    ("  workers.api.error.script_not_found [code: 10007]", "wrangler_error", "[code: 10007]"),
    ("  TypeError: fetch failed", "network_error", "fetch failed"),
])
def test_lines_after_a_wrangler_api_error_decide_it(cause: str, code: str, tail: str) -> None:
    log = f"✘ [ERROR] A request to the Cloudflare API (/accounts/abc/workers/scripts/x) failed.\n\n{cause}\n"
    d = diagnose(log)
    assert d.errors[0].line_no == 1 and d.errors[0].error_code == code
    assert d.errors[0].error_group.endswith(tail)


def test_the_auth_code_10042_is_found() -> None:
    """`[code: 10042]` was a dead branch (its keywords never let such a line through)."""
    d = diagnose("✘ [ERROR] Your account is not entitled to this feature [code: 10042]")
    assert d.primary is not None and d.primary.error_code == "auth_error"


def test_primary_is_in_the_first_failing_stage() -> None:
    """gyp errors of an optional dependency in an install that succeeded do not beat the build's error."""
    log = "\n".join([
        "Installing project dependencies: npm ci",
        "npm error gyp ERR! build error",
        "npm error gyp ERR! not ok",
        "Executing user build command: npm run build",
        "Error: Cannot find module 'left-pad'",
        "Failed: error occurred while running build command",
    ])
    d = diagnose(log)
    assert d.primary is not None and (d.primary.line_no, d.primary.error_code) == (5, "module_not_found")


def test_first_failing_step_wins_over_a_later_one() -> None:
    log = "\n".join([
        "##[group]Run npm run lint",
        "Error: lint found 3 problems",
        "##[error]Process completed with exit code 1.",
        "##[group]Run npm run build",
        "src/a.ts(1,1): error TS2322: Type 'a' is not assignable to type 'b'.",
        "##[error]Process completed with exit code 2.",
    ])
    d = diagnose(log)
    assert d.primary is not None and (d.primary.line_no, d.primary.error_code) == (2, "lint_error")


def test_a_verdict_above_the_first_step_does_not_mark_that_step_failed() -> None:
    """A log copied from a platform's UI starts with the verdict; the error in the build step wins."""
    log = "\n".join([
        'Error: Command "npm run build" exited with 2',
        "Running build in Washington, D.C., USA (East) - iad1",
        'Running "install" command: `npm install`...',
        "added 212 packages in 9s",
        'Running "npm run build"',
        "> web@0.1.0 build",
        "> tsc && vite build",
        "src/app.ts(4,7): error TS2322: Type 'string' is not assignable to type 'number'.",
        'Error: Command "npm run build" exited with 2',
    ])
    d = diagnose(log)
    assert d.primary is not None and (d.primary.line_no, d.primary.error_code) == (8, "typescript_error")


@pytest.mark.parametrize(("chain", "code", "tool"), [
    ("npm install && vite build", "build_command_failed", "vite"),  # the install ran, then the build
    ("npm ci", "dependency_install_failed", "npm"),
    ("cd site && npm ci", "dependency_install_failed", "npm"),
    ("npm run build; npx wrangler deploy", "wrangler_error", "wrangler"),
])
def test_a_chain_of_commands_is_at_its_last_step(chain: str, code: str, tool: str) -> None:
    d = diagnose(f"> app@1.0.0 build\n> {chain}\n\nadded 12 packages in 2s\nError: something unexpected happened")
    assert d.primary is not None and (d.primary.error_code, d.primary.tool) == (code, tool)


def test_specific_beats_generic_and_generic_beats_summaries() -> None:
    log = "\n".join([
        "Executing user build command: npm run build",
        "Error: something went wrong while bundling",
        "src/a.ts(3,7): error TS2322: Type 'string' is not assignable to type 'number'.",
        " ELIFECYCLE  Command failed with exit code 2.",
        "Failed: error occurred while running build command",
    ])
    d = diagnose(log)
    assert d.primary is not None and d.primary.line_no == 3
    only_generic = "\n".join(log.splitlines()[:2] + log.splitlines()[3:])
    d2 = diagnose(only_generic)
    assert d2.primary is not None and d2.primary.line_no == 2


def test_repeated_errors_are_counted_not_repeated() -> None:
    d = diagnose("npm error code ETIMEDOUT\n" * 1000 + "npm error code EAI_AGAIN\n")
    assert [(e.line_no, e.count) for e in d.errors] == [(1, 1000), (1001, 1)]
    assert d.primary is not None and d.primary.line_no == 1


def test_distinct_errors_per_log_are_bounded() -> None:
    lines = [f"error: failure number {'x' * (i % 7)} in module{i}-{'y' * (i // 7 % 5)}" for i in range(MAX_ERRORS + 500)]
    d = diagnose("\n".join(lines) + "\nnpm error code ERESOLVE")
    assert len(d.errors) == MAX_ERRORS and d.dropped > 0
    # the primary is chosen among all errors, listed or not
    assert d.primary is not None and d.primary.error_code == "dependency_install_failed"


def test_platform_summary_alone_is_the_primary_with_the_stage_category() -> None:
    for log, code in [
        ("Cloning repository...\nFailed: error occurred while cloning repository", "clone_failed"),
        ("Executing user deploy command: npx wrangler deploy\nFailed: error occurred while running deploy command",
         "deploy_command_failed"),
        ("11:02:03 PM: Failed during stage 'building site': Build script returned non-zero exit code: 2",
         "build_command_failed"),
    ]:
        d = diagnose(log)
        assert d.primary is not None and d.primary.error_code == code, log


@pytest.mark.parametrize(("log", "stage_code"), [
    ("Running \"install\" command: `npm install`...\nError: boom", "dependency_install_failed"),
    ("Running \"vercel build\"\nError: boom", "build_command_failed"),
    ("==> Cloning from https://github.com/o/r\nError: boom", "clone_failed"),
    ("==> Running build command 'npm install; npm run build'...\nError: boom", "build_command_failed"),
    ("==> Deploying...\nError: boom", "deploy_command_failed"),
    ("[Container] 2024/01/01 00:00:00.000 Entering phase INSTALL\nError: boom", "dependency_install_failed"),
    ("#8 [build 4/6] RUN npm ci\n#8 0.412 Error: boom", "dependency_install_failed"),
    ("Step 5/9 : RUN npm run build\nError: boom", "build_command_failed"),
    ("$ git submodule update --init\nError: boom", "clone_failed"),
    ("+ npx vercel deploy --prod\nError: boom", "deploy_command_failed"),
    ("##[group]Run actions/checkout@v4\nError: boom", "clone_failed"),
])
def test_stage_markers_of_common_platforms(log: str, stage_code: str) -> None:
    d = diagnose(log)
    assert d.primary is not None and d.primary.error_code == stage_code, log


@pytest.mark.parametrize("batch", [1, 2, 3, 8192])
def test_a_cause_is_found_across_batch_boundaries(batch: int, monkeypatch: pytest.MonkeyPatch) -> None:
    from bloqr_dagster.build_errors.detectors import diagnose_lines, engine

    monkeypatch.setattr(engine, "BATCH_LINES", batch)
    lines = ["Executing user deploy command: npx wrangler deploy", "✘ [ERROR] A request to the Cloudflare API "
             "(/accounts/abc/workers/scripts/x) failed.", "", "  Authentication error [code: 10000]", "done"]
    d = diagnose_lines(lines)
    assert [(e.line_no, e.error_code) for e in d.errors] == [(2, "auth_error"), (4, "auth_error")]
    assert d == diagnose("\n".join(lines))
    unresolved = diagnose_lines(lines[:3])  # the log ends inside the look-ahead window
    assert [(e.line_no, e.error_code) for e in unresolved.errors] == [(2, "wrangler_error")]


@pytest.mark.parametrize(("header", "code"), [
    ("> server@1.0.0 netlify:build", "build_command_failed"),  # a build script whose command has no stage
    ("> @acme/site@0.3.1 build:prod", "build_command_failed"),
    ("> site@1.0.0 pages:deploy", "deploy_command_failed"),
    ("> sharp@0.33.2 postinstall", "dependency_install_failed"),  # a dependency's script during the install
])
def test_an_npm_script_header_sets_the_stage_from_the_script_name(header: str, code: str) -> None:
    assert primary_line_and_code([
        "> npm install left-pad --no-save",  # the step before was an install
        "added 1 package in 1s",
        header,
        "> node scripts/run.js",
        "ReferenceError: require is not defined in ES module scope, you can use import instead",
    ]) == (5, code)


def test_a_script_header_of_an_unknown_stage_keeps_the_stage() -> None:
    log = "Installing dependencies\n> app@1.0.0 start\n> node server.js\nError: something unexpected happened"
    assert diagnose(log).primary.error_code == "dependency_install_failed"


def test_a_generic_line_naming_its_cause_beats_the_installer_saying_the_build_failed() -> None:
    log = [
        "$ uv sync --frozen",
        "  × Failed to build `api @ file:///app`",
        "  ├─▶ The build backend returned an error",
        "  ╰─▶ Call to `hatchling.build.build_editable` failed (exit status: 1)",
        "      Traceback (most recent call last):",
        "      OSError: Readme file does not exist: README.md",
    ]
    assert primary_line_and_code(log) == (6, "missing_file")
    # without a cause in its words the generic line stays below the installer's own error
    log[-1] = "      OSError: something odd happened"
    assert primary_line_and_code(log) == (2, "dependency_install_failed")


@pytest.mark.parametrize(("command", "code"), [
    ("docker stack deploy -c stack.yml app", "deploy_command_failed"),
    ("docker push registry.example.com/app:1.2", "deploy_command_failed"),
    ("kubectl apply -f k8s/", "deploy_command_failed"),
    ("helm upgrade --install web ./chart", "deploy_command_failed"),
    ("terraform apply -auto-approve", "deploy_command_failed"),
    ("npx gh-pages -d dist", "deploy_command_failed"),
    ("surge ./dist example.surge.sh", "deploy_command_failed"),
    ("docker build -t app .", "build_command_failed"),  # building an image is no deploy
])
def test_deploy_programs_set_the_deploy_stage(command: str, code: str) -> None:
    assert primary_line_and_code([f"$ {command}", "Error: something unexpected happened"]) == (2, code)


@pytest.mark.parametrize(("lines", "code"), [
    (['npm error Missing script: "build"'], "build_command_failed"),
    (["$ npm run deploy", 'npm error Missing script: "deploy"'], "deploy_command_failed"),
    (["$ pnpm -r run build", ' ERR_PNPM_RECURSIVE_RUN_NO_SCRIPT  None of the selected packages has a "build" script'],
     "build_command_failed"),
    (['Usage Error: Couldn\'t find a script named "deploy".'], "build_command_failed"),
    (["npm error could not determine executable to run"], "command_not_found"),  # npx: a program, not a script
])
def test_a_missing_package_script_is_the_step_not_a_missing_program(lines: list[str], code: str) -> None:
    assert primary_line_and_code(lines) == (len(lines), code)
