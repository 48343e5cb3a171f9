"""pnpm: ` ERR_PNPM_<CODE>  message` lines and the frozen-lockfile explanation that follows."""

from __future__ import annotations

from bloqr_dagster.build_errors.detectors.model import Detector
from bloqr_dagster.build_errors.detectors.rules._dsl import mask, rule

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
         r"|ERR_PNPM_(?:NO_SCRIPT|MISSING_SCRIPT)\b", "err_pnpm", priority=100,
         masks=(mask(r'Command "[^"]+"', 'Command "<COMMAND>"'),)),
    rule("pnpm-no-manifest", "missing_file",
         r"ERR_PNPM_NO_PKG_MANIFEST\b|No package\.json (?:\([^)]*\) )?(?:was )?found in", "err_pnpm",
         "no package.json", priority=100),
    rule("pnpm-meta-fetch", "network_error", r"ERR_PNPM_(?:META_FETCH_FAIL|FETCH_(?:ECONN|ETIMEDOUT)\w*|FETCH_5\d\d|E(?:CONNRESET|CONNREFUSED|TIMEDOUT"
         r"|AI_AGAIN|NOTFOUND|HOSTUNREACH|NETUNREACH|SOCKETTIMEDOUT)|ERR_SOCKET_TIMEOUT)\b",
         "err_pnpm", priority=100),
    rule("pnpm-fetch-auth", "auth_error", r"ERR_PNPM_FETCH_40[13]\b", "err_pnpm", priority=100),
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
    rule("pnpm-recursive-fail", "build_command_failed", r"ERR_PNPM_RECURSIVE_(?:RUN|EXEC)_FIRST_FAIL\b",
         "err_pnpm", relative="stage", priority=20),
    rule("pnpm-elifecycle", "build_command_failed", r"\bELIFECYCLE(?![A-Z_])[^\n]{0,40}?(?:Command|Test) failed", "elifecycle",
         relative="stage", priority=20),
    rule("pnpm-other", "dependency_install_failed", r"\bERR_PNPM_(?!RECURSIVE_(?:RUN|EXEC)_FIRST_FAIL\b)[A-Z0-9_]+\b", "err_pnpm", priority=40),
))
