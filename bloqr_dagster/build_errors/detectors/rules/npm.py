"""npm: `npm ERR! <kind> ...` (npm <= 9) and `npm error <kind> ...` (npm >= 10) lines."""

from __future__ import annotations

from bloqr_dagster.build_errors.detectors.model import Detector
from bloqr_dagster.build_errors.detectors.rules._dsl import PACKAGE_SPEC, cause, mask, rule

NPM = r"npm (?:ERR!|error)"
NET_CODES = (r"ETIMEDOUT|ESOCKETTIMEDOUT|EAI_AGAIN|ENOTFOUND|ECONNRESET|ECONNREFUSED|EHOSTUNREACH"
             r"|ENETUNREACH|ECONNABORTED|EPROTO|ERR_SOCKET_TIMEOUT|UNABLE_TO_GET_ISSUER_CERT_LOCALLY"
             r"|SELF_SIGNED_CERT_IN_CHAIN|CERT_HAS_EXPIRED|UNABLE_TO_VERIFY_LEAF_SIGNATURE")
KW = "npm err"  # matches both `npm ERR!` and `npm error` once lowered

DETECTOR = Detector("npm", "npm", (
    rule("npm-ci-out-of-sync", "lockfile_out_of_sync",
         rf"{NPM} .*can only install packages when your package\.json and package-lock\.json", KW,
         priority=100),
    rule("npm-missing-from-lockfile", "lockfile_out_of_sync",
         rf"{NPM} (?:Missing: .+ from lock ?file|Invalid: lock file's .+ does not satisfy)|^Missing: \S+ from lock ?file"
         r"|^Invalid: lock file's \S+ does not satisfy ",
         KW, "from lock", "lock file's",
         priority=100, masks=(PACKAGE_SPEC,)),
    rule("npm-ci-no-lockfile", "lockfile_out_of_sync",
         rf"{NPM} .*can only install (?:packages )?with an existing (?:package-lock\.json|npm-shrinkwrap\.json)", KW,
         priority=100),
    # `npm audit` (and `npm audit fix` in CI) without a lockfile: ENOLOCK and its explanation lines
    rule("npm-enolock", "lockfile_out_of_sync",
         rf"{NPM} (?:code ENOLOCK\b|audit This command requires an existing lockfile|audit Try creating one first with)",
         KW, priority=100),
    # `npm publish` of a version the registry already has: the deploy step, whatever status the registry sent
    rule("npm-publish-conflict", "deploy_command_failed",
         rf"{NPM} (?:code EPUBLISHCONFLICT\b|publish fail Cannot publish over|.*You cannot publish over the previously"
         r" published version)", KW, priority=110,
         masks=(mask(r"(PUT )\S+", r"\1<URL>"), mask(r"(published versions?: )\S+?(?=\.?$)", r"\1<VERSION>"))),
    rule("npm-eusage", "dependency_install_failed", rf"{NPM} code EUSAGE\b", KW, priority=30,
         causes=(cause(r"in sync|from lock ?file|lock file's", "lockfile_out_of_sync", 100),),
         lookahead=8),
    # npm prints an error as `code X`, detail lines (`errno`, `syscall`, `path`) and then the message: the code
    # and detail lines rank just below the message of the same error, so the message is the primary line.
    rule("npm-engine", "node_version_mismatch",
         rf"{NPM} (?:engine Not compatible|notsup (?:Not compatible|Unsupported"
         r" engine|Required: \{ ?\"?node|Actual: +\{))", KW, priority=100),
    rule("npm-engine-code", "node_version_mismatch", rf"{NPM} code (?:EBADENGINE|ENOTSUP)\b", KW, priority=100, rank=95),
    rule("npm-network-code", "network_error", rf"{NPM} (?:code|errno|syscall) (?:{NET_CODES}|getaddrinfo)\b", KW,
         priority=100, rank=95),
    rule("npm-network", "network_error",
         rf"{NPM} (?:network |fetch failed(?! with status code [1-4])|request to \S+ failed|socket hang up|.*\b(?:{NET_CODES})\b)", KW,
         priority=100),
    # a PUT to the registry is `npm publish`: the deploy step (a refused credential stays an auth error)
    rule("npm-publish-failed", "deploy_command_failed", rf"{NPM} (?!40[13])\d{{3}} [^-]{{1,60}}- PUT https?://", KW,
         priority=105, masks=(mask(r"(PUT )\S+", r"\1<URL>"),)),
    rule("npm-registry-5xx", "network_error", rf"{NPM} 5\d\d (?:Internal Server Error|Bad Gateway|Service Unavailable"
         r"|Gateway Time-?out)", KW, priority=100),
    rule("npm-auth", "auth_error",
         rf"{NPM} (?:code (?:E401|E403|ENEEDAUTH|EOTP|ERR_INVALID_AUTH)\b|(?:401|403) (?:Unauthorized|Forbidden|403 )"
         r"|Unable to authenticate|need auth|Incorrect or missing password|403 on a server"
         r"|If you were trying to login, change your password|create an authentication token or enable two-factor"
         r"|You must be logged in to|This command requires you to be logged in)", KW, priority=100),
    rule("npm-missing-file", "missing_file", rf"{NPM} (?:enoent\b|Could not read package\.json)", KW, priority=100),
    rule("npm-missing-file-code", "missing_file",
         rf"{NPM} (?:code ENOENT\b|syscall (?:open|scandir|stat)\b|errno -(?:2|4058)\b|path \S*package\.json)", KW,
         priority=100, rank=95),
    # a script package.json does not define is the step's configuration, not a missing program: it follows the
    # stage (a build's `Missing script: "build"`, a deploy's `"deploy"`)
    rule("npm-missing-script", "build_command_failed", rf"{NPM} Missing script: ", KW, priority=100, relative="stage",
         masks=(mask(r'(Missing script: )"?[^"\s]+"?', r'\1"<SCRIPT>"'),)),
    rule("npx-no-executable", "command_not_found", rf"{NPM} could not determine executable to run", KW, priority=100),
    rule("npm-resolve-code", "dependency_install_failed", rf"{NPM} code (?:ERESOLVE|ETARGET|E404|EINTEGRITY|E400|E5\d\d)\b",
         KW, priority=70, rank=65),
    rule("npm-resolve", "dependency_install_failed",
         rf"{NPM} (?:ERESOLVE |While resolving: "
         r"|Could not resolve dependency:|Conflicting peer dependency|Fix the upstream dependency conflict"
         r"|(?:peer|peerOptional|dev|optional|overridden)?\s*\S+@\"[^\"]*\" from |404 |notarget |.*--legacy-peer-deps"
         r"|No matching version found|Found: \S+@|\s+\d+ more \(|Conflicting peer dependency: |Could not resolve dependency"
         r"|(?:integrity|sha\d+) checksum failed|Verification failed while extracting|Unsupported URL Type"
         r"|Invalid (?:Version|package name|tag name|dependency type)|fetch failed with status code [1-4]\d\d"
         r"|No valid versions available for|Cannot read propert(?:y|ies) of (?:null|undefined)"
         r"|(?:<ref \*\d+> )?Error: [^\n]{0,200}?\b(?:ETXTBSY|ENOTEMPTY|EEXIST|EBUSY|EACCES|EPERM|ENOSPC)\b"
         r"|(?:ENOTEMPTY|EEXIST|EBUSY|ETXTBSY|EACCES|EPERM): )", KW, priority=70,
         masks=(PACKAGE_SPEC, mask(r"(?<=\d more \()[^)]*(?=\)$)", lambda m: ", ".join(
             "..." if part.strip() == "..." else "<PACKAGE>" for part in m.group().split(","))))),
    # npm >= 7 reports a failed lifecycle script of an installed package (or of the project's own
    # prepare/postinstall, which `npm install` runs) as `code <exit>`, `path`, `command failed`, `command sh -c
    # <script>`: an install failure unless the log says the build stage was running. npm 6's `errno`/`Exit
    # status`/`Failed at the ... script` (npm-lifecycle) default to the build. Exit 127 is a missing command.
    rule("npm-install-script", "dependency_install_failed",
         rf"{NPM} (?:code (?!127$)\d+$|command failed$|command (?:sh|bash|cmd(?:\.exe)?|/bin/sh) (?:-c|/d /s /c) )", KW,
         relative="stage", priority=25, masks=(mask(r"(command (?:sh|bash|cmd(?:\.exe)?|/bin/sh) (?:-c|/d /s /c) ).*",
                                                    r"\1<COMMAND>"),)),
    # git dependencies: npm finds no git binary (ENOGIT), or git fails on the dependency's repository
    rule("npm-no-git", "command_not_found",
         rf"{NPM} (?:code ENOGIT\b|No git binary found in \$PATH|Failed using git\.$|Please check if you have git installed)",
         KW, priority=100),
    rule("npm-git-dependency", "clone_failed",
         rf"{NPM} (?:An unknown git error occurred|command git (?:--no-replace-objects )?(?:ls-remote|clone|fetch|checkout) )",
         KW, priority=90, rank=60, masks=(mask(r"((?:ls-remote|clone|fetch|checkout) )(?:-\S+ )*\S+.*", r"\1<URL>"),)),
    # npm 10's devEngines check (EBADDEVENGINES): the runtime or package manager is not the one the project declares
    rule("npm-dev-engines", "node_version_mismatch",
         rf"{NPM} (?:code EBADDEVENGINES\b|EBADDEVENGINES (?:The developer of this package has specified"
         r"|Invalid (?:semver version|version|name) \"[^\"]*\" does not match \"[^\"]*\" for \"(?:runtime|packageManager)\"))",
         KW, priority=100, rank=95,
         masks=(mask(r'(version )"[^"]*" does not match "[^"]*"', r'\1"<RANGE>" does not match "<VERSION>"'),)),
    # an npm subcommand that does not exist (EUNKNOWNCOMMAND: npm prints it without its `npm error` prefix)
    rule("npm-unknown-command", "command_not_found", r"^Unknown command: \"[\w:-]+\"$", "unknown command", priority=100,
         masks=(mask(r'(command: )"[^"]*"', r'\1"<COMMAND>"'),)),
    rule("npm-http-auth", "auth_error", r"^npm http (?:GET |fetch GET )?40[13] ", "npm http", priority=100),
    rule("npm-http-404", "dependency_install_failed", r"^npm http (?:GET |fetch GET )?404 ", "npm http", priority=70),
    rule("npm-gyp", "dependency_install_failed", rf"^(?:{NPM} )?gyp (?:ERR!|error) ", "gyp err", "gyp error",
         priority=40),
    rule("npm-exit-127", "command_not_found", rf"{NPM} (?:code|errno) 127$", KW, priority=100),
    rule("npm-lifecycle", "build_command_failed",
         rf"{NPM} (?:code ELIFECYCLE\b|errno \d+|Exit status \d+|Failed at the .+ script|\S+@\S+ \w+: `"
         r"|Lifecycle script `[^`]+` failed|command failed|This is probably not a problem with npm)", KW,
         relative="stage", priority=20, masks=(mask(r"(\S@\S+ [\w:-]+: )`[^`]*`", r"\1`<COMMAND>`"),)),
    rule("npm-other-code", "dependency_install_failed", rf"{NPM} code E(?!LIFECYCLE\b)[A-Z0-9_]+\b", KW, priority=30),
    # the registry's 404 as npm and tools built on its fetcher (npm-check-updates, pacote) print it
    rule("npm-registry-404", "dependency_install_failed", r"\b404 Not Found - GET https?://", "not found - get",
         priority=70, masks=(mask(r"(GET )https?://\S+", r"\1<URL>"),)),
    # GitHub Packages (npm.pkg.github.com) refusing an unknown package, whatever client asked
    rule("github-packages-missing", "dependency_install_failed",
         r"npm package \"[^\"]+\" does not exist under owner \"", "does not exist under owner", priority=70,
         masks=(mask(r'^\S+: ', "<URL>: "), mask(r'(package |owner )"[^"]*"', r'\1"<PACKAGE>"'))),
    # Node.js itself cannot be installed in the requested version: version managers and setup actions
    rule("node-version-unavailable", "node_version_mismatch",
         r"Unknown Node\.js version|Unable to find Node version '[^']*' for platform"
         r"|Version '[^']*' not found - try `nvm ls-remote`|N/A: version \"[^\"]*\" is not yet installed"
         r"|Could not (?:find|resolve) (?:a )?Node(?:\.js)? version (?:matching|for|to satisfy)"
         r"|No Node\.js version (?:matching|satisfies|found for)",
         "unknown node.js version", "unable to find node version", "nvm ls-remote", "is not yet installed",
         "node version", "node.js version", priority=100,
         masks=(mask(r"(version:? )[`'\"]?v?[\w.*^~<>=|-]+[`'\"]?", r"\1<VERSION>"),)),
    # Pointers and suggestions after an error (npm's lib/utils/did-you-mean.js, lib/npm.js, lib/utils/error-message.js):
    # `Did you mean one of these?` and its `  npm run x # run the "x" package script` lines, `For a full report see:`,
    # `To see a list of supported npm commands, run:`; npm 10's `workspace x` / `location x` detail of a failed
    # lifecycle script (and the older `in workspace: x`, `at location: x`)
    rule("npm-debug-log-pointer", "build_command_failed",
         rf"{NPM} (?:A complete log of this run|Log files were|See \S+ for a full report|To see a list of (?:scripts|supported)"
         r"|Usage:|\[-|npm \w+ \[|aliases: |Run \"npm help|Did you mean (?:this|one of these)\?$|For a full report see:?$"
         r"| +npm [\w -]{1,60} # \S|(?:in )?workspace:? \S+$|(?:at )?location:? \S+$)",
         KW, priority=200, ignore=True),
))
