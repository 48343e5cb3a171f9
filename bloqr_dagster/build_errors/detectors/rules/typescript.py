"""TypeScript type checking: tsc/vue-tsc `error TSxxxx`, Next.js `Type error:`, svelte-check, astro check,
fork-ts-checker-webpack-plugin, ts-node."""

from __future__ import annotations

from bloqr_dagster.build_errors.detectors.model import RANK_TOOL_SUMMARY, Detector
from bloqr_dagster.build_errors.detectors.rules._dsl import TS_LOCATION, mask, quoted_after, rule

TS_MASKS = (
    TS_LOCATION,
    # TS2724's `'"react"' has no exported member named 'x'`; TS2614's `Did you mean to use 'import x from "./a"'`
    mask(r"'\"[^\"']*\"'( has no (?:exported|default))", r"'<MODULE>'\1"),
    mask(r"(Did you mean to use )'import \S+ from \"[^\"]*\"'", lambda m: m.group(1) + "'import <IDENTIFIER> from \"<MODULE>\"'"),
    mask(r"(Did you mean |Unknown compiler option )'[^']*'", r"\1'<IDENTIFIER>'"),
    # tsconfig and CLI paths: TS6053/TS2306/TS6059 `File 'x'`, TS18003's include/exclude lists, TS6231, TS5057/TS5058
    mask(r"(\bFile |paths were |resolve the path |specified directory: |does not exist: )'[^']*'", r"\1'<PATH>'"),
    quoted_after("module|module path|type definition file for", "<MODULE>"),
    quoted_after(r"[Tt]ype|of type|to type", "<TYPE>", quote="'"),
    mask(r"(with the extensions: )'.*'", r"\1<LIST>"),
    quoted_after(r"name|named|Property|property|Parameter|member|[Vv]ariable|Identifier|[Nn]amespace|Binding element",
                 "<IDENTIFIER>", quote="'"),
    mask(r"'(?:[A-Za-z]:)?[./\\][^']*'( implicitly)", r"'<PATH>'\1"),
    mask(r"(Types of (?:property|parameters) )'[^']+'(?: and '[^']+')?",
         lambda m: m.group(1) + " and ".join(["'<IDENTIFIER>'"] * (2 if " and '" in m.group() else 1))),
)

# the sources @volar/kit names a diagnostic by (`error ts(2322)`, `warning astro(4000)`)
VOLAR_SOURCES = ("ts", "astro", "vue", "html", "css", "svelte")
VOLAR_SOURCE = r"(?:" + "|".join(VOLAR_SOURCES) + r")\(\d+\): "

DETECTOR = Detector("typescript", "tsc", (
    # Resolution failures from TypeScript's catalogue (src/compiler/diagnosticMessages.json): `Cannot find module`,
    # TS2307 and its variants TS2792 (moduleResolution) and TS2732 (a JSON module), as tsc, astro check
    # (`error ts(2307)`), svelte-check and bundler plugins print them, with or without the code. Every other
    # code is typescript_error (TAXONOMY), TS2688 `Cannot find type definition file` and TS2305/TS2724 `has no
    # exported member` included: the module resolved, the types or the API do not match.
    rule("tsc-module-not-found", "module_not_found",
         r"\berror TS(?:2307|2792|2732):|^Type error: Cannot find module|\bTS(?:2307|2792|2732)\b"
         r"|\bts\((?:2307|2792|2732)\)"
         r"|\bCannot find module '[^']*'(?: or its corresponding type declarations|\. Did you mean to set the"
         r" 'moduleResolution' option|\. Consider using '--resolveJsonModule')",
         "ts2307", "ts2792", "ts2732", "ts(2307", "ts(2792", "ts(2732", "cannot find module",
         priority=105, masks=TS_MASKS),
    # tsc's missing-file diagnostics: a tsconfig's `files`/`extends`/`references` entry (TS6053), a `-p` directory
    # or path (TS5057, TS5058, TS5081), an unreadable file (TS5012, TS5083), a CLI path (TS6231). TS18003 `No
    # inputs were found in config file` stays typescript_error: the config is there, its include matches nothing.
    rule("tsc-missing-file", "missing_file",
         r"\b(?:TS|ts\()(?:6053|5057|5058|5081|5083|5012|6231)\b",
         "ts6053", "ts5057", "ts5058", "ts5081", "ts5083", "ts5012", "ts6231",
         "ts(6053", "ts(5057", "ts(5058", "ts(5081", "ts(5083", "ts(5012", "ts(6231",
         priority=103, tool="tsc", masks=TS_MASKS),
    # @volar/kit's diagnostics (astro check, vue-tsc's language tools): `file:l:c - warning ts(6133): ...` and
    # `- hint ...` never fail the check (tsc's messages in them would otherwise match below)
    rule("volar-check-warning", "typescript_error", r"^\S{1,300}?:\d+:\d+ - (?:warning|hint) " + VOLAR_SOURCE,
         *(f"{sev} {src}(" for sev in ("warning", "hint") for src in VOLAR_SOURCES), priority=110, ignore=True),
    # Rollup's `(!)` warnings from @rollup/plugin-typescript (`(!) [plugin typescript] a.ts (3:7): ... TS6133: ...`,
    # Rollup 2's `(!) Plugin typescript: ...`): the build goes on; its errors come as `[!] (plugin typescript) ...`
    rule("rollup-typescript-warning", "typescript_error", r"^\(!\) (?:\[plugin typescript\]|Plugin typescript:) ",
         "plugin typescript]", "plugin typescript:", priority=110, ignore=True),
    rule("tsc-error", "typescript_error", r"\berror TS\d+:|^Type error: |\(ts\)$| - error " + VOLAR_SOURCE,
         "error ts", "type error", "(ts)", *(f"error {src}(" for src in VOLAR_SOURCES),
         priority=100, masks=TS_MASKS),
    rule("tsc-message", "typescript_error",
         r"\bType '.*' is not assignable to (?:type|parameter of type)|Property '[^']+' does not exist on type"
         r"|Cannot find name '[^']+'|implicitly has an? '?any'? type|is possibly '(?:undefined|null)'"
         r"|has no exported member|Expected \d+ arguments?, but got \d+|No overload matches this call"
         r"|is declared but its value is never read|Argument of type '.*' is not assignable"
         r"|Types of (?:property|parameters) '[^']+' (?:and '[^']+' )?are incompatible"
         r"|is missing the following properties from type|Property '[^']+' is missing in type"
         r"|Try `?npm i(?:nstall)? (?:--save-dev |-D )?@types/|add a new declaration \(\.d\.ts\) file"
         # more of tsc's diagnostics and elaborations, as vue-tsc, svelte-check and Next.js print them too
         r"|could be instantiated with an arbitrary type|Object literal may only specify known properties"
         r"|Cannot redeclare block-scoped variable '|has no initializer and is not definitely assigned"
         r"|is used before being assigned|Duplicate identifier '|Cannot find namespace '|This expression is not callable"
         r"|cannot be used as a JSX component|does not satisfy the constraint '|has no properties in common with type '"
         r"|Type instantiation is excessively deep|is of type 'unknown'|Not all code paths return a value"
         r"|only refers to a type, but is being used as a (?:value|namespace) here|Overload \d+ of \d+, '"
         r"|Cannot use JSX unless the '--jsx' flag is provided|Subsequent property declarations must have the same type",
         "not assignable", "does not exist on type", "cannot find name", "implicitly has", "is possibly",
         "no exported member", "arguments, but got", "argument, but got", "no overload", "never read",
         "are incompatible", "missing the following properties", "is missing in type", "types/", "new declaration",
         "arbitrary type", "object literal may only", "cannot redeclare", "not definitely assigned", "before being assigned",
         "duplicate identifier", "cannot find namespace", "not callable", "as a jsx component", "satisfy the constraint",
         "no properties in common", "excessively deep", "of type 'unknown'", "not all code paths",
         "only refers to a type", "overload ", "cannot use jsx", "subsequent property declarations",
         priority=60, masks=TS_MASKS),
    # CRA's `TypeScript error in /app/src/a.tsx(3,7):`, gulp's `TypeScript error: ...`; Next.js 14+'s `Failed to
    # type check.`; vite-plugin-checker's `ERROR(TypeScript)` / `ERROR(vue-tsc)`; svelte-check --output machine
    # (`1590680326807 ERROR "a.svelte" 1:16 "msg"`, `... COMPLETED 20 FILES 21 ERRORS ...`)
    rule("ts-tool-error", "typescript_error",
         r"\bTypeScript error(?: in \S|:|$)|^(?:▲\s+)?Failed to type check\.?$|\bERROR\((?:TypeScript|vue-tsc)\)"
         r"|^\d{10,13} (?:ERROR \"|COMPLETED \d+ FILES [1-9]\d* ERRORS \d+ WARNINGS \d+ FILES_WITH_PROBLEMS)",
         "typescript error", "failed to type check", "error(typescript)", "error(vue-tsc)", "error \"", "files_with_problems",
         priority=95, masks=TS_MASKS),
    # fork-ts-checker-webpack-plugin names the file by its path (`ERROR in src/a.ts:12:3`, `ERROR in /app/src/a.tsx(3,7):`);
    # webpack's own module errors name a request (`ERROR in ./src/a.ts`), left to the webpack rule
    rule("fork-ts-checker-error", "typescript_error",
         r"^ERROR in (?!\.\.?/)[^\s(]{1,300}\.(?:[cm]?ts|tsx|vue)(?::\d+:\d+|\(\d+,\d+\))?:?$", "error in ", priority=50,
         tool="tsc", masks=(mask(r"^(ERROR in )\S+?(?::\d+:\d+|\(\d+,\d+\))?:?$", r"\1<FILE>"),)),
    rule("ts-loader-error", "typescript_error", r"^\[tsl\] ERROR in |^\(typescript\) Error: ", "tsl] error",
         "typescript) error", priority=100, masks=TS_MASKS),
    # `tsc --build`'s closing table (TS6041 `Errors  Files`) and its rows `  2  src/a.ts:8` (the row regex is
    # anchored on the count, so the common `ts:` keyword costs a failed match at the line's first character)
    rule("tsc-summary-table", "typescript_error",
         r"^Errors  {1,8}Files$|^[1-9]\d{0,4}  {1,8}[^\s:]{1,300}\.(?:[cm]?tsx?|vue|svelte|astro):\d+$",
         "errors  ", "ts:", "tsx:", "vue:", "svelte:", "astro:", priority=50, rank=RANK_TOOL_SUMMARY, tool="tsc",
         masks=(mask(r"^\d+  +\S+$", "<N>  <FILE>:<LINE>"),)),
    # svelte-check's human output (packages/svelte-check/src/writers.ts): `Error: <message> (<source>)` under the
    # `file:line:col` line; `(ts)` is tsc-error's, the Svelte compiler's, CSS and JS checks are the check failing
    # too (`Warn: ...` is not). Its machine output's `FAILURE "msg"` and the closing `svelte-check failed`.
    rule("svelte-check-error", "typescript_error",
         r"^Error: \S.{0,2000}? \((?:js|svelte|css|scss|sass|less|stylus|postcss)\)$|^\d{10,13} FAILURE \""
         r"|^svelte-check failed$",
         "(js)", "(svelte)", "(css)", "(scss)", "(sass)", "(less)", "(stylus)", "(postcss)", "failure \"",
         "svelte-check failed",
         priority=96, tool="svelte-check", masks=TS_MASKS),
    # fork-ts-checker-webpack-plugin's closing line (src/formatter/stats-formatter.ts): errors named before
    # warnings, above the warning-first rule (`Found 2 warnings in 80 ms.` alone is no failure)
    rule("fork-ts-checker-summary", "typescript_error", r"^Found [1-9]\d* errors? and \d+ warnings? in \d+ ms\.?$",
         "warning in", "warnings in", priority=155, rank=RANK_TOOL_SUMMARY, tool="tsc"),
    # ts-node's TSError (src/index.ts): `TSError: ⨯ Unable to compile TypeScript:` over tsc's diagnostics
    rule("ts-node-error", "typescript_error", r"\bUnable to compile TypeScript:?$", "unable to compile typescript",
         priority=95, rank=RANK_TOOL_SUMMARY, tool="ts-node"),
    # vue-tsc patching a TypeScript it does not support (@volar/typescript's runTsc: `Search string not found:`)
    rule("vue-tsc-unsupported-typescript", "typescript_error", r"\bSearch string not found: \"", "search string not found",
         priority=95, tool="vue-tsc", masks=(mask(r"(Search string not found: )\".*\"", r'\1"<PATTERN>"'),)),
    # tsup's declaration build (src/index.ts, src/rollup.ts, src/tsc.ts): `DTS Build error` and the thrown `Error: error
    # occurred in dts build` after tsc's diagnostics; vite-plugin-checker's summary `[TypeScript] Found 3 error(s)`
    rule("dts-build-error", "typescript_error",
         r"^(?:\[\w+\] )?(?:DTS|TSC) Build (?:error|failed)$|\berror occurred in dts build\b"
         r"|^\[(?:TypeScript|vue-tsc|VueTsc|VLS)\] Found [1-9]\d* error",
         "dts build", "tsc build", "typescript] found", "vue-tsc] found", "vuetsc] found", "vls] found",
         priority=95, rank=RANK_TOOL_SUMMARY),
    # `npx tsc` without TypeScript installed runs the npm package `tsc`, a placeholder that says so
    rule("tsc-placeholder-package", "command_not_found", r"\bThis is not the tsc command you are looking for\b",
         "not the tsc command", priority=95, tool="tsc"),
    # a type-check command whose TypeScript packages are not installed: Next.js' verifyTypeScriptSetup,
    # `astro check` without @astrojs/check, tsup's dts build without typescript
    rule("typecheck-packages-missing", "module_not_found",
         r"\btrying to use TypeScript but do not have the required package\(s\) installed"
         r"|\bThe `@astrojs/check` and `typescript` packages are required for this command"
         r"|^(?:DTS|TSC) You need to install \"typescript\" in your project",
         "trying to use typescript", "packages are required for this command", "you need to install \"typescript\"",
         priority=95),
    # svelte-check's summary names its errors before its warnings (`found 3 errors and 1 warning`): above the
    # warning-first rule, which reads `warning` as the first severity word (`errors` is not `error`)
    rule("svelte-check-summary", "typescript_error", r"svelte-check found [1-9]\d* errors?\b", "svelte-check found",
         priority=155, tool="svelte-check"),
    rule("tsc-summary", "typescript_error",
         r"Found [1-9]\d* errors?(?: in \d+ files?)?\.?(?:\s+Watching for file changes)?|TypeScript: \d+ semantic"
         r" errors?|svelte-check found [1-9]\d* errors?", "error", priority=50,
         masks=(mask(r"^\[[^\]]*\]", "[<TIME>]"),)),
))
