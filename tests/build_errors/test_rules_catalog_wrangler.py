"""wrangler's and esbuild's own message catalogues: wrangler's UserError/FatalError texts (cloudflare/workers-sdk
packages/wrangler/src, packages/deploy-helpers/src, packages/workers-utils/src: deploy, versions, Pages, D1, KV, R2,
the configuration parsers, core/handle-errors.ts), the Cloudflare API's error codes as wrangler prints them under
`A request to the Cloudflare API (...) failed.`, and esbuild's diagnostics (evanw/esbuild internal/js_parser,
js_lexer, bundler, resolver) in its current (`✘ [ERROR]`, `X [ERROR]`, `file:1:2: ERROR:`) and pre-0.14
(` > file:1:2: error:`) formats. Each line is written for this test from the tool's message template with invented
values (none is copied from the corpus), diagnosed as a one-line log unless the case is about its context."""

from __future__ import annotations

import pytest

from bloqr_dagster.build_errors.detectors import default_rules, diagnose

from .helpers import primary_code_and_group

CASES = [
    # wrangler: the API could not be reached (core/handle-errors.ts)
    ("✘ [ERROR] Unable to resolve Cloudflare's API hostname (api.cloudflare.com or dash.cloudflare.com).",
     'network_error', "✘ [ERROR] Unable to resolve Cloudflare's API hostname (<HOST> or <HOST>)."),
    ("✘ [ERROR] The request to Cloudflare's API timed out.",
     'network_error', "✘ [ERROR] The request to Cloudflare's API timed out."),
    # wrangler: workerd could not load an import (validation of the upload, `wrangler dev`)
    ('Uncaught Error: No such module "node:crypto".',
     'module_not_found', 'Uncaught Error: No such module "<MODULE>".'),
    ('service core:user:shop-api: Uncaught Error: No such module "cloudflare:sockets".',
     'module_not_found', 'service core:user:<WORKER_NAME>: Uncaught Error: No such module "<MODULE>".'),
    # wrangler: deploy, versions and Pages messages (deployment-bundle/, deploy-helpers/, pages/)
    ('✘ [ERROR] A compatibility_date is required when publishing. Add the following to your wrangler.toml file:',
     'wrangler_error', '✘ [ERROR] A compatibility_date is required when publishing. Add the following to your wrangler.toml file:'),
    ('✘ [ERROR] A compatibility_date is required when uploading a Worker. Add the following to your wrangler.jsonc file:',
     'wrangler_error', '✘ [ERROR] A compatibility_date is required when uploading a Worker. Add the following to your wrangler.jsonc file:'),
    ("✘ [ERROR] It looks like you've run a Workers-specific command in a Pages project.",
     'wrangler_error', "✘ [ERROR] It looks like you've run a Workers-specific command in a Pages project."),
    ('✘ [ERROR] The --node-compat flag is no longer supported as of Wrangler v4. Instead, use the `nodejs_compat` compatibility flag.',
     'wrangler_error', '✘ [ERROR] The --node-compat flag is no longer supported as of Wrangler <VERSION>. Instead, use the `nodejs_compat` compatibility flag.'),
    ('✘ [ERROR] Workers Sites does not support uploading versions through `wrangler versions upload`. You must use `wrangler deploy` instead.',
     'wrangler_error', '✘ [ERROR] Workers Sites does not support uploading versions through `wrangler versions upload`. You must use `wrangler deploy` instead.'),
    ('✘ [ERROR] Cannot use assets and Workers Sites in the same Worker.',
     'wrangler_error', '✘ [ERROR] Cannot use assets and Workers Sites in the same Worker.'),
    ('✘ [ERROR] Pages does not support custom paths for the Wrangler configuration file',
     'wrangler_error', '✘ [ERROR] Pages does not support custom paths for the Wrangler configuration file'),
    ('✘ [ERROR] Pages does not support targeting an environment with the --env flag. Use the --branch flag to target your production or preview branch',
     'wrangler_error', '✘ [ERROR] Pages does not support targeting an environment with the --env flag. Use the --branch flag to target your production or preview branch'),
    ('✘ [ERROR] Missing Pages project name. Use --project-name <name> or set the name in your Wrangler configuration file.',
     'wrangler_error', '✘ [ERROR] Missing Pages project name. Use --project-name <name> or set the name in your Wrangler configuration file.'),
    ('✘ [ERROR] Must specify a directory of assets to deploy. Please specify the [<directory>] argument in the `pages deploy` command, or configure `pages_build_output_dir` in your wrangler.toml file.',
     'wrangler_error', '✘ [ERROR] Must specify a directory of assets to deploy. Please specify the [<directory>] argument in the `pages deploy` command, or configure `pages_build_output_dir` in your wrangler.toml file.'),
    ('✘ [ERROR] Failed to build Functions at ./functions.',
     'wrangler_error', '✘ [ERROR] Failed to build Functions at <PATH>.'),
    ('✘ [ERROR] _worker.js is not being bundled by Wrangler but it is importing from another file.',
     'wrangler_error', '✘ [ERROR] <FILE> is not being bundled by Wrangler but it is importing from another file.'),
    ('✘ [ERROR] Error: Pages only supports files up to 25 MiB in size',
     'wrangler_error', '✘ [ERROR] Error: Pages only supports files up to <N> MiB in size'),
    ('✘ [ERROR] No config file detected. This command requires a Wrangler configuration file.',
     'wrangler_error', '✘ [ERROR] No config file detected. This command requires a Wrangler configuration file.'),
    ('✘ [ERROR] You need to register a workers.dev subdomain before publishing to workers.dev',
     'wrangler_error', '✘ [ERROR] You need to register a <HOST> subdomain before publishing to <HOST>'),
    ('✘ [ERROR] Asset too large.',
     'wrangler_error', '✘ [ERROR] Asset too large.'),
    ('✘ [ERROR] Queue "email-jobs" does not exist. To create it, run: wrangler queues create email-jobs',
     'wrangler_error', '✘ [ERROR] Queue "<NAME>" does not exist. To create it, run: wrangler queues create <NAME>'),
    ('✘ [ERROR] The route with pattern "shop.example.com/*" is already associated with another worker called "legacy-shop".',
     'wrangler_error', '✘ [ERROR] The route with pattern "<URL>" is already associated with another worker called "<WORKER_NAME>".'),
    ('✘ [ERROR] The name in your wrangler.toml file (shop-api) must match the name of your Worker. Please update the name field in your wrangler.toml file.',
     'wrangler_error', '✘ [ERROR] The name in your wrangler.toml file (<WORKER_NAME>) must match the name of your Worker. Please update the name field in your wrangler.toml file.'),
    ('✘ [ERROR] Could not find zone for `shop.example.com`. Make sure the domain is set up to be proxied by Cloudflare.',
     'wrangler_error', '✘ [ERROR] Could not find zone for `<HOST>`. Make sure the domain is set up to be proxied by Cloudflare.'),
    ('✘ [ERROR] A Worker named "shop-api" already exists in your account. This deploy could not confirm that it should update that Worker, so it stopped instead of overwriting it.',
     'wrangler_error', '✘ [ERROR] A Worker named "<WORKER_NAME>" already exists in your account. This deploy could not confirm that it should update that Worker, so it stopped instead of overwriting it.'),
    ('✘ [ERROR] You cannot upload a new version of a Worker that does not yet exist. Please run the `deploy` command first.',
     'wrangler_error', '✘ [ERROR] You cannot upload a new version of a Worker that does not yet exist. Please run the `deploy` command first.'),
    ('✘ [ERROR] The following required secrets have not been set: STRIPE_KEY, SESSION_SECRET',
     'wrangler_error', '✘ [ERROR] The following required secrets have not been set: <NAMES>'),
    ("✘ [ERROR] You must use a real database in the database_id configuration. You can find your databases using 'wrangler d1 list'",
     'wrangler_error', "✘ [ERROR] You must use a real database in the database_id configuration. You can find your databases using 'wrangler d1 list'"),
    ('✘ [ERROR] The `nodejs_compat` and `nodejs_compat_v2` compatibility flags cannot be used in together. Please select just one.',
     'wrangler_error', '✘ [ERROR] The `nodejs_compat` and `nodejs_compat_v2` compatibility flags cannot be used in together. Please select just one.'),
    ('✘ [ERROR] You cannot configure [wasm_modules] with an ES module worker. Instead, import the .wasm module directly in your code',
     'wrangler_error', '✘ [ERROR] You cannot configure [wasm_modules] with an ES module worker. Instead, import the .wasm module directly in your code'),
    ('✘ [ERROR] D1 bindings must have a "database_id" field. Add a "database_id" field to the binding in your Worker configuration specifying the ID of the D1 database to bind to.',
     'wrangler_error', '✘ [ERROR] D1 bindings must have a "database_id" field. Add a "database_id" field to the binding in your Worker configuration specifying the ID of the D1 database to bind to.'),
    # the messages without wrangler's marker (a platform's log viewer drops it)
    ('Missing Pages project name. Use --project-name <name> or set the name in your Wrangler configuration file.',
     'wrangler_error', 'Missing Pages project name. Use --project-name <name> or set the name in your Wrangler configuration file.'),
    ('Queue "audit-log" does not exist. To create it, run: wrangler queues create audit-log',
     'wrangler_error', 'Queue "<NAME>" does not exist. To create it, run: wrangler queues create <NAME>'),
    # Pages: the deployment the platform reported failed, uploads that failed
    ('✘ [ERROR] Deployment failed!',
     'deploy_command_failed', '✘ [ERROR] Deployment failed!'),
    ('✘ [ERROR] Failed to complete asset upload. Please try again.',
     'deploy_command_failed', '✘ [ERROR] Failed to complete asset upload. Please try again.'),
    ('✘ [ERROR] Failed to upload files. Please try again. Error: {"success":false}',
     'deploy_command_failed', '✘ [ERROR] Failed to upload files. Please try again. Error: {"success":false}'),
    ('✘ [ERROR] An unexpected response has been received from the Cloudflare API for assets upload. Please try again.',
     'deploy_command_failed', '✘ [ERROR] An unexpected response has been received from the Cloudflare API for assets upload. Please try again.'),
    # D1, KV and R2 commands
    ("✘ [ERROR] Couldn't find a D1 DB with the name or binding 'DB' in your wrangler.toml file.",
     'wrangler_error', "✘ [ERROR] Couldn't find a D1 DB with the name or binding '<NAME>' in your wrangler.toml file."),
    ("✘ [ERROR] Couldn't find a D1 DB named 'prod-db' (bound as 'DB') in the API. Run 'wrangler d1 create prod-db' to create it.",
     'wrangler_error', "✘ [ERROR] Couldn't find a D1 DB named '<NAME>' (bound as '<NAME>') in the API. Run 'wrangler d1 create <NAME>' to create it."),
    ('✘ [ERROR] No configuration file found. Create a wrangler.jsonc file to define your D1 database.',
     'wrangler_error', '✘ [ERROR] No configuration file found. Create a wrangler.jsonc file to define your D1 database.'),
    ('✘ [ERROR] No migrations present at /home/runner/work/app/migrations.',
     'wrangler_error', '✘ [ERROR] No migrations present at <PATH>.'),
    ('✘ [ERROR] A database with that name already exists',
     'wrangler_error', '✘ [ERROR] A database with that name already exists'),
    ('✘ [ERROR] No KV namespace with binding "CACHE" was found in the "kv_namespaces" section of your wrangler config. Check the binding name is correct, or use `--namespace-id` instead.',
     'wrangler_error', '✘ [ERROR] No KV namespace with binding "<NAME>" was found in the "kv_namespaces" section of your wrangler config. Check the binding name is correct, or use `--namespace-id` instead.'),
    ('✘ [ERROR] No namespace ID is configured for binding "CACHE". Add an "id" to the "CACHE" entry in your config\'s "kv_namespaces" section, or use `--namespace-id` instead.',
     'wrangler_error', '✘ [ERROR] No namespace ID is configured for binding "<NAME>". Add an "id" to the "<NAME>" entry in your config\'s "kv_namespaces" section, or use `--namespace-id` instead.'),
    ('✘ [ERROR] No KV namespace named "sessions" was found in your account. Use `--namespace-id` or `--binding` instead, or run `wrangler kv namespace list` to see all available namespaces.',
     'wrangler_error', '✘ [ERROR] No KV namespace named "<NAME>" was found in your account. Use `--namespace-id` or `--binding` instead, or run `wrangler kv namespace list` to see all available namespaces.'),
    ('✘ [ERROR] The specified bucket does not exist.',
     'wrangler_error', '✘ [ERROR] The specified bucket does not exist.'),
    # configuration file parse errors (smol-toml, jsonc-parser) and command-line errors (yargs)
    ('✘ [ERROR] Invalid TOML document: incomplete key-value: cannot find end of key',
     'wrangler_error', '✘ [ERROR] Invalid TOML document: incomplete key-value: cannot find end of key'),
    ('✘ [ERROR] CommaExpected',
     'wrangler_error', '✘ [ERROR] CommaExpected'),
    ('✘ [ERROR] PropertyNameExpected',
     'wrangler_error', '✘ [ERROR] PropertyNameExpected'),
    ('✘ [ERROR] Missing required argument: project-name',
     'wrangler_error', '✘ [ERROR] Missing required argument: <ARGS>'),
    ('✘ [ERROR] Not enough non-option arguments: got 0, need at least 1',
     'wrangler_error', '✘ [ERROR] Not enough non-option arguments: got <N>, need at least <N>'),
    # items of `Processing wrangler.toml configuration:` (workers-utils config/validation.ts)
    ('    - "d1_databases" bindings must have unique "name" values; duplicate(s) found: "DB"',
     'wrangler_error', '- "d1_databases" bindings must have unique "name" values; duplicate(s) found: <NAMES>'),
    ('    - "r2_buckets[0].bucket_name"="My_Bucket" is invalid. Bucket names must begin and end with an alphanumeric character',
     'wrangler_error', '- "r2_buckets[<N>].bucket_name"="<NAME>" is invalid. Bucket names must begin and end with an alphanumeric character'),
    ('    - The field "kv_namespaces[0]" is a TOML date, which is not supported.',
     'wrangler_error', '- The field "kv_namespaces[<N>]" is a TOML date, which is not supported.'),
    # esbuild before 0.14: ` > file:line:col: error: message`
    (' > src/index.ts:3:10: error: Could not resolve "lodash" (mark it as external to exclude it from the bundle)',
     'module_not_found', '> <FILE>:<LINE>:<COL>: error: Could not resolve "<MODULE>" (mark it as external to exclude it from the bundle)'),
    (' > src/app.jsx:12:4: error: Unexpected "}"',
     'build_command_failed', '> <FILE>:<LINE>:<COL>: error: Unexpected "<TOKEN>"'),
    # esbuild's parser (js_parser, js_lexer): no tool running, so esbuild's
    ('✘ [ERROR] The JSX syntax extension is not currently enabled',
     'build_command_failed', '✘ [ERROR] The JSX syntax extension is not currently enabled'),
    ('✘ [ERROR] Top-level await is currently not supported with the "cjs" output format',
     'build_command_failed', '✘ [ERROR] Top-level await is currently not supported with the "cjs" output format'),
    ('✘ [ERROR] Cannot use "await" outside an async function',
     'build_command_failed', '✘ [ERROR] Cannot use "await" outside an async function'),
    ('src/index.ts:4:2: ERROR: Cannot use "yield" as an identifier here:',
     'build_command_failed', '<FILE>:<LINE>:<COL>: ERROR: Cannot use "yield" as an identifier here:'),
    ('✘ [ERROR] Cannot use "??" with "||" without parentheses',
     'build_command_failed', '✘ [ERROR] Cannot use "??" with "||" without parentheses'),
    ('✘ [ERROR] Syntax error "#"',
     'build_command_failed', '✘ [ERROR] Syntax error "#"'),
    ('✘ [ERROR] Expected "*/" to terminate multi-line comment',
     'build_command_failed', '✘ [ERROR] Expected "<TOKEN>" to terminate multi-line comment'),
    ('✘ [ERROR] Private name "#count" must be declared in an enclosing class',
     'build_command_failed', '✘ [ERROR] Private name "<IDENTIFIER>" must be declared in an enclosing class'),
    ('✘ [ERROR] Legacy octal escape sequences cannot be used in template literals',
     'build_command_failed', '✘ [ERROR] Legacy octal escape sequences cannot be used in template literals'),
    ('✘ [ERROR] JSON does not support trailing commas',
     'build_command_failed', '✘ [ERROR] JSON does not support trailing commas'),
    ('✘ [ERROR] Classes cannot contain more than one constructor',
     'build_command_failed', '✘ [ERROR] Classes cannot contain more than one constructor'),
    ('X [ERROR] Class constructor cannot be an async function',
     'build_command_failed', 'X [ERROR] Class constructor cannot be an async function'),
    # esbuild's bundler and options (not the source): a bundle-level error, wrangler's when no tool is named
    ('✘ [ERROR] Cannot read file "src/assets": is a directory',
     'wrangler_error', '✘ [ERROR] Cannot read file "<FILE>": is a directory'),
    ('✘ [ERROR] The entry point "src/index.ts" cannot be marked as external',
     'wrangler_error', '✘ [ERROR] The entry point "<FILE>" cannot be marked as external'),
    ('✘ [ERROR] Two output files share the same path but have different contents: dist/index.js',
     'wrangler_error', '✘ [ERROR] Two output files share the same path but have different contents: <FILE>'),
    ('✘ [ERROR] Cannot use both "outfile" and "outdir"',
     'wrangler_error', '✘ [ERROR] Cannot use both "outfile" and "outdir"'),
    ('✘ [ERROR] Must use "outdir" when there are multiple input files',
     'wrangler_error', '✘ [ERROR] Must use "outdir" when there are multiple input files'),
    ('✘ [ERROR] Splitting currently only works with the "esm" format',
     'wrangler_error', '✘ [ERROR] Splitting currently only works with the "esm" format'),

]

NEGATIVES = [
    # wrangler's progress, summaries and warnings
    '🪵  Logs were written to "/home/runner/.config/.wrangler/logs/wrangler-2025-06-01_10-00-00_123.log"',
    "▲ [WARNING] A fetch request failed, likely due to a connectivity issue.",
    "▲ [WARNING] Processing wrangler.toml configuration:",
    '    - Unexpected fields found in top-level field: "build_command"',
    "▲ [WARNING] The package \"node:async_hooks\" wasn't found on the file system but is built into node.",
    '  Your Worker may throw errors at runtime unless you enable the "nodejs_compat" compatibility flag. Refer to '
    "https://developers.cloudflare.com/workers/runtime-apis/nodejs/ for more details. Imported from:",
    "▲ [WARNING] The entrypoint src/index.ts has exports like an ES Module, but hasn't defined a default export like a "
    'module worker normally would. Building the worker using "service-worker" format...',
    "▲ [WARNING] You are using a compatibility date in the future (2099-01-01). Please use a date in the past.",
    "▲ [WARNING] The version of Wrangler you are using is now out-of-date.",
    "▲ [WARNING] Multiple environments are defined in the Wrangler configuration file, but no target environment was "
    "specified for the deploy command.",
    # the warnings' items of the same list (wrangler prints them under `▲ [WARNING] Processing ... configuration:`)
    '    - "unsafe" fields are experimental and may change or break at any time.',
    '    - "compatibility_date" field should use ISO-8601 accepted hyphens (-) rather than en-dashes (–) or em-dashes (—).',
    '    - The "delivery_delay" field in "queues.producers[0]" is deprecated and has no effect.',
    " ⛅️ wrangler 4.20.0",
    "Total Upload: 123.45 KiB / gzip: 30.12 KiB",
    "Worker Startup Time: 12 ms",
    "Uploaded shop-api (3.21 sec)",
    "Deployed shop-api triggers (0.50 sec)",
    "✨ Success! Uploaded 12 files (3 already uploaded) (1.20 sec)",
    "✨ Deployment complete! Take a peek over at https://abc123.shop.pages.dev",
    "✨ Compiled Worker successfully",
    "🌀 Executing on remote database prod-db (00000000-0000-0000-0000-000000000000):",
    "🚣 Executed 3 commands in 0.45ms",
    "✅ No migrations to apply!",
    "Your Worker has access to the following bindings:",
    "Current Version ID: 8f2a1c3e-1111-2222-3333-444455556666",
    "Retrying failed upload (attempt 2 of 5)",
    # esbuild's warnings (never errors), its output listing and summaries
    '▲ [WARNING] Comparison using the "===" operator here is always false [equals-negative-zero]',
    '▲ [WARNING] Import "default" will always be undefined because there is no matching export in "src/lib.ts" '
    "[import-is-undefined]",
    '▲ [WARNING] Duplicate key "name" in object literal [duplicate-object-key]',
    '▲ [WARNING] "import.meta" is not available in the configured target environment ("es2015") and will be empty '
    "[empty-import-meta]",
    ' > src/index.ts:5:0: warning: Comparison with -0 using the "===" operator will also match 0',
    "  dist/index.js  12.3kb",
    "⚡ Done in 45ms",
    "[watch] build finished, watching for changes...",
    "1 warning",
]


@pytest.mark.parametrize(("line", "category", "group"), CASES, ids=[c[0][:48] for c in CASES])
def test_catalog_format(line: str, category: str, group: str) -> None:
    assert primary_code_and_group(line) == (category, group)


@pytest.mark.parametrize("line", NEGATIVES, ids=[n[:48] for n in NEGATIVES])
def test_progress_and_warning_lines_are_not_errors(line: str) -> None:
    assert diagnose(line, default_rules()).primary is None


def _primary(log: str) -> tuple[int, str, str, str]:
    hit = diagnose(log, default_rules()).primary
    assert hit is not None, log
    return hit.line_no, hit.error_code, hit.error_group, hit.tool


JSX = "✘ [ERROR] The JSX syntax extension is not currently enabled"


@pytest.mark.parametrize(("echo", "category", "tool"), [
    ("$ npx wrangler deploy", "wrangler_error", "wrangler"),  # wrangler's bundle step: the taxonomy's wrangler_error
    ("$ npx vite build", "build_command_failed", "vite"),
    ("", "build_command_failed", "esbuild"),  # no tool running: esbuild's own diagnostic of the source
])
def test_an_esbuild_source_error_belongs_to_the_tool_running_it(echo: str, category: str, tool: str) -> None:
    log = f"{echo}\n{JSX}\n" if echo else f"{JSX}\n"
    assert _primary(log)[1:] == (category, "✘ [ERROR] The JSX syntax extension is not currently enabled", tool)


@pytest.mark.parametrize(("echo", "category", "tool"), [
    ("$ npx wrangler deploy", "wrangler_error", "wrangler"),
    ("$ npx esbuild src/index.ts --bundle --outdir=dist", "build_command_failed", "esbuild"),
])
def test_an_esbuild_bundle_error_belongs_to_the_tool_running_it(echo: str, category: str, tool: str) -> None:
    log = f"{echo}\n✘ [ERROR] Two output files share the same path but have different contents: dist/index.js\n"
    assert _primary(log)[1] == category
    assert _primary(log)[3] == tool


@pytest.mark.parametrize("echo", ["$ npx wrangler deploy", "$ npx vite build"])
def test_an_unresolved_import_is_module_not_found_whoever_bundles(echo: str) -> None:
    log = f'{echo}\n✘ [ERROR] Could not resolve "node:async_hooks"\n'
    assert _primary(log)[1:3] == ("module_not_found", '✘ [ERROR] Could not resolve "<MODULE>"')


def test_the_cause_after_an_api_failure_without_a_resource_decides_it() -> None:
    log = "✘ [ERROR] A request to the Cloudflare API failed.\n\n  Authentication error [code: 10000]\n"
    assert _primary(log)[:3] == (
        1, "auth_error", "✘ [ERROR] A request to the Cloudflare API failed. Authentication error [code: 10000]")


@pytest.mark.parametrize(("cause", "category"), [
    ("The current account is not authorized to use workers [code: 10015]", "auth_error"),
    ("Unknown X-Auth-Key or X-Auth-Email [code: 9103]", "auth_error"),
    ("Rate limited. Please wait and consider throttling your request speed [code: 10429]", "wrangler_error"),
    ("workers.api.error.service_not_found [code: 10090]", "wrangler_error"),
    ("This Worker does not exist on your account. [code: 10007]", "wrangler_error"),
])
def test_the_api_error_code_on_the_next_line_gives_the_category(cause: str, category: str) -> None:
    log = f"✘ [ERROR] A request to the Cloudflare API (/accounts/0a1b2c/workers/scripts/shop-api) failed.\n\n  {cause}\n"
    assert _primary(log)[1] == category


def test_a_startup_failure_that_cannot_load_a_module_is_module_not_found() -> None:
    log = ("✘ [ERROR] A request to the Cloudflare API (/accounts/0a1b2c/workers/scripts/shop-api) failed.\n\n"
           '  Uncaught Error: No such module "node:crypto".\n    imported from "index.js"\n   [code: 10021]\n')
    errors = diagnose(log, default_rules()).errors
    assert errors[0].error_code == "module_not_found"
    assert errors[0].error_group.endswith('failed. Uncaught Error: No such module "<MODULE>".')


def test_a_startup_exception_names_itself_in_the_api_failure_group() -> None:
    log = ("✘ [ERROR] A request to the Cloudflare API (/accounts/0a1b2c/workers/scripts/shop-api) failed.\n\n"
           "  Uncaught ReferenceError: window is not defined\n    at index.js:3:1\n   [code: 10021]\n")
    line_no, code, group, _ = _primary(log)
    assert (line_no, code) == (1, "wrangler_error")
    assert group.endswith("failed. Uncaught ReferenceError: window is not defined")


def test_pages_publish_step_still_wraps_a_missing_module() -> None:
    log = ('✘ [ERROR] Deployment failed!\n  Failed to publish your Function. Got error: Uncaught Error: No such module '
           '"node:buffer".\n')
    assert _primary(log)[1] == "deploy_command_failed"


def test_a_configuration_warning_before_the_error_is_not_the_primary() -> None:
    log = ('▲ [WARNING] Processing wrangler.toml configuration:\n\n    - Unexpected fields found in top-level field: '
           '"build"\n\n✘ [ERROR] Missing entry-point to Worker script or to assets directory\n')
    assert _primary(log)[:2] == (5, "wrangler_error")


def test_the_log_file_line_after_an_error_is_not_an_error() -> None:
    log = ('✘ [ERROR] The entry-point file at "src/index.ts" was not found.\n\n'
           '🪵  Logs were written to "/home/runner/.config/.wrangler/logs/wrangler-2025.log"\n')
    assert len(diagnose(log, default_rules()).errors) == 1
