"""Install-stage formats of npm, pnpm, Yarn, bun, pip/uv/poetry/conda, Bundler, Composer, apt and network
failures: each example is a line in the tool's real format (written for this test, not copied from the
corpus), diagnosed as a one-line log, with the category and the error group expected."""

from __future__ import annotations

import pytest

from bloqr_dagster.build_errors.detectors import default_rules, diagnose

CASES = [
    # npm >= 7: the failed lifecycle script of an install (`code <exit>`, `command failed`, `command sh -c ...`)
    ("npm error code 1", "dependency_install_failed", "npm error code <CODE>"),
    ("npm ERR! command failed", "dependency_install_failed", "npm ERR! command failed"),
    ("npm error command sh -c node-gyp rebuild", "dependency_install_failed", "npm error command sh -c <COMMAND>"),
    ("npm ERR! code 127", "command_not_found", "npm ERR! code 127"),
    ("npm ERR! code ELIFECYCLE", "build_command_failed", "npm ERR! code ELIFECYCLE"),
    ("npm ERR! fetch failed with status code 404", "dependency_install_failed",
     "npm ERR! fetch failed with status code 404"),
    ("npm ERR!   7 more (react-dom, next, ...)", "dependency_install_failed", "npm ERR! <N> more (<PACKAGE>, <PACKAGE>, ...)"),
    ("npm error Error: EACCES: permission denied, mkdir '/usr/lib/node_modules/pnpm'", "dependency_install_failed",
     "npm error Error: EACCES: permission denied, mkdir '<PATH>'"),
    ('npm ERR! Unsupported URL Type "workspace:": workspace:*', "dependency_install_failed",
     'npm ERR! Unsupported URL Type "<TYPE>": workspace:*'),
    ("npm ERR! The `npm ci` command can only install with an existing package-lock.json or npm-shrinkwrap.json",
     "lockfile_out_of_sync",
     "npm ERR! The `npm ci` command can only install with an existing package-lock.json or npm-shrinkwrap.json"),
    ("npm error If you were trying to login, change your password, create an", "auth_error",
     "npm error If you were trying to login, change your password, create an"),
    (" ncu  404 Not Found - GET https://registry.npmjs.org/@acme%2fwidgets", "dependency_install_failed",
     "ncu  404 Not Found - GET <URL>"),
    ('https://npm.pkg.github.com/@acme%2fui: npm package "ui" does not exist under owner "acme"',
     "dependency_install_failed", '<URL>: npm package "<PACKAGE>" does not exist under owner "<PACKAGE>"'),
    ("Unable to find Node version '16.99.x' for platform linux and architecture x64.", "node_version_mismatch",
     "Unable to find Node version <VERSION> for platform linux and architecture x64."),
    ("Version '99' not found - try `nvm ls-remote` to browse available versions.", "node_version_mismatch",
     "Version '<N>' not found - try `nvm ls-remote` to browse available versions."),
    # pnpm
    (" ERR_PNPM_RECURSIVE_RUN_FIRST_FAIL  web@1.0.0 build: `vite build`", "build_command_failed",
     "ERR_PNPM_RECURSIVE_RUN_FIRST_FAIL  <PACKAGE>@<VERSION> build: `vite build`"),
    (" ERR_PNPM_FETCH_403  GET https://npm.pkg.github.com/@acme%2fcore: Forbidden - 403", "auth_error",
     "ERR_PNPM_FETCH_403  GET <URL>: Forbidden - 403"),
    (" ERR_PNPM_ECONNRESET  request to https://registry.npmjs.org/react failed, reason: read ECONNRESET",
     "network_error", "ERR_PNPM_ECONNRESET  request to <URL> failed, reason: read ECONNRESET"),
    (" ERROR  packages field missing or empty", "dependency_install_failed", "ERROR  packages field missing or empty"),
    # Yarn berry and classic
    ("➤ YN0009: │ sharp@npm:0.32.6 couldn't be built successfully (exit code 127, logs can be found here: "
     "/tmp/xfs-1234abcd/build.log)", "dependency_install_failed",
     "➤ YN0009: │ <PACKAGE>@npm:<VERSION> couldn't be built successfully (exit code 127, logs can be found here: "
     "<PATH>)"),
    ("➤ YN0001: │ Error: private-cli@npm:2.0.0: Process aws failed to spawn", "command_not_found",
     "➤ YN0001: │ Error: <PACKAGE>@npm:<VERSION> Process aws failed to spawn"),
    ("➤ YN0001: │ Error: ssh://git@github.com/acme/tools.git#main: Permission denied (publickey)", "clone_failed",
     "➤ YN0001: │ Error: <URL> Permission denied (publickey)"),
    ("➤ YN0001: │ HTTPError: Response code 502 (Bad Gateway)", "network_error",
     "➤ YN0001: │ HTTPError: Response code 502 (Bad Gateway)"),
    ("error /home/runner/work/app/app/node_modules/canvas: Command failed.", "dependency_install_failed",
     "error <PATH>/node_modules/canvas: Command failed."),
    ('error Received malformed response from registry for "left-pad". The registry may be down.', "network_error",
     'error Received malformed response from registry for "<PACKAGE>". The registry may be down.'),
    ('Couldn\'t find package "@acme/widgets@^2.0.0" required by "site@1.0.0" on the "npm" registry.',
     "dependency_install_failed", 'Couldn\'t find package "<PACKAGE>" required by "<PACKAGE>" on the "npm" registry.'),
    # bun
    ("error: ConnectionRefused downloading package manifest react-dom", "network_error",
     "error: ConnectionRefused downloading package manifest <PACKAGE>"),
    ('error: postinstall script from "sharp" exited with 1', "dependency_install_failed",
     'error: postinstall script from "sharp" exited with <CODE>'),
    # pip, uv, poetry, conda, setup-python
    ("ERROR: Ignored the following yanked versions: 1.0.1, 1.0.2", "dependency_install_failed",
     "ERROR: Ignored the following yanked versions: <VERSIONS>"),
    ("ERROR: 404 Client Error: Not Found for url: https://pypi.org/simple/acme-internal/", "dependency_install_failed",
     "ERROR: <N> Client Error: Not Found for url: <URL>"),
    ("ERROR: HTTP error 503 while getting https://files.pythonhosted.org/packages/aa/bb/pkg-1.0.tar.gz",
     "network_error", "ERROR: HTTP error 503 while getting <URL>"),
    ('Command "python setup.py egg_info" failed with error code 1 in /tmp/pip-build-abc123/cryptography/',
     "dependency_install_failed", 'Command "<COMMAND>" failed with error code <CODE> in <PATH>'),
    ("subprocess.CalledProcessError: Command '['/opt/venv/bin/pip', 'install', '-r', 'requirements.txt']' returned "
     "non-zero exit status 1.", "dependency_install_failed", "subprocess.CalledProcessError: Command '<COMMAND>' returned non-zero exit status <CODE>."),
    ("requests 2.31.0 depends on urllib3<3,>=1.21.1", "dependency_install_failed",
     "<PACKAGE> <VERSION> depends on <PACKAGE><RANGE>"),
    ("The user requested urllib3==1.20", "dependency_install_failed", "The user requested <PACKAGE><RANGE>"),
    ("Failed to install setuptools>=64.", "dependency_install_failed", "Failed to install <PACKAGE><RANGE>."),
    ("So, because app depends on both httpx (0.27.0) and respx (^0.20), version solving failed.",
     "dependency_install_failed",
     "So, because <PACKAGE> depends on both <PACKAGE> (<VERSION>) and <PACKAGE> (<RANGE>), version solving failed."),
    ("error: metadata-generation-failed", "dependency_install_failed", "error: metadata-generation-failed"),
    ("UnsatisfiableError: The following specifications were found to be incompatible with each other:",
     "dependency_install_failed",
     "UnsatisfiableError: The following specifications were found to be incompatible with each other:"),
    ("  ├─▶ failed to fetch commit `0123456789abcdef0123456789abcdef01234567`", "clone_failed",
     "├─▶ failed to fetch commit `<SHA>`"),
    ("error: Unable to find lockfile at `uv.lock`. To create a lockfile, run `uv lock` or `uv sync`.",
     "lockfile_out_of_sync", "error: Unable to find lockfile at `uv.lock`. To create a lockfile, run `uv lock` or `uv sync`."),
    ("Python 3.8 has reached its upstream end-of-life, and is no longer supported", "python_version_error",
     "Python <VERSION> has reached its upstream end-of-life, and is no longer supported"),
    ("Version 3.14.9 with arch arm64 not found", "python_version_error", "Version <VERSION> with arch arm64 not found"),
    ("Please choose a compatible version or loosen the python constraint specified in the pyproject.toml file.",
     "python_version_error",
     "Please choose a compatible version or loosen the python constraint specified in the pyproject.toml file."),
    # network failures of any installer
    ("ReadTimeoutError: HTTPSConnectionPool(host='pypi.org', port=443): Read timed out.", "network_error",
     "ReadTimeoutError: HTTPSConnectionPool(host='<HOST>', port=<PORT>): Read timed out."),
    ('Get "https://ghcr.io/v2/": dial tcp: lookup ghcr.io on 127.0.0.53:53: server misbehaving', "network_error",
     'Get "<URL>": dial tcp: lookup <HOST> on <IP>:<PORT>: server misbehaving'),
    ("Caused by: error sending request for url (https://pypi.org/simple/flask/)", "network_error",
     "Caused by: error sending request for url (<URL>)"),
    ("ssh: connect to host gitlab.com port 22: Operation timed out", "network_error",
     "ssh: connect to host <HOST> port <PORT>: Operation timed out"),
    ("Err:4 http://archive.ubuntu.com/ubuntu jammy-updates InRelease", "network_error", "Err:<N> <URL> <SUITE>"),
    ("! Failed to download Node.js distribution", "network_error", "! Failed to download Node.js distribution"),
    # apt, Bundler, Composer
    ("E: Unable to locate package libvips-devel", "dependency_install_failed", "E: Unable to locate package <PACKAGE>"),
    ('Bundler could not find compatible versions for gem "rails":', "dependency_install_failed",
     'Bundler could not find compatible versions for gem "rails":'),
    ("Could not find nokogiri-1.15.4 in any of the sources", "dependency_install_failed",
     "Could not find <GEM> in any of the sources"),
    ("You are trying to install in deployment mode after changing your Gemfile.", "lockfile_out_of_sync",
     "You are trying to install in deployment mode after changing your Gemfile."),
    ("Your requirements could not be resolved to an installable set of packages.", "dependency_install_failed",
     "Your requirements could not be resolved to an installable set of packages."),
    ("Your lock file does not contain a compatible set of packages. Please run composer update.",
     "lockfile_out_of_sync", "Your lock file does not contain a compatible set of packages. Please run composer update."),
    # a Python version is masked where there is one, in its parentheses; a word after `version` stays
    ("The specified Python version (3.7) is not supported by the project (>=3.8,<4.0).", "python_version_error",
     "The specified Python version (<VERSION>) is not supported by the project (<RANGE>)."),
    ("No Python version was found in your .python-version file.", "python_version_error",
     "No Python version was found in your .python-version file."),
    ("[Error: Invalid Python version in .python-version]", "python_version_error",
     "[Error: Invalid Python version in .python-version]"),
]


@pytest.mark.parametrize(("line", "category", "group"), CASES, ids=[c[0][:48] for c in CASES])
def test_install_format(line: str, category: str, group: str) -> None:
    hit = diagnose(line, default_rules()).primary
    assert hit is not None, line
    assert (hit.error_code, hit.error_group) == (category, group)


@pytest.mark.parametrize("line", [
    "npm WARN retry will retry, error on last attempt: Error: fetch failed with status code 404",
    "The build depends on node 18",
    "WARNING: There was an error checking the latest version of pip.",
    "Fetching gem metadata from https://rubygems.org/.........",
    "Hit:1 http://deb.debian.org/debian bookworm InRelease",
    "Get:2 http://deb.debian.org/debian bookworm-updates InRelease [55.4 kB]",
])
def test_install_progress_lines_are_not_errors(line: str) -> None:
    assert diagnose(line, default_rules()).primary is None
