"""Static-site generators and meta-frameworks, from their own message catalogues: Astro's error catalogue
(`[NoMatchingStaticPathFound] ...`) and `astro check`'s summary, Nitro's prerender report (Nuxt), Hugo's missing
binaries, Jekyll's logger topics and Liquid's errors, VitePress' dead-link verdict, SvelteKit's prerender and
adapter-static errors. Their warnings (Jekyll's `Build Warning:`, VitePress' `(!) Found dead link`, Nitro's 404
routes, Hugo's `WARN`) stay noise."""

from __future__ import annotations

from bloqr_dagster.build_errors.detectors.model import RANK_TOOL_SUMMARY, Detector
from bloqr_dagster.build_errors.detectors.rules._dsl import mask, rule

# Astro prints its catalogued errors as `[Name] message`, after `HH:MM:SS [ERROR] ` when its logger does.
_ASTRO_LEAD = r"^(?:\d\d:\d\d:\d\d )?(?:\[ERROR\] )?"
_ASTRO_NAME_LIST = (
    "NoMatchingStaticPathFound", "InvalidGetStaticPathParam", "InvalidGetStaticPathsEntry",
    "InvalidGetStaticPathsReturn", "GetStaticPathsExpectedParams", "GetStaticPathsInvalidRouteParam",
    "GetStaticPathsRequired", "NoAdapterInstalled", "NoAdapterInstalledServerIslands",
    "AdapterSupportOutputMismatch", "NoMatchingRenderer", "NoMatchingImport", "ImageMissingAlt",
    "InvalidImageService", "MissingImageDimension", "FailedToFetchRemoteImageDimensions", "RemoteImageNotAllowed",
    "UnsupportedImageFormat", "UnsupportedImageConversion", "ExpectedImage", "ExpectedImageOptions",
    "ExpectedNotESMImage", "GetImageNotUsedOnServer", "ImageNotFound", "NoImageMetadata", "CouldNotTransformImage",
    "LocalImageUsedWrongly", "InvalidPrerenderExport", "PrerenderDynamicEndpointPathCollide",
    "PrerenderRouteConflict", "NoPrerenderedRoutesWithDomains", "PrerenderClientAddressNotAvailable",
    "InvalidComponentArgs", "ReservedSlotName", "PageNumberParamNotFound", "MiddlewareNoDataOrNextCalled",
    "MiddlewareNotAResponse", "MiddlewareCantBeLoaded", "OnlyResponseCanBeReturned",
    "EndpointDidNotReturnAResponse", "AstroGlobUsedOutside", "AstroGlobNoMatch", "InvalidGlob",
    "RedirectWithNoLocation", "UnsupportedExternalRedirect", "InvalidRedirectDestination", "InvalidDynamicRoute",
    "EnvInvalidVariables", "EnvPrefixConflictsWithSecret", "ServerOnlyModule", "CantRenderPage", "ConfigLegacyKey",
    "ContentCollectionMissingLoader", "ContentCollectionInvalidType", "FontFamilyNotFound", "CannotFetchFontFile",
    "FontFileUrlNotFound",
)
_ASTRO_MASKS = (mask(r"Astro\.glob\([^)]*\)", "Astro.glob(<PATH>)"), mask(r'(The )"[^"]*"( module)', r'\1"<MODULE>"\2'))


def _astro_catalogue(name: str, names: tuple[str, ...]):
    """A rule for some of the catalogue's names, each keyed with its bracket (`[image` rather than `image`, which
    would find every asset file name holding it); the load-time check follows up to 64 spellings per rule."""
    return rule(name, "build_command_failed", _ASTRO_LEAD + "(?:" + "|".join(r"\[" + n for n in names) + r")\] \S",
                *("[" + n.lower() for n in names), priority=50, tool="astro", masks=_ASTRO_MASKS)


DETECTOR = Detector("ssg", "auto", (
    # Astro's catalogue: an import it cannot load and a config file it cannot find name their causes
    rule("astro-catalogue-module", "module_not_found", _ASTRO_LEAD + r"\[(?:FailedToLoadModuleSSR|MissingSharp)\] \S",
         "failedtoloadmodulessr", "missingsharp", priority=104, tool="astro"),
    rule("astro-catalogue-config-missing", "missing_file", _ASTRO_LEAD + r"\[ConfigNotFound\] \S", "confignotfound",
         priority=104, tool="astro"),
    _astro_catalogue("astro-catalogue", _ASTRO_NAME_LIST[:28]),
    _astro_catalogue("astro-catalogue-2", _ASTRO_NAME_LIST[28:]),
    # `astro check`'s closing `Result (N files):` list: `- 3 errors` (its `- 0 errors`, warnings and hints are not)
    rule("astro-check-errors", "typescript_error", r"^- [1-9]\d{0,5} errors?$", "error", priority=40, tool="astro",
         rank=RANK_TOOL_SUMMARY, masks=(mask(r"^- \d+", "- <N>"),)),
    # Nitro's prerender report (Nuxt): a failed route's `│ └── [500] Internal Server Error` (404s are printed as
    # warnings) and its verdict
    rule("nitro-prerender-route", "build_command_failed", r"^│ [├└]── \[(?!404\])[1-5]\d\d\] \S", "── [",
         priority=50, tool="nitro"),
    rule("nitro-prerender-failed", "build_command_failed",
         r"^(?:\[nitro\] )?(?:ERROR +)?(?:Error: )?Exiting due to prerender errors\.?$|^Errors prerendering:$",
         "exiting due to prerender errors", "errors prerendering", priority=50, tool="nitro", rank=RANK_TOOL_SUMMARY),
    # Hugo's external tools (PostCSS, Tailwind CLI, Dart Sass, Babel) missing from the PATH
    rule("hugo-binary-missing", "command_not_found",
         r"\bbinary with name \"[^\"]{1,200}\" not found|\. You need to install (?:PostCSS|TailwindCSS CLI|Dart Sass|Babel)\b",
         "binary with name", "you need to install", priority=70, tool="hugo",
         masks=(mask(r'(binary with name )"[^"]*"', r'\1"<COMMAND>"'), mask(r'(transform )"[^"]*"', r'\1"<FILE>"'))),
    # Jekyll's logger topics (`Dependency Error:`, a theme gem it cannot load) and the Liquid errors it relays
    rule("jekyll-dependency-missing", "module_not_found",
         r"\bDependency Error: Yikes! It looks like you don't have \S{1,200} or one of its dependencies installed"
         r"|\bThe \S{1,200} theme could not be found\.",
         "dependency error", "theme could not be found", priority=100, tool="jekyll",
         masks=(mask(r"(you don't have )\S+", r"\1<PACKAGE>"), mask(r"(dependencies installed\.).*", r"\1"),
                mask(r"(The )\S+( theme could not be found)", r"\1<PACKAGE>\2"))),
    rule("jekyll-liquid", "build_command_failed",
         r"\bLiquid Exception: |^Liquid (?:syntax )?error(?: \(line \d+\))?: |\bInvalid date '[^']{0,100}': ",
         "liquid exception", "liquid syntax error", "liquid error", "invalid date", priority=52, tool="jekyll",
         masks=(mask(r"((?:Unknown|Unexpected) (?:tag|filter|character) )'[^']*'", r"\1'<IDENTIFIER>'"),
                mask(r"(undefined (?:variable|filter|method) )\S+", r"\1<IDENTIFIER>"),
                mask(r"(Invalid date )'[^']*'", r"\1'<DATE>'"), mask(r"(Document )'[^']*'", r"\1'<FILE>'"),
                mask(r" in (?!<)\S+$", " in <FILE>"))),
    # VitePress fails the build after listing the dead links (each a warning)
    rule("vitepress-dead-links", "build_command_failed", r"^(?:\[vitepress\] |Error: )?\d+ dead link\(s\) found\.?$",
         "dead link(s) found", priority=50, tool="vitepress", masks=(mask(r"\d+ dead link", "<N> dead link"),)),
    # SvelteKit's prerenderer (`404 /about (linked from /)`, `/about was linked from /`, unseen routes, missing ids)
    # and adapter-static's checks
    rule("sveltekit-prerender", "build_command_failed",
         r"^(?:Error: )?[1-5]\d\d \S{1,500} \((?:linked|fetched) from \S{1,500}\)$|^\S{1,500} was (?:linked|fetched) from \S{1,500}$"
         r"|^The following routes were marked as prerenderable, but were not prerendered"
         r"|^The following pages contain links to \S{1,500}, but no element with id="
         r"|^(?:Error: )?Could not create a fallback page\b|^(?:@sveltejs/adapter-[\w-]{1,40}: )?all routes must be fully prerenderable",
         "linked from", "fetched from", "marked as prerenderable", "no element with id", "fallback page",
         "fully prerenderable", priority=50, tool="svelte-kit",
         masks=(mask(r"^((?:Error: )?\d{3} )\S+ \((linked|fetched) from \S+\)$", r"\1<PATH> (\2 from <PATH>)"),
                mask(r"^\S+ was (linked|fetched) from \S+$", r"<PATH> was \1 from <PATH>"),
                mask(r"(links to )\S+,", r"\1<PATH>,"), mask(r'id="[^"]*" exists on \S+', 'id="<IDENTIFIER>" exists on <PATH>'))),
    rule("sveltekit-handler-hint", "build_command_failed",
         r"^To suppress or handle this error, implement `handle\w{1,40}`", "to suppress or handle this error", priority=40,
         tool="svelte-kit", rank=RANK_TOOL_SUMMARY),
))
