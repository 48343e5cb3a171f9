"""Type-checker formats from the tools' own message catalogues: TypeScript's diagnostics (microsoft/TypeScript
src/compiler/diagnosticMessages.json, tsc's plain, pretty, global and summary formats, tsc --build),
vue-tsc, svelte-check (its human and machine writers), astro check (@astrojs/check),
fork-ts-checker-webpack-plugin (its webpack and stats formatters), ts-node's TSError, tsup's dts build,
vite-plugin-checker's and @rollup/plugin-typescript's reports, the npm placeholder `tsc` and Next.js' type
check. Each line is written from the tool's template for this test with invented values (not copied from the
corpus) and diagnosed as a one-line log (or with the lines the tool prints around it), with its category and
error group; progress, warning, hint and clean-summary lines of the same tools are no error."""

from __future__ import annotations

import pytest

from bloqr_dagster.build_errors.detectors import default_rules, diagnose

from .helpers import primary_code_and_group, primary_line_and_code

CASES = [
    # tsc: `file(l,c): error TSxxxx`, the pretty `file:l:c - error TSxxxx`, the global `error TSxxxx`; the
    # summaries (TS6216/6217/6259/6260/6261/6194), tsc --build's `Errors  Files` table (TS6041) and its rows,
    # TS6305/6306/6310; a chained message's continuation line is not the primary
    ("src/utils/date.ts(14,9): error TS2322: Type 'Date' is not assignable to type 'string'.",
     'typescript_error', "<FILE>(<LINE>,<COL>): error TS2322: Type '<TYPE>' is not assignable to type '<TYPE>'."),
    ("src/utils/date.ts:14:9 - error TS2322: Type 'Date' is not assignable to type 'string'.",
     'typescript_error', "<FILE>:<LINE>:<COL> - error TS2322: Type '<TYPE>' is not assignable to type '<TYPE>'."),
    ("error TS5023: Unknown compiler option 'noUncheckedIndex'.",
     'typescript_error', "error TS5023: Unknown compiler option '<IDENTIFIER>'."),
    ('Found 4 errors in 2 files.',
     'typescript_error', 'Found <N> errors in <N> files.'),
    ('Found 1 error in src/main.ts:22',
     'typescript_error', 'Found <N> error in <FILE>:<LINE>'),
    ('Found 3 errors in the same file, starting at: src/routes/api.ts:41',
     'typescript_error', 'Found <N> errors in the same file, starting at: <FILE>:<LINE>'),
    ('Found 7 errors.',
     'typescript_error', 'Found <N> errors.'),
    ('Found 2 errors. Watching for file changes.',
     'typescript_error', 'Found <N> errors. Watching for file changes.'),
    ('Errors  Files',
     'typescript_error', 'Errors  Files'),
    ('     3  src/server/index.ts:17',
     'typescript_error', '<N>  <FILE>:<LINE>'),
    ('     1  src/pages/Home.vue:120',
     'typescript_error', '<N>  <FILE>:<LINE>'),
    ("error TS6305: Output file '/repo/packages/shared/dist/index.d.ts' has not been built from source file "
     "'/repo/packages/shared/src/index.ts'.",
     'typescript_error', "error TS6305: Output file '<PATH>' has not been built from source file '<PATH>'."),
    ('error TS6306: Referenced project \'/repo/packages/shared\' must have setting "composite": true.',
     'typescript_error', 'error TS6306: Referenced project \'<PATH>\' must have setting "composite": true.'),
    ("error TS6310: Referenced project '/repo/packages/shared' may not disable emit.",
     'typescript_error', "error TS6310: Referenced project '<PATH>' may not disable emit."),
    ("src/api/client.ts:8:3 - error TS2345: Argument of type 'string | undefined' is not assignable to "
     "parameter of type 'string'.\n  Type 'undefined' is not assignable to type 'string'.",
     'typescript_error',
     "<FILE>:<LINE>:<COL> - error TS2345: Argument of type '<TYPE>' is not assignable to parameter of type "
     "'<TYPE>'."),
    # resolution failures: TS2307 and its variants TS2792/TS2732 are module_not_found; TS2305/TS2724/TS2614
    # (the module resolved, the member is missing), TS2688 and TS2875 are typescript_error (TAXONOMY: TSxxxx
    # other than 2307)
    ("src/app.ts:2:22 - error TS2307: Cannot find module '@acme/ui' or its corresponding type declarations.",
     'module_not_found',
     "<FILE>:<LINE>:<COL> - error TS2307: Cannot find module '<MODULE>' or its corresponding type "
     'declarations.'),
    ("src/app.ts(2,22): error TS2792: Cannot find module 'lodash-es'. Did you mean to set the "
     "'moduleResolution' option to 'nodenext', or to add aliases to the 'paths' option?",
     'module_not_found',
     "<FILE>(<LINE>,<COL>): error TS2792: Cannot find module '<MODULE>'. Did you mean to set the "
     "'moduleResolution' option to 'nodenext', or to add aliases to the 'paths' option?"),
    ("src/config.ts:1:20 - error TS2732: Cannot find module './settings.json'. Consider using "
     "'--resolveJsonModule' to import module with '.json' extension.",
     'module_not_found', "<FILE>:<LINE>:<COL> - error TS2732: Cannot find module '<MODULE>'. Consider using "
     "'--resolveJsonModule' to import module with '.json' extension."),
    ('src/app.ts:1:10 - error TS2305: Module \'"./store"\' has no exported member \'useStore\'.',
     'typescript_error',
     "<FILE>:<LINE>:<COL> - error TS2305: Module '<MODULE>' has no exported member '<IDENTIFIER>'."),
    ('src/app.ts:1:10 - error TS2724: \'"vue"\' has no exported member named \'definModel\'. Did you mean '
     "'defineModel'?",
     'typescript_error',
     "<FILE>:<LINE>:<COL> - error TS2724: '<MODULE>' has no exported member named '<IDENTIFIER>'. Did you "
     "mean '<IDENTIFIER>'?"),
    ('src/app.ts:1:8 - error TS2614: Module \'"./api"\' has no exported member \'fetchOrders\'. Did you mean '
     'to use \'import fetchOrders from "./api"\' instead?',
     'typescript_error',
     "<FILE>:<LINE>:<COL> - error TS2614: Module '<MODULE>' has no exported member '<IDENTIFIER>'. Did you "
     'mean to use \'import <IDENTIFIER> from "<MODULE>"\' instead?'),
    ("error TS2688: Cannot find type definition file for 'jest'.",
     'typescript_error', "error TS2688: Cannot find type definition file for '<MODULE>'."),
    ("src/main.tsx:5:3 - error TS2875: This JSX tag requires the module path 'preact/jsx-runtime' to exist, "
     'but none could be found. Make sure you have types for the appropriate package installed.',
     'typescript_error',
     "<FILE>:<LINE>:<COL> - error TS2875: This JSX tag requires the module path '<MODULE>' to exist, but "
     'none could be found. Make sure you have types for the appropriate package installed.'),
    # type errors from the catalogue
    ("src/list.ts:9:17 - error TS2551: Property 'lenght' does not exist on type 'string[]'. Did you mean "
     "'length'?",
     'typescript_error',
     "<FILE>:<LINE>:<COL> - error TS2551: Property '<IDENTIFIER>' does not exist on type '<TYPE>'. Did you "
     "mean '<IDENTIFIER>'?"),
    ("src/list.ts:3:1 - error TS2552: Cannot find name 'Reqest'. Did you mean 'Request'?",
     'typescript_error',
     "<FILE>:<LINE>:<COL> - error TS2552: Cannot find name '<IDENTIFIER>'. Did you mean '<IDENTIFIER>'?"),
    ("src/user.ts:21:12 - error TS18048: 'profile' is possibly 'undefined'.",
     'typescript_error', "<FILE>:<LINE>:<COL> - error TS18048: '<IDENTIFIER>' is possibly 'undefined'."),
    ("src/server.ts:1:21 - error TS7016: Could not find a declaration file for module 'cookie-parser'. "
     "'/app/node_modules/cookie-parser/index.js' implicitly has an 'any' type.",
     'typescript_error',
     "<FILE>:<LINE>:<COL> - error TS7016: Could not find a declaration file for module '<MODULE>'. '<PATH>' "
     "implicitly has an 'any' type."),
    ("src/handlers.ts(30,24): error TS7006: Parameter 'evt' implicitly has an 'any' type.",
     'typescript_error',
     "<FILE>(<LINE>,<COL>): error TS7006: Parameter '<IDENTIFIER>' implicitly has an 'any' type."),
    ("src/parse.ts:44:2 - error TS1005: ';' expected.",
     'typescript_error', "<FILE>:<LINE>:<COL> - error TS1005: ';' expected."),
    ('src/math.ts:7:10 - error TS2554: Expected 2 arguments, but got 1.',
     'typescript_error', '<FILE>:<LINE>:<COL> - error TS2554: Expected <N> arguments, but got <N>.'),
    ('src/index.ts:1:8 - error TS1259: Module \'"/app/node_modules/@types/express/index"\' can only be '
     "default-imported using the 'esModuleInterop' flag",
     'typescript_error',
     "<FILE>:<LINE>:<COL> - error TS1259: Module '<MODULE>' can only be default-imported using the "
     "'esModuleInterop' flag"),
    # tsconfig and command-line errors: a bad option is typescript_error, a file tsc cannot find or read is
    # missing_file
    ("tsconfig.json:9:5 - error TS5101: Option 'baseUrl' is deprecated and will stop functioning in TypeScript "
     '7.0. Specify compilerOption \'"ignoreDeprecations": "6.0"\' to silence this error.',
     'typescript_error',
     "<FILE>:<LINE>:<COL> - error TS5101: Option 'baseUrl' is deprecated and will stop functioning in "
     'TypeScript <NUM>. Specify compilerOption \'"ignoreDeprecations": "<VERSION>"\' to silence this error.'),
    ("error TS5110: Option 'module' must be set to 'NodeNext' when option 'moduleResolution' is set to "
     "'NodeNext'.",
     'typescript_error',
     "error TS5110: Option 'module' must be set to 'NodeNext' when option 'moduleResolution' is set to "
     "'NodeNext'."),
    ("tsconfig.json:4:15 - error TS6046: Argument for '--target' option must be: 'es5', 'es6', 'es2015', "
     "'esnext'.",
     'typescript_error',
     "<FILE>:<LINE>:<COL> - error TS6046: Argument for '--target' option must be: 'es5', 'es6', 'es2015', "
     "'esnext'."),
    ("error TS18003: No inputs were found in config file '/app/apps/api/tsconfig.json'. Specified 'include' "
     'paths were \'["src/**/*"]\' and \'exclude\' paths were \'["dist"]\'.',
     'typescript_error',
     "error TS18003: No inputs were found in config file '<PATH>'. Specified 'include' paths were '<PATH>' "
     "and 'exclude' paths were '<PATH>'."),
    ("error TS6059: File '/app/scripts/seed.ts' is not under 'rootDir' '/app/src'. 'rootDir' is expected to "
     'contain all source files.',
     'typescript_error',
     "error TS6059: File '<PATH>' is not under 'rootDir' '<PATH>'. 'rootDir' is expected to contain all "
     'source files.'),
    ("error TS5055: Cannot write file '/app/lib/index.d.ts' because it would overwrite input file.",
     'typescript_error', "error TS5055: Cannot write file '<PATH>' because it would overwrite input file."),
    ("error TS6053: File '/opt/build/repo/.svelte-kit/tsconfig.json' not found.",
     'missing_file', "error TS6053: File '<PATH>' not found."),
    ("tsconfig.json:2:14 - error TS6053: File '@tsconfig/node22/tsconfig.json' not found.",
     'missing_file', "<FILE>:<LINE>:<COL> - error TS6053: File '<PATH>' not found."),
    ("error TS5057: Cannot find a tsconfig.json file at the specified directory: './apps/web'.",
     'missing_file', "error TS5057: Cannot find a tsconfig.json file at the specified directory: '<PATH>'."),
    ("error TS5058: The specified path does not exist: 'tsconfig.prod.json'.",
     'missing_file', "error TS5058: The specified path does not exist: '<PATH>'."),
    ("error TS5083: Cannot read file '/app/tsconfig.base.json'.",
     'missing_file', "error TS5083: Cannot read file '<PATH>'."),
    ("error TS6231: Could not resolve the path 'src/cli' with the extensions: '.ts', '.tsx', '.d.ts', '.cts', "
     "'.d.cts', '.mts', '.d.mts'.",
     'missing_file', "error TS6231: Could not resolve the path '<PATH>' with the extensions: <LIST>."),
    # vue-tsc (and `nuxi typecheck`, which runs it); @volar/typescript's `Search string not found`
    # (unsupported TypeScript)
    ("src/components/TodoList.vue:42:11 - error TS2345: Argument of type 'number' is not assignable to "
     "parameter of type 'string'.",
     'typescript_error',
     "<FILE>:<LINE>:<COL> - error TS2345: Argument of type '<TYPE>' is not assignable to parameter of type "
     "'<TYPE>'."),
    ("src/App.vue(8,24): error TS2307: Cannot find module './components/Sidebar.vue' or its corresponding type "
     'declarations.',
     'module_not_found',
     "<FILE>(<LINE>,<COL>): error TS2307: Cannot find module '<MODULE>' or its corresponding type "
     'declarations.'),
    ("components/AppHeader.vue:15:7 - error TS2339: Property 'title' does not exist on type '{ $: "
     "ComponentInternalInstance; }'.",
     'typescript_error',
     "<FILE>:<LINE>:<COL> - error TS2339: Property '<IDENTIFIER>' does not exist on type '<TYPE>'."),
    ('Error: Search string not found: "/supportedTSExtensions = .*(?=;)/"',
     'typescript_error', 'Error: Search string not found: "<PATTERN>"'),
    ("/app/node_modules/vue-tsc/index.js:23\n            throw new Error('Search string not found: "
     '"/supportedTSExtensions = .*(?=;)/"\');',
     'typescript_error', 'throw new Error(\'Search string not found: "<PATTERN>"\');'),
    # svelte-check (packages/svelte-check/src/writers.ts): human output under its `file:l:c` line, machine
    # output
    ("/app/src/routes/+page.svelte:14:9\nError: Type 'number' is not assignable to type 'string'. (ts)",
     'typescript_error', "Error: Type '<TYPE>' is not assignable to type '<TYPE>'. (ts)"),
    ("/app/src/routes/+page.ts:1:22\nError: Cannot find module '$lib/server/db' or its corresponding type "
     'declarations. (ts)',
     'module_not_found', "Error: Cannot find module '<MODULE>' or its corresponding type declarations. (ts)"),
    ("/app/src/lib/Counter.svelte:6:5\nError: 'count' is not defined (svelte)",
     'typescript_error', "Error: '<IDENTIFIER>' is not defined (svelte)"),
    ('/app/src/app.css:3:1\nError: Unknown at rule @tailwind (css)',
     'typescript_error', 'Error: Unknown at rule @tailwind (css)'),
    ('1712345678901 ERROR "src/routes/+page.svelte" 4:9 "Type \'string\' is not assignable to type \'number\'."',
     'typescript_error',
     '<N> ERROR "<FILE>" <LINE>:<COL> "Type \'<TYPE>\' is not assignable to type \'<TYPE>\'."'),
    ('1712345678901 ERROR "src/routes/+layout.ts" 1:23 "Cannot find module \'./$types\' or its corresponding '
     'type declarations."',
     'module_not_found',
     '<N> ERROR "<FILE>" <LINE>:<COL> "Cannot find module \'<MODULE>\' or its corresponding type '
     'declarations."'),
    ('1712345678901 COMPLETED 64 FILES 5 ERRORS 0 WARNINGS 3 FILES_WITH_PROBLEMS',
     'typescript_error', '<N> COMPLETED <N> FILES <N> ERRORS <N> WARNINGS <N> FILES_WITH_PROBLEMS'),
    ('1712345678901 FAILURE "Cannot find tsconfig or jsconfig"',
     'typescript_error', '<N> FAILURE "Cannot find tsconfig or jsconfig"'),
    ('svelte-check found 3 errors and 1 warning in 2 files',
     'typescript_error', 'svelte-check found <N> errors and <N> warning in <N> files'),
    ('svelte-check failed',
     'typescript_error', 'svelte-check failed'),
    # astro check (@astrojs/check over @volar/kit): the code in `error ts(2322)` is kept
    ("src/pages/blog/[slug].astro:12:5 - error ts(2322): Type 'string' is not assignable to type 'Date'.",
     'typescript_error',
     "<FILE>:<LINE>:<COL> - error ts(2322): Type '<TYPE>' is not assignable to type '<TYPE>'."),
    ("src/components/Header.astro:2:20 - error ts(2307): Cannot find module '../data/nav' or its corresponding "
     'type declarations.',
     'module_not_found',
     "<FILE>:<LINE>:<COL> - error ts(2307): Cannot find module '<MODULE>' or its corresponding type "
     'declarations.'),
    ('Result (37 files): \n- 2 errors\n- 0 warnings\n- 1 hint',
     'typescript_error', '- <N> errors'),
    ('The `@astrojs/check` and `typescript` packages are required for this command to work. Please manually '
     'install them into your project and try again.',
     'module_not_found',
     'The `@astrojs/check` and `typescript` packages are required for this command to work. Please manually '
     'install them into your project and try again.'),
    # fork-ts-checker-webpack-plugin: the issue under `ERROR in`, the stats summary, the service's out-of-
    # memory abort
    ("ERROR in src/index.ts:12:5\nTS2322: Type 'number' is not assignable to type 'string'.",
     'typescript_error', "TS2322: Type '<TYPE>' is not assignable to type '<TYPE>'."),
    ("ERROR in /app/src/api.ts(3,1):\nTS2307: Cannot find module 'axios' or its corresponding type "
     'declarations.',
     'module_not_found', "TS2307: Cannot find module '<MODULE>' or its corresponding type declarations."),
    ('Found 3 errors and 2 warnings in 2418 ms.',
     'typescript_error', 'Found <N> errors and <N> warnings in <N> ms.'),
    ('Found 1 error in 950 ms.',
     'typescript_error', 'Found <N> error in <N> ms.'),
    ('Issues checking service aborted - probably out of memory. Check the `memoryLimit` option in the '
     'ForkTsCheckerWebpackPlugin configuration.',
     'out_of_memory',
     'Issues checking service aborted - probably out of memory. Check the `memoryLimit` option in the '
     'ForkTsCheckerWebpackPlugin configuration.'),
    # ts-node's TSError
    ('TSError: ⨯ Unable to compile TypeScript:',
     'typescript_error', 'TSError: ⨯ Unable to compile TypeScript:'),
    ("TSError: ⨯ Unable to compile TypeScript:\nscripts/migrate.ts(5,7): error TS2322: Type 'string' is not "
     "assignable to type 'number'.",
     'typescript_error', "<FILE>(<LINE>,<COL>): error TS2322: Type '<TYPE>' is not assignable to type '<TYPE>'."),
    # tsup's declaration build; vite-plugin-checker's TypeScript summary; `npx tsc` without TypeScript installed
    ('DTS Build error',
     'typescript_error', 'DTS Build error'),
    ('Error: error occurred in dts build',
     'typescript_error', 'Error: error occurred in dts build'),
    ('DTS You need to install "typescript" in your project',
     'module_not_found', 'DTS You need to install "typescript" in your project'),
    ('[TypeScript] Found 3 error(s)',
     'typescript_error', '[TypeScript] Found <N> error(s)'),
    ('                This is not the tsc command you are looking for',
     'command_not_found', 'This is not the tsc command you are looking for'),
    ("[!] (plugin typescript) RollupError: @rollup/plugin-typescript TS2307: Cannot find module './utils' or its "
     "corresponding type declarations.",
     'module_not_found', "[!] (plugin typescript) RollupError: @rollup/plugin-typescript TS2307: Cannot find module "
     "'<MODULE>' or its corresponding type declarations."),
    # Next.js: the type check's `Type error:` and verdict, TypeScript packages missing
    ("./app/blog/[slug]/page.tsx:14:3\nType error: Type '{ params: { slug: string; }; }' does not satisfy the "
     "constraint 'PageProps'.",
     'typescript_error', "Type error: Type '<TYPE>' does not satisfy the constraint 'PageProps'."),
    ('Failed to type check.',
     'typescript_error', 'Failed to type check.'),
    ("Type error: Cannot find module '@/components/ui/button' or its corresponding type declarations.",
     'module_not_found', "Type error: Cannot find module '<MODULE>' or its corresponding type declarations."),
    ("It looks like you're trying to use TypeScript but do not have the required package(s) installed.",
     'module_not_found',
     "It looks like you're trying to use TypeScript but do not have the required package(s) installed."),
]


# Progress, info, warnings, hints and clean summaries of the same tools: not errors.
NOT_ERRORS = [
    'Found 0 errors. Watching for file changes.',
    '[10:42:13 AM] Found 0 errors. Watching for file changes.',
    '[10:42:10 AM] Starting compilation in watch mode...',
    '[10:42:10 AM] File change detected. Starting incremental compilation...',
    'message TS6032: File change detected. Starting incremental compilation...',
    'Version 5.6.3',
    '[10:42:10 AM] Projects in this build: ',
    "[10:42:10 AM] Project 'tsconfig.json' is out of date because output 'dist/index.js' is older than input "
    "'src/index.ts'",
    "[10:42:10 AM] Building project '/app/packages/core/tsconfig.json'...",
    "src/pages/index.astro:3:8 - warning ts(6133): 'Card' is declared but its value is never read.",
    "src/pages/index.astro:9:14 - hint ts(6385): 'substr' is deprecated.",
    "src/pages/index.astro:3:8 - hint ts(6133): 'Card' is declared but its value is never read.",
    'src/layouts/Base.astro:20:3 - warning astro(4000): This script will be treated as if it has the '
    '`is:inline` directive because it contains an attribute.',
    'Result (42 files): \n- 0 errors\n- 2 warnings\n- 5 hints',
    'svelte-check found 0 errors and 3 warnings in 2 files',
    'svelte-check found 0 errors and 0 warnings',
    '/app/src/lib/Nav.svelte:8:3\nWarn: Unused CSS selector "button.active" (svelte)',
    'Loading svelte-check in workspace: /app',
    'Getting Svelte diagnostics...',
    '1712345678901 START "/app"',
    '1712345678901 WARNING "src/lib/Nav.svelte" 3:1 "A11y: <a> element should have an href attribute"',
    '1712345678901 COMPLETED 48 FILES 0 ERRORS 2 WARNINGS 1 FILES_WITH_PROBLEMS',
    'Type-checking in progress...',
    'No typescript errors found.',
    'Found 2 warnings in 1312 ms.',
    '   Linting and checking validity of types ...',
    ' ✓ Linting and checking validity of types',
    '   Skipping validation of types',
    "(!) [plugin typescript] src/a.ts (3:7): @rollup/plugin-typescript TS6133: 'x' is declared but its value is "
    "never read.",
    "(!) Plugin typescript: @rollup/plugin-typescript TS2307: Cannot find module './b' or its corresponding type "
    "declarations.",
    'DTS Build start',
    'DTS ⚡️ Build success in 1203ms',
    '[TypeScript] No errors',
    '> vue-tsc --noEmit && vite build',
    '> tsc -b && vite build',
    '> nuxi typecheck',
    '$ astro check && astro build',
]


def _case_id(text: str) -> str:
    return text.splitlines()[-1][:48]


@pytest.mark.parametrize(("text", "category", "group"), CASES, ids=[_case_id(c[0]) for c in CASES])
def test_a_type_checker_error_has_its_category_and_group(text: str, category: str, group: str) -> None:
    assert primary_code_and_group(text) == (category, group)


@pytest.mark.parametrize("text", NOT_ERRORS, ids=_case_id)
def test_a_type_checker_progress_or_warning_line_is_no_error(text: str) -> None:
    assert diagnose(text, default_rules()).primary is None, text


def test_a_chained_message_continuation_is_not_the_primary() -> None:
    lines = ["src/a.ts:3:7 - error TS2322: Type '{ id: string; }' is not assignable to type 'User'.",
             "  Property 'name' is missing in type '{ id: string; }' but required in type 'User'.",
             "",
             "Found 1 error in src/a.ts:3"]
    assert primary_line_and_code(lines) == (1, "typescript_error")


def test_the_diagnostics_rank_above_the_tools_summaries() -> None:
    ts_node = ["TSError: ⨯ Unable to compile TypeScript:",
               "src/db.ts(4,22): error TS2307: Cannot find module 'pg' or its corresponding type declarations."]
    assert primary_line_and_code(ts_node) == (2, "module_not_found")
    table = ["Found 2 errors in 2 files.", "", "Errors  Files", "     1  src/a.ts:3",
             "     1  src/b.ts:9", "src/c.ts(1,1): error TS1005: ';' expected."]
    assert primary_line_and_code(table) == (6, "typescript_error")
    tsup = ["src/index.ts(3,7): error TS2322: Type 'string' is not assignable to type 'number'.", "",
            "Error: error occurred in dts build", "    at Worker.<anonymous> (/app/node_modules/tsup/dist/index.js:1:2)"]
    assert primary_line_and_code(tsup) == (1, "typescript_error")


def test_a_fork_ts_checker_warning_header_is_no_error() -> None:
    assert diagnose("WARNING in src/a.ts:3:7", default_rules()).primary is None
