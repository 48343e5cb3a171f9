"""bun: `error: ...` lines of `bun install` and `bun run`."""

from __future__ import annotations

from bloqr_dagster.build_errors.detectors.model import Detector
from bloqr_dagster.build_errors.detectors.rules._dsl import mask, rule

DETECTOR = Detector("bun", "bun", (
    rule("bun-frozen-lockfile", "lockfile_out_of_sync",
         r"lockfile had changes, but lockfile is frozen|Unknown lockfile version|UnknownLockfileVersion",
         "lockfile had changes", "unknown lockfile", "unknownlockfile", priority=100),
    rule("bun-script-not-found", "command_not_found", r"^error: Script not found", "script not found",
         priority=100),
    rule("bun-no-manifest", "missing_file",
         r"^error: (?:Missing package\.json|could not find package\.json|package\.json not found)",
         "package.json", priority=100),
    rule("bun-resolve", "dependency_install_failed",
         r"^error: (?:.+ failed to resolve|No version matching|GET \S+ - (?:404|403)|Package \S+ not found"
         r"|.+@\S+ failed to resolve|Workspace dependency \"[^\"]+\" not found)", "failed to resolve",
         "no version matching", "error: get", "not found",
         priority=70),
    rule("bun-script-exited", "build_command_failed", r"^error: script \"[^\"]+\" exited with code \d+",
         "exited with code", priority=20, relative="stage",
         masks=(mask(r'script "[^"]+"', 'script "<SCRIPT>"'),)),
))
