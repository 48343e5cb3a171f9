"""Precision: what tools print on successful or recovering runs that holds error-ish words (warnings, deprecations,
notices, progress, info lines, summaries of zero errors, retries, cache misses) is not an error. Each line is
written for this test from the tool's own message format (its source or documentation), not copied from the
corpus, and diagnosed as a one-line log: it must give no error. A few lines next to them in the same tools'
words that ARE errors check that the noise rules did not swallow them."""

from __future__ import annotations

import pytest

from bloqr_dagster.build_errors.detectors import diagnose

NEGATIVES = [
    # npm: warnings, notices, funding and audit summaries, node-gyp progress, skipped optional dependencies
    "npm warn deprecated inflight@1.0.6: This module is not supported, and leaks memory. Do not use it.",
    "npm WARN deprecated rimraf@3.0.2: Rimraf versions prior to v4 are no longer supported",
    "npm warn ERESOLVE overriding peer dependency",
    "npm warn Conflicting peer dependency: react@18.3.1",
    "npm warn Could not resolve dependency:",
    "npm warn optional SKIPPING OPTIONAL DEPENDENCY: fsevents@2.3.3 (node_modules/fsevents):",
    'npm warn notsup SKIPPING OPTIONAL DEPENDENCY: Unsupported platform for fsevents@2.3.3: wanted {"os":"darwin"} '
    '(current: {"os":"linux"})',
    "npm WARN EBADENGINE Unsupported engine {",
    "npm warn tarball tarball data for foo@1.0.0 (sha512-abc) seems to be corrupted. Trying again.",
    "npm warn cleanup Failed to remove some directories [",
    "npm warn using --force Recommended protections disabled.",
    "npm notice New major version of npm available! 10.8.2 -> 11.0.0",
    "npm notice To update run: npm install -g npm@11.0.0",
    "npm info run esbuild@0.19.0 postinstall node_modules/esbuild node install.js",
    "npm verb exit 0",
    "npm timing npm Completed in 1234ms",
    "234 packages are looking for funding",
    "found 0 vulnerabilities",
    "3 high severity vulnerabilities",
    "12 vulnerabilities (1 low, 5 moderate, 5 high, 1 critical)",
    "To address all issues (including breaking changes), run:",
    "Run `npm audit` for details.",
    "gyp info it worked if it ends with ok",
    "gyp info ok",
    "prebuild-install warn install No prebuilt binaries found (target=20.0.0 runtime=node arch=x64 libc= platform=linux)",
    "node-pre-gyp WARN Pre-built binaries not found for canvas@2.11.0 and node@20.0.0 (node-v115 ABI, glibc) "
    "(falling back to source compile with node-gyp)",
    # pnpm, Yarn, bun
    " WARN  deprecated eslint@8.57.1: This version is no longer supported.",
    " WARN  Issues with peer dependencies found",
    " WARN  GET https://registry.npmjs.org/react error (ECONNRESET). Will retry in 10 seconds. 2 retries left.",
    ' WARN  Unsupported engine: wanted: {"node":">=20"} (current: {"node":"v18.0.0","pnpm":"8.0.0"})',
    "Lockfile is up to date, resolution step is skipped",
    'warning " > react-dom@18.2.0" has unmet peer dependency "react@^18.2.0".',
    'warning Resolution field "typescript@5.0.0" is incompatible with requested version "typescript@^4.9.5"',
    'info fsevents@2.3.2: The platform "linux" is incompatible with this module.',
    'info "fsevents@2.3.2" is an optional dependency and failed compatibility check. Excluding it from installation.',
    "info This module is OPTIONAL, you can safely ignore this error",
    "info There appears to be trouble with your network connection. Retrying...",
    "➤ YN0060: │ react@npm:19.0.0 is listed by your project with version 19.0.0, which doesn't satisfy what react-dom "
    "requests (^18.0.0).",
    "➤ YN0086: │ Some peer dependencies are incorrectly met; run yarn explain peer-requirements p1234 for details.",
    "➤ YN0007: │ esbuild@npm:0.19.0 must be built because it never has been before or the last one failed",
    "➤ YN0000: · Done with warnings in 12s 345ms",
    'warn: incorrect peer dependency "react@19.0.0"',
    # pip, Poetry, uv
    "WARNING: Retrying (Retry(total=4, connect=None, read=None, redirect=None, status=None)) after connection broken "
    "by 'NewConnectionError('<pip._vendor.urllib3.connection.HTTPSConnection object at 0x7f>: Failed to establish a "
    "new connection: [Errno 101] Network is unreachable')': /simple/requests/",
    "DEPRECATION: Building 'pyyaml' using the legacy setup.py bdist_wheel mechanism, which will be removed in a "
    "future version.",
    "Requirement already satisfied: pip in /opt/venv/lib/python3.11/site-packages (23.0.1)",
    "Ignoring colorama: markers 'sys_platform == \"win32\"' don't match your environment",
    "ERROR: pip's dependency resolver does not currently take into account all the packages that are installed. "
    "This behaviour is the source of the following dependency conflicts.",
    "phik 0.11.2 requires scipy>=1.5.2, but you have scipy 1.4.1 which is incompatible.",
    "vllm 0.6.6 requires torch==2.5.1, which is not installed.",
    "WARNING: Running pip as the 'root' user can result in broken permissions and conflicting behaviour with the "
    "system package manager.",
    "[notice] A new release of pip is available: 23.0.1 -> 24.0",
    "Warning: poetry.lock is not consistent with pyproject.toml. You may be getting improper dependencies. Run "
    "`poetry lock [--no-update]` to fix it.",
    "Package operations: 12 installs, 0 updates, 0 removals",
    "warning: Failed to hardlink files; falling back to full copy. This may lead to degraded performance.",
    # git
    "hint: Using 'master' as the name for the initial branch. This default branch name",
    "warning: redirecting to https://github.com/acme/app.git/",
    " * [new branch]      feature/error-handling -> origin/feature/error-handling",
    "You are in 'detached HEAD' state. You can look around, make experimental",
    "HEAD is now at abc1234 Fix error handling in login form",
    # type checkers, linters, bundlers: zero-error summaries and warnings
    "Found 0 errors. Watching for file changes.",
    "✔ No ESLint warnings or errors",
    "✖ 3 problems (0 errors, 3 warnings)",
    "  12:5  warning  'x' is defined but never used  no-unused-vars",
    "svelte-check found 0 errors and 2 warnings in 1 file",
    "0 errors, 0 warnings, 0 hints",
    "Tests run: 12, Failures: 0, Errors: 0, Skipped: 0",
    "webpack compiled with 2 warnings",
    "Compiled with warnings.",
    "(!) Some chunks are larger than 500 kB after minification. Consider:",
    "(!) Circular dependency",
    " ⚠ Compiled with warnings",
    " ⚠ Failed to load SWC binary for linux/x64, see more info here: https://nextjs.org/docs/messages/failed-loading-swc",
    "info  - Linting and checking validity of types...",
    "Failed to parse source map from '/app/node_modules/x/src/index.ts' file: Error: ENOENT: no such file or "
    "directory, open '/app/node_modules/x/src/index.ts'",
    "Browserslist: caniuse-lite is outdated. Please run:",
    "DEPRECATION WARNING [legacy-js-api]: The legacy JS API is deprecated and will be removed in Dart Sass 2.0.0.",
    "INFO    -  Doc file 'index.md' contains a link 'x.md', but the target is not found among documentation files.",
    # Node
    "(node:1234) ExperimentalWarning: The Fetch API is an experimental feature. This feature could change at any time",
    "(node:1234) [DEP0040] DeprecationWarning: The `punycode` module is deprecated.",
    "(node:1234) MaxListenersExceededWarning: Possible EventEmitter memory leak detected. 11 error listeners added "
    "to [TLSSocket]. Use emitter.setMaxListeners() to increase limit",
    # wrangler, platforms, CI: warnings, cache misses, retries
    '▲ [WARNING] The package "node:buffer" wasn\'t found on the file system but is built into node.',
    "No build cache found",
    "Skipping cache upload",
    "Failed to restore cache, continuing build",
    "Cache not found for input keys: Linux-pnpm-store-abc",
    "Warning: Failed to save: Unable to reserve cache with key x, another job may be creating this cache.",
    "##[warning]Node.js 16 actions are deprecated. Please update the following actions to use Node.js 20",
    "attempt 1/3 failed: ECONNRESET, retrying in 2s",
    "retry 1/3 failed, retrying",
    "Request failed, retrying (1/3)",
    "Installing Node.js v20 failed, falling back to v18",
    "Error: fetch failed (attempt 1 of 3), retrying...",
    "Request to https://api.cloudflare.com/client/v4/accounts failed, retrying",
    "Cache upload failed, skipping",
    "Error uploading build cache (skipping)",
    "Restore cache failed: Dependencies file is not found in /home/runner/work/app/app. Supported file pattern: "
    "package-lock.json,npm-shrinkwrap.json,yarn.lock",
    "#5 importing cache manifest from ghcr.io/acme/app:cache",
    "+ echo 'Build failed'",
    'Run npm test || echo "tests failed"',
    '$ npm run build || echo "build failed"',
    "Failed: 0",
    "failed=0",
    "Tests:       0 failed, 12 passed, 12 total",
    # docker, apt, Homebrew
    "#9 CACHED",
    "#12 exporting cache to client directory",
    "#5 ERROR: failed to configure registry cache importer: ghcr.io/acme/app:cache: not found",
    "W: Some index files failed to download. They have been ignored, or old ones used instead.",
    "W: GPG error: https://dl.yarnpkg.com/debian stable InRelease: The following signatures couldn't be verified "
    "because the public key is not available: NO_PUBKEY 23E7166788B63E1E",
    "debconf: unable to initialize frontend: Dialog",
    "dpkg-preconfigure: unable to re-open stdin: No such file or directory",
    'Warning: No available formula with the name "foo". Did you mean foo2?',
    # names of error handlers and files, flags and config echoes, passing tests
    "src/components/error-boundary.tsx",
    " ✓ renders error boundary when child throws (12 ms)",
    "> eslint . --max-warnings 0 --fail-on-error",
    '{"error": null, "status": "ok"}',
    "[info] error overlay disabled",
    "NotFoundError page rendered",
    "Failed to set fetch cache https://api.example.com/posts Error: fetch failed",
    "/app/.next/server/chunks/ssr/page.js: Invalid source map. Only conformant source maps can be used to find the "
    "original code. Cause: Error: sourceMapURL could not be parsed",
    "Could not find platform independent libraries <prefix>",
    "Consider setting $PYTHONHOME to <prefix>[:<exec_prefix>]",
    "Setting NODE_OPTIONS=--max-old-space-size=8192 to avoid heap out of memory errors",
    # sentences of failure that go on to say the build carries on
    "Unable to detect framework, using static build",
    "Failed to start Nx Daemon, running without it",
    "sitemap.xml does not exist, generating one",
    "Missing environment variable SENTRY_AUTH_TOKEN, source maps will not be uploaded",
    'Unknown env config "http-proxy". This will stop working in the next major version of npm.',
    "Failed to send telemetry",
    "Failed to check for updates",
]


@pytest.mark.parametrize("line", NEGATIVES)
def test_warnings_notices_progress_and_retries_are_not_errors(line: str) -> None:
    assert diagnose(line).errors == (), line


# The same tools' words when they do report a failure: the noise rules above leave them errors.
POSITIVES = [
    ("npm ERR! network request to https://registry.npmjs.org/react failed, reason: read ECONNRESET, retrying",
     "network_error"),
    ("W: Failed to fetch http://deb.debian.org/debian/dists/bookworm/InRelease  Temporary failure resolving "
     "'deb.debian.org'", "network_error"),
    ("[INFO] BUILD FAILURE", "build_command_failed"),
    ("npm http fetch GET 401 https://npm.pkg.github.com/@acme%2fui 120ms", "auth_error"),
    ("Failed: build output directory not found", "build_output_missing"),
    ("info  - Linting and checking validity of types ...Failed to compile.", "build_command_failed"),
    ("E: Unable to locate package libvips-dev", "dependency_install_failed"),
    ("npm ERR! Your cache folder contains root-owned files, due to a bug in", "dependency_install_failed"),
    ("#14 ERROR: failed to solve: failed to export cache: error writing layer blob: unexpected status: 403 Forbidden",
     "auth_error"),
    ("npm ERR! network request to https://registry.npmjs.org/react failed, reason: read ECONNRESET", "network_error"),
    ("NameError (uninitialized constant Foo)", "build_command_failed"),
    ("TypeError [ERR_INVALID_ARG_TYPE]: The \"path\" argument must be of type string", "build_command_failed"),
    ("java.lang.IllegalStateException: no build found", "build_command_failed"),
    ("FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory", "out_of_memory"),
]


@pytest.mark.parametrize(("line", "code"), POSITIVES)
def test_failures_in_the_same_words_stay_errors(line: str, code: str) -> None:
    errors = diagnose(line).errors
    assert errors and errors[0].error_code == code, (line, errors)
