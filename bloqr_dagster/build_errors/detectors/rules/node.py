"""Node.js runtime: heap OOM and GC traces, engine/version checks, module resolution, spawn."""

from __future__ import annotations

from bloqr_dagster.build_errors.detectors.model import Detector
from bloqr_dagster.build_errors.detectors.rules._dsl import QUOTED_MODULE, mask, rule

DETECTOR = Detector("node", "node", (
    rule("node-heap-oom", "out_of_memory",
         r"JavaScript heap out of memory|FATAL ERROR: .*(?:heap limit|Allocation failed|out of memory)"
         r"|Fatal (?:JavaScript|javascript) (?:OOM|out of memory)|Fatal process out of memory"
         r"|\bERR_WORKER_OUT_OF_MEMORY\b|RangeError: Array buffer allocation failed"
         r"|WebAssembly\.Memory\(\): could not allocate memory",
         "heap", "fatal error", "fatal javascript", "fatal process out of memory", "err_worker_out_of_memory",
         "array buffer allocation failed", "could not allocate memory", priority=100),
    # V8 prints the last GCs before the FATAL ERROR line and a native stack after it: the same failure, so
    # they rank below that line (the primary is the line that says what happened).
    rule("node-heap-oom-trace", "out_of_memory",
         r"<--- (?:Last few GCs|JS stacktrace) --->|^=+ JS stack trace =+|^-+ Native stack trace -+"
         r"|\[\d+:0x[0-9a-fA-F]+\]\s+\d+ ms: (?:Mark-sweep|Mark-Compact|Scavenge|Mark-compact)"
         r"|allocation failure;? (?:scavenge|GC) might not succeed|^\d+: (?:0x)?[0-9a-fA-F]{6,16} +(?:node::|v8::|Builtins_)"
         r"|^\d+: (?:0x)?[0-9a-fA-F]{6,16} +\[node\]$|^Security context: 0x[0-9a-fA-F]+ <JSObject>"
         r"|^\d+: (?:ExitFrame|StubFrame) \[pc: 0x|^\d+: builtin exit frame: "
         r"|\bnode::(?:OOMErrorHandler|OnFatalError|FatalError|Abort\(\))"
         r"|\bv8::(?:internal::V8::FatalProcessOutOfMemory|Utils::ReportOOMFailure|Isolate::ReportExternalAllocation)",
         "last few gcs", "js stacktrace", "js stack trace", "native stack trace", "ms: mark", "ms: scavenge", "allocation fail", "node::",
         "v8::", "builtins_", "node]", "security context: 0x", "exitframe [pc", "stubframe [pc", "builtin exit frame",
         "fatalprocessoutofmemory", "reportoomfailure", "reportexternalallocation", priority=100, rank=90,
         masks=(mask(r"^\d+: (?:0x)?[0-9a-fA-F]+ ", "<N>: <HEX> "), mask(r" \[[^\]/]*/[^\]]*\]$", " [<PATH>]"))),
    # Node 17+ (OpenSSL 3) running a webpack 4 / react-scripts 4 build: the Node version is the cause
    rule("node-openssl3", "node_version_mismatch",
         r"digital envelope routines::unsupported|\bERR_OSSL_EVP_UNSUPPORTED\b", "digital envelope",
         "err_ossl_evp_unsupported", priority=100),
    rule("node-version-required", "node_version_mismatch",
         r"You are using Node\.js \S+\. For .+ is required|Node(?:\.js)? (?:version )?v?\d\S* is (?:not supported"
         r"|unsupported)|requires (?:at least )?Node(?:\.js)? (?:v?\d|version)|Please upgrade (?:your )?Node"
         r"|[Uu]nsupported Node(?:\.js)? version|Node\.js version .* is required|ERR_UNSUPPORTED_NODE"
         r"|not supported by (?:Astro|Next\.js|Nuxt|Vite|SvelteKit)|Vite requires Node\.js version"
         r"|node-build: definition not found|Unable to (?:find|install) (?:node|nodejs) (?:version )?v?\d"
         r"|[Ii]nvalid Node\.js [Vv]ersion|Node\.js [Vv]ersion \"[^\"]+\" is (?:discontinued|deprecated|not supported)"
         r"|Node(?:\.js)? v?\d[\d.x]* is no longer supported"
         # npm, pnpm and Yarn refusing to run on the Node they find; node-sass without a binding for it
         r"|is known not to run on Node\.js v?\d|^npm does not support Node\.js v?\d|^The current version of Node\.js is v?\d"
         r"|This tool requires a Node version compatible with|Node Sass does not yet support your current environment",
         "you are using node", "is not supported", "is unsupported", "requires at least node", "requires node",
         "upgrade your node", "upgrade node", "unsupported node", "is required", "err_unsupported_node",
         "not supported by", "requires node.js", "node-build: definition", "unable to", "invalid node.js version",
         "is discontinued", "is deprecated", "is no longer supported", "known not to run on node",
         "npm does not support node", "current version of node.js", "requires a node version", "node sass does not yet support",
         priority=100,
         masks=(mask(r"(Node\.js )v?\d+(?:\.\d+)*", r"\1<VERSION>"),)),
    # node refusing a flag it does not know yet (`--openssl-legacy-provider` before Node 17); a `node:` builtin
    # that an old Node does not have; a native addon built for another Node ABI
    rule("node-flag-unknown", "node_version_mismatch",
         r"^(?:\S{1,200}: )?(?:--[\w-]{1,80}(?:=\S{0,80})? is not allowed in NODE_OPTIONS|bad option: --[\w-])"
         r"|No such built-in module: node:|\bERR_UNKNOWN_BUILTIN_MODULE\b|Cannot find module 'node:[\w/]{1,40}'"
         r"|was compiled against a different Node\.js version using",
         "is not allowed in node_options", "bad option: --", "no such built-in module", "err_unknown_builtin_module",
         "cannot find module 'node:", "compiled against a different node.js", priority=102,
         masks=(mask(r"(NODE_MODULE_VERSION )\d+", r"\1<N>"), mask(r"(node:)[\w/]+", r"\1<MODULE>"))),
    # a global or built-in method that newer Node versions have (structuredClone and web streams: 17/18, fetch,
    # File and the WHATWG classes: 18/20, Array `findLast`/`toSorted`: 18/20, crypto.hash: 21.7, the Web Crypto
    # global: 19, globalThis: 12, WeakRef/FinalizationRegistry: 14.6, AggregateError: 15, Iterator: 22, Array `at`:
    # 16.6, `flat`/`flatMap`/Object.fromEntries/`matchAll`: 11/12, well-formed strings: 20, the Set methods: 22,
    # URL.canParse: 19.9, URL.parse: 22.1, process.getBuiltinModule: 22.3, fs.glob: 22, util.parseArgs: 18.3, ...)
    rule("node-missing-global", "node_version_mismatch",
         r"\b(?:structuredClone|ReadableStream|WritableStream|TransformStream|TextDecoderStream|AbortController"
         r"|AbortSignal|fetch|Headers|FormData|File|Blob|BroadcastChannel|DOMException|CustomEvent|crypto|globalThis"
         r"|WeakRef|FinalizationRegistry|AggregateError|Iterator|CompressionStream|DecompressionStream) is not defined\b"
         r"|\.(?:replaceAll|findLast|findLastIndex|toSorted|toReversed|toSpliced|hasOwn|withResolvers|fromAsync|groupBy"
         r"|styleText|at|flat|flatMap|fromEntries|matchAll|isWellFormed|toWellFormed|symmetricDifference|isSubsetOf"
         r"|isSupersetOf|isDisjointFrom|getBuiltinModule) is not a function\b|\bURL\.(?:canParse|parse) is not a function\b"
         r"|\b(?:fs|fsp|fsPromises|promises)\.glob is not a function\b|\butil\.parseArgs is not a function\b"
         r"|crypto[\w$]{0,20}\.(?:getRandomValues|hash|randomUUID) is not a function\b",
         "is not defined", "is not a function", priority=55,
         masks=(mask(r"\b[\w$]*crypto[\w$]*\.", "crypto."),
                mask(r"(?:\(intermediate value\)|\b\w+)(\.(?:replaceAll|findLast|findLastIndex|toSorted|toReversed|toSpliced"
                     r"|at|flat|flatMap|matchAll|isWellFormed|toWellFormed|symmetricDifference|isSubsetOf|isSupersetOf"
                     r"|isDisjointFrom) )", r"<IDENTIFIER>\1"))),
    rule("node-old-syntax", "node_version_mismatch",
         r"SyntaxError: Unexpected token '(?:\.|\?|\?\?=|\|\|=|&&=|#)'"
         # import assertions (`assert { type: 'json' }`) that Node 22 removed
         r"|SyntaxError: Unexpected identifier 'assert'"
         # V8 before Node 12 printed the token unquoted (optional chaining, `??`, object spread on such an old Node);
         # a regular expression flag (`d`: 16, `v`: 20) that the running V8 does not know yet
         r"|SyntaxError: Unexpected token (?:\.|\?|\?\?|\.\.\.)$|SyntaxError: Invalid regular expression flags$",
         "unexpected token", "unexpected identifier 'assert'", "invalid regular expression flags", priority=100,
         masks=(mask(r"token '[^']*'", "token '<TOKEN>'"), mask(r"(token )[.?]+$", r"\1<TOKEN>"))),
    # ESM resolution failures of Node (a package's `imports`/`exports` map) and of JavaScriptCore (bun, Safari: a
    # named export or binding that the imported module does not have)
    rule("node-esm-resolution", "module_not_found",
         r"\bERR_PACKAGE_IMPORT_NOT_DEFINED\b|Package import specifier \"[^\"]{1,300}\" is not defined"
         r"|\bERR_INVALID_PACKAGE_TARGET\b|Invalid \"exports\" (?:main )?target "
         r"|\b(?:Export named|Importing binding name) '[^']{1,200}' (?:not found in module|is not found|cannot be resolved)",
         "err_package_import_not_defined", "package import specifier", "err_invalid_package_target", "invalid \"exports\"",
         "export named", "importing binding name", priority=100,
         masks=(mask(r'(specifier )"[^"]*"', r'\1"<MODULE>"'), mask(r'(target )"[^"]*"', r'\1"<PATH>"'),
                mask(r"((?:Export named|binding name) )'[^']*'", r"\1'<IDENTIFIER>'"), QUOTED_MODULE)),
    # an unhandled rejection (Node 15+ exits on it): the rejection's reason is the build's own error, so the line
    # follows the stage and ranks below the error printed with it
    rule("node-unhandled-rejection", "build_command_failed",
         r"^\[UnhandledPromiseRejection: This error originated|^code: 'ERR_UNHANDLED_REJECTION'",
         "unhandledpromiserejection", "err_unhandled_rejection", priority=45, relative="stage", rank=25,
         masks=(mask(r'(rejected with the reason )"[^"]*"', r'\1"<REASON>"'),)),
    # the hint Node prints after ERR_REQUIRE_ESM
    rule("node-require-esm-hint", "build_command_failed",
         r"^Instead change the require of \S+ in \S+ to a dynamic import\(\)", "instead change the require",
         priority=45, rank=25, masks=(mask(r"(require of )\S+( in )\S+", r"\1<FILE>\2<PATH>"),)),
    rule("node-cannot-find-module", "module_not_found",
         r"Cannot find module (?:'[^']+'|\"[^\"]+\"|@?\w[\w@./-]*)|Cannot find package '[^']+'|ERR_MODULE_NOT_FOUND|No module named '[^']+'"
         r"|does not provide an export named '|Named export '[^']{1,200}' not found\. The requested module"
         r"|Directory import '[^']{1,300}' is not supported resolving ES modules"
         r"|ERR_PACKAGE_PATH_NOT_EXPORTED|ERR_UNSUPPORTED_DIR_IMPORT|Package subpath '[^']+' is not defined by \"exports\""
         r"|^code: '(?:ERR_)?MODULE_NOT_FOUND'|^code: '(?:UNRESOLVED_IMPORT|MISSING_EXPORT)'",
         "cannot find module", "cannot find package", "err_module_not_found", "module_not_found", "no module named",
         "err_package_path_not_exported", "err_unsupported_dir_import", "package subpath", "code: '",
         "does not provide an export named", "named export", "directory import", priority=100,
         masks=(QUOTED_MODULE, mask(r"(module named )'[^']*'", r"\1'<MODULE>'"),
                mask(r"((?:export named|Named export) )'[^']*'", r"\1'<IDENTIFIER>'"),
                mask(r"(Directory import )'[^']*'", r"\1'<PATH>'"))),
    # a printed Rollup error object's code
    rule("rollup-error-code", "build_command_failed", r"^code: '(?:PLUGIN_ERROR|PARSE_ERROR)',?$", "code: '",
         priority=60, rank=20),
    rule("node-spawn-enoent", "command_not_found", r"\bspawn \S+ ENOENT", "spawn", priority=100),
    rule("node-invalid-arg", "build_command_failed",
         r"The \"\w+\" argument must be (?:of type|an instance of|one of)", "argument must be", priority=50,
         masks=(mask(r'The "\w+" argument', 'The "<ARG>" argument'),)),
    # V8's runtime messages without their `TypeError: ` (plugin prefixes, `> ` echoes of the message):
    # the build's own code crashed; its category follows the stage
    rule("v8-runtime-message", "build_command_failed",
         r"Cannot read propert(?:y|ies) of (?:undefined|null)\b|Cannot destructure property '"
         r"|(?:^|[\s>(\]])[\w$.\[\]()]{1,120} is not a (?:function|constructor)\b",
         "cannot read propert", "cannot destructure", "is not a function", "is not a constructor", priority=8,
         relative="general", rank=30),
    rule("node-syntax-error", "build_command_failed", r"\bSyntaxError: ", "syntaxerror", priority=50),
), shared=True)  # any Node program prints these: the running tool is the better name
