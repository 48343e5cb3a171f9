"""POSIX shells, make and CI shell steps: command not found, exit 127, make errors."""

from __future__ import annotations

from bloqr_dagster.build_errors.detectors.model import Detector
from bloqr_dagster.build_errors.detectors.rules._dsl import mask, rule

DETECTOR = Detector("shell", "sh", (
    rule("shell-command-not-found", "command_not_found",
         r"\b(?:ba|da|z)?sh: (?:line )?\d+: [^\s:]+: (?:command )?not found|\.sh: line \d+: [^\s:]+: No such file or directory$|\b(?:ba|da|z)?sh: [^\s:]+: not found$|(?<![^\s:])[^\s:]+: command not found"
         r"|\bcommand not found: |is not recognized as an internal or external command|exited \(127\)"
         r"|exit (?:code|status):? 127\b|exited with (?:code )?127\b|\benv: .\S+.: No such file or directory|\bnot found in \$?PATH"
         r"|could not determine executable to run"
         # the shell could not start the command line it was given (`sh: cross-env NODE_ENV=x webpack: No such
         # file or directory`); netlify-cli's `Failed running command: x. Please verify 'x' exists`; mise/asdf's
         # `Missing tool version: core:bun@1.2.18`
         r"|^(?:/[\w/]*/)?(?:ba|da|z)?sh: [^:\n]{1,300}: No such file or directory$"
         r"|Failed running command: [^\n]{1,300}Please verify '[^']{1,100}' exists|^Missing tool version: "
         # @actions/io's which(): `Unable to locate executable file: x.`; PowerShell; Ubuntu's command-not-found;
         # `which: no x in (...)`
         r"|Unable to locate executable file: |is not recognized as the name of a cmdlet|^Command '[^']{1,100}' not found"
         r"|^which: no \S{1,100} in \(",
         "failed running command", "missing tool version", "locate executable file", "name of a cmdlet", "which: no",
         "not found", "not recognized", "(127)", "code 127",
         "status 127", "code: 127", "with 127", "status: 127", "env:", "could not determine executable", "no such file", priority=100,
         masks=(mask(r"(:\s(?:line \d+: |\d+: )?|^In \S+ - |- )([^\s:]+)(: (?:command )?not found)",
                     r"\1<COMMAND>\3"),
                mask(r"(command not found: )\S+", r"\1<COMMAND>"),
                mask(r"'[^']+'( is not recognized)", r"'<COMMAND>'\1"),
                mask(r"(env: ).\S+.", r"\1'<COMMAND>'"),
                mask(r"(Unable to locate executable file: )[^\s.]+", r"\1<COMMAND>"),
                mask(r"^(?:\S+ : )?(The term )'[^']+'", r"\1'<COMMAND>'"), mask(r"^(Command )'[^']+'", r"\1'<COMMAND>'"),
                mask(r"^(which: no )\S+ in \(.*", r"\1<COMMAND> in (<PATH>)"))),
    # rsync copies a build to its host (GitHub Actions and CI deploy steps): its failures are the deploy's
    rule("rsync-failed", "deploy_command_failed", r"^rsync: [^\n]{0,300}? failed: |^rsync error: ", "rsync",
         priority=100, tool="rsync", masks=(mask(r'"[^"]*"', '"<PATH>"'),)),
    rule("tar-output-missing", "build_output_missing", r"^tar: [^:]{1,300}: Cannot (?:open|stat): No such file or directory",
         "tar: ", priority=100, tool="tar", masks=(mask(r"^tar: [^:]{1,300}:", "tar: <PATH>:"),)),
    rule("shell-permission-denied", "build_command_failed",
         r"\b(?:ba|da|z)?sh: (?:line )?\d+: [^\s:]+: Permission denied|\bEACCES: permission denied",
         "permission denied", priority=40, relative="stage",
         masks=(mask(r"(:\s(?:line \d+: |\d+: )?)([^\s:]+)(: Permission denied)", r"\1<COMMAND>\3"),)),
    rule("make-error", "build_command_failed",
         r"\bmake(?:\[\d+\])?: \*\*\* (?:\[[^\]]*\] )?Error \d+|recipe for target '[^']+' failed", "***",
         "recipe for target",
         relative="stage", priority=20, tool="make", masks=(mask(r"\*\*\* \[[^\]]*\] Error \d+", "*** [<TARGET>] Error <CODE>"),
                mask(r"(target )'[^']+'", r"\1'<TARGET>'"))),
    rule("jenkins-step-failed", "build_command_failed", r"^Build step '[^']+' marked build as failure",
         "marked build as failure", priority=15, tool="jenkins",
         masks=(mask(r"step '[^']+'", "step '<STEP>'"),)),
))
