"""The general layer: universal error markers under the tool rules, and what a marked line means.

Tool rules know formats (`npm error code ERESOLVE`, `error TS2322`). A line no tool rule claims but
that carries a universal marker (`error:`, `ERROR`, `ERR!`, `fatal:`, `[ERROR]`, `✘`, `Error:`,
`panic:`, an exception, `exited with code 2`, `FAILED`) is still an error line. Its category comes
from, in order:

1. the cause its words name (`ECONNRESET`, `unauthorized`, `cannot find module`, `lockfile ...
   frozen`): `cause_category`;
2. the command it says failed (docker's `process "/bin/sh -c npm ci" did not complete`, Vercel's
   `Command "npm run build" exited with 1`): `command_category`;
3. the tool that printed it, from the line itself (`npm error`, `git`'s `fatal:`, `[vite]`) or the
   command running at that point (see context.py): wrangler's errors are `wrangler_error`, tsc's
   `typescript_error`, a package manager's follow the stage (`tool_category`);
4. the build stage the line is in (clone, install, build, deploy);
5. when the stage is not known, the activity its words name (`deploy`, `install`, `clone`,
   `compile`): `activity_category`; else `build_command_failed`.

So a plainly failing line in a format no rule knows lands in a sensible category. A warning is
never an error: a line whose first severity word is a warning is claimed as noise before any rule
sees it (`warning ts(6133)` of `astro check`, `npm warn`, `⚠`, `[WARNING]`).
"""

from __future__ import annotations

import re

from bloqr_dagster.build_errors.detectors.context import PACKAGE_MANAGERS, STAGE_CATEGORY, command_marker
from bloqr_dagster.build_errors.detectors.model import RANK_GENERIC, RANK_TOOL_SUMMARY, Detector
from bloqr_dagster.build_errors.detectors.rules._dsl import mask, rule

# The severity words a line can open with; the first one decides whether a line is an error at all.
_ERROR_WORD = r"(?i:\berror\b|\berr!|\bfatal\b|\bfailed\b|\bfail\b|\bpanic\b)|[✘✖×❌]"
# An optional tool prefix: `sh: `, `[vite] `, `pip `, Jekyll's `jekyll 3.9.0 | `.
_PREFIX = (r"(?:[\w@][\w@./-]{0,60}:? |\[[^\]\s]{1,40}\]:? |[\w-]{1,30} \d[\w.-]{0,20} \| |▲ +"
           r"|[^\s:]{1,200}:\d{1,7}(?::\d{1,7})?: )?")
# The first word of a message after `ERR!`/`error` (not one of npm's detail keys, not a path).
_MESSAGE = r"(?!(?:path|syscall|errno|code|command|cwd|signal|gyp)\b)[A-Za-z\"'`(\[][^\s/]*[ :]"

DETECTOR = Detector("general", "auto", (
    # A warning is never an error: a line whose first severity word is a warning is noise.
    rule("warning-first", "not_an_error",
         rf"^(?:(?!{_ERROR_WORD}).){{0,200}}?(?<![\w'\"/.@-])(?i:warn(?:ing)?)(?=[\s:\])!(]|$)|^⚠|^▲ \[WARNING\]",
         "warn", "⚠", priority=150, ignore=True),
    rule("error-marker", "build_command_failed",
         # `error: x`, `Error: x`, `fatal: x`, `tool: error: x`, `error[E0425]: x`, `FATAL ERROR: x`, `panic: x`
         rf"^{_PREFIX}(?:error|Error|ERROR|fatal|Fatal|FATAL(?: ERROR)?|panic)(?:\[[\w-]+\])?: +\S"
         # `[ERROR] x`, `✘ [ERROR] x`, `X [ERROR] x` (snapshots), `[vite] [error] x`
         rf"|^{_PREFIX}(?:[✘✖×X] )?\[ ?(?:ERROR|Error|error|ERR|FATAL|Fatal|fatal) ?\]:?[ \t]*\S"
         r"|\blevel=(?:error|fatal)\b|\"level\": ?\"(?:error|fatal)\"|^\[!\] [A-Z]"
         # buildpacks (Heroku, Cloud Native): `[Error: Unable to install dependencies using pip]`, `! Failed to x`;
         # uv's cause chain `╰─▶ x`; `Error during bun install`, `ERROR while x`
         r"|^\[Error: \S|^! +(?:[Ff]ailed|[Ee]rror|ERROR|[Uu]nable|[Mm]issing|[Cc]ould(?:n't| not)|[Cc]annot|[Ii]nvalid"
         r"|Push (?:rejected|failed)|[A-Z]\w+ (?:Requirement )?Error\b)|^[╰├]─▶ \S|^(?:Error|ERROR) (?:during|running|executing|in|building|compiling|parsing|processing|generating|installing"
         r"|rendering|bundling|deploying|publishing|uploading|downloading|fetching) \S"
         r"|^[^\n]{1,80}?: An (?:unexpected )?error (?:has )?occurred\b"
         # `npm ERR! x`, `gyp ERR! x`, `npm error x` (npm 10), `error x` (yarn classic), `ERROR x`: a message,
         # not npm's detail lines (indented, `path x`, `node_modules/x`, relayed `gyp info` output), not a progress line
         # about error pages or reports (`Generating error pages`, `Sending error reports to x`: a verb in -ing first)
         rf"|^(?:[\w@.-]+ )?ERR! {_MESSAGE}|^(?![A-Z][a-z]+ing ){_PREFIX}(?:npm |pnpm |yarn )?(?:error|ERROR) +{_MESSAGE}"
         # icon-led failures: `✘ x`, `× x`, `❌ x`, `✖ x`, Next.js's `⨯ x`
         r"|^(?:✘|✖|×|❌|✗|⨯) +\S"
         # exceptions: `TypeError: x`, `Uncaught ReferenceError: x`, `java.lang.IllegalStateException: x`,
         # `Error [ERR_X]: x`, `Error x` (Node's bare form), `thread 'main' panicked at`, Ruby's `NameError (x)`; not
         # a name in prose (`NotFoundError page rendered`)
         r"|^(?:Uncaught |Unhandled ?(?:Promise)?Rejection:? )?(?:[\w$]+\.)*[A-Z]\w*(?:Error|Exception)(?: \[[\w-]+\]:?|:|(?= \()) \S"
         r"|^Error \[[\w-]{1,80}\]:? \S|^thread '[^']*' panicked at|^Exception in thread \"[^\"]{1,100}\" \S|^Unhandled exception: \S",
         "err", "fatal", "panic", "✘", "✖", "×", "❌", "✗", "⨯", "exception", "! ", "─▶", "[!]", "error occurred",
         "error has occurred", priority=6,
         relative="general",
         rank=RANK_GENERIC),
    rule("shell-error", "build_command_failed",
         # `sh: 1: cd: can't cd to build/server`, `bash: line 3: x: Permission denied`, `/bin/sh: x`
         r"^(?:/[\w/]*/)?(?:ba|da|z)?sh: (?:line )?\d+: \S", "sh: ", priority=6, relative="general",
         rank=RANK_GENERIC),
    rule("exit-status", "build_command_failed",
         # `Command "x" exited with 1`, `exit status 2`, `exited with code 1`, `returned non-zero exit
         # status 1`, `did not complete successfully: exit code: 1`, `failed with exit code 1`
         r"(?i:\bexit(?:ed|s)?\b)[\w \-:]{0,40}?\b(?:code|status)\b:? ?\(?-?[1-9]\d*\b|\bexited with -?[1-9]\d*\b"
         r"|\bexited \([1-9]\d*\)"
         r"|\breturned (?:a )?non-zero (?:code|status):? ?[1-9]\d*",
         "exit", "non-zero", priority=5, relative="general", rank=RANK_TOOL_SUMMARY),
    rule("failed-summary", "build_command_failed",
         # `FAILED`, `FAIL src/a.test.ts`, `BUILD FAILED`, `Command failed`, `Build failed`, `Deployment failed`,
         # Gatsby's `failed Building static HTML for pages - 2.3s`
         r"(?<![\w-])FAILED(?![\w-])|^FAIL +\S|\b(?:[Cc]ommand|[Bb]uild|[Cc]ompil(?:e|ation)|[Dd]eploy(?:ment)?"
         r"|[Ii]nstall(?:ation)?|[Pp]ublish(?:ing)?|[Uu]pload|[Cc]lone|[Pp]ush|[Ff]etch|[Gg]it operation)"
         r" (?:[Ff]ailed|FAILED)\b|^failed [A-Z]\w|\bfailed \d+ times\b|^Failed to run [\"'`]"
         r"|^(?:Building|Generating|Compiling|Rendering|Running|Fetching|Installing) [^\n]{1,80}? failed\b"
         r"(?![^\n]{0,120}?\b(?:retrying|trying again|fall(?:ing)? ?back|skipping|continuing)\b)"
         r"|'[^']{1,80}' errored after"
         # a named step of the build that failed (`checksum verification failed`, `Tests failed`, `Pre-release steps
         # failed for x`), unless the line goes on to retry; Jenkins' and Maven's verdicts; a compiler's error count
         r"|\b(?:[Vv]erification|[Vv]alidation|[Dd]ownload|[Rr]esolution|[Ss]etup|[Tt]ype ?[Cc]heck(?:ing)?|[Ll]int(?:ing)?"
         r"|[Tt]ests?|[Pp]rerender(?:ing)?|[Ss]teps?|[Ss]cript|[Tt]ask|[Ww]orkflow|[Pp]ipeline) (?:has )?(?:[Ff]ailed|FAILED)\b"
         r"(?![^\n]{0,120}?\b(?:retry|retrying|trying again|will be retried|attempt \d)\b)"
         r"|^Finished: FAILURE\b|\bBUILD FAILURE\b",
         "failed", "fail ", "errored after", "failure", priority=5, relative="general", rank=RANK_TOOL_SUMMARY),
    # a compiler's error count (`2 errors`, `14 errors generated.`): its own rule, so that its keyword can be
    # `error` (a keyword opening with a blank would lengthen every line's keyword scan)
    rule("error-count", "build_command_failed", r"^[1-9]\d{0,5} errors?(?: found| generated)?\.?$", "error",
         priority=5, relative="general", rank=RANK_TOOL_SUMMARY),
    # A line without a marker that names a cause in words no progress line uses (`Temporary failure
    # resolving 'deb.debian.org'`, `Network is unreachable`, `authentication required`, a registry URL and
    # its problem): an error, categorised by those words like any general line.
    rule("cause-words", "build_command_failed",
         r"Temporary failure (?:resolving|in name resolution)|[Nn]etwork is unreachable|Operation timed out"
         r"|Max retries exceeded with url|toomanyrequests: |pull rate limit|authentication required$"
         r"|Permission denied$|^https?://\S{1,300}: (?:authentication required|Permission denied|Request \"[^\"]{1,300}\" returned a \d{3})"
         r"|^E: (?:Unable to locate package|Package '[^']+' has no installation candidate|Unable to fetch some archives"
         r"|Version '[^']+' for '[^']+' was not found)|^Package \S+ is not available, but is referred to"
         # coreutils' `mkdir: cannot create directory 'x': File exists`, Python's `[Errno 21] Is a directory: 'x'`
         r"|: (?:File exists|Not a directory|Is a directory|Directory not empty|Read-only file system|No space left on device"
         r"|Operation not permitted)$|\[Errno \d{1,3}\] [A-Z][\w ]{2,60}: "
         # Windows shells: cmd's `'x' is not recognized as an internal or external command`, PowerShell's cmdlet form
         r"|is not recognized as (?:an internal or external command|the name of a cmdlet)|^which: no \S{1,200} in \("
         r"|\bremote: +Repository (?:\S{1,200} )?not found\b",
         "temporary failure", "network is unreachable", "operation timed out", "max retries exceeded",
         "toomanyrequests", "pull rate limit", "authentication required", "permission denied", "e: unable to", "e: package", "e: version", "returned a ",
         "is not available, but", "file exists", "not a directory", "is a directory", "directory not empty",
         "read-only file system", "no space left", "operation not permitted", "[errno", "repository", "not recognized as", "which: no",
         priority=4, relative="general", rank=RANK_GENERIC,
         masks=(mask(r"^https?://\S+: ", "<URL>: "), mask(r"(package |Package )'?[\w.:+-]+'?", r"\1<PACKAGE>"),
                mask(r"(resolving )'[^']*'", r"\1'<HOST>'"), mask(r"(\[Errno \d{1,3}\] [A-Z][\w ]{2,60}: )'[^']*'", r"\1'<PATH>'"),
                mask(r"^(which: no )\S+ in \([^)]*\)", r"\1<COMMAND> in (<PATH>)"))),
    rule("traceback", "build_command_failed", r"^Traceback \(most recent call last\):", "traceback", priority=5,
         relative="general", rank=RANK_TOOL_SUMMARY - 2),
), shared=True)


# ------------------------------------------------------------------------------------------------
# What a general line means

def _words(pairs: tuple[tuple[str, str], ...]) -> tuple[re.Pattern[str], tuple[tuple[re.Pattern[str], str], ...]]:
    """(one regex matching wherever any of them does, the (pattern, category) pairs in order)."""
    scoped = [f"(?i:{p[4:]})" if p.startswith("(?i)") else f"(?:{p})" for p, _ in pairs]
    return re.compile("|".join(scoped)), tuple((re.compile(p), code) for p, code in pairs)


# Causes a line can name in any tool's words, most specific first. Each entry is vocabulary many tools
# print, not one tool's sentence: the tool rules above the general layer know the exact formats.
_CAUSES = _words((
    # a process killed for memory: V8's `Reached heap limit Allocation failed`, the kernel's OOM killer, exit 137
    (r"(?i)out of memory|heap limit|javascript heap|allocation failed|\boom(?:[ -]?killed)?\b|memory limit|\bENOMEM\b"
     r"|cannot allocate memory|\bMemoryError\b|\b(?:code|status|with):? 137\b|\bsignal: killed\b|^Killed$|: Killed$",
     "out_of_memory"),
    # a timeout talking to a server is the network's (Go's `i/o timeout`, `Client.Timeout exceeded while awaiting
    # headers`, `TLS handshake timeout`, requests' `ReadTimeoutError`), not the job's time limit
    (r"(?i)\bi/o timeout\b|client\.timeout|awaiting headers|tls handshake timeout|\bE(?:SOCKET)?TIMEDOUT\b"
     r"|\b(?:connect|connection|read|request|socket|network) (?:timed out|timeout)\b|\b(?:Read|Connect)TimeoutError\b",
     "network_error"),
    (r"(?i)time ?limit|deadline exceeded|maximum execution time|timed out after \d+ ?(?:min|h)|maximum time of"
     r"|maximum allowed time|still timing out|timed out (?:compiling|running)|compilation timed out"
     r"|\btimeout (?:starting|running|exceeded|reached)\b|\b(?:job|build|step|task) timeout\b"
     r"|\b(?:job|build|step|task|workflow|pipeline|deploy(?:ment)?) (?:has |was )?(?:timed out|cancell?ed after)\b"
     r"|exceeded (?:the )?(?:maximum |max )?(?:allowed )?(?:build |execution |run ?)?(?:time|duration|runtime)\b",
     "timeout"),
    # a refused connection to this machine is a service the build expected (a database), not the network
    (r"(?i)\bE(?:CONNRESET|CONNABORTED|AI_AGAIN|NOTFOUND|HOSTUNREACH|NETUNREACH)\b|getaddrinfo"
     r"|\bECONNREFUSED\b(?! (?:127\.\d+\.\d+\.\d+|localhost|\[?::1\]?|0\.0\.0\.0)\b)"
     r"|socket hang up|could not resolve host|name resolution|connection (?:refused|reset|timed out|closed|aborted)"
     r"|network (?:error|is unreachable)|\b(?:502|503|504)\b|service unavailable|bad gateway|tls handshake"
     r"|certificate (?:has expired|verify failed)|\bssl|temporary failure resolving|max retries exceeded"
     r"|toomanyrequests|pull rate limit|429 too many requests|remote end hung up|rpc failed|no route to host"
     r"|name or service not known|nodename nor servname|reset by peer|(?:(?:failed|unable) to|could not) connect to(?! (?:localhost|127\.|\[?::1|0\.0\.0\.0"
     r"|(?:the )?(?:database|db|redis|postgres\w*|mysql|mongo\w*)\b))"
     r"|self[- ]signed certificate|unable to (?:get|verify) (?:local issuer|the first) certificate|\bERR_SOCKET_"
     r"|\bUNABLE_TO_VERIFY_LEAF_SIGNATURE\b|\bCERT_HAS_EXPIRED\b|(?:New|Max)ConnectionError|\bProxyError\b"
     # a download that failed without another cause named (curl's, nvm's, a buildpack's, a browser installer's)
     r"|(?:failed|unable|could not|couldn't) (?:to )?download\b|\bdownload (?:failed|error)\b", "network_error"),
    (r"(?i)unauthori[sz]ed|\bforbidden\b|\b40[13]\b|authenticat|invalid (?:api )?(?:token|credentials|key)"
     r"|not logged in|login required|access denied|api[ _]token|permission denied \(publickey|no existing credentials"
     r"|token is not valid|interactive login|incorrect or missing password|not accessible by integration"
     r"|permission to \S+ denied|token.{0,60}(?:has been )?(?:deleted|expired|revoked|rolled)|bad credentials"
     r"|trying to log ?in\b|^https?://\S{1,300}: permission denied|not authori[sz]ed|\bE(?:40[13]|NEEDAUTH)\b"
     r"|authori[sz]ation (?:failed|required|error)|invalid username or password|login failed|(?:missing|invalid|expired|no) credentials"
     r"|credentials (?:are )?(?:missing|invalid|expired|not found|required)|(?:missing|expired) (?:access |auth |api |personal access )?token\b",
     "auth_error"),
    # a git operation a package manager or platform ran for it (uv's `failed to clone into`, yarn's `Failed listing refs`)
    (r"(?i)failed to clone\b|failed to fetch commit|git operation failed|failed listing refs"
     r"|could not read (?:username|password) for|\brepository \S{1,200} not found|\brepository not found", "clone_failed"),
    # a lock file named with its problem (`--frozen-lockfile`, the flag, names none: `yarn --frozen-lockfile` failed)
    (r"(?i)(?:lock ?file|[\w-]\.lock\b|-lock\.(?:json|ya?ml)|shrinkwrap\.json|\.lockb?\b).{0,60}(?:out of date|outdated"
     r"|not up.to.date|out of sync|not in sync|needs to be updated|needs updating|would have been modified|(?<![-\w])frozen"
     r"|mismatch|doesn't match|does not match|had changes|does not satisfy|not satisfied by|was last generated"
     r"|does not contain a compatible set)|(?<![-\w])(?:frozen|immutable).{0,40}lock ?file|update your lock ?file"
     r"|missing \S{1,120} (?:entry|entries) (?:for|in) \S{0,40}lock|missing go\.sum entry|go\.mod needed",
     "lockfile_out_of_sync"),
    (r"(?i)cannot find module|could not resolve\b(?! host| dependenc)|failed to resolve (?:import|module|entry)|module not found"
     r"|can't resolve|unable to resolve module|no module named|cannot find package|unresolved import"
     r"|does not provide an export named|is not exported by|no matching export|module [\"'][^\"']+[\"'] (?:was )?(?:not found|does not exist)"
     r"|ERR_PACKAGE_PATH_NOT_EXPORTED|ERR_UNSUPPORTED_DIR_IMPORT|\bpackage [\w.]+ does not exist|ERR_MODULE_NOT_FOUND"
     r"|failed to load url|cannot load such file|can't find stylesheet to import|could not find module|unable to import module"
     r"|no required module provides package|cannot import name|is not defined by \"exports\"|import [\"'][^\"']{1,200}[\"'] could not be resolved",
     "module_not_found"),
    (r"(?i)command not found|not found in \$?path|is not recognized as an internal|executable file not found"
     r"|: not found$|\b(?:code|status|with):? 127\b|\(127\)|(?:tool|command|executable|binary) not installed"
     r"|command [\"'][^\"']{1,80}[\"'] not found|please install [`'\"]?[\w.-]{1,60}[`'\"]? (?:before continuing|first)\b"
     r"|\bfailed to spawn\b|\bspawn \S{1,200} ENOENT\b|not recognized as the name of a cmdlet|^which: no \S"
     r"|(?:unable to|could not|cannot) find (?:the )?executable|no such command\b", "command_not_found"),
    # Node's version or a package's `engines` (`The engine "node" is incompatible`, `requires node >=18`,
    # `Node.js 16.20.0 is not supported`)
    (r"(?i)\bnode(?:\.js)? (?:version|v?\d+(?:\.[\dx]+){0,2})[^.]{0,40}(?:not supported|unsupported|required|incompatible"
     r"|no longer supported)|(?:requires|required|unsupported|incompatible) node|\bEBADENGINE\b|engine \"node\""
     r"|unsupported engine|\bengines?\.node\b|you are using node(?:\.js)? v?\d|(?:upgrade|update) (?:your )?node(?:\.js)?\b"
     r"|minimum (?:required )?node(?:\.js)? version", "node_version_mismatch"),
    (r"(?i)\bpython (?:version|interpreter|\d+(?:\.[\dx*]+){0,2})[^.]{0,40}(?:not found|not available|not supported"
     r"|not installed|unsupported|required)|requires-python|no (?:python )?interpreter|requires a different python"
     r"|python_requires|pyenv: version|\bruntime\.txt\b|\bPYTHON_VERSION\b", "python_version_error"),
    # tsc's message templates, printed without their code by bundler plugins and IDE-style checkers
    (r"\bTS\d{4}\b|(?i:type error|is not assignable to|type[- ]?check|does not exist on type|has no exported member"
     r"|cannot find name [\"'`]|implicitly has an? [\"'`]?any\b|object is possibly [\"'`]?(?:undefined|null)"
     r"|no overload matches this call|argument of type [\"'`])", "typescript_error"),
    (r"(?i)(?:output|dist|build|publish|public|out|deploy|static|export)(?: directory| dir| folder)\b.{0,60}(?:not found"
     r"|does not exist|missing|doesn't exist|is empty)|no (?:build )?output (?:directory|folder)"
     r"|could not find a production build|(?:cannot|can't|could not|couldn't|unable to) (?:find|locate|read|access)"
     r" (?:the |your |an? )?(?:build |publish |deploy |output |dist |static )(?:directory|dir|folder)\b",
     "build_output_missing"),
    (r"(?i)\bENOENT\b|no such file\b|(?:file|package\.json|config(?:uration)? file)"
     r" (?:'[^']{1,200}' |\"[^\"]{1,200}\" |`[^`]{1,200}` |/\S{1,200} )?(?:not found|does not exist|is missing|could not be found"
     r"|was not found)|could not (?:find|read|open) (?:file|package\.json)|(?:lock ?file|package manager files?) (?:was )?not found"
     r"|couldn't find any supported .{0,40}files|\bmissing (?:lock ?file|package\.json)\b"
     # `Cannot find extended parcel config`, `Could not find a required file`, `go.mod file not found`, `Gemfile not found`
     r"|(?:cannot|can't|could not|couldn't|unable to) (?:find|locate|read|open|load) (?:the |a |an |your |any )?(?!declaration)"
     r"(?>(?:[\w.-]{1,40} ){0,2})(?:config(?:uration)?|file|manifest)\b(?! for module)"
     r"|\b(?:Gemfile|requirements\.txt|pyproject\.toml|go\.mod|Cargo\.toml|composer\.json|Pipfile|index\.html)"
     r"(?: file)? (?:not found|does not exist|is missing|could not be found|was not found)"
     r"|[\"'`]\.{0,2}/?[\w./-]{1,200}\.[a-z]{1,6}[\"'`] does not exist"
     r"|(?:^|: )[\"'`]\.{0,2}/?[\w./-]{1,200}\.[a-z]{1,6}[\"'`] (?:was not found|could not be found)",
     "missing_file"),
))

# Words that say an install failed, in any package manager's sentence: the activity (`while installing`,
# `resolving dependencies`, `building wheel`, `postinstall`, node-gyp) or an install command named in it. They
# say where the build was (the install) more surely than the stage a platform announced: a build script that
# installs, an install command inside a build step. Tried after every cause and only when the line names no
# command whose stage decides (a chain `npm install && vite build` is at its last step: command_category).
_INSTALL = re.compile(
    r"(?i)\b(?:while|during|when) (?:installing|install(?:ation)?\b|(?:resolving|fetching) (?:packages|dependencies))"
    r"|\b(?:npm|pnpm|yarn|bun|pip3?|uv pip|uv|poetry|pipenv|bundle|gem|composer|conda|mamba|cargo|go mod|apt(?:-get)?)"
    r" (?:install|ci|add|sync|download|fetch|restore)\b"
    r"|resolving (?:dependencies|packages|the dependency tree)|dependency (?:resolution|tree)|could not resolve dependenc"
    r"|unable to resolve dependenc|conflicting (?:peer )?dependenc|\bpeer dep|version solving failed|failed to select a version"
    r"|could not find compatible versions|could not be resolved to an installable set|resolutionimpossible"
    r"|could not find a version that satisfies|no matching (?:distribution|version|package)"
    r"|building wheels?\b|build(?:ing)? wheel for|failed to build (?:wheel|installable)|installing build dependencies"
    r"|preparing metadata|getting requirements to build|subprocess-exited-with-error|\b(?:pre|post)install\b|node-gyp|\bgyp err"
    r"|\bEINTEGRITY\b|integrity check|checksum (?:mismatch|verification failed|failed)|hashes? (?:mismatch|do not match)"
    r"|(?:installation|install) (?:failed|aborted)|(?:failed|unable) to install|could not install|cannot continue installing"
    r"|fetching (?:packages|package metadata)|(?:installing|downloading) (?:dependencies|packages|gems)")

# Activities: weaker evidence than a cause or the printing tool.
_ACTIVITIES = _words((
    (r"(?i)\bclon(?:e|ing)\b|\bsubmodule\b|\bcheckout\b|\bgit (?:fetch|pull)\b|fetch-pack|\bgit repositor(?:y|ies)\b",
     "clone_failed"),
    (r"(?i)\beslint\b|\blint(?:ing|er)?\b|\bstylelint\b|\bprettier\b|\b(?:ruff|flake8|pylint|rubocop|biome)\b"
     r"|warnings? (?:are |being )?treated as errors", "lint_error"),
    (r"(?i)\bdeploy(?:ing|ment)?\b|\bpublish(?:ing)?\b|\bupload(?:ing|ed)?\b|\brelease\b|\bartifacts?\b"
     r"|\b(?:git|docker) push\b", "deploy_command_failed"),
    (r"(?i)\binstall(?:ing|ation|er)?\b|(?<!cyclical )(?<!circular )\bdependenc(?:y|ies)\b|\bpackage manager\b"
     r"|\b(?:pipfile|gemfile|requirements\.txt|package-lock\.json|yarn\.lock|pnpm-lock|poetry\.lock|uv\.lock)"
     r"|resolving (?:dependencies|packages|peer)|\bpeer dep|\bregistry\b|\btarball\b|no matching version"
     r"|\bwheel\b|\brequirements?\b|could not find a version|locate package|installation candidate"
     r"|preparing metadata|getting requirements to build|\bsetup\.py\b|compatible versions?\b",
     "dependency_install_failed"),
    (r"(?i)\bbuild(?:ing)?\b|\bcompil|\bbundl|\btransform|\bprerender|\brender|syntax ?error|unexpected token",
     "build_command_failed"),
    # last: a package manager's workspace, configuration or lock file named without another activity (not the
    # package manager's name alone: `yarn tailwindcss init` runs a script)
    (r"(?i)pnpm-workspace|pyproject\.toml|\bworkspace (?:not found|package|dependenc)|\block ?file\b"
     r"|requested `?(?:npm|pnpm|yarn|bun|node)`? version", "dependency_install_failed"),
))

# The category of a tool's own errors; package managers follow the stage (see tool_category).
_TOOL_CATEGORY = {
    "wrangler": "wrangler_error", "tsc": "typescript_error", "rsync": "deploy_command_failed", "vue-tsc": "typescript_error",
    "svelte-check": "typescript_error", "eslint": "lint_error", "stylelint": "lint_error", "git": "clone_failed",
    "prettier": "lint_error", "biome": "lint_error",
    **{t: "build_command_failed" for t in (
        "vite", "next", "astro", "nuxt", "esbuild", "webpack", "rollup", "turbopack", "gatsby", "hugo", "jekyll",
        "remix", "react-router", "svelte-kit", "eleventy", "parcel", "tsup", "react-scripts", "vue-cli-service",
        "ng", "turbo", "nx", "mkdocs", "zola")},
}


def _first(words: tuple[re.Pattern[str], tuple[tuple[re.Pattern[str], str], ...]], clean: str) -> str | None:
    """The category of the first (pattern, category) pair that matches; one search when none does."""
    anything, pairs = words
    if anything.search(clean) is None:
        return None
    return next((code for pattern, code in pairs if pattern.search(clean)), None)


def cause_category(clean: str) -> str | None:
    """The cause the line's words name; else an install its words name, when it names no command (see _INSTALL)."""
    code = _first(_CAUSES, clean)
    if code is None and _INSTALL.search(clean) is not None and command_category(clean) is None:
        return "dependency_install_failed"
    return code


# A command named in the line: docker's `process "/bin/sh -c X"`, `Command "X"`, `command 'X'`.
_NAMED_COMMAND = re.compile(r"""\b(?:process|[Cc]ommand|[Ss]cript|[Ff]ailed to run) (?:"(?:/bin/(?:ba)?sh -c )?([^"]{1,200})"|'([^']{1,200})'"""
                            r"|`([^`]{1,200})`)|[Cc]ommand failed with exit code \d+: ([^\n]{1,200})"
                            # cargo/uv's `process didn't exit successfully: `x``, CodeBuild's `Error while executing command: x`
                            r"|didn't exit successfully: `([^`]{1,200})|[Ee]rror while executing command: ([^\n]{1,200})"
                            r"|\bERROR \[[^\]]{1,60}\] RUN ([^\n]{1,200})|executor failed running \[/bin/(?:ba)?sh -c ([^\]]{1,200})"
                            # bash's report of a job killed by a signal names its command last
                            r"|: line \d+: +\d+ (?:Aborted|Segmentation fault|Bus error|Illegal instruction|Killed|Terminated)"
                            r"(?: +\(core dumped\))? +(\S[^\n]{0,199})")


_COMMAND_WORDS = ("ommand", "process", "cript", "ailed to run", "] RUN ", "executor failed", "exit successfully", ": line ")


def command_category(clean: str) -> str | None:
    m = _NAMED_COMMAND.search(clean) if any(w in clean for w in _COMMAND_WORDS) else None
    if m is None:
        return None
    mark = command_marker(next(g for g in m.groups() if g), echo=False)
    return STAGE_CATEGORY.get(mark.stage) if mark is not None and mark.stage else None


def activity_category(clean: str) -> str | None:
    return _first(_ACTIVITIES, clean)


def tool_category(tool: str | None, stage: str | None) -> str | None:
    if not tool:
        return None
    if tool in PACKAGE_MANAGERS:
        return STAGE_CATEGORY.get(stage or "install", "dependency_install_failed")
    return _TOOL_CATEGORY.get(tool)


# The tool a line's own format names. Codes and markers anywhere in the line first, in this order; then
# the line's opening (one anchored regex whose alternatives are tried in order).
_LINE_TOOL_CODES: tuple[tuple[str, str], ...] = (
    ("ERR_PNPM_", "pnpm"), ("ELIFECYCLE", "pnpm"), ("curl: (", "curl"), ("No module named ", "python"),
)
_YARN_CODE = re.compile(r"\bYN\d{4}\b")
_TSC_CODE = re.compile(r"\berror TS\d+|\bTS\d{4}:")
_LINE_START = re.compile(
    r"^(?:(?P<npm>npm |\d+ (?:verb|info|http|sill|error) )|(?P<pnpm>pnpm )"
    r"|(?P<yarn>yarn |error (?:Command failed|An unexpected error|Couldn't find|Found incompatible))"
    r"|(?P<bun>bun |error: (?:script|Script|lockfile))|(?P<node_gyp>gyp (?:ERR!|error|info))"
    r"|(?P<git>fatal: |(?:fatal|error): (?:could not|unable to|repository|remote|pathspec|Authentication|RPC))"
    r"|(?P<next>Type error: )|(?P<vite>\[vite(?::[\w-]+)?\]|vite )"
    r"|(?P<docker>(?:ERROR|error): (?:failed to solve|failed to build|invalid reference format)|#\d+ ERROR: )"
    r"|(?P<pip>(?:pip|uv|poetry|pipenv)[ :]|(?:ERROR|error): (?:pip|Could not find a version|No matching))"
    r"|(?P<sh>(?:/[\w/]*/)?(?:ba|da|z)?sh: )|(?P<make>make(?:\[\d+\])?: )"
    r"|(?P<python>ModuleNotFoundError|ImportError|Traceback \(most recent)"
    r"|(?P<github_actions>##\[error\]|(?:Error: )?Process completed with exit code)|(?P<gitlab>ERROR: Job failed)"
    r"|(?P<uv>[╰├]─▶ )|(?P<rsync>rsync(?: error)?: ))")


def line_tool(clean: str) -> str | None:
    """The tool the line's own format names, or None."""
    for literal, tool in _LINE_TOOL_CODES:
        if literal in clean:
            return tool
    if "YN" in clean and _YARN_CODE.search(clean):
        return "yarn"
    if "TS" in clean and _TSC_CODE.search(clean):
        return "tsc"
    m = _LINE_START.match(clean)
    return m.lastgroup.replace("_", "-") if m is not None else None
