"""Cloudflare Workers Builds / Pages platform lines: stage summaries, output directory, internal errors."""

from __future__ import annotations

from bloqr_dagster.build_errors.detectors.model import Detector
from bloqr_dagster.build_errors.detectors.rules._dsl import mask, rule

DETECTOR = Detector("platform", "platform", (
    rule("platform-output-dir-missing", "build_output_missing",
         r"Output directory \"[^\"]*\" not found|No Output Directory named \"[^\"]*\" found"
         r"|[Oo]utput directory .{0,80}(?:not found|does not exist|could not be found)|Error: No such directory"
         r"|(?:Deploy|Publish) directory '[^']*' does not exist"
         # a directory the deploy step publishes (Netlify CLI, Firebase, GitHub Pages) or a Next.js output
         # file the platform reads after the build
         r"|(?:[Dd]eploy|[Pp]ublish|[Pp]ublic|\"public\"|[Oo]utput|[Dd]ist) directory [\"'][^\"']*[\"'] (?:has not been found"
         r"|does not exist|could not be found|not found)|routes-manifest\.json\"? couldn't be found|NEXT_NO_ROUTES_MANIFEST"
         r"|output directory contains links to files that can't be accessed|does not contain a Next\.js production build",
         "output directory", "no such directory", "deploy directory", "publish directory", "public directory",
         "public\" directory", "dist directory", "routes-manifest", "no_routes_manifest", "production build", priority=100,
         masks=(mask(r'(Output Directory named |Output directory )"[^"]*"', r'\1"<DIR>"', 2),
                mask(r"""(directory )(["'])[^"']*\2""", r"\1\2<DIR>\2"))),
    rule("platform-root-dir-missing", "missing_file",
         r"(?:[Rr]oot|[Bb]ase) directory .{0,80}(?:not found|does not exist|could not be found)", "root directory",
         "base directory", priority=100),
    # Above wrangler's own rules (70): the Pages publish step wraps their messages.
    rule("pages-publish-function", "deploy_command_failed", r"Failed to publish your Function",
         "failed to publish your function", priority=75,
         masks=(mask(r"(ReferenceError: )\w+( is not defined)", r"\1<IDENTIFIER>\2"),)),
    rule("platform-internal", "platform_internal_error",
         r"an internal error occurred|If this continues, contact support|Internal error while",
         "internal error", "contact support", priority=30),
    # The platform or runner failed, not the build: a 5xx of its own API, a lost or stopped runner, a
    # system failure of the executor, an unknown error the platform reports. Above the deploy and stage
    # rules whose lines wrap these messages (`Failed to publish your Function. Got error: Unknown ...`).
    rule("platform-infrastructure", "platform_internal_error",
         r"\b(?:[Uu]nknown|[Uu]nexpected) internal error|(?<!^error )\bAn? (?:unknown|unexpected) error (?:has )?occ?urr?ed(?!:)"
         r"|^Internal (?:server )?error\b|\b500 Internal Server Error|HTTPError: (?:Internal Server Error|Bad Gateway"
         r"|Service Unavailable)|runner\b.{0,80} lost communication with the server|(?:runner|agent) has received a "
         r"shutdown signal|\(system failure\)|^ERROR: Preparation failed|\(Error Type: Disconnect\)"
         r"|error occurred while provisioning resources|api\.error\.internal_server|\[code: (?:10002|8000000)\]"
         r"|recent account payments have failed|Internal error during \""
         # a go-swagger API client's 5xx (Netlify's deploy API: `[PUT /deploys/{id}/files/x][500] uploadDeployFile`)
         r"|\]\[5\d\d\] \w"
         # a CI runner's own error log (syslog `gitlab-runner[8726]: ... level=error`)
         r"|\b(?:gitlab-runner|gitlab-ci-multi-runner|Runner\.Worker|Runner\.Listener)\[\d{1,8}\]: [^\n]{0,200}?level=(?:error|fatal)\b",
         "internal error", "unexpected error", "unknown error", "internal server error", "httperror",
         "lost communication", "shutdown signal", "system failure", "preparation failed", "error type: disconnect",
         "provisioning resources", "internal_server", "[code: 10002]", "[code: 8000000]", "account payments",
         "][5", "level=error", "level=fatal",
         priority=90, tool="auto"),
    rule("platform-install-stage", "dependency_install_failed",
         r"^Failed: error occurred while installing tools or dependencies", "failed:", priority=10,
         summary=True),
    rule("platform-deploy-stage", "deploy_command_failed",
         r"^Failed: (?:error occurred while (?:running deploy command|publishing|deploying)|deploy command exited)",
         "failed:",
         priority=10, summary=True),
    rule("platform-clone-stage", "clone_failed", r"^Failed: (?:error occurred while |unable to )?clon"
         r"|^Failed: [^\n]{0,80}\b(?:repository submodules|source repo|(?:the |your )?repository)\b", "failed:",
         priority=10, summary=True),
    # any other `Failed: ...` of the platform (`Failed: generating Pages Functions failed`): its stage's
    rule("platform-failed-stage", "build_command_failed", r"^Failed: \S", "failed:", priority=9, summary=True,
         relative="general"),
    rule("platform-build-stage", "build_command_failed",
         r"^Failed: (?:error occurred while running build command|build command exited|Error while executing user"
         r" command)|^Error: Exit with error code: \d+", "failed:", "exit with error code", priority=10,
         summary=True),
))
