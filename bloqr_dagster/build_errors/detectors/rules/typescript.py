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
         r"|Try `?npm i(?:nstall)? (?:--save-dev |-D )?@types/|add a new declaration \(\.d\.ts\) file",
         "not assignable", "does not exist on type", "cannot find name", "implicitly has", "is possibly",
         "no exported member", "arguments, but got", "argument, but got", "no overload", "never read",
         "are incompatible", "missing the following properties", "is missing in type", "types/", "new declaration",
         priority=60, masks=TS_MASKS),
    rule("ts-loader-error", "typescript_error", r"^\[tsl\] ERROR in |^\(typescript\) Error: ", "tsl] error",
         "typescript) error", priority=100, masks=TS_MASKS),
    # `tsc --build`'s closing table header `Errors  Files` (its rows `  2  src/a.ts:8` are not matched: a
    # keyword as common as `.ts:` would offer the rules every line naming a TypeScript file)
    rule("tsc-summary-table", "typescript_error", r"^Errors  {1,8}Files$", "errors  ", priority=50, rank=20),
    rule("tsc-summary", "typescript_error",
         r"Found [1-9]\d* errors?(?: in \d+ files?)?\.?(?:\s+Watching for file changes)?|TypeScript: \d+ semantic"
         r" errors?|svelte-check found [1-9]\d* errors?", "error", priority=50,
         masks=(mask(r"^\[[^\]]*\]", "[<TIME>]"),)),
))
