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
         "##[debug]", "run with --", "ℹ", "💡", "(http", "error argv", "error node v", "error npm ", "error darwin",
         "error linux", "error windows_nt", "error cwd", "error if you need help", "error please include",
         "error tell the author", "error not ok", priority=150, ignore=True),
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
