"""Static-site generator and meta-framework formats from the tools' own message catalogues (Astro's errors-data.ts
and `astro check`, Nitro's prerender report, Nuxt's CLI, Hugo's errors and missing binaries, Jekyll's logger topics
and Liquid's errors, VitePress' dead-link check, SvelteKit's prerenderer and adapter-static): each line is written
from the tool's message template for this test with invented values (not copied from the corpus), diagnosed as a
one-line log, with its category and error group."""

from __future__ import annotations

import pytest

from bloqr_dagster.build_errors.detectors import default_rules, diagnose

from .helpers import primary_code_and_group

CASES = [
    # Astro's error catalogue: `[Name] message`, bare or after its logger's `HH:MM:SS [ERROR] `
    ('[NoMatchingStaticPathFound] A getStaticPaths() route pattern was matched, but no matching static path was found '
     'for requested path /recipes/lemon-tart.',
     'build_command_failed', '[NoMatchingStaticPathFound] A getStaticPaths() route pattern was matched, but no matching '
     'static path was found for requested path <PATH>'),
    ('08:14:02 [ERROR] [NoMatchingStaticPathFound] A getStaticPaths() route pattern was matched, but no matching static '
     'path was found for requested path /fr/contact.',
     'build_command_failed', '[NoMatchingStaticPathFound] A getStaticPaths() route pattern was matched, but no matching '
     'static path was found for requested path <PATH>'),
    ('[GetStaticPathsRequired] getStaticPaths() function is required for dynamic routes. Make sure that you export a '
     'getStaticPaths() function from your dynamic route.',
     'build_command_failed', '[GetStaticPathsRequired] getStaticPaths() function is required for dynamic routes. Make '
     'sure that you export a getStaticPaths() function from your dynamic route.'),
    ('[InvalidGetStaticPathsReturn] Invalid type returned by getStaticPaths(). Expected an array, got object.',
     'build_command_failed', '[InvalidGetStaticPathsReturn] Invalid type returned by getStaticPaths(). Expected an array, '
     'got object.'),
    ('[NoAdapterInstalled] Cannot use server-rendered pages without an adapter. Please install and configure the '
     'appropriate server adapter for your final deployment.',
     'build_command_failed', '[NoAdapterInstalled] Cannot use server-rendered pages without an adapter. Please install '
     'and configure the appropriate server adapter for your final deployment.'),
    ('[ImageNotFound] Could not find requested image ../../assets/team/ada.jpg. Does it exist?',
     'build_command_failed', '[ImageNotFound] Could not find requested image <FILE>. Does it exist?'),
    ('[MissingImageDimension] Missing width and height attributes for https://cdn.example.com/hero.webp. When using '
     'remote images, both dimensions are required in order to avoid CLS.',
     'build_command_failed', '[MissingImageDimension] Missing width and height attributes for <URL>. When using remote '
     'images, both dimensions are required in order to avoid CLS.'),
    ('[PrerenderRouteConflict] Could not render /docs from route /[...slug] as it conflicts with higher priority route '
     '/docs.',
     'build_command_failed', '[PrerenderRouteConflict] Could not render <PATH> from route <PATH> as it conflicts with '
     'higher priority route <PATH>'),
    ('[EnvInvalidVariables] The following environment variables defined in env.schema are invalid:',
     'build_command_failed', '[EnvInvalidVariables] The following environment variables defined in env.schema are '
     'invalid:'),
    ('[ReservedSlotName] Unable to create a slot named default. default is a reserved slot name. Please update the name '
     'of this slot.',
     'build_command_failed', '[ReservedSlotName] Unable to create a slot named default. default is a reserved slot name. '
     'Please update the name of this slot.'),
    ('[AstroGlobNoMatch] Astro.glob(../posts/*.md) did not return any matching files.',
     'build_command_failed', '[AstroGlobNoMatch] Astro.glob(<PATH>) did not return any matching files.'),
    ('[ContentCollectionMissingLoader] Collections must have a loader defined. Check your collection definitions in '
     'src/content.config.ts.',
     'build_command_failed', '[ContentCollectionMissingLoader] Collections must have a loader defined. Check your '
     'collection definitions in <FILE>.'),
    ('[ServerOnlyModule] The "astro:env/server" module is only available server-side.',
     'build_command_failed', '[ServerOnlyModule] The "<MODULE>" module is only available server-side.'),
    ('[ConfigLegacyKey] Legacy configuration detected: buildOptions.',
     'build_command_failed', '[ConfigLegacyKey] Legacy configuration detected: buildOptions.'),
    ('[FailedToLoadModuleSSR] Could not import ../layouts/Shell.astro.',
     'module_not_found', '[FailedToLoadModuleSSR] Could not import <FILE>.'),
    ('[MissingSharp] Could not find Sharp. Please install Sharp (sharp) manually into your project or migrate to '
     'another image service.',
     'module_not_found', '[MissingSharp] Could not find Sharp. Please install Sharp (sharp) manually into your project or '
     'migrate to another image service.'),
    ('[ConfigNotFound] Unable to resolve --config "astro.staging.mjs". Does the file exist?',
     'missing_file', '[ConfigNotFound] Unable to resolve --config "<FILE>". Does the file exist?'),
    # `astro check`'s closing list
    ('Result (87 files): \n- 4 errors\n- 0 warnings\n- 1 hint',
     'typescript_error', '- <N> errors'),
    # Nitro's prerender report (Nuxt) and its verdict
    ('  ├─ /shop/checkout (41ms)\n  │ └── [500] Internal Server Error',
     'build_command_failed', '│ └── [500] Internal Server Error'),
    ('Errors prerendering:\n  ├─ /account (8ms)\n  │ └── [503] Service Unavailable',
     'build_command_failed', '│ └── [503] Service Unavailable'),
    ('Exiting due to prerender errors.',
     'build_command_failed', 'Exiting due to prerender errors.'),
    ('[nitro] ERROR Error: Exiting due to prerender errors.',
     'build_command_failed', '[nitro] ERROR Error: Exiting due to prerender errors.'),
    # Hugo: missing external tools, the newer module-not-found wording, a template error's names
    ('Error: error building site: POSTCSS: failed to transform "css/site.css" (text/css): binary with name "postcss" '
     'not found',
     'command_not_found', 'Error: error building site: POSTCSS: failed to transform "<FILE>" (text/css): binary with '
     'name "<COMMAND>" not found'),
    ('ERROR TAILWINDCSS: failed to transform "css/app.css" (text/css): binary with name "tailwindcss" not found using '
     'npx. You need to install TailwindCSS CLI. See https://gohugo.io/functions/css/tailwindcss/',
     'command_not_found', 'ERROR TAILWINDCSS: failed to transform "<FILE>" (text/css): binary with name "<COMMAND>" not '
     'found using npx. You need to install TailwindCSS CLI. See <URL>'),
    ('Error: failed to load modules: module "github.com/acme/hugo-theme-paper" not found in "/srv/site/themes"; either '
     'add it as a Hugo Module or store it in "/srv/site/themes".',
     'module_not_found', 'Error: failed to load modules: module "<MODULE>" not found in "<PATH>"; either add it as a Hugo '
     'Module or store it in "<PATH>".'),
    ('ERROR render of "section" failed: "/srv/site/layouts/_default/list.html:14:9": execute of template failed: '
     'template: _default/list.html:14:9: executing "main" at <partial "cards.html" .>: error calling partial: partial '
     '"cards.html" not found',
     'build_command_failed', 'ERROR render of "section" failed: "<FILE>:<LINE>:<COL>": execute of template failed: '
     'template: <FILE>:<LINE>:<COL>: executing "main" at <partial "<FILE>" .>: error calling partial: partial "<FILE>" '
     'not found'),
    # Jekyll's logger topics and Liquid's errors (a block's own name, `for`, is Liquid's word and stays)
    ("   Dependency Error: Yikes! It looks like you don't have jekyll-feed or one of its dependencies installed. In "
     "order to use Jekyll as currently configured, you'll need to install this gem.",
     'module_not_found', "Dependency Error: Yikes! It looks like you don't have <PACKAGE> or one of its dependencies "
     "installed."),
    ('github-pages 232 | Error:  The jekyll-theme-hacker theme could not be found.',
     'module_not_found', 'github-pages <N> | Error:  The <PACKAGE> theme could not be found.'),
    ("  Liquid Exception: Liquid syntax error (line 17): Unknown tag 'endcase2' in _includes/menu.html",
     'build_command_failed', "Liquid Exception: Liquid syntax error (line <N>): Unknown tag '<IDENTIFIER>' in <FILE>"),
    ("  Liquid Exception: Liquid syntax error (line 3): 'for' tag was never closed in about.md",
     'build_command_failed', "Liquid Exception: Liquid syntax error (line <N>): 'for' tag was never closed in "
     "<FILE>"),
    ('  Liquid Exception: Liquid error (line 8): undefined variable site.data.nav in _layouts/page.html',
     'build_command_failed', 'Liquid Exception: Liquid error (line <N>): undefined variable <IDENTIFIER> in <FILE>'),
    ('  Liquid Exception: Liquid error (line 2): undefined filter slugify2 in blog/index.html',
     'build_command_failed', 'Liquid Exception: Liquid error (line <N>): undefined filter <IDENTIFIER> in <FILE>'),
    ("Liquid syntax error (line 4): Unknown tag 'raw2'",
     'build_command_failed', "Liquid syntax error (line <N>): Unknown tag '<IDENTIFIER>'"),
    ("jekyll 4.3.3 | Error:  Invalid date '2023-02-30 25:00': Document '_posts/2023-02-30-notes.md' does not have a "
     "valid date in the YAML front matter.",
     'build_command_failed', "jekyll <VERSION> | Error:  Invalid date '<DATE>': Document '<FILE>' does not have a valid "
     "date in the YAML front matter."),
    # VitePress fails after its dead-link warnings
    ('[vitepress] 12 dead link(s) found.',
     'build_command_failed', '[vitepress] <N> dead link(s) found.'),
    ('build error:\n Error: 2 dead link(s) found.',
     'build_command_failed', 'Error: <N> dead link(s) found.'),
    # SvelteKit's prerenderer and adapter-static
    ('Error: 404 /pricing (linked from /)',
     'build_command_failed', 'Error: 404 <PATH> (linked from <PATH>)'),
    ('Error: 500 /api/feed.json (fetched from /blog)',
     'build_command_failed', 'Error: 500 <PATH> (fetched from <PATH>)'),
    ('/team/ada was linked from /about',
     'build_command_failed', '<PATH> was linked from <PATH>'),
    ('The following routes were marked as prerenderable, but were not prerendered because they were not found while '
     'crawling your app:',
     'build_command_failed', 'The following routes were marked as prerenderable, but were not prerendered because they '
     'were not found while crawling your app:'),
    ('The following pages contain links to /guide#install, but no element with id="install" exists on /guide:',
     'build_command_failed', 'The following pages contain links to <PATH>, but no element with id="<IDENTIFIER>" exists '
     'on <PATH>'),
    ('@sveltejs/adapter-static: all routes must be fully prerenderable, but found the following routes that are dynamic:',
     'build_command_failed', 'all routes must be fully prerenderable, but found the following routes that are dynamic:'),
    ('To suppress or handle this error, implement `handleHttpError` in https://svelte.dev/docs/kit/configuration#prerender',
     'build_command_failed', 'To suppress or handle this error, implement `handleHttpError` in <URL>'),
    ('Could not create a fallback page',
     'build_command_failed', 'Could not create a fallback page'),
]


@pytest.mark.parametrize(("text", "category", "group"), CASES, ids=[c[0].splitlines()[0][:48] for c in CASES])
def test_catalog_format(text: str, category: str, group: str) -> None:
    assert primary_code_and_group(text) == (category, group)


# Progress, info, warnings, deprecations and clean summaries of the same tools: not errors.
@pytest.mark.parametrize("line", [
    # Astro
    "src/pages/index.astro:3:8 - warning ts(6133): 'Card' is declared but its value is never read.",
    "- 0 errors",
    "- 2 warnings",
    "- 3 hints",
    "Result (42 files): ",
    "08:14:02 [WARN] [router] A getStaticPaths() route pattern was matched",
    "08:14:02 [build] 12 page(s) built in 3.21s",
    "08:14:02 [build] Complete!",
    "08:14:02 [vite] ✓ built in 1.20s",
    "08:14:02 [content] Synced content",
    # Nuxt / Nitro
    "[nitro] ✔ You can preview this build using node .output/server/index.mjs",
    "  ├─ /about (12ms)",
    "  │ └── [404] Page Not Found",
    "  │ └── Linked from /",
    "  ├─ /blog/post-1 (34ms) (skipped)",
    "Prerendering 12 initial routes with crawler",
    "ℹ Building client...",
    "✔ Client built in 2350ms",
    # Hugo
    'WARN  found no layout file for "html" for kind "page": You should create a template file which matches Hugo '
    'Layouts Lookup Rules for this combination.',
    'WARN  Module "github.com/acme/theme" is not compatible with this Hugo version: >=0.120.0; run "hugo mod graph" for '
    'more information.',
    "INFO  deprecated: .Site.Author was deprecated in Hugo v0.124.0 and will be removed in a future release. Use "
    "taxonomies instead.",
    "WARN  deprecated: resources.ToCSS was deprecated in Hugo v0.128.0 and will be removed in a future release. Use "
    "css.Sass instead.",
    "Start building sites …",
    "Total in 1234 ms",
    # Jekyll
    "       Build Warning: Layout 'post' requested in _posts/2024-01-01-hello.md does not exist.",
    "         Deprecation: You appear to have pagination turned on, but you haven't included the `jekyll-paginate` gem.",
    "             Warning: Excerpt modified in _posts/2024-02-02-notes.md!",
    "Configuration file: /srv/site/_config.yml",
    "                    done in 1.234 seconds.",
    "     Skipping: _posts/2030-01-01-future.md has a future date",
    "    Kramdown warning: No link definition for link ID 'foo' found on line 12",
    # VitePress
    "(!) Found dead link /guide/setup in file getting-started.md",
    "✓ building client + server bundles...",
    "build complete in 12.34s.",
    # SvelteKit
    "> Using @sveltejs/adapter-static",
    '  Wrote site to "build"',
    "  ✔ done",
    "Warning: 404 /favicon.ico (linked from /) was ignored",
    "[vitepress] dead links are ignored for localhost URLs",
    "Errors prerendering: none",
])
def test_catalog_not_an_error(line: str) -> None:
    assert diagnose(line, default_rules()).primary is None, line
