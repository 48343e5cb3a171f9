"""Yarn classic (`error ...`) and Yarn berry (`➤ YN0028: ...`, codes YN\\d{4})."""

from __future__ import annotations

from bloqr_dagster.build_errors.detectors.model import Detector
from bloqr_dagster.build_errors.detectors.rules._dsl import mask, rule

# Berry codes that are errors (MessageName in @yarnpkg/core): exception, build script failed, resolver/fetcher/linker
# not found, yarn import failed, remote invalid/not found, checksum mismatch, workspace not found or ambiguous, can't
# suggest resolutions, fetch failed, package not found, stack overflow while resolving, invalid auth, invalid manifest, package preparation failed,
# patch hunk failed, no candidates. (YN0000/YN0013 are progress, YN0002/YN0060/YN0086 peer warnings.)
BERRY_ERRORS = r"YN00(?:01|09|1[0124568]|2[127]|30|35|41|45|5[678]|66|8[012])"
# Berry codes that say the lockfile is not what the install needs: missing lockfile entry, frozen lockfile,
# lockfile merge conflict that can't be parsed or resolved in an immutable install, an install artifact (.pnp.cjs)
# that an immutable install would modify, resolution mismatch. Errors also: immutable cache entry missing (56),
# network disabled by configuration (80), unsafe http request refused (81).
BERRY_LOCKFILE = r"YN00(?:20|28|4[67]|64|78)"

DETECTOR = Detector("yarn", "yarn", (
    rule("yarn-berry-warning", "not_an_error", r"\bYN0(?:002|060|086):", "yn0002", "yn0060", "yn0086", priority=150,
         ignore=True),
    rule("yarn-berry-lockfile", "lockfile_out_of_sync", rf"\b{BERRY_LOCKFILE}:", "yn0020", "yn0028", "yn0046",
         "yn0047", "yn0064", "yn0078", priority=100,
         masks=(mask(r'"[^"]*@npm:[^"]*"', '"<PACKAGE>@npm:<VERSION>"'),)),
    rule("yarn-lockfile-forbidden", "lockfile_out_of_sync",
         r"lockfile would have been (?:modified|created) by this install|Your lockfile needs to be updated, but yarn was run"
         r"|This package doesn't seem to be present in your lockfile"
         # yarn classic's `yarn check` / `--frozen-lockfile` integrity messages
         r"|Outdated lockfile\. Please run `yarn install`|Lockfile does not contain pattern: ",
         "lockfile would have been modified", "lockfile would have been created",
         "lockfile needs to be updated", "present in your lockfile", "outdated lockfile", "does not contain pattern",
         priority=100, masks=(mask(r'(contain pattern: )"?[^"\s]+"?', r'\1"<PACKAGE>@<RANGE>"'),)),
    # Yarn classic's lockfile parser (`<message> <line>:<col> in <file>`): a yarn.lock it cannot read (a merge conflict)
    rule("yarn-lockfile-parse", "lockfile_out_of_sync",
         r"(?:Unknown token|Invalid value type|Unexpected token|Expected a key)[^\n]{0,300}? \d+:\d+ in \S*yarn\.lock\b",
         "yarn.lock", priority=100,
         masks=(mask(r"(?:Unknown token|Invalid value type|Unexpected token|Expected a key)[^\n]*? \d+:\d+ in \S*yarn\.lock",
                     "<PARSE_ERROR> in <PATH>/yarn.lock"),)),
    # Yarn classic's tarball fetcher: a download that is not a valid archive (its ENOENT/EOF cause is not a missing file)
    rule("yarn-tarball-corrupt", "dependency_install_failed",
         r"Extracting tar content of \S+ failed, the file appears to be corrupt", "extracting tar content", priority=105,
         masks=(mask(r'(corrupt: )".*', r'\1"<CAUSE>"'),)),
    # Corepack (the package-manager shim of Node.js): it cannot verify or download the package manager it was asked for
    rule("corepack-install", "dependency_install_failed",
         r"Cannot find matching keyid|Corepack must currently be enabled|Server answered with HTTP 4\d\d when performing the request"
         r"|Invalid package manager specification|Unsupported package manager specification",
         "matching keyid", "corepack must", "server answered with http", "package manager specification", priority=100,
         masks=(mask(r"(matching keyid): .*", r"\1: <KEYS>"),)),
    rule("corepack-network", "network_error",
         r"Error when performing the request to \S+; for troubleshooting help|Server answered with HTTP 5\d\d when performing",
         "error when performing the request", "server answered with http", priority=100),
    rule("yarn-engine", "node_version_mismatch",
         r"The engine \"(?:node|npm|yarn)\" is incompatible with this module|^error Found incompatible module",
         "incompatible", priority=100),
    rule("yarn-no-manifest", "missing_file",
         r"Couldn't find a package\.json file in|Usage Error: No project found in", "couldn't find a package.json",
         "no project found", priority=100),
    # Yarn, or Corepack (its `UsageError`), refusing to run as another package manager than the project declares
    rule("yarn-package-manager-mismatch", "dependency_install_failed",
         r"defines \"packageManager\": \"yarn@|This project's package\.json defines"
         r"|This project is configured to use \w+ because \S+ has a \"packageManager\" field", "packagemanager",
         "package.json defines", priority=70),
    rule("yarn-not-found", "dependency_install_failed",
         r"^(?:error )?Couldn't find (?:package|any versions for) \"|^error (?:An unexpected error occurred: "
         r"|Package \"[^\"]+\" refers to a non-existing file)", "couldn't find", "unexpected error",
         "non-existing file", priority=60,
         masks=(mask(r'(package |versions for )"[^"]*"', r'\1"<PACKAGE>"'),
                mask(r'(required by )"[^"]*"', r'\1"<PACKAGE>"'))),
    rule("yarn-unexpected-error", "dependency_install_failed", r"^error An unexpected error occurr?ed(?!:)",
         "unexpected error", priority=95, masks=(mask(r'"[^"]*yarn-error\.log"', '"<PATH>/yarn-error.log"'),)),
    # Yarn classic's install messages (src/reporters/lang/en.js): a package for another OS or CPU, package.json it
    # cannot parse, a folder it may not create, a module folder it cannot read, and the summary after an engine or
    # platform refusal (the refusal itself is the primary line)
    rule("yarn-incompatible-platform", "dependency_install_failed",
         r"^error \S+: The (?:platform|CPU architecture) \"[^\"]+\" is incompatible with this module\.",
         "is incompatible with this module", priority=100),
    rule("yarn-classic-install", "dependency_install_failed",
         r"^error (?:Error parsing JSON at \"[^\"]+\", |Cannot create \"[^\"]+\" due to insufficient permissions"
         r"|Could not write file \"[^\"]+\": |Unable to read \S+ directory of module \"[^\"]+\")",
         "error parsing json", "insufficient permissions", "could not write file", "unable to read", priority=95,
         masks=(mask(r'(JSON at )"[^"]*", "(.*?)\.?"\.?$', r'\1"<PATH>", "<CAUSE>".'),
                mask(r'(write file )"[^"]*": .*', r'\1"<PATH>": <CAUSE>'))),
    rule("yarn-incompatible-environment", "dependency_install_failed",
         r"^error Commands cannot run with an incompatible environment\.", "incompatible environment", priority=60,
         rank=40),
    # a git dependency's repository that Yarn classic cannot reach
    rule("yarn-git-repository", "clone_failed", r"^error Error connecting to repository\. Please, check the url\.",
         "error connecting to repository", priority=100),
    # Yarn berry's `yarn run <script>` for a script package.json does not have
    rule("yarn-missing-script", "build_command_failed", r"^Usage Error: Couldn't find a script named \"[^\"]+\"",
         "couldn't find a script named", priority=100, relative="stage",
         masks=(mask(r'(script named )"[^"]*"', r'\1"<SCRIPT>"'),)),
    # Plug'n'Play refusing a require/import at run time: the package is not declared where it is needed
    rule("yarn-pnp-resolution", "module_not_found",
         r"\btried to access \S+(?: \(a peer dependency\))?,? but it isn't (?:declared in (?:its|your) dependencies"
         r"|provided by its ancestors)|^(?:Error: )?Qualified path resolution failed: we looked for the following paths",
         "tried to access", "qualified path resolution failed", priority=100,
         masks=(mask(r"(?<=tried to access )[^\s,]+", "<PACKAGE>"),
                mask(r"^((?:Error: |error: )?)(?!Your application )\S+(?= tried to access )", r"\1<PACKAGE>"))),
    rule("yarn-berry-auth", "auth_error", r"\bYN00(?:33|41):", "yn0033", "yn0041", priority=100),
    # YN0009 BUILD_FAILED: a dependency's install script failed (its exit code, even 127, is the script's)
    rule("yarn-berry-build-failed", "dependency_install_failed", r"\bYN0009:", "yn0009", priority=110,
         masks=(mask(r"(logs can be found here: )\S+?(?=\))", r"\1<PATH>"),)),
    # YN0001 is Yarn berry's catch-all exception: the wrapped error names the cause
    rule("yarn-berry-spawn", "command_not_found",
         r"\bYN0001:[^\n]{0,600}?(?:\bProcess \S+ failed to spawn|\bspawn \S+ ENOENT)", "yn0001", priority=105),
    rule("yarn-berry-git", "clone_failed",
         r"\bYN0001:[^\n]{0,600}?(?:Failed listing refs|could not read Username|Repository not found"
         r"|Permission denied \(publickey\)|Host key verification failed)", "yn0001", priority=105),
    rule("yarn-berry-http-5xx", "network_error", r"\bYN0001:[^\n]{0,600}?HTTPError: Response code 5\d\d", "yn0001",
         priority=105),
    # Yarn classic: an install script of a dependency failed (`error <dir>/node_modules/<pkg>: Command failed.`)
    rule("yarn-dependency-script", "dependency_install_failed",
         r"^error \S*node_modules[/\\]\S+: Command failed\.", "command failed", priority=70,
         masks=(mask(r"^error \S*node_modules[/\\]", "error <PATH>/node_modules/"),)),
    rule("yarn-registry-down", "network_error",
         r"Received malformed response from registry for|The registry may be down|Request failed \\?\"5\d\d",
         "malformed response", "registry may be down", "request failed", priority=100,
         masks=(mask(r'(registry for )"[^"]*"', r'\1"<PACKAGE>"'),)),
    rule("yarn-request-4xx", "dependency_install_failed",
         r"Request failed \\?\"40[04]|Integrity check failed for|Incorrect integrity when fetching|Hashes don't match",
         "request failed", "integrity", "hashes don't match", priority=65),
    rule("yarn-berry-error", "dependency_install_failed", rf"\b{BERRY_ERRORS}:", "yn0001", "yn0009", "yn0010",
         "yn0011", "yn0012", "yn0014", "yn0015", "yn0016", "yn0018", "yn0021", "yn0022", "yn0027", "yn0030", "yn0035",
         "yn0041", "yn0045", "yn0056", "yn0057", "yn0058", "yn0066", "yn0080", "yn0081", "yn0082", priority=60),
    rule("yarn-usage-error", "dependency_install_failed", r"^Usage Error: ", "usage error", priority=50),
    rule("yarn-berry-failed", "dependency_install_failed", r"\bYN0000: .*Failed with errors", "failed with errors",
         priority=20),
    rule("yarn-command-failed", "build_command_failed", r"^error Command failed with exit code", "command failed",
         relative="stage", priority=20),
))
