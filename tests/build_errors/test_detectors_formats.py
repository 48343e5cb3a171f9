"""Tool and platform formats added while tuning on the corpus's train split (rules 2026.12.2).

Lines are written here in each tool's documented format with values of our own, not copied from
the corpus: the rules must describe the format, and the corpus floors (test_detectors_corpus_figures)
measure them on real lines.
"""

from __future__ import annotations

import pytest

from bloqr_dagster.build_errors.detectors import diagnose
from bloqr_dagster.build_errors.detectors.prefixes import message


@pytest.mark.parametrize(("raw", "clean"), [
    ("[08:15:02.731] Error: Command \"yarn build\" exited with 1", 'Error: Command "yarn build" exited with 1'),
    ("08:15:02.731 12:4  Error: Unexpected any.  @typescript-eslint/no-explicit-any",
     "12:4  Error: Unexpected any.  @typescript-eslint/no-explicit-any"),
    ("[10:47:27] 'sass' errored after 1.2 s", "'sass' errored after 1.2 s"),
    ("Mar  3 14:02:11 PM  npm error code 1", "npm error code 1"),
    ("[Container] 2025/03/04 10:11:12.123456 Phase complete: BUILD State: FAILED", "Phase complete: BUILD State: FAILED"),
    (" ›   Error: The deploy directory \"out\" has not been found.", 'Error: The deploy directory "out" has not been found.'),
    ("@acme/web:   3:1  error  Missing semicolon  semi", "3:1  error  Missing semicolon  semi"),
    ("web: 3:1  error  x", "web: 3:1  error  x"),  # an unscoped `name: ` stays (it may be `sh: `)
])
def test_platform_prefixes_are_stripped(raw: str, clean: str) -> None:
    assert message(raw) == clean


@pytest.mark.parametrize(("line", "code"), [
    # V8's fatal-error output, OpenSSL 3 under an old webpack
    (" 3: 0x7f1a2b3c node::OOMErrorHandler(char const*, v8::OOMDetails const&) [/usr/bin/node]", "out_of_memory"),
    ("----- Native stack trace -----", "out_of_memory"),
    ("Error: error:0308010C:digital envelope routines::unsupported", "node_version_mismatch"),
    ("  code: 'MODULE_NOT_FOUND',", "module_not_found"),
    # package managers
    ('Your Node version is incompatible with "left-pad@9.0.0".', "node_version_mismatch"),
    ("Got: v16.3.0", "node_version_mismatch"),
    ('npm ERR! notsup Actual:   {"npm":"8.1.0","node":"v16.0.0"}', "node_version_mismatch"),
    ("npm ERR! 403 403 Forbidden - GET https://npm.example.org/private-pkg", "auth_error"),
    ("npm http fetch GET 401 https://npm.example.org/private-pkg 12ms", "auth_error"),
    ("Missing: left-pad@1.3.0 from lock file", "lockfile_out_of_sync"),
    ('Update your lockfile with "pnpm install --no-frozen-lockfile"', "lockfile_out_of_sync"),
    ("Error: poetry.lock not found. Run `poetry lock` to create it.", "lockfile_out_of_sync"),
    ("  Getting requirements to build wheel ... error", "dependency_install_failed"),
    ("The conflict is caused by:", "dependency_install_failed"),
    ("E: Unable to locate package libfoo-dev", "dependency_install_failed"),
    ("  ╰─▶ Because left-pad was not found in the package registry, we can conclude that", "dependency_install_failed"),
    ("[Error: Unable to install dependencies using pip]", "dependency_install_failed"),
    # Python versions in the words of poetry, pyenv and the platforms
    ("The specified Python version (3.7.1) is not supported by the project (^3.11).", "python_version_error"),
    ("pyenv: no installed versions match the prefix `3.13'", "python_version_error"),
    ("Error: Unable to find any supported Python versions.", "python_version_error"),
    # TypeScript chains, ts-loader
    ("  Types of property 'id' are incompatible.", "typescript_error"),
    ("Try `npm i --save-dev @types/left-pad` if it exists or add a new declaration (.d.ts) file", "typescript_error"),
    ("[tsl] ERROR in /app/src/main.ts(3,7)", "typescript_error"),
    # linters
    (" 4:2  ✖  Expected indentation of 2 spaces   indentation", "lint_error"),
    ("ESLint couldn't find the config \"acme\" to extend from.", "lint_error"),
    ("Parsing error: Cannot find module 'acme/babel'", "lint_error"),
    ("Error: Unexpected console statement.  no-console/no-console", "lint_error"),
    # bundlers
    ("Failed to resolve 'left-pad' from './src/index.js'", "module_not_found"),
    ('"helper" is not exported by "src/util.js", imported by "src/main.js".', "module_not_found"),
    ("Can't find stylesheet to import.", "module_not_found"),
    ('Could not resolve entry module "src/index.html".', "missing_file"),
    ("Module parse failed: Unexpected token (4:2)", "build_command_failed"),
    ("ERROR 2024/01/02 03:04:05 render of \"page\" failed", "build_command_failed"),
    # outputs, platforms, runners
    ('Error: Specified "public" directory "dist" does not exist, can\'t deploy hosting', "build_output_missing"),
    ("Error: The file \"/vercel/path0/.next/routes-manifest.json\" couldn't be found.", "build_output_missing"),
    ("The self-hosted runner: box-7 lost communication with the server.", "platform_internal_error"),
    ("ERROR: Job failed (system failure): prepare environment: exit status 1", "platform_internal_error"),
    ("Error: Failed to publish your Function. Got error: Unknown internal error occurred.", "platform_internal_error"),
    ("The job running on agent Hosted 3 ran longer than the maximum time of 60 minutes.", "timeout"),
    ("Command did not finish within the time limit", "timeout"),
    # git
    ("remote: Permission to acme/site.git denied to deploy-bot.", "auth_error"),
    ("fatal: unable to access 'https://git.example.org/a.git/': The requested URL returned error: 403", "auth_error"),
    ("error: RPC failed; curl 18 transfer closed with outstanding read data remaining", "network_error"),
    (" ! [remote rejected] main -> main (pre-receive hook declined)", "deploy_command_failed"),
    ("fatal: No url found for submodule path 'vendor/lib' in .gitmodules", "clone_failed"),
    # shells, words without a marker
    ("/tmp/step.sh: line 2: vendor/bin/tool: No such file or directory", "command_not_found"),
    ("Error: Command \"acme build\" exited with 127", "command_not_found"),
    ("W: Failed to fetch http://deb.example.org/dists/x  Temporary failure resolving 'deb.example.org'",
     "network_error"),
    ("https://npm.example.org/@acme%2fui: authentication required", "auth_error"),
    ("[ERROR]\tUpdate failed for example.org/lib: Unable to get repository", "build_command_failed"),
    ('time="2025-01-01T00:00:00Z" level=error msg="exec failed"', "build_command_failed"),
    ("  The JSON you provided was not well formed. [code: 10040]", "wrangler_error"),
    # precision: whose failure it is
    ('error An unexpected error occurred, please open a bug report with the information in "/x/yarn-error.log".',
     "dependency_install_failed"),
    ("npm ERR! 503 Service Unavailable - GET https://registry.npmjs.org/left-pad", "network_error"),
    ("tar: dist: Cannot open: No such file or directory", "build_output_missing"),
    ('Error: The directory "/app/.next" does not contain a Next.js production build.', "build_output_missing"),
    ("npm error 404 Not Found - PUT https://registry.npmjs.org/@acme%2fkit - Not found", "deploy_command_failed"),
    ("npm error 401 Unauthorized - PUT https://registry.npmjs.org/@acme%2fkit", "auth_error"),
    ("Module not found: Error: Cannot resolve 'file' or 'directory' ./Missing in /app/src", "module_not_found"),
    ('  unable to resolve module "react" with subpath "/jsx-runtime"', "module_not_found"),
])
def test_formats(line: str, code: str) -> None:
    d = diagnose(line)
    assert d.primary is not None, line
    assert d.primary.error_code == code


@pytest.mark.parametrize("line", [
    "✖ 3 problems (0 errors, 3 warnings)",
    "##[debug]Node Action run completed with exit code 1",
    "acme ERROR Run with --verbose or ACME_VERBOSE=1 for more information",
    "    at Object.<anonymous> (/app/node_modules/x/index.js:3:9)",
    "npm ERR! See /root/.npm/eresolve-report.txt for a full report.",
    'The command "bash -c \'true\'" exited with 0.',
    "! Suggestions:",
    "ℹ️  Using the token from CLOUDFLARE_API_TOKEN.",
])
def test_noise_is_not_an_error(line: str) -> None:
    assert diagnose(line).errors == ()


@pytest.mark.parametrize(("log", "line_no"), [
    # npm: the message after the `code` and detail lines is the primary line
    ("npm error code ENOENT\nnpm error syscall open\nnpm error path /app/package.json\nnpm error errno -2\n"
     "npm error enoent Could not read package.json: Error: ENOENT: no such file or directory", 5),
    ("npm ERR! code ERESOLVE\nnpm ERR! ERESOLVE unable to resolve dependency tree", 2),
    ("npm error code EAI_AGAIN\nnpm error syscall getaddrinfo\n"
     "npm error request to https://registry.npmjs.org/x failed, reason: getaddrinfo EAI_AGAIN registry.npmjs.org", 3),
    # V8: the FATAL ERROR line, not the GC trace before it
    ("<--- Last few GCs --->\n[9:0x5a]  9123 ms: Mark-Compact 2040.1 (2050.2) -> 2039.8 (2051.0) MB\n"
     "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory", 3),
    # Next.js: the error printed after the prerender line
    ('Error occurred prerendering page "/". Read more: https://nextjs.org/docs/messages/prerender-error\n'
     "TypeError: Cannot read properties of undefined (reading 'map')", 2),
    # Netlify: the stage line carries the reason, `Failed to deploy site` closes it
    ("Failing build: Failed to deploy site\nFailed during stage 'deploying site': Invalid filename 'a?b'", 2),
])
def test_the_primary_is_the_line_that_says_what_happened(log: str, line_no: int) -> None:
    d = diagnose(log)
    assert d.primary is not None and d.primary.line_no == line_no, d.primary
