"""TypeScript type checking: tsc/vue-tsc `error TSxxxx`, Next.js `Type error:`, svelte-check."""

from __future__ import annotations

from bloqr_dagster.build_errors.detectors.model import Detector
from bloqr_dagster.build_errors.detectors.rules._dsl import TS_LOCATION, mask, quoted_after, rule

TS_MASKS = (
    TS_LOCATION,
    quoted_after("module", "<MODULE>"),
    quoted_after(r"[Tt]ype|of type|to type", "<TYPE>", quote="'"),
    quoted_after(r"name|Property|property|Parameter|member|[Vv]ariable|Identifier|[Nn]amespace|Binding element",
                 "<IDENTIFIER>", quote="'"),
    mask(r"'(?:[A-Za-z]:)?[./\\][^']*'( implicitly)", r"'<PATH>'\1"),
    mask(r"(Types of (?:property|parameters) )'[^']+'(?: and '[^']+')?",
         lambda m: m.group(1) + " and ".join(["'<IDENTIFIER>'"] * (2 if " and '" in m.group() else 1))),
)

DETECTOR = Detector("typescript", "tsc", (
    rule("tsc-module-not-found", "module_not_found",
         r"\berror TS2307:|^Type error: Cannot find module|\bTS2307\b", "ts2307", "cannot find module",
         priority=105, masks=TS_MASKS),
    rule("tsc-error", "typescript_error", r"\berror TS\d+:|^Type error: |\(ts\)$", "error ts", "type error", "(ts)",
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
    # `tsc --build`'s closing table header `Errors  Files` (its rows `  2  src/a.ts:8` are not matched: a
    # keyword as common as `.ts:` would offer the rules every line naming a TypeScript file)
    rule("tsc-summary-table", "typescript_error", r"^Errors  {1,8}Files$", "errors  ", priority=50, rank=20),
    # svelte-check's summary names its errors before its warnings (`found 3 errors and 1 warning`): above the
    # warning-first rule, which reads `warning` as the first severity word (`errors` is not `error`)
    rule("svelte-check-summary", "typescript_error", r"svelte-check found [1-9]\d* errors?\b", "svelte-check found",
         priority=155, tool="svelte-check"),
    rule("tsc-summary", "typescript_error",
         r"Found [1-9]\d* errors?(?: in \d+ files?)?\.?(?:\s+Watching for file changes)?|TypeScript: \d+ semantic"
         r" errors?|svelte-check found [1-9]\d* errors?", "error", priority=50,
         masks=(mask(r"^\[[^\]]*\]", "[<TIME>]"),)),
))
