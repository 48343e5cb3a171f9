"""Bundler and app-framework build errors from the tools' own message catalogues, beyond frameworks.py:
webpack's module and linking errors (lib/errors/*, HarmonyImportDependency) and its schema validation, Turbopack's
export checks, Rollup's logs (src/utils/logs.ts), Vite's optional dependencies and CSS preprocessors, the Next.js
Server Components transform and next/font checks, and React Router's config and prerender errors."""

from __future__ import annotations

from bloqr_dagster.build_errors.detectors.model import Detector
from bloqr_dagster.build_errors.detectors.rules._dsl import mask, rule

DETECTOR = Detector("bundlers", "webpack", (
    # An import of a name the module does not export, as webpack's linking error is worded by Create React App and
    # Next.js (`Attempted import error: 'x' is not exported from 'y' (imported as 'z').`): Next.js prints it under
    # `Compiled with warnings` as often as under `Failed to compile`, so it ranks below any other error of the build
    rule("webpack-attempted-import", "module_not_found",
         r"^(?:[⨯×] +)?Attempted import error: '[^']{1,200}' is not exported from '[^']{1,300}'",
         "attempted import error", priority=100, rank=25, tool="auto",
         masks=(mask(r"^(?:[⨯×] +)", ""), mask(r"('[^']*' is not exported from )'[^']*'", r"\1'<MODULE>'"),
                mask(r"(error: )'[^']*'", r"\1'<IDENTIFIER>'"), mask(r"(imported as )'[^']*'", r"\1'<IDENTIFIER>'"))),
    # Turbopack's (`Export x doesn't exist in target module`, `The export x was not found in module [project]/a.ts [...]`)
    rule("turbopack-missing-export", "module_not_found",
         r"^(?:[⨯×] +)?Export \S{1,200} doesn't exist in target module|^The export \S{1,200} was not found in module \S",
         "doesn't exist in target module", "was not found in module", priority=100, tool="next",
         masks=(mask(r"^(?:[⨯×] +)", ""), mask(r"^(Export )\S+", r"\1<IDENTIFIER>"), mask(r"^(The export )\S+", r"\1<IDENTIFIER>"),
                mask(r"(was not found in module )\S+(?: \[[^\]]{0,80}\])?(?: \([^)]{0,80}\))?", r"\1<MODULE>"))),
    # Turbopack's suggestion under that error
    rule("turbopack-did-you-mean", "module_not_found", r"^Did you mean to import [\w$]{1,200}\?$",
         "did you mean to import", priority=60, rank=30, tool="auto", masks=(mask(r"(import )\S+\?", r"\1<IDENTIFIER>?"),)),
    # webpack cannot read a URI scheme (`node:fs`, `bun:x`): the import is not resolvable for the browser build
    rule("webpack-unhandled-scheme", "module_not_found",
         r"^(?:UnhandledSchemeError: )?Reading from \"[^\"]{1,300}\" is not handled by plugins \(Unhandled scheme\)",
         "unhandled scheme", priority=100,
         masks=(mask(r'(Reading from )"[^"]*"', r'\1"<MODULE>"'),)),
    # enhanced-resolve's details under `Module not found` and webpack's hint under an unhandled scheme
    rule("webpack-resolve-detail", "module_not_found",
         r"\bField 'browser' doesn't contain a valid alias configuration"
         r"|^You may need an additional plugin to handle \"[\w+.-]{1,40}:\" URIs",
         "valid alias configuration", "additional plugin to handle", priority=60, rank=30,
         masks=(mask(r"^\S+ (?=Field 'browser')", "<PATH> "), mask(r'(handle )"[^"]*"', r'\1"<SCHEME>:"'))),
    # webpack's other module and chunk errors; a loader reporting through `emitError` (`Module Error (from x):`)
    rule("webpack-module-error", "build_command_failed",
         r"^(?:ModuleError: )?Module Error \(from \S{1,300}\):"
         r"|It's not allowed to load an initial chunk on demand\. The chunk name \"[^\"]{0,200}\" is already used"
         r"|There is a circular build dependency, which makes it impossible to create this module"
         r"|^(?:ERROR in )?Conflict: Multiple (?:chunks emit assets|assets emit different content) to the same filename",
         "module error", "initial chunk on demand", "circular build dependency", "conflict: multiple", priority=60,
         tool="webpack",
         masks=(mask(r"(from )\S+\):", r"\1<FILE>):"), mask(r'(chunk name )"[^"]*"', r'\1"<CHUNK>"'),
                mask(r"(the same filename )\S+.*$", r"\1<FILE>"))),
    # schema-utils' validation details under `Invalid configuration object.` / `Invalid options object.`
    rule("webpack-schema-detail", "build_command_failed",
         r"^-? ?(?:configuration|options)(?:\.[\w$\[\]-]{1,80}){0,12} (?:has an unknown property '"
         r"|misses the property '|should be (?:one of these|an? \w|a non-empty|an? non-empty|equal to|true|false|>=|<=|> |< ))"
         r"|^-? ?configuration(?:\.[\w$\[\]-]{1,80}){0,12}: The provided value \"[^\"]{0,300}\" (?:is not an absolute path|contains exclamation mark)",
         "has an unknown property", "misses the property", "should be", "the provided value", priority=55, rank=30, tool="webpack",
         masks=(mask(r"(property )'[^']*'", r"\1'<IDENTIFIER>'"), mask(r"\[\d+\]", "[<N>]"),
                mask(r'(provided value )"[^"]*"', r'\1"<PATH>"'))),
    # babel-loader without @babel/core; a removed Tailwind PostCSS entry point
    rule("loader-missing-peer", "module_not_found",
         r"babel-loader@\d[\w.-]* requires Babel 7\.x \(the package '@babel/core'\)"
         r"|It looks like you're trying to use `tailwindcss` directly as a PostCSS plugin",
         "requires babel 7", "directly as a postcss plugin", priority=100,
         masks=(mask(r"babel-loader@\S+", "babel-loader@<VERSION>"),)),
    # Rollup's own error logs that no bundler-wide rule knows (its warnings stay warnings: `(!) ...`)
    rule("rollup-error-log", "build_command_failed",
         r"Exported variable \"[^\"]{1,200}\" is not defined in \"|Illegal reassignment of import \"[^\"]{1,200}\" in \""
         r"|Cannot call a namespace \(\"|Warnings occurred and --failAfterWarnings flag present"
         r"|Entry module \"[^\"]{1,300}\" cannot be external|^(?:\[!\] (?:\w+Error: )?)?Duplicate export \"",
         "exported variable", "illegal reassignment", "cannot call a namespace", "failafterwarnings",
         "cannot be external", "duplicate export", priority=60, tool="rollup",
         masks=(mask(r'(variable |import |export |namespace \()"[^"]*"', r'\1"<IDENTIFIER>"'),
                mask(r'( in |Entry module )"[^"]*"', r'\1"<FILE>"'))),
    rule("rollup-config-missing", "missing_file", r"Could not resolve config file \"[^\"]{1,300}\"",
         "could not resolve config file", priority=110, tool="rollup",
         masks=(mask(r'(config file )"[^"]*"', r'\1"<FILE>"'),)),
    # Vite's optional dependencies (a CSS preprocessor, terser) and its dependency optimizer's peer import
    rule("vite-optional-dependency", "module_not_found",
         r"Preprocessor dependency \"[^\"]{1,100}\" not found\. Did you install it\?"
         r"|\bterser not found\. Since Vite v3, terser has become an optional dependency"
         r"|Could not resolve \"[^\"]{1,300}\" imported by \"[^\"]{1,300}\"\. Is it installed\?",
         "preprocessor dependency", "terser not found", "is it installed", priority=100, tool="vite",
         masks=(mask(r'(dependency )"[^"]*"', r'\1"<PACKAGE>"'), mask(r"(Try `)[^`]*`", r"\1<COMMAND>`"),
                mask(r'(Could not resolve )"[^"]*"( imported by )"[^"]*"', r'\1"<MODULE>"\2"<PACKAGE>"'))),
    # Vite's CSS plugin relaying a preprocessor's error: `[vite:css] [sass] Undefined variable.`
    rule("vite-css-preprocessor", "build_command_failed",
         r"^\[(?:plugin:? ?)?vite:css\] \[(?:sass|scss|less|stylus|styl)\] \S",
         "vite:css]", priority=46, tool="vite",
         masks=(mask(r"(\] )\S+?\.(?:s[ac]ss|less|styl(?:us)?)(?::\d+:\d+)?:? ", r"\1<FILE>:<LINE>:<COL> "),)),
    # `vite preview` before a build
    rule("vite-preview-no-build", "build_output_missing",
         r"The directory \"[^\"]{1,300}\" does not exist\. Did you build your project\?",
         "did you build your project", priority=100, tool="vite",
         masks=(mask(r'(directory )"[^"]*"', r'\1"<DIR>"'),)),
    # the Next.js Server Components transform (next-custom-transforms react_server_components.rs)
    rule("next-rsc-error", "build_command_failed",
         r"You(?:'|’)re importing (?:a component that (?:needs|imports) \S|a class component\. It only works in a Client"
         r"|`[^`]{1,80}` from React which requires)"
         r"|You have a Server Component that imports next/router"
         r"|It's not possible to have both \"use client\" and \"use (?:server|cache)\" directives"
         r"|The \"use client\" directive must be placed before other expressions"
         r"|must be a Client Component\. Add the \"use client\" directive"
         r"|You are attempting to export \"[^\"]{1,80}\" from a component marked with \"use client\""
         r"|\"metadata\" and \"generateMetadata\" cannot be exported at the same time"
         r"|`ssr: false` is not allowed with `next/dynamic` in Server Components"
         r"|Route segment config \"[^\"]{1,80}\" is not compatible with `nextConfig\.",
         "importing a component", "importing a class component", "from react which requires",
         "server component that imports", "not possible to have both", "directive must be placed",
         "must be a client component", "attempting to export", "cannot be exported at the same time",
         "is not allowed with", "is not compatible with", priority=60, tool="next",
         masks=(mask(r"""(that needs )([`"'])[^`"'\s]{1,200}\2""", r"\1\2<IDENTIFIER>\2"), mask(r"(that needs )[\w$]+(?=\. )", r"\1<IDENTIFIER>"), mask(r"(that imports )\S+?(?=\. )", r"\1<MODULE>"),
                mask(r"(importing )`[^`]*`", r"\1`<IDENTIFIER>`"), mask(r'(export )"[^"]*"', r'\1"<IDENTIFIER>"'),
                mask(r'^\S+ (must be a Client Component)', r"<FILE> \1"), mask(r'(config )"[^"]*"', r'\1"<IDENTIFIER>"'))),
    # a hook that opts a statically generated page into client rendering without a Suspense boundary
    rule("next-csr-bailout", "build_command_failed",
         r"^(?:[⨯×] +)?use\w{1,40}\(\) should be wrapped in a suspense boundary at page \"",
         "should be wrapped in a suspense boundary", priority=60, tool="next",
         masks=(mask(r"^(?:[⨯×] +)", ""), mask(r'(at page )"[^"]*"', r'\1"<ROUTE>"'), mask(r"(Read more: )\S+", r"\1<URL>"))),
    # next/font/google's and next/font/local's checks of a font call
    rule("next-font-invalid", "build_command_failed",
         r"^(?:Error: )?(?:Unknown (?:font|weight|subset|style) `|Missing weight for font `|Invalid display value `"
         r"|Preload is enabled but no subsets were specified for font `|Unexpected `variable` in weight array for font `"
         r"|Axes can only be defined for variable fonts|next/font/google has no default export)",
         "unknown font", "unknown weight", "unknown subset", "unknown style", "missing weight for font",
         "invalid display value", "preload is enabled", "in weight array", "axes can only be defined",
         "has no default export", priority=60, tool="next",
         masks=(mask(r"(font )`[^`]*`", r"\1`<FONT>`"), mask(r"^((?:Error: )?Unknown font )`[^`]*`", r"\1`<FONT>`"),
                mask(r"((?:weight|subset|style|value) )`[^`]*`( for)", r"\1`<IDENTIFIER>`\2"))),
    rule("next-font-file-missing", "module_not_found", r"Font file not found: Can't resolve '?\S",
         "font file not found", priority=105, tool="next",
         masks=(mask(r"(Can't resolve )'?[^']*'", r"\1'<FILE>'"),)),
    # `next build` verifying the TypeScript setup: typescript or @types packages not installed
    rule("next-typescript-missing", "module_not_found",
         r"It looks like you're trying to use TypeScript but do not have the required package\(s\) installed",
         "trying to use typescript", priority=100, tool="next"),
    # Turbopack's issue titles for a module it could not process: the message under the title names the cause
    rule("turbopack-issue", "build_command_failed",
         r"^(?:[⨯×] +)?(?:Ecmascript file had an error|Error evaluating Node\.js code|Unknown module type)$",
         "ecmascript file had an error", "error evaluating node.js code", "unknown module type", priority=55,
         rank=20, tool="next"),
    # React Router v7 (react-router-dev config/routes.ts and its Vite plugin): its route config and prerender
    rule("react-router-route-config-missing", "missing_file",
         r"Route config file not found at \"|Could not find a root route module in the app directory as \"",
         "route config file not found", "could not find a root route module", priority=100, tool="react-router",
         masks=(mask(r'((?:at|as) )"[^"]*"', r'\1"<FILE>"'),)),
    rule("react-router-config-error", "build_command_failed",
         r"Route config (?:in \"[^\"]{1,300}\" (?:is invalid|must be an array)|must be the default export in \")"
         r"|^(?:Error: )?(?:Prerender \((?:html|data|resource)\)|SPA Mode): Received a \d{3} status code from "
         r"|Unable to define routes with duplicate route id: \""
         r"|react-router\.config\.[cm]?[jt]s (?:must provide a default export|must export a config|no longer exists)"
         r"|^(?:Error: )?The `[\w.]{1,80}` (?:config(?: field)? (?:must|cannot|has been)|flag has been (?:removed|moved))",
         "route config", "status code from", "duplicate route id", "react-router.config", "config must",
         "config cannot", "config has been", "config field", "flag has been", priority=60, tool="react-router",
         masks=(mask(r'( in )"[^"]*"', r'\1"<FILE>"'), mask(r"(prerendering the )`[^`]*`", r"\1`<ROUTE>`"),
                mask(r'(route id: )"[^"]*"', r'\1"<ROUTE>"'), mask(r"(status code from )`[^`]*`", r"\1`<FILE>`"))),
))
