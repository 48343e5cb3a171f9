"""The general layer (rules/general.py) and the phrase layer under the tool rules: lines in formats no tool
rule knows get their category from the cause their words name, an install their words name, the command
they name, the tool and the stage. Each example is written for this test from the message template the tool
prints (pip, uv, pyenv, poetry, composer, cargo, Go, Bundler, yarn, npm, Node, Vite, Vercel, Netlify, git,
curl, coreutils, cmd/PowerShell, Jenkins, Maven), not copied from the corpus; each is diagnosed as a one-line
log, with the category and the masked group expected."""

from __future__ import annotations

import pytest

from bloqr_dagster.build_errors.detectors import diagnose
from bloqr_dagster.build_errors.detectors.rules.general import activity_category, cause_category

from .helpers import primary_code_and_group

CASES = [
    # memory: V8's heap limit, the OOM killer's `Killed`, exit 137 (SIGKILL), a container's OOMKilled
    ('FATAL ERROR: Ineffective mark-compacts near heap limit Allocation failed - JavaScript heap out of memory', 'out_of_memory',
     'FATAL ERROR: Ineffective mark-compacts near heap limit Allocation failed - JavaScript heap out of memory'),
    ("error: command '/usr/bin/gcc' failed: Killed", 'out_of_memory',
     "error: command '<PATH>' failed: Killed"),
    ("The command '/bin/sh -c pnpm run build' returned a non-zero code: 137", 'out_of_memory',
     "The command '<COMMAND>' returned a non-zero code: 137"),
    ('Error: OOMKilled: the container ran out of memory', 'out_of_memory',
     'Error: OOMKilled: the container ran out of memory'),
    # a timeout talking to a server is the network's (Go's net/http and resolver, requests' read timeout)
    ('Error: Get "https://ghcr.io/v2/": net/http: request canceled (Client.Timeout exceeded while awaiting headers)', 'network_error',
     'Error: Get "<URL>": net/http: request canceled (Client.Timeout exceeded while awaiting headers)'),
    ('error: dial tcp: lookup proxy.golang.org on 10.0.0.2:53: i/o timeout', 'network_error',
     'error: dial tcp: lookup <HOST> on <IP>:<PORT>: i/o timeout'),
    ('ERROR: Read timed out. (read timeout=15)', 'network_error',
     'ERROR: Read timed out. (read timeout=<N>)'),
    # the job's own time limit (GitHub Actions, Netlify-style runtime limits)
    ('Error: The job running on runner Hosted Agent has exceeded the maximum execution time of 60 minutes.', 'timeout',
     'Error: The job running on runner <RUNNER> has exceeded the maximum execution time of <N> minutes.'),
    ('Error: Build exceeded maximum allowed runtime', 'timeout',
     'Error: Build exceeded maximum allowed runtime'),
    ('Error: The build has timed out', 'timeout',
     'Error: The build has timed out'),
    # network: aborted/reset connections, curl's connect failure, DNS, TLS trust; a local database is not the network
    ('Error: connect ECONNABORTED 104.16.0.35:443', 'network_error',
     'Error: connect ECONNABORTED <IP>:<PORT>'),
    ("Error: Failed to connect to registry.yarnpkg.com port 443 after 130 ms: Couldn't connect to server", 'network_error',
     "Error: Failed to connect to <HOST> port <PORT> after <N> ms: Couldn't connect to server"),
    ('error: getaddrinfo EAI_AGAIN registry.npmjs.org', 'network_error',
     'error: getaddrinfo EAI_AGAIN <HOST>'),
    ('Error: unable to get local issuer certificate', 'network_error',
     'Error: unable to get local issuer certificate'),
    ('error: read: connection reset by peer', 'network_error',
     'error: read: connection reset by peer'),
    ('Error: self signed certificate in certificate chain', 'network_error',
     'Error: self signed certificate in certificate chain'),
    ('ERROR: Could not connect to the database at localhost:5432', 'build_command_failed',
     'ERROR: Could not connect to the database at localhost:<N>'),
    # credentials: HTTP 401/403, missing credentials, an expired token
    ('Error: Request failed with status code 403', 'auth_error',
     'Error: Request failed with status code 403'),
    ('Error: missing credentials for registry https://npm.pkg.github.com', 'auth_error',
     'Error: missing credentials for registry <URL>'),
    ('Error: The access token has expired', 'auth_error',
     'Error: The access token has expired'),
    # a repository that does not exist (git, GitHub's ssh and https remotes)
    ("fatal: repository 'https://github.com/acme/private.git/' not found", 'clone_failed',
     "fatal: repository '<URL>' not found"),
    ('ERROR: Repository not found.', 'clone_failed',
     'ERROR: Repository not found.'),
    ('remote: Repository not found.', 'clone_failed',
     'Repository not found.'),
    # lock files of any package manager named with their problem; the `--frozen-lockfile` flag names none
    ('error: pyproject.toml changed significantly since poetry.lock was last generated. Run `poetry lock` to fix the lock file.', 'lockfile_out_of_sync',
     'error: pyproject.toml changed significantly since poetry.lock was last generated. Run `poetry lock` to fix the lock file.'),
    ('Error: Your lock file does not contain a compatible set of packages. Please run composer update.', 'lockfile_out_of_sync',
     'Error: Your lock file does not contain a compatible set of packages. Please run composer update.'),
    ('error: Pipfile.lock (4f2a1b) out of date, update to (9c8d7e)!', 'lockfile_out_of_sync',
     'error: Pipfile.lock (<HASH>) out of date, update to (<HASH>)!'),
    ('error: missing go.sum entry for module providing package github.com/acme/lib (imported by github.com/acme/app)', 'lockfile_out_of_sync',
     'error: missing go.sum entry for module providing package <URL> (imported by <URL>)'),
    ('error: The command "yarn install --frozen-lockfile" failed and exited with 1 during install', 'dependency_install_failed',
     'error: The command "<COMMAND>" failed and exited with <CODE> during install'),
    # module resolution in Node, Vite, Python, Sass, Ruby, Pyright
    ("Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'vite' imported from /app/vite.config.mjs", 'module_not_found',
     "Error [ERR_MODULE_NOT_FOUND]: Cannot find package '<MODULE>' imported from <PATH>"),
    ('error: Failed to load url /src/main.tsx (resolved id: /src/main.tsx). Does the file exist?', 'module_not_found',
     'error: Failed to load url <MODULE> (resolved id: <MODULE>). Does the file exist?'),
    ("ImportError: cannot import name 'soft_unicode' from 'markupsafe' (/usr/lib/python3/site-packages/markupsafe/__init__.py)", 'module_not_found',
     "ImportError: cannot import name '<IDENTIFIER>' from 'markupsafe' (<PATH>)"),
    ("Error: Can't find stylesheet to import.", 'module_not_found',
     "Error: Can't find stylesheet to import."),
    ('LoadError: cannot load such file -- bundler/setup', 'module_not_found',
     'LoadError: cannot load such file -- bundler/setup'),
    ('error: Package subpath \'./server.edge\' is not defined by "exports" in /app/node_modules/react-dom/package.json', 'module_not_found',
     'error: Package subpath \'<FILE>\' is not defined by "exports" in <PATH>'),
    ('error: Import "requests" could not be resolved', 'module_not_found',
     'error: Import "<IDENTIFIER>" could not be resolved'),
    # a program that is not there (cmd, PowerShell, which)
    ("'vite' is not recognized as an internal or external command,", 'command_not_found',
     "'<COMMAND>' is not recognized as an internal or external command,"),
    ("yarn : The term 'yarn' is not recognized as the name of a cmdlet, function, script file, or operable program.", 'command_not_found',
     "The term '<COMMAND>' is not recognized as the name of a cmdlet, function, script file, or operable program."),
    ('which: no python3 in (/usr/local/bin:/usr/bin)', 'command_not_found',
     'which: no <COMMAND> in (<PATH>)'),
    # Node's version (yarn's engines check, a framework's own check), with dotted versions
    ('error: The engine "node" is incompatible with this module. Expected version ">=18.17.0". Got "16.20.2"', 'node_version_mismatch',
     'error: The engine "node" is incompatible with this module. Expected version "<RANGE>". Got "<VERSION>"'),
    ('Error: Node.js 16.20.2 is not supported. Please upgrade to Node.js 18 or newer.', 'node_version_mismatch',
     'Error: Node.js <VERSION> is not supported. Please upgrade to Node.js <VERSION> or newer.'),
    ('ERROR: You are using Node.js 14.21.3. This version requires Node.js 18.x or higher.', 'node_version_mismatch',
     'ERROR: You are using Node.js <VERSION>. This version requires Node.js <VERSION>.x or higher.'),
    # Python's version (pip's Requires-Python, uv's discovery, pyenv)
    ("ERROR: Package 'acme-tools' requires a different Python: 3.8.18 not in '>=3.10'", 'python_version_error',
     "ERROR: Package '<PACKAGE>' requires a different Python: <VERSION> not in '<RANGE>'"),
    ('error: No interpreter found for Python 3.13 in managed installations or search path', 'python_version_error',
     'error: No interpreter found for Python <VERSION> in managed installations or search path'),
    ("pyenv: version `3.12.999' is not installed (set by PYTHON_VERSION environment variable)", 'python_version_error',
     "pyenv: version `<VERSION>' is not installed (set by PYTHON_VERSION environment variable)"),
    # the build's output directory (Vercel, Netlify, Pages, `next start`)
    ('Error: No Output Directory named "dist" found after the Build completed.', 'build_output_missing',
     'Error: No Output Directory named "<DIR>" found after the Build completed.'),
    ("Error: Deploy directory 'dist' does not exist", 'build_output_missing',
     "Error: Deploy directory '<DIR>' does not exist"),
    ('Error: Output directory "build" not found.', 'build_output_missing',
     'Error: Output directory "<DIR>" not found.'),
    ("Error: Could not find a production build in the '.next' directory. Try building your app with 'next build' before starting the production server.", 'build_output_missing',
     "Error: Could not find a production build in the '<DIR>' directory. Try building your app with 'next build' before starting the production server."),
    # a required file or config absent
    ('Error: Cannot find extended parcel config', 'missing_file',
     'Error: Cannot find extended parcel config'),
    ('Error: Could not find a required file.', 'missing_file',
     'Error: Could not find a required file.'),
    ("Error: File './src/entry.js' does not exist", 'missing_file',
     "Error: File '<FILE>' does not exist"),
    ('error: Gemfile not found', 'missing_file',
     'error: Gemfile not found'),
    # install words decide when no other cause is named: pip, cargo, npm, Bundler, installers
    ('ERROR: Could not install packages due to an OSError: [Errno 28] No space left on device', 'dependency_install_failed',
     'ERROR: Could not install packages due to an OSError: [Errno <N>] No space left on device'),
    ('error: subprocess-exited-with-error', 'dependency_install_failed',
     'error: subprocess-exited-with-error'),
    ('ERROR: Failed building wheel for psycopg2', 'dependency_install_failed',
     'ERROR: Failed building wheel for psycopg2'),
    ('Error: Failed to install dependencies', 'dependency_install_failed',
     'Error: Failed to install dependencies'),
    ('error: failed to select a version for the requirement `serde = "^9.0"`', 'dependency_install_failed',
     'error: failed to select a version for the requirement `serde = "<RANGE>"`'),
    ('Error: EINTEGRITY sha512-AbCdEf== integrity checksum failed when using sha512', 'dependency_install_failed',
     'Error: EINTEGRITY sha512-AbCdEf== integrity checksum failed when using sha512'),
    ('Error: Unable to resolve dependency tree', 'dependency_install_failed',
     'Error: Unable to resolve dependency tree'),
    ('An error occurred while installing nokogiri (1.13.10), and Bundler cannot continue.', 'dependency_install_failed',
     'An error occurred while installing nokogiri (<VERSION>), and Bundler cannot continue.'),
    ('ERROR: something went wrong during install of the toolchain', 'dependency_install_failed',
     'ERROR: something went wrong during install of the toolchain'),
    ('Error: Something went wrong, self-installer exits with code 1', 'dependency_install_failed',
     'Error: Something went wrong, self-installer exits with code <CODE>'),
    ('[Error: Multiple Python package manager files were found]', 'dependency_install_failed',
     '[Error: Multiple Python package manager files were found]'),
    ('Error: Command failed: /tmp/build/bin/pipfile2req', 'dependency_install_failed',
     'Error: Command failed: <COMMAND>'),
    # failure summaries: a named step that failed, Jenkins' and Maven's verdicts, a compiler's error count
    ('! Node.js distribution checksum verification failed', 'dependency_install_failed',
     '! Node.js distribution checksum verification failed'),
    ('Pre-release steps failed for web@2.0.0:', 'deploy_command_failed',
     'Pre-release steps failed for <PACKAGE>@<VERSION>:'),
    ('Finished: FAILURE', 'build_command_failed',
     'Finished: FAILURE'),
    ('[INFO] BUILD FAILURE', 'build_command_failed',
     '[INFO] BUILD FAILURE'),
    ('2 errors', 'build_command_failed',
     '<N> errors'),
    ('3 errors generated.', 'build_command_failed',
     '<N> errors generated.'),
    # strerror endings of coreutils and Python's OSError
    ("mkdir: cannot create directory '/srv/www': File exists", 'build_command_failed',
     "mkdir: cannot create directory '<PATH>': File exists"),
    ("ln: failed to create symbolic link '/usr/bin/node': Read-only file system", 'build_command_failed',
     "ln: failed to create symbolic link '<PATH>': Read-only file system"),
    ("ERROR: [Errno 21] Is a directory: 'public'", 'build_command_failed',
     "ERROR: [Errno <N>] Is a directory: 'public'"),
    # the type check named in words
    ('Error: Type check failed', 'typescript_error',
     'Error: Type check failed'),
    # a named chain is at its last step; resolving an import is not an install
    ('Error: Command "npm install && npm run build" exited with 1', 'build_command_failed',
     'Error: Command "<COMMAND>" exited with <CODE>'),
    ('entry.ts: ERROR: Detected cycle while resolving import "./a"', 'build_command_failed',
     '<FILE>: ERROR: Detected cycle while resolving import "<PATH>"'),
    # detected without a marker: a tool's `Error <verb>ing`, Java's and .NET's uncaught exceptions, a crash,
    # a sentence saying a named file is not found (rules/phrases.py)
    ('Error building site: failed to render pages: render of "page" failed', 'build_command_failed',
     'Error building site: failed to render pages: render of "page" failed'),
    ('Error in plugin @netlify/plugin-nextjs', 'build_command_failed',
     'Error in plugin @netlify/plugin-nextjs'),
    ('package.json not found', 'missing_file',
     'package.json not found'),
    ("'./src/main.ts' could not be found", 'missing_file',
     "'<FILE>' could not be found"),
    ('No matching distribution found for torch==9.9', 'dependency_install_failed',
     'No matching distribution found for <PACKAGE>'),
    ('No such file: config.yml', 'missing_file',
     'No such file: <FILE>'),
    ('Exception in thread "main" java.lang.RuntimeException: boom', 'build_command_failed',
     'Exception in thread "main" java.lang.RuntimeException: boom'),
    ('Segmentation fault (core dumped)', 'build_command_failed',
     'Segmentation fault (core dumped)'),
    ('Unhandled exception: boom', 'build_command_failed',
     'Unhandled exception: boom'),
    # bash's report of a job killed by a signal names its command: the command's step decides
    ('bash: line 3:  4242 Segmentation fault      (core dumped) pip install -r requirements.txt', 'dependency_install_failed',
     'bash: line <N>:  <PID> Segmentation fault (core dumped) <COMMAND>'),
    ('/bin/bash: line 34:  1376 Aborted                 (core dumped) gatsby build', 'build_command_failed',
     '<PATH>: line <N>:  <PID> Aborted (core dumped) <COMMAND>'),
    # a download that failed with no other cause named is the network's
    ('! Failed to download `node`', 'network_error',
     '! Failed to download `node`'),
    ('Error: Could not download Chromium r1045629', 'network_error',
     'Error: Could not download Chromium r1045629'),
    # tsc's message templates without their code
    ("error: Property 'foo' does not exist on type 'Bar'.", 'typescript_error',
     "error: Property '<IDENTIFIER>' does not exist on type '<TYPE>'."),
    ('Error: Module \'"./api"\' has no exported member \'fetchUser\'.', 'typescript_error',
     "Error: Module '<MODULE>' has no exported member '<IDENTIFIER>'."),
    ("error: Cannot find name 'process'. Do you need to install type definitions for node?", 'typescript_error',
     "error: Cannot find name '<IDENTIFIER>'. Do you need to install type definitions for node?"),
    # a registry's auth codes and words
    ('Error: authorization failed for registry', 'auth_error',
     'Error: authorization failed for registry'),
    # the activity: artifacts are published, Prettier checks style
    ('Error: Multiple artifacts named "github-pages" were unexpectedly found for this workflow run.', 'deploy_command_failed',
     'Error: Multiple artifacts named "<ARTIFACT>" were unexpectedly found for this workflow run.'),
    ('error: Code style issues found in 3 files. Run Prettier with --write to fix.', 'lint_error',
     'error: Code style issues found in <N> files. Run Prettier with --write to fix.'),
]


@pytest.mark.parametrize(("line", "code", "group"), CASES)
def test_a_general_line_gets_the_category_its_words_name(line: str, code: str, group: str) -> None:
    assert primary_code_and_group(line) == (code, group)


# Warnings, deprecations, zero counts, retries and progress lines in the same words are not errors.
NEGATIVES = [
    "npm warn deprecated inflight@1.0.6: This module is not supported, and leaks memory.",
    "warning: lockfile needs to be updated",
    "Warning: Node.js 16 is deprecated, upgrade to Node.js 20",
    "0 errors",
    "Found 0 errors.",
    "0 errors, 2 warnings",
    "Download failed, retrying in 5s (attempt 2 of 3)",
    "Verification failed, will retry",
    "Tests failed, retrying (attempt 2)",
    "Building wheels for collected packages: psycopg2",
    "Resolving dependencies...",
    "Installing dependencies...",
    "Fetching packages...",
    "Retrying in 10 seconds... (connection reset)",
    "Could not find a cached build, starting fresh",
    "Failed to fetch https://registry.npmjs.org/left-pad, retrying",
    "Killed old process 1234",
    "No space left on device warnings are disabled",
    "[INFO] BUILD SUCCESS",
    "Finished: SUCCESS",
    "10 errors suppressed",
    "Cache not found for input keys: node-cache-Linux-x64-abc",
    "Build cache not found",
    "No matching files found, skipping upload",
    ".nvmrc not found, using the default Node version",
    "Page not found",  # `X not found` about something other than a file is as often a tool's progress
]


@pytest.mark.parametrize("line", NEGATIVES)
def test_progress_warnings_and_retries_are_not_errors(line: str) -> None:
    assert diagnose(line).errors == (), line


@pytest.mark.parametrize(("log", "code"), [
    # install words win over the build stage a platform announced: an install inside a build step
    ("Executing user build command: npm run build\nERROR: Failed building wheel for psycopg2", "dependency_install_failed"),
    ("$ npm run build\nError: Failed to install dependencies", "dependency_install_failed"),
    ("Executing user build command: npm run build\nError: something broke while installing the site",
     "dependency_install_failed"),
    # ... but not over a cause, nor over the command a line names (a chain is at its last step)
    ("Installing project dependencies: npm ci\nError: Cannot find module 'left-pad'", "module_not_found"),
    ("Executing user build command: npm run build\nError: Command \"npm install && npm run build\" exited with 1",
     "build_command_failed"),
    # with no install words, the stage still decides
    ("Executing user build command: npm run build\nError: boom", "build_command_failed"),
])
def test_install_words_decide_over_the_stage(log: str, code: str) -> None:
    d = diagnose(log)
    assert d.primary is not None and d.primary.error_code == code


@pytest.mark.parametrize(("text", "code"), [
    ("request to the registry timed out after 30000ms (i/o timeout)", "network_error"),  # before the job's timeout
    ("timeout exceeded while awaiting headers (Client.Timeout)", "network_error"),
    ("The build has timed out", "timeout"),
    ("yarn --frozen-lockfile", None),  # the flag names no lock file problem
    ("Cyclical dependency detected: a -> b -> a", None),
    ("Could not find a declaration file for module 'x'", None),
    ("connect ECONNREFUSED 127.0.0.1:5432", None),  # a local service, not the network
])
def test_cause_vocabulary(text: str, code: str | None) -> None:
    assert cause_category(text) == code


@pytest.mark.parametrize(("text", "code"), [
    ("Error: Something went wrong, self-installer exits with code 1", "dependency_install_failed"),
    ("Multiple Python package manager files were found", "dependency_install_failed"),
    ("Failed to run pipfile2req", "dependency_install_failed"),
    ("Cyclical dependency detected: a -> b -> a", None),
    ("Error while connecting to the git repository", "clone_failed"),
    ("Pre-release steps failed", "deploy_command_failed"),
])
def test_activity_vocabulary(text: str, code: str | None) -> None:
    assert activity_category(text) == code
