"""Cloudflare Workers Builds / Pages platform lines: stage summaries, output directory, internal errors."""

from __future__ import annotations

from bloqr_dagster.build_errors.detectors.model import Detector
from bloqr_dagster.build_errors.detectors.rules._dsl import mask, rule

DETECTOR = Detector("platform", "platform", (
    rule("platform-output-dir-missing", "build_output_missing",
         r"Output directory \"[^\"]*\" not found|No Output Directory named \"[^\"]*\" found"
         r"|[Oo]utput directory .{0,80}(?:not found|does not exist|could not be found)|Error: No such directory"
         r"|(?:Deploy|Publish) directory '[^']*' does not exist",
         "output directory", "no such directory", "deploy directory", "publish directory", priority=100,
         masks=(mask(r'(Output Directory named |Output directory )"[^"]*"', r'\1"<DIR>"', 2),)),
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
    rule("platform-install-stage", "dependency_install_failed",
         r"^Failed: error occurred while installing tools or dependencies", "failed:", priority=10,
         summary=True),
    rule("platform-deploy-stage", "deploy_command_failed",
         r"^Failed: (?:error occurred while (?:running deploy command|publishing|deploying)|deploy command exited)",
         "failed:",
         priority=10, summary=True),
    rule("platform-clone-stage", "clone_failed", r"^Failed: (?:error occurred while |unable to )?clon", "failed:",
         priority=10, summary=True),
    # any other `Failed: ...` of the platform (`Failed: generating Pages Functions failed`): its stage's
    rule("platform-failed-stage", "build_command_failed", r"^Failed: \S", "failed:", priority=9, summary=True,
         relative="stage"),
    rule("platform-build-stage", "build_command_failed",
         r"^Failed: (?:error occurred while running build command|build command exited|Error while executing user"
         r" command)|^Error: Exit with error code: \d+", "failed:", "exit with error code", priority=10,
         summary=True),
))
