"""Tool-independent causes: missing files, memory exhaustion; and progress noise other rules must not fire on."""

from __future__ import annotations

from bloqr_dagster.build_errors.detectors.model import Detector
from bloqr_dagster.build_errors.detectors.rules._dsl import rule

DETECTOR = Detector("generic", "auto", (
    # Noise first: progress lines that mention errors without being one (warnings: rules/general.py).
    rule("noise-progress", "not_an_error",
         r"^(?:HEAD is now at |Executing user (?:build |deploy )?command|Installing project dependencies:"
         r"|🪵\s+Logs were written)",
         "head is now at", "executing user", "installing project dependencies", "logs were written",
         priority=150, ignore=True),
    # Lines that only point elsewhere or explain: CI debug output, `Run with --verbose`, info icons, a stack
    # frame naming a documentation URL, old npm-debug.log headers (`166833 error Darwin 16.1.0`). Specific
    # keywords: a keyword as common as `at ` would make every line's keyword scan longer.
    rule("noise-pointers", "not_an_error",
         r"^##\[debug\]|\bRun with --(?:verbose|debug|stacktrace|info|scan)\b|^(?:ℹ|💡)|^at \S[^\n]{0,200}\(https?://\S+\)$"
         r"|^(?:\d+ )?error (?:argv|node v\d|npm +v\d|Darwin|Linux|Windows_NT|cwd|If you need help|Please include"
         r"|Tell the author|not ok)",
         "##[debug]", "run with --", "ℹ", "💡", "http", "error argv", "error node v", "error npm ", "error darwin",
         "error linux", "error windows_nt", "error cwd", "error if you need help", "error please include",
         "error tell the author", "error not ok", priority=150, ignore=True),
    # Tools' own warnings and notices that hold error words (the line goes on: the build carries on):
    # pip's resolver notice after an install that succeeded (`ERROR: pip's dependency resolver does not currently
    # take into account ...`) and its conflict lines (`x 1.0 requires y>=2, but you have y 1.5 which is
    # incompatible.`, `x 1.0 requires y, which is not installed.`); apt's `W:`/`N:` lines (not `W: Failed to fetch x
    # Temporary failure resolving 'y'`: the network failure the install fails of later) and debconf's frontend
    # fallbacks; webpack's source-map-loader warning `Failed to parse source map from 'x' file: Error: ENOENT`; BuildKit's cache import
    # that finds no cache (`ERROR: failed to configure registry cache importer: x: not found`) before it builds;
    # Next.js' note that it could not source-map an error (`x.js: Invalid source map. Only conformant source maps can
    # be used to find the original code.`: the error is on its own line); CPython's start-up notes on its prefixes
    # (`Could not find platform independent libraries <prefix>`); a setting explained (`Setting NODE_OPTIONS=x to
    # avoid heap out of memory errors`).
    rule("noise-tool-notices", "not_an_error",
         r"^ERROR: pip's dependency resolver does not currently take into account"
         r"|^[A-Za-z0-9][\w.-]{0,100} \S{1,60} requires [^\n]{1,300}?(?:, but you have [^\n]{1,200}? which is incompatible"
         r"|, which is not installed)\.$"
         r"|^[WN]: (?!Failed to fetch )|^(?:debconf|dpkg-preconfigure): "
         r"|^Failed to parse source ?map (?:from|for)\b|\bInvalid source map\. Only conformant source maps"
         r"|^Could not find platform (?:in)?dependent libraries <|^Consider setting \$PYTHONHOME to <"
         r"|\b(?:to avoid|to prevent|avoids|prevents) (?:the |any )?(?:JavaScript heap |heap )?out[- ]of[- ]memory\b"
         r"|\bfailed to configure registry cache importer\b",
         "pip's dependency resolver", "which is incompatible", "which is not installed", "w: ", "n: ", "debconf:",
         "dpkg-preconfigure:", "failed to parse source", "invalid source map", "could not find platform",
         "consider setting $pythonhome", "avoid", "prevent", "cache importer",
         priority=150, ignore=True),
    # A line a logger or a tool marks as information (`info x`, `[info] x`, `INFO: x`, mkdocs' `INFO    -  x`,
    # `npm notice x`, `npm info x`, pip's `[notice] x`, `success x`) is not an error even when its words name one
    # (`info This module is OPTIONAL, you can safely ignore this error`), unless it reports a failed build itself
    # (Maven's `[INFO] BUILD FAILURE`) or a failure was printed over it (Next.js' `info  - Checking validity of types
    # ...Failed to compile.`). Not `npm http`: its status lines (`npm http fetch GET 401 x`) are errors.
    rule("noise-info-level", "not_an_error",
         r"^(?:\[(?i:info|notice|debug|verbose|success)\]:?|(?:info|INFO|Info|notice|debug|DEBUG|verbose|success)(?::| +-? )"
         r"|npm (?:info|notice|verb|timing|sill) )"
         r"(?![^\n]{0,300}?(?:\bFAILURE\b|\bFAILED\b|\bFailed to compile|\bexit(?:ed)? with code [1-9]|\berror - |\bERR!))",
         "info", "notice", "debug", "verbose", "success", "npm verb", "npm timing", "npm sill",
         priority=150, ignore=True),
    # A step that says it is retrying (`attempt 1/3 failed: ECONNRESET, retrying in 2s`, pnpm's `GET x error
    # (ECONNRESET). Will retry in 10 seconds. 2 retries left.`, yarn's `There appears to be trouble with your network
    # connection. Retrying...`) has not failed yet; its final failure says so in other words (`failed after 3
    # retries`). A line that opens with a package manager's error marker (`npm ERR!`, `npm error`, yarn's `error`) or
    # `fatal` stays the marker's.
    rule("noise-retrying", "not_an_error",
         r"^(?!\W{0,4}(?:(?:npm |pnpm |yarn )?(?:error\b|ERR!)|(?i:fatal\b)))[^\n]{0,300}?"
         r"(?:(?:(?<!after )(?<!stop )(?i:\bretrying)\b|(?i:\bwill retry|\bretries left|\btrying again))\b"
         # or that it recovered: `Recovered from error: ECONNRESET (attempt 2 succeeded)`, `succeeded after 1 retry`
         r"|(?i:\brecovered from\b|\bsucceeded (?:after|on) (?:\d+ |the )?(?:retr|attempt)|\battempt \d+ succeeded\b))",
         "retrying", "will retry", "retries left", "trying again", "recovered from", "succeeded", priority=150,
         ignore=True),
    # A cache the build restores, saves or uploads is an optimisation: its failure or miss is not the build's
    # (`Cache upload failed, skipping`, `Error uploading build cache (skipping)`, `Failed to restore cache`, Next.js'
    # `Failed to set fetch cache x`); a
    # package manager's own error about its cache folder (`npm ERR! Your cache folder contains root-owned files`)
    # and BuildKit's `ERROR: failed to solve: failed to export cache: x` (a build given --cache-to fails) stay errors.
    rule("noise-cache", "not_an_error",
         r"^(?!\W{0,4}(?:(?:npm |pnpm |yarn )?(?:error\b|ERR!)|ERR_PNPM_)|[^\n]{0,300}?\bfailed to solve\b)[^\n]{0,300}?"
         r"(?i:\b(?:restor(?:e|ing)|sav(?:e|ing)|upload(?:ing)?|download(?:ing)?|import(?:ing)?|export(?:ing)?|set(?:ting)?)"
         r" (?:the |a |your )?(?:build |dependency |dependencies |remote |turbo |nx |docker |layer |node_modules |fetch "
         r"|data )?cache\b"
         r"|\bcache (?:restore|save|upload|download|import|export|miss)\b)",
         "cache", priority=150, ignore=True),
    # A command echo that prints a failure message (`+ echo 'Build failed'`, GitHub's `Run npm test || echo "tests
    # failed"`) is the script, not its output.
    # A command echo that prints a failure message (`+ echo 'Build failed'`, GitHub's `Run npm test || echo "tests
    # failed"`) is the script, not its output; so is a script's source as CI prints it under the step's name (a line
    # that opens with `echo`/`printf`, or one that echoes a failure after `||`, `&&`, `;`, `then`, `else`).
    rule("noise-echo-command", "not_an_error",
         r"^(?:Run|\$|\+{1,3}|>) [^\n]{0,300}?\b(?:echo|printf) |^(?:echo|printf) "
         r"|(?:\|\||&&|;|\bthen|\belse) +(?:echo|printf) +(?:-\w+ +)?[\"']?[^\"'\n]{0,160}?(?i:\bfail|\berror|::error)",
         "echo ", "printf ", priority=150, ignore=True),
    # A count of zero is a clean report, in every tool's wording: `Error: 0`, `Errors: 0, Warnings: 2`, `FAILED: 0`,
    # `Failed: 0, Passed: 12`, `0 FAILED, 12 PASSED`, `❌ 0 failed, ✅ 12 passed`, `✖ 0 problems`, `failures: 0`.
    rule("noise-zero-count", "not_an_error",
         r"^\W{0,4}(?:(?i:errors?|errored|fail(?:ed|ures?|ing)?|problems|panics?)(?: count| total)?:? +0"
         r"|0 (?i:errors?|errored|fail(?:ed|ures?|ing)?|problems|panics?))(?=[,;)]|\.?$| +[\W ]{0,4}(?i:pass|warn|skip|ok\b|total|of\b))",
         "error", "fail", "problem", "panic", priority=150, ignore=True),
    # Below the Python rule (100) that recognises an invalid `python@...` tool spec on this line.
    rule("noise-detected-tools", "not_an_error", r"^Detected the following tools from environment:",
         "detected the following tools", priority=95, ignore=True),
    rule("missing-package-json", "missing_file",
         r"no such file or directory, (?:open|stat|lstat|access) '[^']*package\.json'|Could not read package\.json"
         r"|package\.json: No such file|Could not find a required file", "package.json", "required file",
         priority=100),
    rule("out-of-memory", "out_of_memory",
         r"(?i:out of memory)|\bENOMEM\b|Cannot allocate memory|MemoryError"
         r"|(?i:exceeded (?:the |its )?(?:maximum |max )?(?:allowed |available )?memory)"
         r"|memory limit exceeded|^Killed$|: line \d+: +\d+ Killed\b|\bsignal: killed\b|\bSIGKILL\b|exit code 137|exited with (?:code )?137"
         r"|exit status 137",
         "memory", "enomem", "killed", "sigkill", "code 137", "with 137", "status 137", priority=90),
    # CRA's `Could not find a required file.` names it on the next lines: `  Searched in: /app/public`
    rule("missing-file-searched", "missing_file", r"^Searched in: (?:[A-Za-z]:)?[/\\]", "searched in:", priority=60,
         rank=40),
    # npm exits 254 (errno -2, ENOENT) when a file it needs is absent: `package.json` in the wrong root directory
    rule("npm-enoent-exit", "missing_file",
         r"(?i:\bexit(?:ed)?\b)[\w \-:\"]{0,60}?(?:\b(?:code|status):? |\bwith )254\b",
         "code 254", "code: 254", "status 254", "status: 254", "with 254", priority=25, summary=True),
    # bash's report of a job that died of a signal: `line 34:  1376 Aborted  (core dumped) gatsby build`
    rule("shell-signal-death", "build_command_failed",
         r": line \d+: +\d+ (?:Aborted|Segmentation fault|Bus error|Illegal instruction)(?: +\(core dumped\))?(?: +\S|$)"
         # the bare report, as a shell or a runtime prints it: `Segmentation fault (core dumped)`
         r"|^(?:Aborted|Segmentation fault|Bus error|Illegal instruction)(?: \(core dumped\))?$",
         "aborted", "segmentation fault", "bus error", "illegal instruction", priority=40, relative="general"),
    rule("missing-file", "missing_file", r"No such file or directory|ENOENT: no such file", "no such file",
         "enoent", priority=45),
))
