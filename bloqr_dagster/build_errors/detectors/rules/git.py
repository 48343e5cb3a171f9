"""git and repository checkout: clone/fetch/submodule/auth failures."""

from __future__ import annotations

from bloqr_dagster.build_errors.detectors.model import Detector
from bloqr_dagster.build_errors.detectors.rules._dsl import mask, rule

DETECTOR = Detector("git", "git", (
    # A commit listed by `git log --oneline` (or a release tool that prints one: abbreviated hash, optional decoration,
    # subject) whose subject names a failure it fixes: `3f2a9c1 fix: build failed on windows`, `3f2a9c1 (HEAD -> main)
    # fix(errors): don't fail on empty input`, `3f2a9c1 Merge pull request #4 from acme/fix/error-page`
    rule("git-log-oneline", "not_an_error",
         r"^[0-9a-f]{7,40} (?:\([^)\n]{1,200}\) )?(?:(?:feat|fix|chore|docs|refactor|test|build|perf|style|revert)"
         r"(?:\([^)\n]{1,80}\))?!?: |Merge (?:pull request|branch|remote-tracking branch) |Revert \")",
         "feat", "fix", "chore", "docs", "refactor", "test", "build", "perf", "style", "revert", "merge ",
         priority=150, ignore=True),
    rule("git-unable-to-access-network", "network_error",
         r"fatal: unable to access '[^']*': (?:Could not resolve (?:host|proxy)|Failed to connect|(?:Operation|Connection) "
         r"timed out|Connection (?:reset|refused)|SSL|(?i:gnutls)|OpenSSL|Recv failure|Empty reply|server certificate verification"
         r"|Operation too slow|Proxy CONNECT aborted|Received HTTP code \d{3} from proxy|Couldn't connect to server"
         r"|HTTP/2 stream|Error in the HTTP2 framing layer|The requested URL returned error: 429\b)", "unable to access",
         priority=105, masks=(mask(r"(resolve (?:host|proxy):? )[^\s,;]+", r"\1<HOST>"),)),
    # the transfer broke off (curl's error, a 5xx of the host): the network, not the repository
    rule("git-transfer-network", "network_error",
         r"remote end hung up unexpectedly|error: RPC failed|fatal: early EOF|bytes of body are still expected"
         r"|fatal: unable to access '[^']*': The requested URL returned error: 5\d\d\b",
         "hung up", "rpc failed", "early eof", "bytes of body", "unable to access", priority=105,
         masks=(mask(r"(curl )\d+ .*", r"\1<CODE> <DETAIL>"),)),
    rule("git-auth", "auth_error",
         r"Permission to \S+ denied to |fatal: unable to access '[^']*': The requested URL returned error: 40[13]\b",
         "permission to", "unable to access", priority=110, masks=(mask(r"Permission to \S+ denied to \S+", "Permission to <REPO> denied to <USER>"),)),
    rule("git-push-rejected", "deploy_command_failed",
         r"\[remote rejected\]|failed to push some refs|Push rejected|^!? *Push failed|pre-receive hook declined",
         "remote rejected", "failed to push", "push rejected", "push failed", "hook declined", priority=100,
         masks=(mask(r"\] \S+ ?-> ?\S+", "] <BRANCH> -> <BRANCH>"), mask(r"(refs to )'[^']*'", r"\1'<REMOTE>'"),
                mask(r"(Push rejected to )\S+?(?=\.?$)", r"\1<APP>"))),
    rule("git-submodule", "clone_failed",
         r"(?:No url found for|Failed to recurse into|Unable to checkout '[^']*' in|Unable to fetch in) submodule path",
         "submodule path", priority=100, masks=(mask(r"'[^']*'", "'<PATH>'"),)),
    rule("git-clone-failed", "clone_failed",
         r"fatal: could not read (?:Username|Password) for|fatal: repository '[^']*' not found"
         r"|\bRepository not found\.?|^(?:remote: )?Repository \S{1,200} not found|\bremote: Repository \S{1,200} not found|Permission denied \(publickey|correct access rights"
         r"|fatal: Could not read from remote repository|fatal: Authentication failed for"
         r"|Failed to clone '[^']+'|fatal: clone of '[^']+' into submodule path|Fetched in submodule path"
         r"|fatal: reference is not a tree|does not allow request for unadvertised object"
         r"|fatal: expected flush after ref listing|fatal: remote error|fatal: couldn't find remote ref"
         r"|Host key verification failed|fatal: unable to access '[^']*': The requested URL returned error"
         r"|error: pathspec .+ did not match|smudge filter lfs failed|Failed to clone remote template"
         r"|Command 'git [^']*' failed with exit code|The process '[^']*/git(?:\.exe)?' failed with exit code"
         r"|fatal: Remote branch \S+ not found|fatal: Needed a single revision|unable to checkout",
         "fatal:", "repository not found", "not found", "publickey", "access rights", "failed to clone", "unadvertised",
         "host key verification", "pathspec", "lfs failed", "command 'git", "/git'",
         "git.exe'", "submodule", "unable to checkout", priority=100,
         masks=(mask(r"(Failed to clone )'[^']+'", r"\1'<SUBMODULE>'"),
                mask(r"(Repository )(?!not found)\S+( not found)", r"\1<REPO>\2"),
                mask(r"(submodule path )'[^']+'", r"\1'<PATH>'"),
                mask(r"(Command 'git \w+) [^']*'", r"\1 <REMOTE>'"),
                mask(r"(remote template: )\S+", r"\1<TEMPLATE>"),
                mask(r"(couldn't find remote ref )\S+", r"\1<REF>"), mask(r"(Remote branch )\S+( not found)", r"\1<BRANCH>\2"),
                mask(r"(pathspec )'[^']*'", r"\1'<PATH>'"))),
    # git-lfs (git-lfs/git-lfs) fetching the objects of a checkout: `Smudge error: Error downloading <file> (<oid>):
    # ...`, `Error downloading object: ...`, the filter that failed, the host's `batch response: ...` (over its data
    # quota, object missing). Below the network rules (a batch response of a rate limit or a timeout is the network).
    rule("git-lfs-download", "clone_failed",
         r"\bSmudge error: |^Error downloading object: \S|^error: external filter '?git-lfs filter-process'? failed"
         r"|\bbatch response: (?:This repository is over its data quota|Repository or object not found|Git credentials"
         r"|Authorization error)|\bEncountered \d+ files? that should have been pointers, but (?:were|was)n't",
         "smudge error", "error downloading object", "git-lfs filter-process", "batch response", "should have been pointers",
         priority=85, tool="git",
         masks=(mask(r"(Error downloading(?: object:)? )\S+ \([0-9a-f]+\)", r"\1<FILE> (<HASH>)"),)),
    # GitHub refusing a password over https (its `remote: ` prefix is dropped with the other CI prefixes)
    rule("git-password-removed", "auth_error", r"^Support for password authentication was removed", "password authentication",
         priority=95, tool="git", group="Support for password authentication was removed"),
    # a corrupt object store of the checkout (git's object-file and inflate errors)
    rule("git-object-corrupt", "clone_failed",
         r"^error: (?:object file \S{1,300} is empty|inflate: data stream error|unable to unpack \S{1,100} header"
         r"|\S{1,300}: object corrupt or missing)", "error: ", priority=70, tool="git",
         masks=(mask(r"(object file )\S+", r"\1<PATH>"), mask(r"(unable to unpack )\S+", r"\1<SHA>"),
                mask(r"^(error: )\S+(: object corrupt)", r"\1<PATH>\2"))),
    rule("git-fatal", "clone_failed", r"\bfatal: ", "fatal:", priority=60,
         masks=(mask(r"(destination path |could not create work tree dir |ambiguous argument |Not a valid object name:? )'[^']*'",
                     r"\1'<PATH>'"),
                mask(r"(fatal: )'[^']*'( does not appear to be a git repository)", r"\1'<REMOTE>'\2"),
                mask(r"(loose object )[0-9a-f]{7,64}", r"\1<SHA>"))),
))
