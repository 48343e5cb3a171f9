"""bun: `error: ...` lines of `bun install` and `bun run`."""

from __future__ import annotations

from bloqr_dagster.build_errors.detectors.model import Detector
from bloqr_dagster.build_errors.detectors.rules._dsl import mask, rule

DETECTOR = Detector("bun", "bun", (
    rule("bun-frozen-lockfile", "lockfile_out_of_sync",
         r"lockfile had changes, but lockfile is frozen|Unknown lockfile version|UnknownLockfileVersion"
         # bun (and uv: `Failed to parse lockfile `uv.lock``) reading a lockfile it cannot parse
         r"|\b[Ff]ailed to parse lockfile\b",
         "lockfile had changes", "unknown lockfile", "unknownlockfile", "failed to parse lockfile", priority=100,
         masks=(mask(r"(parse lockfile:? )([`'\"])[^`'\"]*\2", r"\1\2<PATH>\2"),)),
    rule("bun-script-not-found", "command_not_found", r"^error: Script not found", "script not found",
         priority=100),
    rule("bun-no-manifest", "missing_file",
         r"^error: (?:Missing package\.json|could not find package\.json|package\.json not found"
         r"|Bun could not find a package\.json file)",
         "package.json", priority=100),
    rule("bun-resolve", "dependency_install_failed",
         r"^error: (?:.+ failed to resolve|No version matching|GET \S+ - (?:404|403)|Package \S+ not found"
         r"|.+@\S+ failed to resolve|Workspace dependency \"[^\"]+\" not found)", "failed to resolve",
         "no version matching", "error: get", "not found",
         priority=70),
    # bun names a failed download by its error (Zig error names) then what it was downloading
    rule("bun-network", "network_error",
         r"^error: (?:Connection(?:Refused|Closed|TimedOut|ResetByPeer|Reset)|Timeout|TimedOut|NetworkUnreachable"
         r"|HostUnreachable|TLSHandshakeFailed|DNSLookupFailed|UnableToConnect|ECONNRESET|ETIMEDOUT)"
         r" (?:downloading|while (?:downloading|fetching|resolving)|fetching)",
         "error: connection", "error: timeout", "error: timedout", "error: networkunreachable",
         "error: hostunreachable", "error: tlshandshakefailed", "error: dnslookupfailed", "error: unabletoconnect",
         "error: econnreset", "error: etimedout", priority=100,
         masks=(mask(r"((?:downloading|fetching) (?:package manifest|tarball) )\S+", r"\1<PACKAGE>"),)),
    # bun install naming a failure by its Zig error name while downloading, extracting or linking (its network
    # error names are bun-network's), or a dependency cycle
    rule("bun-install-error-name", "dependency_install_failed",
         r"^error: [A-Z][A-Za-z]{2,60} (?:downloading|extracting) (?:tarball|package manifest)\b"
         r"|^error: Failed to link [^\n:]{1,200}: [A-Z]\w+$|^error: could not find bin metadata file|^error: DependencyLoop$",
         "downloading tarball", "downloading package manifest", "extracting tarball", "extracting package manifest",
         "failed to link",
         "bin metadata", "dependencyloop", priority=70,
         masks=(mask(r"((?:tarball|manifest) )\S+", r"\1<PACKAGE>"), mask(r"(link )[^:]+", r"\1<PACKAGE>"))),
    # bun install cannot open a package's folder in its cache (a `file:` dependency whose path is missing, a cache it
    # may not write): `<ErrorName>: failed opening cache/package/version dir for package <name>`
    rule("bun-cache-dir", "dependency_install_failed",
         r"^[A-Z][A-Za-z]{1,40}: failed opening cache/package/version dir for package \S+",
         "failed opening cache/package/version dir", priority=100,
         masks=(mask(r"(for package )\S+", r"\1<PACKAGE>"),)),
    # an install (lifecycle) script of a dependency failed during `bun install`
    rule("bun-install-script", "dependency_install_failed",
         r"^error: (?:pre|post)?install script from \"[^\"\n]{1,200}\" exited with (?:code )?\d"
         r"|^error: \S{1,200} (?:pre|post)?install script exited with (?:code )?\d",
         "install script", priority=70),
    rule("bun-frozen-hint", "lockfile_out_of_sync", r"without --frozen-lockfile and commit the updated lockfile",
         "frozen-lockfile", priority=60, rank=40),
    rule("bun-script-exited", "build_command_failed", r"^error: script \"[^\"]+\" exited with code \d+",
         "exited with code", priority=20, relative="stage",
         masks=(mask(r'script "[^"]+"', 'script "<SCRIPT>"'),)),
))
