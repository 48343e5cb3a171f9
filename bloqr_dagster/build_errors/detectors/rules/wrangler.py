"""wrangler (Workers/Pages CLI): config, API, bundling and upload errors, with multi-line causes.

`A request to the Cloudflare API (...) failed.` only says which call failed; the cause
(`Authentication error [code: 10000]`, `... [code: 10014]`, a limit, a missing resource, a network
failure) follows on the next lines, so that rule looks ahead and takes its category and group from
the cause. Any other `✘ [ERROR]` line is esbuild's format, shared with vite and others: the general
layer attributes it to the tool running at that point (rules/general.py).
"""

from __future__ import annotations

from bloqr_dagster.build_errors.detectors.model import Detector
from bloqr_dagster.build_errors.detectors.rules._dsl import cause, mask, rule

ERR = r"(?:✘|X|×) \[ERROR\]"
AUTH = (r"Authentication error|Unable to authenticate|\[code: (?:10000|10001|9106|9109|10042|7403|6003|6111)\]"
        r"|Unauthorized|Invalid access token|not authorized|Invalid API Token|API token may have expired"
        r"|\bCode 10000\b|\(code 1031\)|You are not authenticated|You are not logged in|\bNot logged in\b"
        r"|CLOUDFLARE_API_TOKEN environment variable|api\.error\.unauthorized|\[code: 10023\]"
        # wrangler's account and token hints: no account ID could be found, the token lacks permissions
        r"|retrieve account IDs? for the logged in user|mandatory to specify an account ID"
        r"|incorrect permissions on your API token|due to an authentication issue|authenticating via a custom API token")
AUTH_KEYWORDS = ("authenticat", "[code: ", "unauthorized", "access token", "not authorized", "api token",
                 "code 10000", "code 1031", "logged in", "cloudflare_api_token", "code: 10023",
                 "account id", "api token", "authentication issue")
# What the lines after `A request to the Cloudflare API (...) failed.` say the failure was.
API_CAUSES = (
    cause(AUTH, "auth_error", 100),
    cause(r"fetch failed|\bE(?:TIMEDOUT|CONNRESET|CONNREFUSED|AI_AGAIN|NOTFOUND)\b|socket hang up", "network_error", 90),
    # limits, quotas, not found, conflicts and any other coded API error stay wrangler errors, grouped apart
    cause(r"\[code: \d+\]|(?i:limit|quota|too many|exceeded|not found|does not exist|already exists)",
          "wrangler_error", 60),
)

DETECTOR = Detector("wrangler", "wrangler", (
    rule("wrangler-api-request-failed", "wrangler_error", r"A request to the Cloudflare API \((?:[^)]*\) failed|/[^)\s]*\)?$)",
         "a request to the cloudflare api", priority=40,
         causes=API_CAUSES, lookahead=6),
    rule("wrangler-auth", "auth_error", AUTH, *AUTH_KEYWORDS, priority=100,
         masks=(mask(r"(assign its value to )\S*$", r"\1CLOUDFLARE_API_TOKEN."),)),
    # wrangler's own request to the API could not be made (undici's `fetch failed`, a DNS or connect failure)
    rule("wrangler-fetch-failed", "network_error", rf"{ERR} (?:TypeError: )?fetch failed\b", "fetch failed", priority=100),
    rule("wrangler-config-file-missing", "wrangler_error",
         r"ENOENT: no such file or directory, (?:open|stat|lstat) '[^']*wrangler\.(?:toml|jsonc?)'", "enoent",
         priority=105),
    rule("wrangler-output-dir-missing", "build_output_missing",
         r"The directory specified by the \"[^\"]+\" field in your configuration file does not exist"
         r"|assets directory .* does not exist|Could not find (?:the )?(?:assets|output) directory",
         "does not exist", "could not find", priority=100),
    rule("wrangler-specific", "wrangler_error",
         r"Missing entry-point to Worker script|You need to provide a name when publishing|exceeded startup limits"
         r"|Script startup exceeded|exceeded (?:the )?(?:size|CPU time) limit|Worker exceeded the size limit"
         r"|workers\.api\.error\.\w+|Unexpected external import of|is reserved in Pages projects"
         r"|bindings? should have a string \"\w+\" field|You must provide (?:either )?--|Unknown arguments?: "
         r"|Could not read file: |Processing .+ configuration:|No such (?:Worker|script|namespace)"
         r"|Failed to (?:upload|publish|deploy) (?:your )?(?:Worker|script)"
         # the explanation lines under a startup/size-limit failure and under a missing entry-point
         r"|Worker Startup Timed out|constraints on Worker startup|largest dependencies included in your script"
         r"|If there is code to deploy, you can either|Specify an entry-point to your Worker script"
         r"|create an? \"wrangler\.(?:toml|jsonc?)\" file|has no default export, which means it is assumed to be a Service Worker"
         r"|Run `wrangler whoami` to confirm|The specified project name does not match any of your existing projects"
         r"|is not (?:currently )?enabled (?:on|for) (?:this|your) account|Could not route to /(?:accounts|zones|client)/"
         # a parse error's location in the configuration file
         r"|wrangler\.(?:toml|jsonc?):\d+:\d+:?$",
         "missing entry-point", "need to provide a name", "startup", "exceeded", "workers.api.error",
         "unexpected external import", "reserved", "should have a string", "must provide", "unknown argument",
         "could not read file", "configuration:", "no such", "failed to", "worker startup", "largest dependencies",
         "code to deploy", "specify an entry-point", "\" file", "no default export", "wrangler whoami",
         "specified project name", "enabled on", "enabled for", "could not route to", "wrangler.", priority=70,
         masks=(mask(r"(Unknown arguments?: ).*", r"\1<ARGS>"),
                mask(r"(external import of )\"[^\"]*\"", r'\1"<MODULE>"'),
                mask(r"(The name )'[^']*'", r"\1'<BINDING>'"),
                mask(r"(bindings should have a string \"\w+\" field but got ).*", r"\1<VALUE>"))),
    # the items of wrangler's `Processing wrangler.toml configuration:` list
    rule("wrangler-config-item", "wrangler_error",
         r"^- .+(?:should have a|is reserved|must be (?:a|an|one of|unique)|is not a valid|is required|but got "
         r"|is missing the required|mutually exclusive|contains more than one|does not appear to be a valid"
         r"|which is not supported|assigned to (?:Durable Object|KV Namespace|R2 Bucket|D1 Database|Queue|Service)"
         r"|must have unique names)"
         r"|^- Expected exactly one of the following fields|^- \"env\.[\w.-]{1,100}\" environment configuration$",
         "should have", "reserved", "must be", "not a valid", "is required", "but got", "missing the required",
         "mutually exclusive", "more than one", "not appear to be a valid", "not supported", "assigned to",
         "unique names", "expected exactly one", "environment configuration", priority=60),
    rule("wrangler-api-coded-line", "wrangler_error", r"\[code: \d{3,8}\]\.?$|\[code:$", "[code: ", "[code:", priority=45, rank=45,
         masks=(mask(r"\(/accounts/[^)]*\)", "(<API_PATH>)"),)),
    rule("wrangler-uncaught-at-startup", "wrangler_error", r"^Uncaught (?:\w+)?Error:", "uncaught", priority=60,
         masks=(mask(r"(Error: )\w+( is not defined)", r"\1<IDENTIFIER>\2"),)),
))
