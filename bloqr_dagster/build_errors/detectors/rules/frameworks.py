"""Front-end frameworks and bundlers (Next.js, Vite/Rollup, webpack, Turbopack, Svelte, Hugo, Astro, Docusaurus, MkDocs,
Sphinx, Vercel CLI) and the compilers a build step runs (cargo, go, Gradle, MSBuild)."""

from __future__ import annotations

from bloqr_dagster.build_errors.detectors.model import Detector
from bloqr_dagster.build_errors.detectors.rules._dsl import cause, mask, rule

DETECTOR = Detector("frameworks", "next", (
    rule("next-module-not-found-doc", "module_not_found", r"nextjs\.org/docs/messages/module-not-found",
         "module-not-found", priority=100, group="https://nextjs.org/docs/messages/module-not-found"),
    rule("webpack-module-not-found", "module_not_found",
         r"Module not found: (?:Error: )?(?:Can't resolve|Cannot (?:find|resolve))|ModuleNotFoundError",
         "module not found", "modulenotfounderror", priority=100, tool="webpack",
         masks=(mask(r"(resolve )'[^']*'", r"\1'<MODULE>'"), mask(r"( in )'[^']*'", r"\1'<PATH>'"))),
    rule("vite-unresolved-import", "module_not_found",
         r"(?:Rollup )?[Ff]ailed to resolve import \"[^\"]*\"|Could not load .+ \(imported by |Failed to resolve "
         r"entry for package|\[vite\]: Rollup failed to resolve", "failed to resolve", "could not load",
         priority=100, tool="vite",
         masks=(mask(r'(import )"[^"]*"', r'\1"<MODULE>"'), mask(r'(from )"[^"]*"', r'\1"<FILE>"'),
                mask(r'(for package )"[^"]*"', r'\1"<PACKAGE>"'))),
    # Rollup/Vite's `Could not load X (imported by Y): reason`: the import resolved, then a plugin's load hook
    # failed (a virtual module, a plugin crash); a missing file (ENOENT) stays an unresolved import above
    rule("rollup-load-failed", "build_command_failed",
         r"Could not load \S{1,300} \(imported by [^)]{1,300}\): (?!ENOENT|.{0,40}[Nn]o such file)\S",
         "could not load", priority=105, tool="vite"),
    # Turbopack's resolve failure details; Gatsby's hint after `Can't resolve`
    rule("bundler-resolve-detail", "module_not_found",
         r"Error resolving (?:EcmaScript Modules|CommonJS|commonjs|ESM) request"
         r"|If you're trying to use a package make sure that '[^']{1,200}' is installed",
         "error resolving", "trying to use a package", priority=90,
         masks=(mask(r"(make sure that )'[^']*'", r"\1'<MODULE>'"),)),
    rule("bundler-unresolved", "module_not_found",
         r"Failed to resolve '[^']+' from '|(?:Could not|Cannot) resolve [\"'][^\"']+[\"'] from |Cannot resolve dependency '"
         r"|[Uu]nable to resolve (?:module|uri) [\"']"
         r"|Can't resolve '[^']+' in '|is not exported by [\"'][^\"']+[\"'], imported by |Failed to load url \S+ \(resolved id:"
         r"|Can't find stylesheet to import|^Cannot load file '",
         "failed to resolve", "could not resolve", "cannot resolve", "unable to resolve", "can't resolve",
         "is not exported by",
         "failed to load url", "can't find stylesheet", "cannot load file", priority=100, tool="auto",
         masks=(mask(r"""(resolve (?:dependency )?|url )(["'])(?:(?!\2).){1,300}\2""", r"\1\2<MODULE>\2"),
                mask(r"""(from |load file |by |imported by )(["'])(?:(?!\2).){1,300}\2""", r"\1\2<FILE>\2"),
                mask(r"""( in )(["'])(?:(?!\2).){1,300}\2""", r"\1\2<PATH>\2"),
                mask(r"""(["'])(?:(?!\1).){1,200}\1( is not exported by)""", r"\1<IDENTIFIER>\1\2"),
                mask(r"(Failed to load url )\S+( \(resolved id: )[^)]*\)", r"\1<MODULE>\2<MODULE>)"))),
    # rollup's entry module is a file of the project: missing, not an unresolved import
    rule("rollup-entry-missing", "missing_file", r"Could not resolve entry module", "could not resolve entry module",
         priority=110, tool="rollup", masks=(mask(r"""(entry module )(?:"[^"]*"|\([^)]*\))""", r'\1"<FILE>"'),)),
    rule("vite-unresolved-hint", "module_not_found",
         r"This is most likely unintended because it can break your application at runtime"
         r"|If you do want to externalize this module explicitly add it to",
         "most likely unintended", "externalize this module", priority=60, tool="vite"),
    rule("next-build-specific", "build_command_failed",
         r"'import', and 'export' cannot be used outside of module code|Parsing ecmascript source code failed"
         r"|Couldn't find any .pages. or .app. directory|`next export` has been removed"
         r"|cannot use both .export const runtime|Expression expected|Unterminated (?:string|regexp|template)",
         "outside of module code", "parsing ecmascript", "couldn't find any", "next export",
         "cannot use both", "expression expected", "unterminated", priority=55,
         masks=(mask(r'(Page )"[^"]*"', r'\1"<ROUTE>"'),)),
    # Eleventy's error chain: `> Having trouble rendering njk template ./a.njk`, `1. message (via TemplateContentRenderError)`;
    # Nunjucks' `Template render error: (./a.njk) [Line 5, Column 3]`; a missing layout is a missing file
    rule("eleventy-layout-missing", "missing_file",
         r"TemplateLayoutPathResolver directory does not exist|You(?:'|’)re trying to use a layout that does not exist",
         "templatelayoutpathresolver", "layout that does not exist", priority=70, tool="eleventy"),
    rule("eleventy-error", "build_command_failed",
         r"^(?:\[11ty\] +)?> Having trouble (?:rendering|writing|compiling|processing) |\bTemplate render error: "
         r"|^(?:\[11ty\] +)?\d{1,2}\. \S.{0,300}\(via \w{0,60}(?:Error|Exception)\)$",
         "having trouble", "template render error", "(via ", priority=45, tool="eleventy", relative="general",
         masks=(mask(r"(template )\S+$", r"\1<FILE>"), mask(r"\(\./[^)]{1,300}\) \[Line \d+, Column \d+\]",
                                                             "(<FILE>) [Line <LINE>, Column <COL>]"))),
    # Nuxt 2's boxed `✖ Nuxt Fatal Error`; Remix's `.server` guard; Astro's `[InvalidContentEntryDataError] x`
    rule("framework-fatal", "build_command_failed",
         r"✖ Nuxt Fatal Error|Server-only module referenced by client|^\[[A-Z]\w{2,60}Error\] \S",
         "nuxt fatal error", "server-only module", "error] ", priority=45, relative="general"),
    # next-on-pages prefixes its lines with `⚡️ `
    rule("next-on-pages-error", "build_command_failed",
         r"^⚡\ufe0f?\s*(?:ERROR|Error): \S|^⚡\ufe0f?\s*The following routes were not configured to run with the Edge Runtime",
         "⚡", priority=45, tool="next", relative="general"),
    # webpack's hint after `Module parse failed`, Gatsby's pointer after an HTML build error, Vercel's pointer
    # after a missing `.next/routes-manifest.json`
    rule("framework-error-hints", "build_command_failed",
         r"You may need an (?:appropriate|additional) loader to handle|See our docs page on debugging HTML builds",
         "appropriate loader", "additional loader", "debugging html builds", priority=40, rank=20),
    rule("vercel-routes-manifest", "build_output_missing", r"now-next-routes-manifest|routes-manifest\.json\S? couldn't be found",
         "routes-manifest", priority=60, tool="vercel"),
    # a runner's `Warning: Task "x" failed. Use --force to continue.` (grunt) stops the build; its words say the task
    rule("grunt-task-failed", "build_command_failed",
         r"^Warning: Task \"[^\"]{1,200}\" failed\. Use --force to continue|^Aborted due to warnings\.$",
         "use --force to continue", "aborted due to warnings", priority=155, tool="grunt", relative="general", rank=20),
    # Gradle's `Execution failed for task ':app:compileDebugKotlin'.`
    rule("gradle-task-failed", "build_command_failed", r"^(?:> )?Execution failed for task '", "execution failed for task",
         priority=45, tool="gradle", relative="general", rank=20, masks=(mask(r"(task )'[^']*'", r"\1'<TASK>'"),)),
    rule("hugo-build", "build_command_failed", r"\berror building site:", "error building site", priority=60,
         tool="hugo",
         masks=(mask(r'(template: )[\w./-]+:\d+:\d+', r"\1<TEMPLATE>:<LINE>:<COL>"),
                mask(r'(executing )"[^"]*"', r'\1"<TEMPLATE>"'), mask(r'partial "[^"]*"', 'partial "<PARTIAL>"'),
                mask(r'"(?:[A-Za-z]:)?/[^"]*?:\d+:\d+"', '"<FILE>:<LINE>:<COL>"'))),
    rule("hugo-error-line", "build_command_failed", r"^ERROR (?:19|20)\d\d/\d\d/\d\d \d\d:\d\d:\d\d \S", "error 19", "error 20",
         priority=55, tool="hugo", masks=(mask(r"^ERROR \S+ \S+", "ERROR <DATE> <TIME>"),)),
    # Hugo's template and pipeline errors outside `error building site` (`template: a.html:3: function "x" not defined`,
    # `executing "main" at <.Foo>`, `TOCSS: failed to transform`, a module or theme it cannot find)
    rule("hugo-template", "build_command_failed",
         r"\btemplate: [\w./-]{1,200}:\d+(?::\d+)?: (?:executing \"|function \"|unexpected |undefined variable|can't evaluate)"
         r"|\bTOCSS: failed to transform|\bexecute of template failed\b",
         "template: ", "tocss: failed", "execute of template failed", priority=52, tool="hugo"),
    # Hugo 0.1xx words it `either add it as a Hugo Module or store it in "themes"`
    rule("hugo-module-missing", "module_not_found",
         r"\bmodule \"[^\"]{1,200}\" not found(?: in \"[^\"]{1,300}\")?; either add it as a (?:theme|Hugo Module)",
         "either add it as a", priority=65, tool="hugo",
         masks=(mask(r'(module )"[^"]*"', r'\1"<MODULE>"'), mask(r'( in )"[^"]*"', r'\1"<PATH>"'))),
    # Jekyll's `{% include %}` of a file that is not there; Gatsby's webpack `Can't resolve` (#98124)
    rule("jekyll-include-missing", "missing_file",
         r"Could not locate the included file '[^']{1,200}' in any of",
         "could not locate the included file", priority=65, tool="jekyll",
         masks=(mask(r"(included file )'[^']*'", r"\1'<FILE>'"), mask(r"(in any of )\[[^\]]*\]", r"\1[<PATH>]"))),
    rule("gatsby-cant-resolve", "module_not_found", r"^ERROR #98124\b", "error #98124", priority=55, tool="gatsby"),
    rule("ssg-build-error", "build_command_failed", r"Liquid Exception: |Jekyll::Errors::|^ERROR #\d+\b",
         "liquid exception", "jekyll::errors", "error #", priority=50, tool="auto"),
    rule("webpack-errors", "build_command_failed",
         r"^ERROR in |Module (?:build|parse) failed|webpack(?: \d[\w.-]*)? compiled with \d+ errors?|^\[!\] (?:Rollup)?Error:",
         "error in ", "module build failed", "module parse failed", "compiled with", "[!]", priority=45, tool="webpack",
         # webpack names the module on `ERROR in ./src/a.js` and the cause on the line after it
         causes=(cause(r"^Module not found: |^export '[^']{1,200}' \(imported as '[^']{1,200}'\) was not found in '",
                      "module_not_found", 100), cause(r"^\[tsl\] ERROR in |\bTS\d{4,5}: ",
                                                                              "typescript_error", 100)), lookahead=1),
    rule("astro-error", "build_command_failed", r"^(?:\d\d:\d\d:\d\d )?\[ERROR\] \[[\w@/:.-]+\]", "[error]",
         priority=45, tool="astro"),
    # `[vite:esbuild] Transform failed`, `[vite-plugin-svelte] Error ...`, and Vite/Rollup plugin errors
    # `[plugin:vite:react-babel] /src/a.tsx: Unexpected token`, `[plugin vite:esbuild] ...`
    rule("vite-plugin-error", "build_command_failed",
         r"^\[vite(?:[:-]\w+)*\]:? .*(?:[Ee]rror|failed)|^\[plugin:? ?[\w:@/.-]+\] (?!(?:\[plugin:? ?[\w:@/.-]+\] )*\(!\) )\S",
         "[vite", "[plugin",
         priority=40, tool="vite"),
    rule("framework-failed-to-compile", "build_command_failed",
         r"(?:^(?:▲\s+)?|\.\.\. ?)Failed to compile\.?$|Turbopack build failed with \d+ errors?|Transform failed with \d+ errors?",
         "failed to compile", "turbopack build failed", "transform failed", priority=25),
    rule("framework-build-summary", "build_command_failed",
         r"^> Build error occurred|Next\.js build worker exited with code|^(?:x|✗|×) Build failed in \d"
         r"|^error during build:|^> Build failed because of webpack errors|Error occurred prerendering page"
         r"|^Export encountered an error on |Export encountered errors on following paths|Failed to collect page data for |^Failed to create a production build|^Plugin \"[^\"]+\" failed"
         r"|^(?:\[11ty\] +)?Problem writing Eleventy templates|^[Bb]uild error:$|^(?:\[11ty\] +)?`[\w ]+` was thrown:?$",
         "build error occurred", "build worker exited", "build failed", "error during build", "prerendering page",
         "export encountered an error", "export encountered errors", "failed to collect page data", "failed to create a production build", "plugin \"", "problem writing eleventy", "build error:",
         "was thrown", priority=20,
         masks=(mask(r'(prerendering page )"[^"]*"', r'\1"<ROUTE>"'), mask(r"(an error on )\S+: \S+", r"\1<ROUTE>: <ROUTE>"),
                mask(r'(Plugin )"[^"]+"', r'\1"<PLUGIN>"'))),
    # Next.js `next build` failing on a page module; Remix's missing root route
    rule("next-build-optimization", "build_command_failed",
         r"Build optimization failed: found pages? without a React Component as default export",
         "build optimization failed", priority=60, tool="next", masks=(mask(r"(default export in )\S+", r"\1<PATH>"),)),
    rule("remix-root-missing", "missing_file", r"Missing \"root\" route file in ", "route file in", priority=60,
         tool="remix", masks=(mask(r"(file in )\S+", r"\1<PATH>"),)),
    # Astro's `Could not import \`../a.astro\`.` (FailedToLoadModuleSSR) names an import that did not resolve
    rule("astro-import-failed", "module_not_found",
         r"^(?:error +)?Could not import `[^`]{1,300}`\.?$|Could not find Sharp\. Please install Sharp",
         "could not import", "could not find sharp", priority=60, tool="astro", masks=(mask(r"`[^`]*`", "`<MODULE>`"),)),
    # webpack 5 after `Can't resolve 'crypto'`: the Node core module polyfill it no longer includes
    rule("webpack-polyfill-hint", "module_not_found",
         r"^BREAKING CHANGE: webpack < 5 used to include polyfills for node\.js core modules",
         "webpack < 5 used to include polyfills", priority=60, rank=40, tool="webpack"),
    # Vite's `failed to load config from /app/vite.config.ts`: the cause follows on the next lines
    rule("vite-config-load-failed", "build_command_failed", r"^failed to load config from \S",
         "failed to load config from", priority=40, rank=25, tool="vite",
         masks=(mask(r"(config from )\S+", r"\1<FILE>"),)),
    # a Next.js build output the platform needs is not there: `next start` without a build, the Netlify Next.js
    # runtime's checks of the publish directory, and Vercel's steps after a missing routes-manifest.json
    rule("next-output-missing", "build_output_missing",
         r"Could not find a production build in the '[^']{1,300}' directory"
         r"|Your publish directory (?:does not contain expected Next\.js build output|was not found at"
         r"|cannot be the same as the base directory|is pointing to the base directory)"
         r"|^In most cases it should be set to \"\.next\", unless you have chosen a custom \"distDir\""
         r"|^If you are using \"next export\" then you should set the environment variable NETLIFY_NEXT_PLUGIN_SKIP",
         "production build in the", "your publish directory", "custom \"distdir\"", "netlify_next_plugin_skip",
         priority=100, tool="next",
         masks=(mask(r"(production build in the )'[^']*'", r"\1'<DIR>'"), mask(r"(was not found at:? )\S+?(?=\.?(?:\s|$))", r"\1<PATH>"))),
    *(rule(f"vercel-next-output-step-{n}", "build_output_missing", rf"^{n}\. {text}", key, priority=100, tool="vercel",
           group=f"{n}. " + text.replace("\\", "")) for n, text, key in (
        (1, r"If present, be sure your `build` script in \"package\.json\" calls `next build`\.", "calls `next build`"),
        (2, r"Navigate to your project's settings in the Vercel dashboard, and verify that the \"Build Command\" is not"
            r" overridden, or that it calls `next build`\.", "\"build command\" is not overridden"),
        (3, r"Navigate to your project's settings in the Vercel dashboard, and verify that the \"Output Directory\" is not"
            r" overridden\.", "\"output directory\" is not overridden"))),
    # Vite's dependency scan (`The following dependencies are imported but could not be resolved:` ... `Are they
    # installed?`) and its package-exports resolution (`Missing "./x" specifier in "pkg" package`)
    rule("vite-deps-unresolved", "module_not_found",
         r"The following dependenc(?:y is|ies are) imported but could not be resolved|^Are they installed\?$"
         r"|Missing \"[^\"]{1,300}\" specifier in \"[^\"]{1,214}\" package",
         "imported but could not be resolved", "are they installed?", "specifier in", priority=100, tool="vite",
         masks=(mask(r'(Missing )"[^"]*"( specifier in )"[^"]*"', r'\1"<MODULE>"\2"<PACKAGE>"'),)),
    # Gatsby's `Couldn't find the "gatsby-plugin-x" plugin declared in "/app/gatsby-config.js".`
    rule("gatsby-plugin-missing", "module_not_found", r"Couldn't find the \"[^\"]{1,214}\" plugin declared in ",
         "plugin declared in", priority=100, tool="gatsby",
         masks=(mask(r'(find the )"[^"]*"', r'\1"<PACKAGE>"'), mask(r'(declared in )"[^"]*"', r'\1"<FILE>"'))),
    # Hugo run outside the site (a wrong root directory): no config file
    rule("hugo-config-missing", "missing_file", r"Unable to locate config file or config directory",
         "unable to locate config file", priority=100, tool="hugo"),
    # next/font downloading a Google font at build time
    rule("next-font-fetch", "network_error",
         r"^Failed to fetch font `[^`]{1,100}`|^Failed to fetch `[^`]{1,100}` from Google Fonts",
         "failed to fetch font", "from google fonts", priority=100, tool="next",
         masks=(mask(r"`[^`]*`", "`<FONT>`"),)),
    # react-scripts' `Could not find a required file.` names the file on the next line: `  Name: index.html`
    rule("cra-required-file-name", "missing_file", r"^Name: `?index\.(?:html|[jt]sx?|mjs)`?$", "name: ", priority=60,
         rank=40, tool="react-scripts", masks=(mask(r"index\.\w+", "<FILE>"),)),
    rule("vercel-function-size", "deploy_command_failed",
         r"Serverless Function .{0,80}(?:exceeds|exceeded) the (?:unzipped )?maximum size", "serverless function",
         priority=60, tool="vercel", masks=(mask(r'Function "[^"]*" is [\d.]+\s*mb', 'Function "<NAME>" is <SIZE>'),)),
    # Vercel's closing line names the command that failed, which says the stage
    rule("vercel-command-exited", "build_command_failed", r"^(?:▲\s+)?Error: Command \"[^\"]+\" exited with \d+",
         "exited with", priority=20, tool="vercel", summary=True, relative="general",
         masks=(mask(r'(Command )"[^"]+"', r'\1"<COMMAND>"'),)),
    # The Svelte compiler's error catalogue (packages/svelte/messages/compile-errors: template, style, script),
    # bare or after vite-plugin-svelte's `file.svelte:12:3 ` location; Svelte 3/4's `ParseError:`/`ValidationError:`.
    # Its warnings (`A11y: ...`, `Unused CSS selector`) are not here. Older releases quote `:global` in backticks.
    rule("svelte-compile-error", "build_command_failed",
         r"^(?:\[[\w:@/.-]{1,80}\] )*(?:\S{1,300}\.svelte(?::\d+:\d+)? )?(?:"
         r"Attributes need to be unique|Attribute shorthand cannot be empty|`[\w:|]{1,40}` name cannot be empty"
         r"|Found default slot content alongside an explicit slot=|Cyclical dependency detected: "
         r"|\{@const \.\.\.\} must consist of a single variable declaration|The `\{@const [^`]{1,80}\}` declaration is not available"
         r"|`\{@const\}` must be the immediate child of|Expected whitespace$|Expected valid tag name$|Expected attribute value$"
         r"|Expected token \S|Unexpected block closing tag|Block was left open|`<[\w:.-]{1,80}>` was left open"
         r"|`</[\w:.-]{1,80}>` attempted to close (?:an )?element that was|Void elements cannot have children"
         r"|A (?:top-level )?`?:global(?: \{\.\.\.\})?`? (?:selector|block) (?:cannot|can only|must)"
         r"|:global\(\.\.\.\) (?:must|can be at the start)|Nesting selectors can only be used inside a rule"
         r"|`bind:[\w-]{1,40}` (?:can only be used with|is not a valid binding)|Can only bind to (?:state or props|an Identifier)"
         r"|`\$[\w.]{1,40}` is now `\$[\w.]{1,40}`|The `\$[\w.]{1,40}` rune has been removed|`\$[\w.]{1,40}` is not a valid rune"
         r"|Cannot use `export let` in runes mode|Cannot use `\$\$(?:props|restProps)` in runes mode|`\$:` is not allowed in runes mode"
         r"|Cannot use rune without parentheses|`\$props\(\)` can only be used|Cannot use `<slot>` syntax and `\{@render"
         r"|A component can have a single top-level `<(?:script|style)>`|Valid event modifiers are |\{:\.\.\.\} block is invalid at this position"
         r"|'elseif' should be 'else if'|Mixing old \(on:\w{1,40}\) and new syntaxes for event handling"
         r"|(?:ParseError|ValidationError|CompileError) ?(?:\[[\w-]{1,60}\])?: \S)",
         "attributes need to be unique", "attribute shorthand", "name cannot be empty", "explicit slot=",
         "cyclical dependency detected", "const ...} must", "declaration is not available", "const}` must", "expected whitespace", "expected valid tag name",
         "expected attribute value", "expected token", "unexpected block closing tag", "block was left open",
         "was left open", "attempted to close", "void elements cannot", "global", "nesting selectors can only",
         "bind:", "can only bind to", "is now `$", "rune has been removed", "is not a valid rune", "in runes mode",
         "rune without parentheses", "props()` can only", "cannot use `<slot>`", "a component can have a single",
         "valid event modifiers", "block is invalid at this position", "elseif'", "new syntaxes for event handling",
         "parseerror", "validationerror", "compileerror",
         priority=46, tool="svelte-kit",
         masks=(mask(r"^(?:\[[\w:@/.-]{1,80}\] )*\S{1,300}\.svelte(?::\d+:\d+)? ", "<FILE>:<LINE>:<COL> "),
                mask(r"(Cyclical dependency detected: ).+", r"\1<IDENTIFIER>"),
                mask(r"`(?:</?)?[\w:.-]{1,80}>?` (?=was left open|attempted to close)", "`<IDENTIFIER>` "),
                mask(r"`bind:[\w-]{1,40}`", "`bind:<IDENTIFIER>`"), mask(r"`\{@const [^`]*\}`", "`{@const <IDENTIFIER>}`"))),
    # vite-plugin-svelte's compile step: its errors are reported by the plugin's `:compile` hook (warnings are
    # logged under the plain `[vite-plugin-svelte]` prefix); SvelteKit's removed adapter and config APIs
    rule("svelte-plugin-compile", "build_command_failed",
         r"^\[(?:plugin:? ?)?vite-plugin-svelte:compile\] \S"
         r"|^(?:> )?(?:builder\.\w{1,40}\(\)|config\.kit\.[\w.]{1,80}) has been (?:removed|renamed|replaced)",
         "vite-plugin-svelte:compile", "has been removed", "has been renamed", "has been replaced", priority=47,
         tool="svelte-kit",
         masks=(mask(r"^(\[(?:plugin:? ?)?vite-plugin-svelte:compile\] )\S{1,300}\.svelte(?::\d+:\d+)?", r"\1<FILE>:<LINE>:<COL>"),)),
    # Docusaurus' broken-link report (`Docusaurus found broken links!`, the list under it, its hint): the
    # `onBrokenLinks: 'throw'` build fails on it
    rule("docusaurus-broken-links", "build_command_failed",
         r"^Exhaustive list of all broken (?:links|anchors) found:$|^- (?:Broken (?:link|anchor) on |On )?[Ss]ource page path = \S"
         r"|^-> linking to \S|it's possible to ignore broken (?:links|anchors) with the 'onBroken(?:Links|Anchors)'",
         "exhaustive list of all broken", "source page path =", "linking to", "possible to ignore broken", priority=60, rank=25,
         tool="docusaurus",
         masks=(mask(r"(page path = )\S+?:?$", r"\1<PATH>:"), mask(r"(linking to )\S+", r"\1<PATH>"),
                mask(r"\(resolved as: [^)]*\)?", "(resolved as: <PATH>)"))),
    # MkDocs: its config validation (`ERROR - Config value 'nav': ...`) and its verdicts
    rule("mkdocs-error", "build_command_failed",
         r"^ERROR +- +Config value:? '|^Aborted with (?:\d+ warnings? in strict mode|a configuration error|a BuildError)!?"
         r"|^Error: MkDocs encountered an error parsing the configuration file",
         "config value", "aborted with", "mkdocs encountered", priority=60, rank=50, tool="mkdocs",
         masks=(mask(r"(Config value:? )'[^']*'", r"\1'<NAME>'"), mask(r"(Aborted with )\d+", r"\1<N>"),
                mask(r"(theme name: )'[^']*'", r"\1'<NAME>'"),
                mask(r'(Config value:? [^"]{0,200})"[^"]*"', r'\1"<NAME>"'))),
    # Sphinx: `-W` turns its warnings into errors; its own error headers
    rule("sphinx-error", "build_command_failed",
         r"^Warning, treated as error:$|^(?:Sphinx|Extension|Theme|Configuration|Application|Config) error:"
         r"|^Exception occurred:$|^build finished with problems, \d+ warnings? \(with warnings treated as errors\)",
         "treated as error", "sphinx error", "extension error", "theme error", "configuration error", "application error",
         "config error", "exception occurred", priority=55, rank=45, tool="sphinx",
         masks=(mask(r"(problems, )\d+", r"\1<N>"),)),
    # Hexo's `FATAL Something's wrong`; Eleventy's fatal error; Nunjucks' parser (Eleventy's default engine)
    rule("ssg-fatal", "build_command_failed",
         r"^FATAL +(?:Something's wrong|\{ err: )|^(?:\[11ty\] +)?Eleventy fatal error"
         r"|^expected (?:variable|block|comment) end(?: in \w+ statement)?$|^unknown block tag: \S|^unexpected token: \S",
         "fatal", "eleventy fatal error", "expected variable end", "expected block end", "expected comment end",
         "unknown block tag", "unexpected token: ", priority=45, relative="general"),
    # Storybook's coded errors (`SB_CORE-SERVER_0002 (CriticalPresetLoadError): ...`) and its builder's verdict
    rule("storybook-error", "build_command_failed",
         r"^SB_[A-Z0-9]+(?:-[A-Z0-9]+)*_\d{4} \(\w+\)|^=> Failed to build the (?:preview|manager)",
         "sb_", "failed to build the", priority=55, rank=45, tool="storybook",
         masks=(mask(r"(preset: )\S+", r"\1<FILE>"),)),
    # Jest's and Vitest's summaries when tests run in the build: some failed
    rule("test-runner-summary", "build_command_failed",
         r"^(?:Tests|Test Suites|Test Files|Snapshots): +[1-9]\d* failed\b|^(?:Test Files|Tests) +[1-9]\d* failed \|",
         "failed", priority=40, relative="general", rank=25,
         masks=(mask(r"\d+ (failed|passed|skipped|todo|total|obsolete|written)", r"<N> \1"), mask(r"\(\d+\)", "(<N>)"))),
    # PostCSS errors as Vite and postcss-loader print them (`[postcss] a.css:1:1: Unknown word`)
    rule("postcss-error", "build_command_failed", r"^(?:\[vite:css\] )?\[postcss\] \S", "postcss]", priority=45,
         tool="vite", masks=(mask(r"(\[postcss\] )\S+?:\d+:\d+:", r"\1<FILE>:<LINE>:<COL>:"),)),
    # SWC's parser (`x Expected ';', '}' or <eof>`, `× Unexpected token`), its `failed to parse input file`
    rule("swc-syntax", "build_command_failed",
         r"^(?:x|×) (?:Expected |Unexpected |Unterminated |Expression expected|Return statement is not allowed)"
         r"|^\d+: failed to parse input file$",
         "expected ", "unexpected ", "unterminated ", "expression expected", "return statement", "failed to parse input file",
         priority=44, relative="general"),
    # Angular's compiler codes (`✘ [ERROR] NG8001: 'app-x' is not a known element`, `- error NG8002:`): the source
    # did not compile, whichever tool esbuild's format would suggest
    rule("angular-ng-error", "build_command_failed",
         r"(?:^(?:✘|X|×) \[ERROR\] |\berror )NG\d{1,5}: \S", "error] ng", "error ng", priority=106, rank=50, tool="ng",
         masks=(mask(r"^\S+?:\d+:\d+(?= - error NG)", "<FILE>:<LINE>:<COL>"), mask(r"(?<![A-Za-z])'[^'\s]*'", "'<IDENTIFIER>'"),
                mask(r"\[plugin [^\]]*\]", "[plugin <PLUGIN>]"))),
    # Compilers a build step runs: rustc/cargo (`error[E0425]:`, `could not compile`), go (`./a.go:3:1: undefined: x`,
    # a package no module provides), Gradle's `* What went wrong:`, MSBuild's `N Error(s)` and NETSDK codes
    rule("cargo-could-not-compile", "build_command_failed",
         r"^error: could not compile `[^`]{1,200}`", "could not compile", priority=60, rank=20, tool="cargo",
         masks=(mask(r"`[^`]*`", "`<PACKAGE>`"), mask(r'\((?:bin|lib|test|example|bench) "[^"]*"\)', "(<TARGET>)"),
                mask(r"due to \d+", "due to <N>"))),
    rule("go-build-error", "build_command_failed",
         r"^\S{1,300}\.go:\d+:\d+: (?:undefined: \S|cannot use \S|declared and not used|\S{1,200} declared and not used"
         r"|imported and not used|missing return|too many arguments|not enough arguments|syntax error: )",
         "undefined: ", "cannot use ", "declared and not used", "imported and not used", "missing return", "arguments",
         "syntax error: ", priority=55, tool="go",
         masks=(mask(r"^\S+?\.go:\d+:\d+:", "<FILE>:<LINE>:<COL>:"), mask(r"(undefined: )\S+", r"\1<IDENTIFIER>"),
                mask(r'"[^"]*"', '"<IDENTIFIER>"'))),
    rule("go-module-missing", "module_not_found",
         r"\bno required module provides package \S|\bpackage \S{1,300} is not in (?:std|GOROOT)\b"
         r"|\bcannot find package \"[^\"]{1,300}\" in any of",
         "no required module provides", "is not in std", "is not in goroot", "cannot find package", priority=100,
         tool="go",
         masks=(mask(r"^\S+?\.go:\d+:\d+:", "<FILE>:<LINE>:<COL>:"), mask(r"(package )[^\s;\"]+", r"\1<MODULE>"),
                mask(r'(package )"[^"]*"', r'\1"<MODULE>"'), mask(r"\((?:/|[A-Za-z]:)[^)]*\)", "(<PATH>)"))),
    rule("gradle-what-went-wrong", "build_command_failed", r"^\* What went wrong:$", "what went wrong", priority=45,
         tool="gradle", relative="general", rank=20),
    # Maven's footer after a failed build (MavenCli's summary: `-> [Help 1]`, `To see the full stack trace of the
    # errors, re-run Maven with the -e switch.`, `Re-run Maven using the -X switch ...`, `For more information about the
    # errors and possible solutions, ...`, `[Help 1] <url>`, `After correcting the problems, you can resume the build
    # with the command`, `  mvn <args> -rf :x`) and Surefire's `Please refer to <dir> for the individual test results.`:
    # pointers, each under `[ERROR]`; the error is the `Failed to execute goal` line above them.
    rule("maven-footer", "not_an_error",
         r"^(?:\[ERROR\] *){0,2}(?:-> \[Help \d+\]$|\[Help \d+\] \S+$|To see the full stack trace of the errors, re-run Maven"
         r"|Re-run Maven using the -X switch|For more information about the errors and possible solutions"
         r"|After correcting the problems, you can resume the build|mvn <(?:args|goals)> "
         r"|Please refer to \S[^\n]{0,300}? for the individual test results|Please refer to dump files)",
         "help", "re-run maven", "x switch", "possible solutions", "resume the build", "mvn <",
         "for the individual test results", "please refer to dump files", priority=150, ignore=True),
    rule("dotnet-error-count", "build_command_failed", r"^[1-9]\d* Error\(s\)$", "error(s)", priority=45, rank=20,
         relative="general", masks=(mask(r"^\d+", "<N>"),)),
    rule("dotnet-netsdk", "build_command_failed", r"\berror NETSDK\d{4}: \S", "error netsdk", priority=60, tool="dotnet",
         masks=(mask(r"^\S[^:]*?\(\d+,\d+\)(?=: error)", "<FILE>(<LINE>,<COL>)"), mask(r" \[[^\]]*\]$", " [<PATH>]"),
                mask(r"\.NET \d+(?:\.\d+)*", ".NET <VERSION>"))),
))
