"""Precision, second round: output of successful or recovering steps whose words hold `error`, `fail`, `fatal` or
an error icon, across tools. Each line is written for this test from the tool's own output format (its source or
its documentation: Next.js' and vite's build reports, webpack's stats, npm's `did-you-mean.js` and `error-message.js`,
pip's and uv's install progress, Jest's, Vitest's, pytest's, Go's and cargo's test summaries, GitHub Actions' step
logs, BuildKit's progress), with invented names, paths and numbers; none is copied from the corpus.

A line diagnosed alone must give no error. Next to them, lines in the same words that DO report a failure keep
their category and masked group, and in a few multi-line logs the context printed around an error (a code frame,
retries that preceded it, a chunk list, passing tests) never takes the primary from the error line."""

from __future__ import annotations

import pytest

from bloqr_dagster.build_errors.detectors import diagnose

NEGATIVES = [
    # Next.js route tables: routes and chunks named after errors, and the legend
    "├ ○ /_error",
    "└ ƒ /api/errors",
    "├ ○ /_not-found                          871 B          88.2 kB",
    "├ ƒ /api/error-report                    0 B                0 B",
    "├ ● /blog/[slug]/errors                  1.2 kB         95 kB",
    "├   └ /blog/handling-failure",
    "└ λ /api/fail                            0 B            80.1 kB",
    "├ ○ /500                                 182 B          80.3 kB",
    "├ ○ /_error (1045 ms)                     0 B            85 kB",
    "  ├ chunks/error-boundary-3f2a.js        31.6 kB",
    "ƒ  (Dynamic)  server-rendered on demand",
    " ✓ Compiled /_not-found in 1.2s",
    " ○ Compiling /_error ...",
    "Compiled /_error in 120ms",
    # vite / rollup / SvelteKit / Astro output lists
    "dist/assets/ErrorBoundary-3f2a9c1d.js        1.20 kB │ gzip:  0.64 kB",
    "dist/assets/error-page-BX12aa.css             0.45 kB │ gzip:  0.21 kB",
    "dist/assets/FailedPayment-Dk2o.js             3.41 kB │ gzip:  1.50 kB │ map: 10.2 kB",
    "dist/errors.html                              0.51 kB │ gzip: 0.30 kB",
    ".svelte-kit/output/server/entries/pages/_error.svelte.js  1.02 kB",
    "transforming (42) src/errors/index.ts",
    "  ├─ /errors/index.html (+12ms)",
    "17:00:00   ├─ /error/index.html (+3ms)",
    " ▶ src/pages/error.astro",
    "λ src/routes/+error.svelte",
    "  dist/workbox-error-3f2a.js",
    "  ├─ .output/server/chunks/routes/error-dev.mjs (1.2 kB) (612 B gzip)",
    "  └─ .output/server/chunks/_/error-500.mjs (4.5 kB) (1.8 kB gzip)",
    "chunk-ERR0R12.js      | error-page    |  12.00 kB |                 3.00 kB",
    "  dist/js/error-page.3f2a9c1d.js       1.2 KiB            0.6 KiB",
    "  1.2 kB    build/static/js/error-boundary.3f2a9c1d.chunk.js",
    "├ ○ /payment-failed                      1.3 kB         88.4 kB",
    "CJS dist/errors.cjs 1.20 KB",
    "DTS dist/errors.d.ts 312.00 B",
    "created dist/errors.js in 312ms",
    " 17:00:00 ▶ src/pages/errors/[code].astro",
    "  ▶ /_astro/error-illustration.3f2a.webp (before: 120kB, after: 12kB) (+12ms) (1/3)",
    # webpack stats
    "asset error-handler.4f2c1a.js 12.3 KiB [emitted] [immutable] [minimized] (name: error-handler)",
    "asset 404-error.html 1.2 KiB [emitted]",
    "./src/errors/index.ts 2.1 KiB [built] [code generated]",
    "modules by path ./src/errors/ 8.4 KiB",
    "    error.chunk.js    1.02 KiB       0  [emitted]  error",
    # source files and commits named after errors
    "src/app/error.tsx",
    "src/app/not-found.tsx",
    "app/global-error.tsx",
    " create mode 100644 src/components/ErrorMessage.tsx",
    "copying src/fail_safe.py -> build/lib/pkg",
    "[main 3f2a9c1] Fix error when loading config",
    " * branch            fix/error-handling -> FETCH_HEAD",
    "Switched to a new branch 'fix/build-failure'",
    "Submodule 'themes/failsafe' (https://github.com/acme/failsafe) registered for path 'themes/failsafe'",
    "Cloning into 'themes/error-theme'...",
    "Cloning github.com/acme/app (Branch: fix/build-error, Commit: 3f2a9c1)",
    # commits as `git log --oneline` lists them, their subjects naming the failures they fix
    "3f2a9c1 fix: build failed on windows",
    "3f2a9c1 (HEAD -> main, origin/main) fix(errors): don't fail on empty input",
    "3f2a9c1d Merge pull request #42 from acme/fix/error-page",
    '3f2a9c1 Revert "fix: error page"',
    # installs listing packages named after errors
    "+ error-stack-parser 2.1.4",
    "added error-ex@1.3.2",
    " + serialize-error 11.0.3",
    " + @types/http-errors 2.0.4",
    "  - http-errors 2.0.0",
    "+ error-overlay 1.0.0",
    " + errorhandler@1.5.1",
    " ├─ error-ex@1.3.2",
    " └─ is-error@2.2.2",
    "├── error-ex@1.3.2",
    "├─┬ http-errors@2.0.0",
    "└── failsafe@0.3.0",
    "➤ YN0013: │ error-ex@npm:1.3.2 can't be found in the cache and will be fetched from the remote registry",
    "error-ex  1.3.2  1.3.2  1.3.2  node_modules/error-ex  my-app",
    "fail-fast     1.0.0    1.0.0   2.0.0   node_modules/fail-fast",
    "Collecting exceptiongroup>=1.0.0rc8 (from pytest)",
    "  Downloading exceptiongroup-1.2.0-py3-none-any.whl (16 kB)",
    "Requirement already satisfied: fail2ban in /usr/lib/python3/dist-packages (0.11.2)",
    "Successfully installed exceptiongroup-1.2.0 pytest-8.0.0",
    "  Using cached failfast-0.3.0-py3-none-any.whl",
    "Installing collected packages: exceptiongroup, iniconfig, pluggy, pytest",
    "  Building wheel for failsafe (pyproject.toml): finished with status 'done'",
    "Successfully uninstalled error-handler-1.0.0",
    "Found existing installation: exceptiongroup 1.1.0",
    " - Installing exceptiongroup (1.2.0)",
    " - Updating failfast (0.2 -> 0.3)",
    " + exceptiongroup==1.2.0",
    " - failing-lib==0.1.0",
    "Using error_highlight 0.5.1",
    "Installing better_errors 2.10.1",
    "Unpacking errorhandler (1.5.1) ...",
    "Setting up liberror-perl (0.17029-2) ...",
    "Get:12 http://deb.debian.org/debian bookworm/main amd64 liberror-perl all 0.17029-2 [29.0 kB]",
    "Selecting previously unselected package liberror-perl.",
    "   Compiling error-chain v0.12.4",
    "   Compiling failure_derive v0.1.8",
    "    Checking thiserror-impl v1.0.50",
    # npm / pnpm / yarn / bun summaries, funding, audit and deprecation notices
    "found 0 vulnerabilities",
    "5 moderate severity vulnerabilities",
    "7 vulnerabilities (2 low, 3 moderate, 2 high)",
    "  run `npm fund` for details",
    "152 packages are looking for funding",
    "up to date, audited 803 packages in 2s",
    "npm warn deprecated @humanwhocodes/config-array@0.11.14: Use @eslint/config-array instead",
    "Run `npm audit fix` to fix them, or `npm audit` for details.",
    "Progress: resolved 803, reused 790, downloaded 13, added 803, done",
    " WARN  1 deprecated subdependencies found: glob@7.2.3",
    "➤ YN0000: · Done in 12s 34ms",
    " 803 packages installed [2.10s]",
    "Resolved 120 packages in 1.2s",
    "Audited 120 packages in 3ms",
    "Bundle complete! 12 Gemfile dependencies, 45 gems now installed.",
    # npm's pointers and suggestions after an error (the error is on its own line above them)
    "npm ERR!     /home/runner/.npm/_logs/2026-12-03T17_00_00_000Z-debug-0.log",
    "npm error A complete log of this run can be found in: /root/.npm/_logs/2026-12-03T17_00_00_000Z-debug-0.log",
    "npm ERR! Did you mean this?",
    "npm error Did you mean one of these?",
    'npm ERR!     npm run build # run the "build" package script',
    "npm error     npm star # Mark your favorite packages",
    "npm ERR! For a full report see:",
    "npm error For a full report see:",
    "npm ERR! To see a list of supported npm commands, run:",
    "npm error workspace @acme/web@0.1.0",
    "npm error location /app/apps/web",
    "npm ERR! in workspace: @acme/web@0.1.0",
    "npm ERR! at location: /app/apps/web",
    "npm ERR! path /app",
    "info Visit https://yarnpkg.com/en/docs/cli/install for documentation about this command.",
    # test runners' passing output
    "✓ shows an error message when the form is invalid (23 ms)",
    "PASS src/errors.test.ts",
    "PASS  src/utils/fail.test.js (1.2 s)",
    "Tests:       0 failed, 24 passed, 24 total",
    " ✓ handles failure",
    " ✓ src/lib/error.test.ts (4 tests) 12ms",
    "tests/test_errors.py::test_fail_fast PASSED                              [ 50%]",
    "PASSED test_fail_fast",
    " Test Files  3 passed (3)",
    "===== 12 passed, 1 skipped in 0.45s =====",
    "  ✔ should throw an error when input is empty",
    "    ✓ rejects with ValidationError",
    "ok 3 - error handling returns 500",
    "# fail 0",
    "  0 failing",
    "test result: ok. 12 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out",
    "--- PASS: TestErrorHandling (0.00s)",
    "test errors::tests::it_fails_gracefully ... ok",
    "ok  \tgithub.com/acme/app/internal/failover\t0.3s",
    "[INFO] Tests run: 5, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: 0.12 s - in com.acme.ErrorTest",
    "Test Suites: 0 failed, 3 passed, 3 total",
    "  ✓  1 [chromium] › errors.spec.ts:3:1 › shows the error page (1.2s)",
    "│ ✔  errors.cy.ts                             00:02        3        3        -        -        - │",
    '<testsuite name="errors" tests="3" failures="0" errors="0">',
    # zero counts, in every tool's wording
    "Error: 0",
    "Errors: 0, Warnings: 2",
    "FAILED: 0",
    "Failed: 0, Passed: 12",
    "0 FAILED, 12 PASSED",
    "❌ 0 failed, ✅ 12 passed",
    "✖ 0 problems",
    "failures: 0",
    "Error count: 0",
    "Errored: 0",
    "panic: 0",
    "Panics: 0",
    "Total errors: 0",
    "No errors found.",
    "0 errors and 0 warnings",
    "errors: []",
    '"error": null',
    "Summary: 0 error(s)",
    "codecov: Processing reports... 0 errors",
    "svelte-check found 0 errors and 0 warnings",
    "[12:00:00 PM] Found 0 errors. Watching for file changes.",
    "Exit code: 0",
    "Process exited with code 0",
    'Command "npm run build" exited with 0',
    "Static worker exited with code: 0 and signal: null",
    # progress lines about error pages, reports and handlers (a verb in -ing first)
    "Generating error pages (404, 500)",
    "Sending error reports to https://sentry.example.com",
    "Loading error page template",
    "Rendering error page for /404",
    "Creating error report directory",
    "Writing error log to /tmp/errors.log",
    "Installing error handler",
    "Error handler registered",
    "Errors will be reported to Sentry",
    "Prerendering error pages",
    "Uploading error-report.json",
    "[sentry-vite-plugin] Info: Successfully uploaded source maps to Sentry",
    # Maven's footer after a failed build (MavenCli's summary) and Surefire's pointer to its reports
    "[ERROR] -> [Help 1]",
    "[ERROR] To see the full stack trace of the errors, re-run Maven with the -e switch.",
    "2026-12-03 17:00:00 [ERROR] Re-run Maven using the -X switch to enable full debug logging.",
    "17:00:00.123 [ERROR] -> [Help 1]",
    "[ERROR] For more information about the errors and possible solutions, please read the following articles:",
    "[ERROR] [Help 1] http://cwiki.apache.org/confluence/display/MAVEN/MojoExecutionException",
    "[ERROR] After correcting the problems, you can resume the build with the command",
    "[ERROR]   mvn <args> -rf :billing-core",
    "[ERROR] Please refer to /app/billing/target/surefire-reports for the individual test results.",
    "[ERROR] Please refer to dump files (if any exist) [date].dump, [date]-jvmRun[N].dump and [date].dumpstream.",
    # retries and recoveries
    "Recovered from error: ECONNRESET (attempt 2 succeeded)",
    "Request succeeded after 1 retry",
    "npm http fetch GET 200 https://registry.npmjs.org/error-ex 45ms (cache revalidated)",
    "npm http fetch GET 304 https://registry.npmjs.org/react 12ms (cache revalidated)",
    "Retrying in 2s (attempt 1/3) after error: ECONNRESET",
    "Attempt 1 failed. Retrying in 5 seconds...",
    "Connection reset, retrying in 10s",
    'level=info msg="retrying after error" err="EOF"',
    "Err:3 http://deb.debian.org/debian bookworm-security InRelease (retrying)",
    # health checks, server logs, configuration echoes and environment listings
    "GET /healthz 200 3ms",
    '127.0.0.1 - - [03/Dec/2026:17:00:00 +0000] "GET /errors HTTP/1.1" 200 512',
    "error_log /var/log/nginx/error.log warn;",
    "ErrorLog ${APACHE_LOG_DIR}/error.log",
    "NODE_OPTIONS=--unhandled-rejections=strict",
    "FAIL_ON_WARNINGS=false",
    "ERROR_REPORTING_ENABLED=true",
    "  FAIL_ON_ERROR: false",
    "  continue-on-error: true",
    "fail_ci_if_error: false",
    "fail-fast: false",
    'level=info msg="error handler registered"',
    'time="2026-12-03T17:00:00Z" level=info msg="Failed jobs: 0"',
    '  - ERROR_WEBHOOK: "https://hooks.example.com/x"',
    "env.ERRORS (errors-kv)             KV Namespace",
    "env.FAILED_JOBS (failed-jobs)      Queue",
    # commands and scripts as CI echoes them (flags and messages of the script, not its output)
    "> vitest run --reporter=verbose --bail=1 --passWithNoTests",
    "> jest --ci --silent --failFast",
    "$ tsc --noEmit --noErrorTruncation",
    "npx eslint --max-warnings=0 --no-error-on-unmatched-pattern",
    "Run npm run lint -- --quiet || exit 0",
    '  echo "::error::Deploy failed"',
    'if [ $? -ne 0 ]; then echo "build failed"; exit 1; fi',
    "test -f dist/index.html || echo 'error: dist missing'",
    "+ set -euo pipefail",
    "trap 'echo error' ERR",
    # CI annotations of notices and warnings
    "::notice::Build completed with 0 errors",
    "::warning file=src/a.ts,line=3::Unexpected any. Specify a different type",
    "##[warning]Error messages in this step are truncated",
    # docker layers and git progress
    "#7 DONE 0.1s",
    "=> CACHED [2/6] WORKDIR /app",
    "#8 [3/6] COPY src/errors ./src/errors",
    "Step 4/9 : RUN pip install failsafe",
    "remote: Counting objects: 100% (12/12), done.",
    # hosts' and frameworks' progress around a build
    "Failed to match Worker name. Your config file is using the Worker name \"shop-preview\", but the CI system "
    "expected \"shop\". Overriding using the CI provided Worker name.",
    "Note: No functions dir at /functions found. Skipping.",
    "No build output detected to cache. Skipping.",
    "No Wrangler configuration file found. Continuing.",
    "Build environment variables: (none found)",
    "  If you think this is a bug, please open an issue at:",
    "Learn more: https://nextjs.org/telemetry",
    "Attention: Next.js now collects completely anonymous telemetry regarding usage.",
    "No tests found, exiting with code 0",
    "Skipping validation of types",
]


@pytest.mark.parametrize("line", NEGATIVES)
def test_error_words_in_successful_output_are_not_errors(line: str) -> None:
    assert diagnose(line).errors == (), line


# The same tools' words when they DO report a failure: category and masked group.
POSITIVES = [
    ('npm error Missing script: "biuld"', "build_command_failed", 'npm error Missing script: "<SCRIPT>"'),
    ("npm error Lifecycle script `build` failed with error:", "build_command_failed",
     "npm error Lifecycle script `build` failed with error:"),
    ("npm error network request to https://registry.npmjs.org/error-ex failed, reason: getaddrinfo EAI_AGAIN "
     "registry.npmjs.org", "network_error",
     "npm error network request to <URL> failed, reason: getaddrinfo EAI_AGAIN <HOST>"),
    ("Error: Cannot find module 'error-stack-parser'", "module_not_found", "Error: Cannot find module '<MODULE>'"),
    ('✘ [ERROR] Could not resolve "@sentry/error-handler"', "module_not_found", '✘ [ERROR] Could not resolve "<MODULE>"'),
    ("src/errors/index.ts(12,5): error TS2322: Type 'string' is not assignable to type 'number'.", "typescript_error",
     "<FILE>(<LINE>,<COL>): error TS2322: Type '<TYPE>' is not assignable to type '<TYPE>'."),
    ("Type error: Property 'fail' does not exist on type 'Props'.", "typescript_error",
     "Type error: Property '<IDENTIFIER>' does not exist on type '<TYPE>'."),
    ("✖ 3 problems (2 errors, 1 warning)", "lint_error", "✖ <N> problems (<N> errors, <N> warning)"),
    ("Tests:       2 failed, 10 passed, 12 total", "build_command_failed", "Tests: <N> failed, <N> passed, <N> total"),
    ("FAIL src/errors.test.ts", "build_command_failed", "FAIL <FILE>"),
    ("Failed: 3, Passed: 9", "build_command_failed", "Failed: <N>, Passed: <N>"),
    ("FAILED: 2", "build_command_failed", "FAILED: <N>"),
    ("2 errors", "build_command_failed", "<N> errors"),
    ("ERROR: No matching distribution found for failsafe==9.9.9", "dependency_install_failed",
     "ERROR: No matching distribution found for <PACKAGE>"),
    (" ERR_PNPM_OUTDATED_LOCKFILE  Cannot install with \"frozen-lockfile\" because pnpm-lock.yaml is not up to date "
     "with package.json", "lockfile_out_of_sync",
     'ERR_PNPM_OUTDATED_LOCKFILE  Cannot install with "frozen-lockfile" because pnpm-lock.yaml is not up to date with '
     "<PATH>"),
    ("Error: Process completed with exit code 2.", "build_command_failed", "Error: Process completed with exit code <CODE>."),
    ("sh: 1: vite: not found", "command_not_found", "sh: <N>: <COMMAND>: not found"),
    ("fatal: could not read Username for 'https://github.com': terminal prompt disabled", "clone_failed",
     "fatal: could not read Username for '<URL>': terminal prompt disabled"),
    ("FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory", "out_of_memory",
     "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory"),
    ("> Build error occurred", "build_command_failed", "> Build error occurred"),
    ("Generating static pages failed", "build_command_failed", "Generating static pages failed"),
    ("echo: write error: No space left on device", "build_command_failed", "echo: write error: No space left on device"),
    ("Error: Command failed: npm run build && echo done", "build_command_failed", "Error: Command failed: <COMMAND>"),
    ("error Command failed with exit code 1.", "build_command_failed", "error Command failed with exit code <CODE>."),
    ("npm error code ELIFECYCLE", "build_command_failed", "npm error code ELIFECYCLE"),
    ("3f2a9c1d0e1f: error pulling image configuration: unexpected EOF", "build_command_failed",
     "<SHA>: error pulling image configuration: unexpected EOF"),
    ("panic: runtime error: index out of range [3] with length 3", "build_command_failed",
     "panic: runtime error: index out of range [<N>] with length <N>"),
    ("npm error network request to https://registry.npmjs.org/react failed, reason: read ECONNRESET, recovered from cache",
     "network_error", "npm error network request to <URL> failed, reason: read ECONNRESET, recovered from cache"),
]


@pytest.mark.parametrize(("line", "code", "group"), POSITIVES)
def test_failures_in_the_same_words_keep_category_and_group(line: str, code: str, group: str) -> None:
    hit = diagnose(line).primary
    assert hit is not None, line
    assert (hit.error_code, hit.error_group) == (code, group)


# Context around an error: code frames, retries before it, build output lists, passing tests. The error line stays
# the primary: (log, primary line number, category).
LOGS = [
    ("src/lib/env.ts:12:9 - error TS2322: Type 'string' is not assignable to type 'number'.\n\n"
     '12   const port: number = process.env.PORT ?? "3000";\n           ~~~~\n\nFound 1 error in src/lib/env.ts:12',
     1, "typescript_error"),
    ('/app/src/index.js:3\n  throw new Error("Missing API_KEY");\n  ^\n\nError: Missing API_KEY\n'
     "    at Object.<anonymous> (/app/src/index.js:3:9)\n"
     "    at Module._compile (node:internal/modules/cjs/loader:1256:14)\n\nNode.js v20.11.1",
     5, "build_command_failed"),
    ('✘ [ERROR] Could not resolve "node:fs"\n\n    src/worker.ts:1:19:\n'
     '      1 │ import { readFile } from "node:fs";\n        ╵                          ~~~~~~~~~\n',
     1, "module_not_found"),
    ("Failed to compile.\n\n./src/errors/ErrorBoundary.tsx:14:7\n"
     "Type error: Property 'fail' does not exist on type 'Props'.\n\n  12 |   render() {\n"
     "> 14 |       this.props.fail();\n     |                  ^\n"
     '  15 |       throw new Error("render failed");\n  16 |     }',
     4, "typescript_error"),
    ("Retrying in 2s (attempt 1/3) after error: ECONNRESET\nRetrying in 4s (attempt 2/3) after error: ECONNRESET\n"
     "npm error code ECONNRESET\n"
     "npm error network request to https://registry.npmjs.org/react failed, reason: read ECONNRESET",
     4, "network_error"),
    ("> vite build\n\nvite v5.4.0 building for production...\n✓ 42 modules transformed.\n"
     "dist/assets/ErrorBoundary-3f2a9c1d.js        1.20 kB │ gzip:  0.64 kB\nerror during build:\n"
     '[vite]: Rollup failed to resolve import "@/lib/errors" from "/app/src/main.ts".',
     7, "module_not_found"),
    ("  ✓ shows an error message when the form is invalid (23 ms)\n  ✓ handles failure (2 ms)\n"
     "PASS src/errors.test.ts\nFAIL src/fail.test.ts\nTests:       1 failed, 11 passed, 12 total",
     5, "build_command_failed"),
    ("npm error Missing script: \"biuld\"\nnpm error\nnpm error Did you mean this?\n"
     'npm error     npm run build # run the "build" package script\nnpm error\n'
     "npm error To see a list of scripts, run:\nnpm error   npm run",
     1, "build_command_failed"),
    ("[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:3.2.2:test (default-test) on "
     "project billing: There are test failures.\n[ERROR] \n"
     "[ERROR] Please refer to /app/billing/target/surefire-reports for the individual test results.\n"
     "[ERROR] -> [Help 1]\n[ERROR] \n"
     "[ERROR] To see the full stack trace of the errors, re-run Maven with the -e switch.\n"
     "[ERROR] Re-run Maven using the -X switch to enable full debug logging.",
     1, "build_command_failed"),
]


@pytest.mark.parametrize(("log", "line_no", "code"), LOGS)
def test_context_around_an_error_does_not_take_the_primary(log: str, line_no: int, code: str) -> None:
    hit = diagnose(log).primary
    assert hit is not None, log
    assert (hit.line_no, hit.error_code) == (line_no, code), hit
