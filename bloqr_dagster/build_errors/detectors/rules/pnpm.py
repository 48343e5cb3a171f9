"""pnpm: ` ERR_PNPM_<CODE>  message` lines and the frozen-lockfile explanation that follows."""

from __future__ import annotations

from bloqr_dagster.build_errors.detectors.model import Detector
from bloqr_dagster.build_errors.detectors.rules._dsl import mask, rule

# `<project path> <script>: Failed`: the path holds a `/` (or is `.`, or pnpm's `...`-shortened form), but never
# node_modules (a dependency's script); a bare one-word project name only before a well-known script name.
PROJECT_SCRIPT = (r"^(?!\S*node_modules/)(?:\.|\.\.\.\S{{1,200}}|[\w@.~-]{{1,100}}(?:/[\w@.~-]{{1,100}}){{1,10}}"
                  r"|[\w@.-]{{1,100}}(?= (?:build|compile|lint|typecheck|test|deploy|generate|postinstall|prepare)\b))"
                  r" (?:{script}): Failed$")
PROJECT_SCRIPT_MASKS = (mask(r"^\S+(?= \S+: Failed$)", "<PACKAGE>"),)

DETECTOR = Detector("pnpm", "pnpm", (
    rule("pnpm-lockfile-code", "lockfile_out_of_sync",
         r"ERR_PNPM_(?:OUTDATED_LOCKFILE|LOCKFILE_\w+|FROZEN_LOCKFILE\w*|BROKEN_LOCKFILE)\b", "err_pnpm",
         priority=100, masks=(mask(r"(no entry for )'[^']*'", r"\1'<PACKAGE_PATH>'"),
                              mask(r"(up.to.date with )\S+", r"\1<PATH>"))),
    rule("pnpm-frozen-lockfile", "lockfile_out_of_sync",
         r"Cannot install with \"frozen-lockfile\" because pnpm-lock\.yaml", "cannot install with", priority=100),
    rule("pnpm-specifiers-mismatch", "lockfile_out_of_sync",
         r"specifiers in the lockfile .*(?:don't|do not) match spec",
         "specifiers in the lockfile", priority=100),
    rule("pnpm-lockfile-diff", "lockfile_out_of_sync",
         r"^\* \d+ dependenc(?:y was|ies were) (?:removed|added|mismatched)", "dependencies were",
         "dependency was", priority=100),
    rule("pnpm-failure-reason", "lockfile_out_of_sync", r"^Failure reason:$", "failure reason", priority=60),
    rule("pnpm-engine", "node_version_mismatch", r"ERR_PNPM_UNSUPPORTED_ENGINE\b|Unsupported engine",
         "err_pnpm", "unsupported engine", priority=100),
    # the lines of pnpm's unsupported-engine message (after the code line, which stays the primary)
    rule("pnpm-engine-detail", "node_version_mismatch",
         r"^Your (?:Node|pnpm|npm) version is incompatible with|^Expected version: [\^~<>=v\d]|^Got: v?\d+\.\d"
         r"|package's manifest has an engines\.\w+ field|install the required (?:Node|pnpm) version",
         "your node version", "your pnpm version", "your npm version", "expected version:", "got: ", "engines.", "install the required", priority=95,
         rank=60, masks=(mask(r'(incompatible with )"[^"]*"', r'\1"<PACKAGE>"'),)),
    # the hint pnpm prints after a frozen-lockfile refusal
    rule("pnpm-frozen-hint", "lockfile_out_of_sync", r"pnpm install --no-frozen-lockfile|^specifiers in the lockfile \(",
         "no-frozen-lockfile", "specifiers in the lockfile", priority=60),
    rule("pnpm-command-not-found", "command_not_found",
         r"ERR_PNPM_RECURSIVE_(?:EXEC|RUN)_FIRST_FAIL\s+Command \"[^\"]+\" not found"
         r"|ERR_PNPM_GIT_FETCHER_GIT_NOT_FOUND\b", "err_pnpm", priority=100,
         masks=(mask(r'Command "[^"]+"', 'Command "<COMMAND>"'),)),
    # a script the package does not define follows the stage, as npm's `Missing script` (npm.py)
    rule("pnpm-missing-script", "build_command_failed",
         r"ERR_PNPM_(?:NO_SCRIPT|MISSING_SCRIPT|RECURSIVE_RUN_NO_SCRIPT)\b|None of the selected packages has a \"[^\"]+\" script",
         "err_pnpm", "none of the selected packages", priority=100, relative="stage",
         masks=(mask(r'(has a )"[^"]+"( script)', r'\1"<SCRIPT>"\2'),)),
    # a pnpmfile (.pnpmfile.cjs) that the configuration names and that is not there
    rule("pnpm-pnpmfile-missing", "missing_file", r"ERR_PNPM_PNPMFILE_NOT_FOUND\b|pnpmfile at \"[^\"]+\" is not found",
         "err_pnpm", "pnpmfile at", priority=100),
    # pnpm's own Node.js management (`use-node-version`, `pnpm env use`, `runtime`) finding no such Node.js
    rule("pnpm-node-version", "node_version_mismatch",
         r"ERR_PNPM_(?:NODEJS_VERSION_NOT_FOUND|INVALID_NODE_VERSION)\b|Could not find a Node\.js version that satisfies ",
         "err_pnpm", "node.js version that satisfies", priority=100,
         masks=(mask(r"(satisfies )\S+", r"\1<RANGE>"), mask(r'(setting is )"[^"]*"', r'\1"<VERSION>"'))),
    rule("pnpm-no-manifest", "missing_file",
         r"ERR_PNPM_NO_PKG_MANIFEST\b|No package\.json (?:\([^)]*\) )?(?:was )?found in", "err_pnpm",
         "no package.json", priority=100),
    rule("pnpm-meta-fetch", "network_error", r"ERR_PNPM_(?:META_FETCH_FAIL|FETCH_(?:ECONN|ETIMEDOUT)\w*|FETCH_5\d\d|E(?:CONNRESET|CONNREFUSED|TIMEDOUT"
         r"|AI_AGAIN|NOTFOUND|HOSTUNREACH|NETUNREACH|SOCKETTIMEDOUT)|ERR_SOCKET_TIMEOUT)\b",
         "err_pnpm", priority=100),
    # a registry refusing the credentials, or the account's rights (publish, access, dist-tag, owner)
    rule("pnpm-fetch-auth", "auth_error", r"ERR_PNPM_(?:FETCH_40[13]|FORBIDDEN)\b", "err_pnpm", priority=100),
    # pnpm's workspace manifest (pnpm-workspace.yaml) that lists no packages
    rule("pnpm-workspace-manifest", "dependency_install_failed",
         r"\bpackages field missing or empty|ERR_PNPM_INVALID_WORKSPACE_CONFIGURATION", "packages field", "err_pnpm",
         priority=70),
    rule("pnpm-resolution", "dependency_install_failed",
         r"ERR_PNPM_(?:WORKSPACE_PKG_NOT_FOUND|NO_MATCHING_VERSION\w*|PEER_DEP_ISSUES|FETCH_\d+|TARBALL_\w+"
         r"|NO_VERSIONS|BAD_PM_VERSION|ADDING_TO_ROOT|PATCH_\w+|INVALID_\w+)\b", "err_pnpm", priority=70,
         masks=(mask(r'"[^"]*@workspace:[^"]*"', '"<PACKAGE>@workspace:<SPEC>"'),
                mask(r'(package named )"[^"]*"', r'\1"<PACKAGE>"'))),
    # pnpm's progress lines for a dependency's lifecycle script that failed (`.../node_modules/sharp install: Failed`,
    # `node_modules/.pnpm/x/node_modules/x: Running postinstall script, failed in 1.2s`)
    rule("pnpm-dependency-script", "dependency_install_failed",
         r"^\S*node_modules/\S+ (?:pre|post)?install: Failed$"
         r"|^\S*node_modules/\S+: Running (?:pre|post)?install script, failed in ",
         "install: failed", "install script, failed", priority=70,
         masks=(mask(r"^\S*node_modules/(\S+?)(?=:| (?:pre|post)?install: )", r"<PATH>/node_modules/<PACKAGE>"),
                mask(r"(failed in )\S+", r"\1<DURATION>"))),
    # `pnpm publish`'s git checks refuse to publish (an unclean tree, another branch, behind the remote)
    rule("pnpm-publish-git", "deploy_command_failed", r"ERR_PNPM_GIT_(?:UNCLEAN|NOT_CORRECT_BRANCH|NOT_LATEST|UNKNOWN_BRANCH)\b",
         "err_pnpm_git", priority=100, masks=(mask(r"(not on )'[^']*'", r"\1'<BRANCH>'"),)),
    # pnpm's verdict on one project's script in a recursive or filtered run (`apps/web build: Failed`, the project's
    # path relative to the workspace root, `.` for the root): a summary below the script's own error, whose category
    # the script's name gives. A dependency's own install script (a node_modules path) is pnpm-dependency-script's.
    rule("pnpm-project-script-install", "dependency_install_failed", PROJECT_SCRIPT.format(script=r"(?:pre|post)?install|prepare"),
         "failed", priority=65, rank=22, masks=PROJECT_SCRIPT_MASKS),
    rule("pnpm-project-script-lint", "lint_error", PROJECT_SCRIPT.format(script=r"(?:lint|eslint|stylelint)(?:[:-][\w:.-]+)?"),
         "failed", priority=65, rank=22, masks=PROJECT_SCRIPT_MASKS),
    rule("pnpm-project-script-types", "typescript_error",
         PROJECT_SCRIPT.format(script=r"(?:typecheck|type-check|check-types|types|tsc)(?:[:-][\w:.-]+)?"),
         "failed", priority=65, rank=22, masks=PROJECT_SCRIPT_MASKS),
    rule("pnpm-project-script-deploy", "deploy_command_failed",
         PROJECT_SCRIPT.format(script=r"(?:deploy|publish|release)(?:[:-][\w:.-]+)?"),
         "failed", priority=65, rank=22, masks=PROJECT_SCRIPT_MASKS),
    rule("pnpm-project-script", "build_command_failed", PROJECT_SCRIPT.format(script=r"[\w.-]+(?::[\w.-]+)*"),
         "failed", priority=64, rank=22, masks=PROJECT_SCRIPT_MASKS),
    # the closing line of pnpm's collapsed script output (`└─ Failed in 2.1s at /app/apps/web`)
    rule("pnpm-script-failed-in", "build_command_failed", r"^(?:└─ )?Failed in \d[\w.]* at /\S*$", "failed in",
         priority=20, relative="stage", rank=20,
         masks=(mask(r"(Failed in )\S+( at )\S+", r"\1<DURATION>\2<PATH>"),)),
    rule("pnpm-recursive-fail", "build_command_failed", r"ERR_PNPM_RECURSIVE_(?:RUN|EXEC)_FIRST_FAIL\b",
         "err_pnpm", relative="stage", priority=20),
    rule("pnpm-elifecycle", "build_command_failed", r"\bELIFECYCLE(?![A-Z_])[^\n]{0,40}?(?:Command|Test) failed", "elifecycle",
         relative="stage", priority=20),
    rule("pnpm-other", "dependency_install_failed", r"\bERR_PNPM_(?!RECURSIVE_(?:RUN|EXEC)_FIRST_FAIL\b)[A-Z0-9_]+\b", "err_pnpm", priority=40),
))
