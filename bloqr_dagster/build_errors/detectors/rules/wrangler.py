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
AUTH = (r"Authentication error|Unable to authenticate|\[code: (?:10000|10001|9103|9106|9109|10015|10042|7403|6003|6111)\]"
        r"|Unauthorized|Invalid access token|not authorized|Invalid API Token|API token may have expired"
        r"|\bCode 10000\b|\(code 1031\)|You are not authenticated|You are not logged in|\bNot logged in\b"
        r"|CLOUDFLARE_API_TOKEN environment variable|api\.error\.unauthorized|\[code: 10023\]"
        # wrangler's account and token hints: no account ID could be found, the token lacks permissions
        r"|retrieve account IDs? for the logged in user|mandatory to specify an account ID"
        r"|incorrect permissions on your API token|due to an authentication issue|authenticating via a custom API token")
AUTH_KEYWORDS = ("authenticat", "[code: ", "unauthorized", "access token", "not authorized", "api token",
                 "code 10000", "code 1031", "logged in", "cloudflare_api_token", "code: 10023",
                 "account id", "api token", "authentication issue")
# workerd's report of an import it cannot load (`Uncaught Error: No such module "node:fs".`): a Node built-in
# without the nodejs_compat flag, or a module the bundle left external
NO_SUCH_MODULE = r"\bNo such module \"[^\"]{1,200}\""
# What the lines after `A request to the Cloudflare API (...) failed.` say the failure was.
API_CAUSES = (
    cause(AUTH, "auth_error", 100),
    cause(r"fetch failed|\bE(?:TIMEDOUT|CONNRESET|CONNREFUSED|AI_AGAIN|NOTFOUND)\b|socket hang up", "network_error", 90),
    # the runtime's check of the uploaded Worker (code 10021) could not load an imported module
    cause(NO_SUCH_MODULE, "module_not_found", 95),
    # any other exception the Worker threw at startup (code 10021): the message says which
    cause(r"^Uncaught (?:\w+)?Error:", "wrangler_error", 60),
    # limits, quotas, not found, conflicts and any other coded API error stay wrangler errors, grouped apart
    cause(r"\[code: \d+\]|(?i:limit|quota|too many|exceeded|not found|does not exist|already exists)",
          "wrangler_error", 60),
)

DETECTOR = Detector("wrangler", "wrangler", (
    rule("wrangler-api-request-failed", "wrangler_error",
         r"A request to the Cloudflare API (?:\((?:[^)]*\) failed|/[^)\s]*\)?$)|failed\.?$)",
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
    # wrangler's own reports of an API it could not reach (core/handle-errors.ts)
    rule("wrangler-api-unreachable", "network_error",
         r"Unable to resolve Cloudflare's API hostname|The request to Cloudflare's API timed out",
         "cloudflare's api", priority=100),
    # workerd could not load an import of the uploaded or served Worker (under Pages' publish-step rule, which
    # wraps it: `Failed to publish your Function. Got error: ...`)
    rule("wrangler-no-such-module", "module_not_found", NO_SUCH_MODULE, "no such module", priority=70, rank=100,
         masks=(mask(r'(No such module )"[^"]*"', r'\1"<MODULE>"'),
                mask(r"(service core:user:)[^:\s]+:", r"\1<WORKER_NAME>:"))),
    # Pages' deployment that the platform reported failed (pages/deploy.ts); its cause follows
    rule("wrangler-pages-deployment-failed", "deploy_command_failed",
         rf"^(?:{ERR} )?Deployment failed!$|^(?:{ERR} )?Failed to (?:upload files|complete asset upload)\. Please try again\."
         r"|An unexpected response has been received from the Cloudflare API for assets upload",
         "deployment failed!", "failed to upload files", "failed to complete asset upload", "unexpected response has been received",
         priority=70),
    # UserError/FatalError messages of the deploy, versions, Pages, D1, KV and R2 commands, and the
    # parse errors of the configuration file (smol-toml's `Invalid TOML document: ...`, jsonc-parser's codes)
    rule("wrangler-catalog", "wrangler_error",
         r"A compatibility_date is required when (?:publishing|uploading)|It looks like you've run a Workers-specific command in a Pages project"
         r"|The --node-compat flag is no longer supported|Workers Sites does not support uploading versions"
         r"|Cannot use assets and Workers Sites in the same Worker|Pages does not support (?:custom paths for the Wrangler configuration file|targeting an environment with the --env flag)"
         r"|Missing Pages project name\.|Must specify a directory of assets to deploy|Could not find anything to build\. We"
         r"|Failed to build Functions at |_worker\.js is not being bundled by Wrangler|Pages only supports (?:files up to|up to [\d,.]+ files)"
         r"|Wrangler only supports uploading files up to|No config file detected|You need to register a workers\.dev subdomain"
         r"|Couldn't find (?:a|an auto-provisioned) D1 DB (?:with (?:the )?name or binding|named) '|No configuration file found\. Create a wrangler"
         r"|No migrations present at |A database with that name already exists|The specified (?:bucket|key) does not exist\."
         r"|No (?:preview )?(?:KV )?namespace (?:ID (?:is configured|found) for binding|named \"[^\"]{1,100}\" was found|with binding \")"
         r"|No KV namespaces are configured in your wrangler config|Invalid TOML document: "
         # the deploy step's own checks (packages/deploy-helpers): assets, queues, routes, names, secrets, bindings
         rf"|^(?:{ERR} )?(?:Asset too large|Upload took too long)\.$|Queue \"[^\"]{{1,100}}\" does not exist\. To create it"
         r"|is already associated with another worker called \"|\([^)]{1,100}\) must match the name of your Worker"
         r"|must match the `account_id` for this account|Could not find zone for |A Worker named \"[^\"]{1,100}\" already exists in your account"
         r"|You cannot upload a new version of a Worker that does not yet exist|The following required secrets have not been set: "
         r"|You must use a real database in the database_id configuration|compatibility flags cannot be used in together"
         r"|You cannot configure \[wasm_modules\] with an ES module worker|You cannot use the service-worker format with an `assets`"
         r"|bindings must have an? \"\w+\" field\. Add "
         rf"|^{ERR} (?:Missing required arguments?: |Not enough non-option arguments: |Unknown command: )"
         rf"|^{ERR} (?:InvalidSymbol|InvalidNumberFormat|PropertyNameExpected|ValueExpected|ColonExpected|CommaExpected"
         r"|CloseBraceExpected|CloseBracketExpected|EndOfFileExpected|InvalidCommentToken|UnexpectedEndOf(?:Comment|String|Number)"
         r"|InvalidUnicode|InvalidEscapeCharacter|InvalidCharacter)$",
         "compatibility_date is required", "workers-specific command", "node-compat flag", "workers sites does not",
         "assets and workers sites", "pages does not support", "missing pages project name", "directory of assets to deploy",
         "anything to build", "failed to build functions", "worker.js is not being bundled", "pages only supports",
         "wrangler only supports", "no config file detected", "register a workers.dev subdomain", "d1 db",
         "no configuration file found", "no migrations present", "database with that name", "the specified bucket",
         "the specified key", "namespace id", "namespace named", "namespace with binding", "no kv namespaces",
         "invalid toml document", "asset too large", "upload took too long", "does not exist. to create it",
         "already associated with another worker", "must match the name of your worker", "account_id` for this account",
         "could not find zone for", "already exists in your account", "does not yet exist", "required secrets have not been set",
         "real database", "cannot be used in together", "wasm_modules", "service-worker format", "bindings must have",
         "missing required argument", "non-option arguments", "unknown command",
         "invalidsymbol", "invalidnumberformat", "propertynameexpected", "valueexpected", "colonexpected", "commaexpected",
         "closebraceexpected", "closebracketexpected", "endoffileexpected", "invalidcommenttoken", "unexpectedendof",
         "invalidunicode", "invalidescapecharacter", "invalidcharacter", priority=70,
         masks=(mask(r"((?:binding|named|bound as) )'[^']*'", r"\1'<NAME>'"), mask(r"(wrangler d1 create )[^'\s]+", r"\1<NAME>"),
                mask(r'((?:binding|named|for|to the) )"[^"]*"', r'\1"<NAME>"'),
                mask(r"((?:Functions|present) at )\S+?(\.?)$", r"\1<PATH>\2"),
                mask(r"(Missing required arguments?: ).*", r"\1<ARGS>"),
                mask(r"(Unknown command: ).*", r"\1<COMMAND>"),
                mask(r'(Queue )"[^"]*"', r'\1"<NAME>"'), mask(r'(with pattern )"[^"]*"', r'\1"<URL>"'),
                mask(r'((?:A Worker named|another worker called) )"[^"]*"', r'\1"<WORKER_NAME>"'),
                mask(r"(wrangler queues create )\S+", r"\1<NAME>"),
                mask(r"(file )\([^)]*\)( must match)", r"\1(<WORKER_NAME>)\2"),
                mask(r"(zone for )`[^`]*`", r"\1`<HOST>`"),
                mask(r"(have not been set: ).*", r"\1<NAMES>"))),
    # the items of wrangler's `Processing wrangler.toml configuration:` list
    rule("wrangler-config-item", "wrangler_error",
         r"^- .+(?:should have a|is reserved|must be (?:a|an|one of|unique)|is not a valid|is required|but got "
         r"|is missing the required|mutually exclusive|contains more than one|does not appear to be a valid"
         r"|which is not supported|assigned to (?:Durable Object|KV Namespace|R2 Bucket|D1 Database|Queue|Service)"
         r"|must have unique (?:names|\"\w+\" values)|\" is invalid\. Bucket names must)"
         r"|^- Expected exactly one of the following fields|^- \"env\.[\w.-]{1,100}\" environment configuration$",
         "should have", "reserved", "must be", "not a valid", "is required", "but got", "missing the required",
         "mutually exclusive", "more than one", "not appear to be a valid", "not supported", "assigned to",
         "unique names", "expected exactly one", "environment configuration", "must have unique",
         "is invalid. bucket names", priority=60,
         masks=(mask(r"(duplicate\(s\) found: ).*", r"\1<NAMES>"), mask(r'(=)"[^"]*"( is invalid\.)', r'\1"<NAME>"\2'))),
    rule("wrangler-api-coded-line", "wrangler_error", r"\[code: \d{3,8}\]\.?$|\[code:$", "[code: ", "[code:", priority=45, rank=45,
         masks=(mask(r"\(/accounts/[^)]*\)", "(<API_PATH>)"),)),
    rule("wrangler-uncaught-at-startup", "wrangler_error", r"^Uncaught (?:\w+)?Error:", "uncaught", priority=60,
         masks=(mask(r"(Error: )\w+( is not defined)", r"\1<IDENTIFIER>\2"),)),
))
