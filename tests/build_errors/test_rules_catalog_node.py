"""Node.js runtime and JavaScript package-manager messages written from the tools' own message catalogues (Node.js
`lib/internal/errors.js` and V8/JavaScriptCore messages, npm's `lib/utils/error-message.js` and npm-install-checks,
pnpm's PnpmError codes and its default reporter's lifecycle output, Yarn classic's `src/reporters/lang/en.js`, Yarn
berry's MessageName codes and Plug'n'Play errors, bun install): each example is a line in the tool's format, made up
for this test (not copied from the corpus), diagnosed as a one-line log, with the category and the error group."""

from __future__ import annotations

import pytest

from bloqr_dagster.build_errors.detectors import default_rules, diagnose

from .helpers import primary_code_and_group

CASES = [
    # Node.js ESM resolution (lib/internal/errors.js: ERR_PACKAGE_IMPORT_NOT_DEFINED, ERR_INVALID_PACKAGE_TARGET) and
    # JavaScriptCore's module-linking SyntaxErrors as bun prints them
    ('TypeError [ERR_PACKAGE_IMPORT_NOT_DEFINED]: Package import specifier "#lib/db" is not defined in package /srv/site/package.json imported from /srv/site/src/server.js',
     'module_not_found', 'TypeError [ERR_PACKAGE_IMPORT_NOT_DEFINED]: Package import specifier "<MODULE>" is not defined in package <PATH> imported from <PATH>'),
    ('Error [ERR_INVALID_PACKAGE_TARGET]: Invalid "exports" main target "lib/main.cjs" defined in the package config /srv/site/node_modules/tiny-lib/package.json; targets must start with "./"',
     'module_not_found', 'Error [ERR_INVALID_PACKAGE_TARGET]: Invalid "exports" main target "<PATH>" defined in the package config <PATH>; targets must start with "./"'),
    ('Error [ERR_INVALID_PACKAGE_TARGET]: Invalid "exports" target "../outside.js" defined for \'./feature\' in the package config /srv/site/node_modules/tiny-lib/package.json imported from /srv/site/index.js',
     'module_not_found', 'Error [ERR_INVALID_PACKAGE_TARGET]: Invalid "exports" target "<PATH>" defined for \'<PATH>\' in the package config <PATH> imported from <PATH>'),
    ("SyntaxError: Export named 'createRouter' not found in module '/srv/site/node_modules/mini-router/dist/index.mjs'.",
     'module_not_found', "SyntaxError: Export named '<IDENTIFIER>' not found in module '<MODULE>'."),
    ("SyntaxError: Export named 'Widget' cannot be resolved due to ambiguous multiple bindings in module '/srv/site/src/ui.ts'.",
     'module_not_found', "SyntaxError: Export named '<IDENTIFIER>' cannot be resolved due to ambiguous multiple bindings in module '<MODULE>'."),
    ("SyntaxError: Importing binding name 'useStore' is not found.",
     'module_not_found', "SyntaxError: Importing binding name '<IDENTIFIER>' is not found."),
    ("SyntaxError: Importing binding name 'default' cannot be resolved by star export entries.",
     'module_not_found', "SyntaxError: Importing binding name '<IDENTIFIER>' cannot be resolved by star export entries."),
    # Node.js: an unhandled rejection (ERR_UNHANDLED_REJECTION) and the hint after ERR_REQUIRE_ESM
    ('[UnhandledPromiseRejection: This error originated either by throwing inside of an async function without a catch block, or by rejecting a promise which was not handled with .catch(). The promise rejected with the reason "Missing SITE_URL".] {',
     'build_command_failed', '[UnhandledPromiseRejection: This error originated either by throwing inside of an async function without a catch block, or by rejecting a promise which was not handled with .catch(). The promise rejected with the reason "<REASON>".] {'),
    ("  code: 'ERR_UNHANDLED_REJECTION'",
     'build_command_failed', "code: 'ERR_UNHANDLED_REJECTION'"),
    ('Instead change the require of main.js in /srv/site/scripts/gen.cjs to a dynamic import() which is available in all CommonJS modules.',
     'build_command_failed', 'Instead change the require of <FILE> in <PATH> to a dynamic import() which is available in all CommonJS modules.'),
    # V8 before Node 12 (unquoted tokens) and a regular-expression flag the running V8 does not know
    ('SyntaxError: Unexpected token .',
     'node_version_mismatch', 'SyntaxError: Unexpected token <TOKEN>'),
    ('SyntaxError: Unexpected token ?',
     'node_version_mismatch', 'SyntaxError: Unexpected token <TOKEN>'),
    ('SyntaxError: Unexpected token ...',
     'node_version_mismatch', 'SyntaxError: Unexpected token <TOKEN>'),
    ('SyntaxError: Invalid regular expression flags',
     'node_version_mismatch', 'SyntaxError: Invalid regular expression flags'),
    # globals and built-in methods that a newer Node.js has
    ('ReferenceError: crypto is not defined',
     'node_version_mismatch', 'ReferenceError: crypto is not defined'),
    ('ReferenceError: globalThis is not defined',
     'node_version_mismatch', 'ReferenceError: globalThis is not defined'),
    ('ReferenceError: WeakRef is not defined',
     'node_version_mismatch', 'ReferenceError: WeakRef is not defined'),
    ('ReferenceError: AggregateError is not defined',
     'node_version_mismatch', 'ReferenceError: AggregateError is not defined'),
    ('ReferenceError: Iterator is not defined',
     'node_version_mismatch', 'ReferenceError: Iterator is not defined'),
    ('TypeError: items.at is not a function',
     'node_version_mismatch', 'TypeError: <IDENTIFIER>.at is not a function'),
    ('TypeError: rows.flatMap is not a function',
     'node_version_mismatch', 'TypeError: <IDENTIFIER>.flatMap is not a function'),
    ('TypeError: (intermediate value).flat is not a function',
     'node_version_mismatch', 'TypeError: <IDENTIFIER>.flat is not a function'),
    ('TypeError: Object.fromEntries is not a function',
     'node_version_mismatch', 'TypeError: Object.fromEntries is not a function'),
    ('TypeError: text.matchAll is not a function',
     'node_version_mismatch', 'TypeError: <IDENTIFIER>.matchAll is not a function'),
    ('TypeError: URL.canParse is not a function',
     'node_version_mismatch', 'TypeError: URL.canParse is not a function'),
    ('TypeError: process.getBuiltinModule is not a function',
     'node_version_mismatch', 'TypeError: process.getBuiltinModule is not a function'),
    ('TypeError: fs.glob is not a function',
     'node_version_mismatch', 'TypeError: fs.glob is not a function'),
    ('TypeError: util.parseArgs is not a function',
     'node_version_mismatch', 'TypeError: util.parseArgs is not a function'),
    ('TypeError: tags.isSubsetOf is not a function',
     'node_version_mismatch', 'TypeError: <IDENTIFIER>.isSubsetOf is not a function'),
    # npm: ENOGIT, git dependencies, devEngines (EBADDEVENGINES), EUNKNOWNCOMMAND
    ('npm error code ENOGIT',
     'command_not_found', 'npm error code ENOGIT'),
    ('npm ERR! No git binary found in $PATH',
     'command_not_found', 'npm ERR! No git binary found in $PATH'),
    ('npm error An unknown git error occurred',
     'clone_failed', 'npm error An unknown git error occurred'),
    ('npm error command git --no-replace-objects ls-remote ssh://git@github.com/example-org/shared-ui.git',
     'clone_failed', 'npm error command git --no-replace-objects ls-remote <URL>'),
    ('npm error code EBADDEVENGINES',
     'node_version_mismatch', 'npm error code EBADDEVENGINES'),
    ('npm error EBADDEVENGINES The developer of this package has specified the following through devEngines',
     'node_version_mismatch', 'npm error EBADDEVENGINES The developer of this package has specified the following through devEngines'),
    ('npm error EBADDEVENGINES Invalid semver version "^22.0.0" does not match "20.18.1" for "runtime"',
     'node_version_mismatch', 'npm error EBADDEVENGINES Invalid semver version "<RANGE>" does not match "<VERSION>" for "runtime"'),
    ('npm error EBADDEVENGINES Invalid version "10.9.0" does not match "11.1.0" for "packageManager"',
     'node_version_mismatch', 'npm error EBADDEVENGINES Invalid version "<RANGE>" does not match "<VERSION>" for "packageManager"'),
    ('Unknown command: "biuld"',
     'command_not_found', 'Unknown command: "<COMMAND>"'),
    # pnpm: a project's script verdict in a recursive/filtered run, the collapsed-output status line, ERR_PNPM_* codes
    ('apps/storefront build: Failed',
     'build_command_failed', '<PACKAGE> build: Failed'),
    ('10:04:12.512 packages/design-system build:lib: Failed',
     'build_command_failed', '<PACKAGE> build:lib: Failed'),
    ('. build: Failed',
     'build_command_failed', '<PACKAGE> build: Failed'),
    ('.../packages/shared-utils compile: Failed',
     'build_command_failed', '<PACKAGE> compile: Failed'),
    ('web build: Failed',
     'build_command_failed', '<PACKAGE> build: Failed'),
    ('packages/config lint: Failed',
     'lint_error', '<PACKAGE> lint: Failed'),
    ('apps/admin lint:css: Failed',
     'lint_error', '<PACKAGE> lint:css: Failed'),
    ('packages/api typecheck: Failed',
     'typescript_error', '<PACKAGE> typecheck: Failed'),
    ('apps/admin check-types: Failed',
     'typescript_error', '<PACKAGE> check-types: Failed'),
    ('. postinstall: Failed',
     'dependency_install_failed', '<PACKAGE> postinstall: Failed'),
    ('packages/native prepare: Failed',
     'dependency_install_failed', '<PACKAGE> prepare: Failed'),
    ('apps/docs deploy: Failed',
     'deploy_command_failed', '<PACKAGE> deploy: Failed'),
    ('apps/storefront test: Failed',
     'build_command_failed', '<PACKAGE> test: Failed'),
    ('└─ Failed in 4.7s at /home/runner/work/shop/shop/apps/storefront',
     'build_command_failed', '└─ Failed in <DURATION> at <PATH>'),
    (' ERR_PNPM_RECURSIVE_RUN_NO_SCRIPT  None of the selected packages has a "build:prod" script',
     'build_command_failed', 'ERR_PNPM_RECURSIVE_RUN_NO_SCRIPT  None of the selected packages has a "<SCRIPT>" script'),
    (' ERR_PNPM_GIT_FETCHER_GIT_NOT_FOUND  Cannot fetch "git+https://github.com/example-org/shared-ui.git" because git is not installed',
     'command_not_found', 'ERR_PNPM_GIT_FETCHER_GIT_NOT_FOUND  Cannot fetch "<URL>" because git is not installed'),
    (' ERR_PNPM_FORBIDDEN  You do not have permission to publish this package. 403 Forbidden',
     'auth_error', 'ERR_PNPM_FORBIDDEN  You do not have permission to publish this package. 403 Forbidden'),
    (' ERR_PNPM_PNPMFILE_NOT_FOUND  pnpmfile at "/srv/site/.pnpmfile.cjs" is not found',
     'missing_file', 'ERR_PNPM_PNPMFILE_NOT_FOUND  pnpmfile at "<PATH>" is not found'),
    (' ERR_PNPM_NODEJS_VERSION_NOT_FOUND  Could not find a Node.js version that satisfies 23.99.0',
     'node_version_mismatch', 'ERR_PNPM_NODEJS_VERSION_NOT_FOUND  Could not find a Node.js version that satisfies <RANGE>'),
    (' ERR_PNPM_INVALID_NODE_VERSION  The nodeVersion setting is "lts", which is not exact semver version',
     'node_version_mismatch', 'ERR_PNPM_INVALID_NODE_VERSION  The nodeVersion setting is "<VERSION>", which is not exact semver version'),
    # Yarn classic (src/reporters/lang/en.js)
    ('error fsevents@2.3.3: The platform "linux" is incompatible with this module.',
     'dependency_install_failed', 'error <PACKAGE>@<VERSION>: The platform "linux" is incompatible with this module.'),
    ('error @img/sharp-darwin-arm64@0.33.5: The CPU architecture "x64" is incompatible with this module.',
     'dependency_install_failed', 'error <PACKAGE>@<VERSION>: The CPU architecture "x64" is incompatible with this module.'),
    ('error Commands cannot run with an incompatible environment.',
     'dependency_install_failed', 'error Commands cannot run with an incompatible environment.'),
    ('error Error parsing JSON at "/srv/site/package.json", "Unexpected token } in JSON at position 311".',
     'dependency_install_failed', 'error Error parsing JSON at "<PATH>", "<CAUSE>".'),
    ('error Cannot create "/usr/local/share/.config/yarn/global" due to insufficient permissions.',
     'dependency_install_failed', 'error Cannot create "<PATH>" due to insufficient permissions.'),
    ('error Could not write file "/srv/site/yarn-error.log": "EROFS: read-only file system, open \'/srv/site/yarn-error.log\'"',
     'dependency_install_failed', 'error Could not write file "<PATH>": <CAUSE>'),
    ('error Unable to read /srv/site/node_modules/left-pad/lib directory of module "left-pad"',
     'dependency_install_failed', 'error Unable to read <PATH> directory of module "<MODULE>"'),
    ('error Error connecting to repository. Please, check the url.',
     'clone_failed', 'error Error connecting to repository. Please, check the url.'),
    # Yarn berry: a missing script, YN0045, Plug'n'Play resolution errors
    ('Usage Error: Couldn\'t find a script named "generate".',
     'build_command_failed', 'Usage Error: Couldn\'t find a script named "<SCRIPT>".'),
    ('➤ YN0045: │ Stack overflow while resolving the dependency tree',
     'dependency_install_failed', '➤ YN0045: │ Stack overflow while resolving the dependency tree'),
    ("Error: Your application tried to access zod, but it isn't declared in your dependencies; this makes the require call ambiguous and unsound.",
     'module_not_found', "Error: Your application tried to access <PACKAGE>, but it isn't declared in your dependencies; this makes the require call ambiguous and unsound."),
    ("Error: @shop/api tried to access express, but it isn't declared in its dependencies; this makes the require call ambiguous and unsound.",
     'module_not_found', "Error: <PACKAGE> tried to access <PACKAGE>, but it isn't declared in its dependencies; this makes the require call ambiguous and unsound."),
    ("Error: @shop/ui tried to access react (a peer dependency) but it isn't provided by its ancestors; this makes the require call ambiguous and unsound.",
     'module_not_found', "Error: <PACKAGE> tried to access <PACKAGE> (a peer dependency) but it isn't provided by its ancestors; this makes the require call ambiguous and unsound."),
    ('Error: Qualified path resolution failed: we looked for the following paths, but none could be accessed.',
     'module_not_found', 'Error: Qualified path resolution failed: we looked for the following paths, but none could be accessed.'),
    # Corepack (sources/specUtils.ts): another package manager than the one package.json declares
    ('UsageError: This project is configured to use yarn because /srv/site/package.json has a "packageManager" field',
     'dependency_install_failed', 'UsageError: This project is configured to use yarn because <PATH> has a "packageManager" field'),
    ('This project is configured to use npm because /srv/site/apps/admin/package.json has a "packageManager" field',
     'dependency_install_failed', 'This project is configured to use npm because <PATH> has a "packageManager" field'),
    # bun install: a package folder it cannot open in its cache
    ('ENOENT: failed opening cache/package/version dir for package @shop/shared',
     'dependency_install_failed', 'ENOENT: failed opening <PATH> dir for package <PACKAGE>'),
    ('EPERM: failed opening cache/package/version dir for package typescript',
     'dependency_install_failed', 'EPERM: failed opening <PATH> dir for package <PACKAGE>'),
    ('FileNotFound: failed opening cache/package/version dir for package local-plugin',
     'dependency_install_failed', 'FileNotFound: failed opening <PATH> dir for package <PACKAGE>'),

]


@pytest.mark.parametrize(("line", "category", "group"), CASES, ids=[c[0].strip()[:48] for c in CASES])
def test_catalogue_node_line(line: str, category: str, group: str) -> None:
    assert primary_code_and_group(line) == (category, group)


# Progress, success, notice, warning and deprecation lines of the same tools, and lines that say "failed" or "error"
# without being a failure: none is an error.
NOT_ERRORS = [
    'apps/storefront build: Done',
    'apps/storefront build$ vite build --mode production',
    'apps/storefront build: vite v5.4.2 building for production...',
    'apps/storefront build: ✓ 412 modules transformed.',
    '└─ Done in 12.4s',
    'Scope: 4 of 5 workspace projects',
    'Test suite: Failed',
    'Tests: Failed',
    ' WARN  Issues with peer dependencies found',
    ' WARN  GET https://registry.npmjs.org/left-pad error (ECONNRESET). Will retry in 10 seconds. 2 retries left.',
    '│   Ignored build scripts: esbuild, sharp.                                  │',
    '│   Run "pnpm approve-builds" to pick which dependencies should be allowed  │',
    'info fsevents@2.3.3: The platform "linux" is incompatible with this module.',
    'info "fsevents@2.3.3" is an optional dependency and failed compatibility check. Excluding it from installation.',
    'info There appears to be trouble with your network connection. Retrying...',
    'info There appears to be trouble with the npm registry (returned 502). Retrying...',
    'warning Resolution field "lodash@4.17.21" is incompatible with requested version "lodash@^3.10.0"',
    'warning Error running install script for optional dependency: "/srv/site/node_modules/fsevents: Command failed."',
    'info This module is OPTIONAL, you can safely ignore this error',
    '➤ YN0004: │ esbuild@npm:0.21.5 lists build scripts, but its build has been explicitly disabled through configuration.',
    '➤ YN0007: │ esbuild@npm:0.21.5 must be built because it never has been before or the last one failed',
    '➤ YN0032: │ fsevents@npm:2.3.3: Implicit dependencies on node-gyp are discouraged',
    '➤ YN0061: │ request@npm:2.88.2 is deprecated: request has been deprecated, see https://github.com/request/request/issues/3142',
    '➤ YN0062: │ fsevents@npm:2.3.3 The platform linux is incompatible with this module, link skipped.',
    '➤ YN0076: │ @esbuild/darwin-arm64@npm:0.21.5: The x64 architecture is incompatible with this package, link skipped.',
    '➤ YN0000: · Done with warnings in 8s 211ms',
    'npm warn EBADDEVENGINES The developer of this package has specified the following through devEngines',
    'npm warn EBADENGINE Unsupported engine {',
    'npm warn deprecated glob@7.2.3: Glob versions prior to v9 are no longer supported',
    'npm notice New major version of npm available! 10.9.2 -> 11.0.0',
    'npm warn config production Use `--omit=dev` instead.',
    '(node:4242) [DEP0040] DeprecationWarning: The `punycode` module is deprecated. Please use a userland alternative instead.',
    '(node:4242) ExperimentalWarning: Importing JSON modules is an experimental feature and might change at any time',
    '(node:4242) Warning: To load an ES module, set "type": "module" in the package.json or use the .mjs extension.',
    '(Use `node --trace-warnings ...` to show where the warning was created)',
    'Node.js v22.11.0',
    'warn: Duplicate dependency "react" specified in package.json',
    'Saved lockfile',
    'bun install v1.1.38 (bf2f153f)',
    'Resolved, downloaded and extracted [412]',
    "! The local project doesn't define a 'packageManager' field. Corepack will now add one referencing pnpm@9.15.0.",
    'const at = items.at(-1) ?? fallback;',
]


@pytest.mark.parametrize("line", NOT_ERRORS, ids=[n.strip()[:48] for n in NOT_ERRORS])
def test_catalogue_node_progress_is_not_an_error(line: str) -> None:
    assert diagnose(line, default_rules()).primary is None


# A summary line (pnpm's per-project verdict, its collapsed-output status, an unhandled rejection's code, Yarn's
# incompatible-environment summary) never outranks the error printed before it.
SUMMARY_BELOW_CAUSE = [
    ("apps/storefront build$ vite build\n"
     "apps/storefront build: Error: Cannot find module 'left-pad'\n"
     "apps/storefront build: Failed\n"
     " ELIFECYCLE  Command failed with exit code 1.", "module_not_found"),
    ("packages/api typecheck$ tsc --noEmit\n"
     "packages/api typecheck: src/server.ts(4,7): error TS2322: Type 'string' is not assignable to type 'number'.\n"
     "packages/api typecheck: Failed", "typescript_error"),
    ("apps/admin build$ node scripts/build.mjs\n"
     "│ ReferenceError: crypto is not defined\n"
     "└─ Failed in 1.2s at /home/runner/work/shop/shop/apps/admin", "node_version_mismatch"),
    ("Error: Missing SITE_URL\n"
     "    at main (/srv/site/scripts/gen.mjs:4:9)\n"
     "  code: 'ERR_UNHANDLED_REJECTION'", "build_command_failed"),
    ('error @shop/web@1.0.0: The engine "node" is incompatible with this module. Expected version ">=20". Got "18.20.4"\n'
     "error Commands cannot run with an incompatible environment.", "node_version_mismatch"),
]


@pytest.mark.parametrize(("text", "category"), SUMMARY_BELOW_CAUSE, ids=[t[0].splitlines()[-1][:48] for t in SUMMARY_BELOW_CAUSE])
def test_summary_lines_stay_below_the_cause(text: str, category: str) -> None:
    primary = diagnose(text, default_rules()).primary
    assert primary is not None
    assert primary.error_code == category
    assert primary.line_no != len(text.splitlines())  # the summary is the last line
