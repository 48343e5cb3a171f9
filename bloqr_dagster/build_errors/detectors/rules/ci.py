"""CI systems' own failure lines: GitHub Actions, Netlify, Render, GitLab, Travis, turbo, Amplify."""

from __future__ import annotations

from bloqr_dagster.build_errors.detectors.model import Detector
from bloqr_dagster.build_errors.detectors.rules._dsl import mask, rule

DETECTOR = Detector("ci", "github-actions", (
    rule("ci-job-timeout", "timeout",
         r"has exceeded the maximum execution time|\b(?:[Bb]uild|[Jj]ob|[Ss]tep|[Cc]ommand|[Dd]eploy(?:ment)?|[Ww]orkflow|[Aa]ction)"
         r" (?:has |was )?(?:timed out|exceeded (?:the )?(?:maximum|max)(?: allowed)? (?:time|duration|run ?time|execution time))"
         r"|exceeded the maximum time limit|^==> Timed [Oo]ut\b|Timeout has been exceeded|Cancelling nested steps due to timeout"
         r"|Build exceeded maximum"
         r" time|exceeded the (?:build )?time limit|Time limit exceeded|The operation was canceled\."
         r"|timed out after \d+ minutes|No output has been received in the last|execution took longer than"
         r"|Too long with no output|did not finish within the time limit|ran longer than the maximum time"
         r"|exceeded the maximum allowed time|[Tt]imed out (?:compiling|running) |[Cc]ompilation timed out|still timing out after"
         # Next.js gives up on a page whose static generation kept timing out
         r"|^Failed to build /[^\n]{0,300}? after \d+ attempts",
         "maximum execution time", "timed out", "exceeded maximum time", "exceeded the max", "exceeded max",
         "exceeded maximum allowed", "timeout has been exceeded", "due to timeout",
         "time limit", "operation was canceled",
         "no output has been received", "took longer than", "too long with no output", "did not finish within",
         "ran longer than", "maximum allowed time", "timed out compiling", "timed out running", "timing out", "attempts",
         priority=100, tool="auto",
         masks=(mask(r"(runner )(.+?)( has exceeded)", r"\1<RUNNER>\3"),
                mask(r"(execution time of )\d+(?=\.?\s*$)", r"\1<N>"))),
    # GitHub Pages deploy actions wrap the failing git or API call in their own message: peaceiris/actions-gh-pages'
    # `Action failed with "..."`, JamesIves/github-pages-deploy-action's `There was an error initializing the
    # repository: ... ❌` / `The deploy step encountered an error: ...` / `There was an error creating the worktree: ...`.
    # Above git's rules (the wrapped `The process '/usr/bin/git' failed`), below its auth and network rules; a
    # wrapped command that does not exist stays command_not_found.
    rule("pages-action-failed", "deploy_command_failed",
         r"(?:^(?:Error: )?Action failed with \"|There was an error (?:initializing the repository|creating the worktree"
         r"|checking out|generating|parsing)\b[^\n]{0,80}?: |The deploy step encountered an error: |^Deployment failed! ❌)"
         r"(?![^\n]{0,400}?(?:command not found|could not read (?:Username|Password)|Permission denied \(publickey))",
         "action failed with", "there was an error", "deploy step encountered", "deployment failed!", priority=101,
         tool="github-actions",
         masks=(mask(r"The process '[^']*'", "The process '<PATH>'"),)),
    # actions/deploy-pages and actions/configure-pages: the Pages deployment itself failed
    rule("pages-deployment-failed", "deploy_command_failed",
         r"Multiple artifacts named \"[^\"]{1,100}\" were unexpectedly found|Artifact could not be deployed\. "
         r"|Deployment failed to report final status|^(?:Error: )?Deployment cancelled\.$|(?:Get|Create) Pages site failed"
         r"|Failed to create deployment \(status: (?!40[13]\b|5\d\d\b)\d{3}\)",
         "multiple artifacts named", "artifact could not be deployed", "failed to report final status",
         "deployment cancelled", "pages site failed", "failed to create deployment", priority=80, tool="github-actions",
         masks=(mask(r"(artifacts named )\"[^\"]*\"", r'\1"<ARTIFACT>"'), mask(r"(with build version )\w+", r"\1<SHA>"),
                mask(r"(Request ID )\S+", r"\1<ID>"), mask(r"(Ensure GitHub Pages has been enabled: )\S+", r"\1<URL>"))),
    rule("ci-process-deploy", "deploy_command_failed",
         r"The process '[^']*/(?:npx|wrangler|bunx|pnpx)(?:\.cmd)?' failed with exit code|Error: 🚨 Action failed",
         "the process '", "action failed", priority=16, tool="github-actions"),
    # A platform's summary is labelled by the stage it reports (TAXONOMY.md), whatever the git error it quotes
    # (`Failed during stage 'preparing repo': ...: fatal: unable to access '...': GnuTLS recv error`): above git's rules.
    rule("netlify-stage-clone", "clone_failed", r"[Ff]ailed during stage ['‘](?:preparing repo|[Cc]lon)",
         "failed during stage", priority=115, tool="netlify", summary=True),
    rule("netlify-stage-install", "dependency_install_failed", r"[Ff]ailed during stage '(?:[Ii]nstall|installing)",
         "failed during stage", priority=15, tool="netlify", summary=True),
    rule("netlify-stage-deploy", "deploy_command_failed", r"[Ff]ailed during stage '(?:[Dd]eploy|[Uu]ploading)",
         "failed during stage", priority=15, tool="netlify", summary=True),
    rule("netlify-deploy-failed", "deploy_command_failed", r"Deploy did not succeed|Failed to deploy site",
         "deploy did not succeed", "failed to deploy site", priority=15, tool="netlify", summary=True, rank=4),
    rule("netlify-build-command", "build_command_failed", r'"build\.command" failed', "build.command", priority=15,
         tool="netlify", summary=True),
    rule("netlify-stage-build", "build_command_failed", r"[Ff]ailed during stage '", "failed during stage",
         priority=14, tool="netlify", summary=True, masks=(mask(r"\(https?://[^)]*\)", "(<URL>)"),)),
    # AWS CodeBuild closes each phase with its state; the failed phase says the stage
    rule("codebuild-phase-install", "dependency_install_failed",
         r"Phase complete: (?:INSTALL|PRE_BUILD) (?:Success: false|State: FAILED)", "phase complete", priority=15,
         tool="codebuild", summary=True),
    rule("codebuild-phase-build", "build_command_failed", r"Phase complete: BUILD (?:Success: false|State: FAILED)",
         "phase complete", priority=15, tool="codebuild", summary=True),
    rule("codebuild-phase-post-build", "deploy_command_failed",
         r"Phase complete: POST_BUILD (?:Success: false|State: FAILED)", "phase complete", priority=15,
         tool="codebuild", summary=True),
    rule("codebuild-phase-source", "clone_failed", r"Phase complete: DOWNLOAD_SOURCE (?:Success: false|State: FAILED)",
         "phase complete", priority=15, tool="codebuild", summary=True),
    # Netlify's closing `Failing build: Failed to <step>`: the step's words say the stage
    rule("netlify-failing-build", "build_command_failed", r"^Failing build: Failed to (?!deploy site)\w",
         "failing build", priority=15, tool="netlify", summary=True, relative="general"),
    # Render's closing line names the step: the build command, or the start command of the deployed service
    rule("render-exit-build", "build_command_failed", r"^(?:==> )?Exited with status \d+ while building your code",
         "while building your code", priority=16, tool="render", summary=True),
    rule("render-exit-run", "deploy_command_failed", r"^(?:==> )?Exited with status \d+ while running your code",
         "while running your code", priority=16, tool="render", summary=True),
    # GitHub Actions' runner (actions/runner) could not download an action the workflow uses: like a failed clone
    rule("actions-resolve-failed", "clone_failed",
         r"\bUnable to resolve action [`']?[\w.-]{1,100}/|\bAn action could not be found at the URI '"
         r"|\bMissing download info for [\w.-]{1,100}/|\bCan't find 'action\.ya?ml', 'action\.ya?ml' or 'Dockerfile' (?:under|for action) ",
         "unable to resolve action", "action could not be found", "missing download info", "can't find 'action.",
         priority=100, tool="github-actions",
         masks=(mask(r"(at the URI )'[^']*'(?: \([0-9A-Fa-f:]+\))?", r"\1'<URL>'"),
                mask(r"(or 'Dockerfile' (?:under|for action) )'[^']*'", r"\1'<PATH>'"))),
    # actions/download-artifact finds no artifact of that name; actions/upload-artifact (if-no-files-found: error)
    # finds no file at the path: the output an earlier step should have made is missing
    rule("actions-artifact-missing", "build_output_missing",
         r"\bUnable to download artifact\(s\): Artifact not found for name: |^Error: No files were found with the provided path: ",
         "artifact not found for name", "no files were found with the provided path", priority=100, tool="github-actions",
         masks=(mask(r"(for name: )\S+", r"\1<ARTIFACT>"), mask(r"(with the provided path: )[^\n]*?(?=\. No artifacts|$)", r"\1<PATH>"))),
    # GitLab Runner's artifact uploader found none of the job's artifact paths (GitLab Pages' `public/`): the build
    # output is missing. Printed after a failed script too, so it ranks as a tool summary, below the script's own error.
    rule("gitlab-no-files-to-upload", "build_output_missing", r"^ERROR: No files to upload\b", "no files to upload",
         priority=100, rank=20, tool="gitlab"),
    # the CI service lost or never had a machine for the job: GitHub Actions (no runner online), Azure Pipelines (an
    # agent that stopped answering, no parallel job granted)
    rule("ci-runner-unavailable", "platform_internal_error",
         r"\bno enabled runners online to process the request|\bWe stopped hearing from agent "
         r"|\bNo hosted parallelism has been purchased or granted",
         "no enabled runners online", "stopped hearing from agent", "no hosted parallelism", priority=95, tool="auto",
         masks=(mask(r"(for more than )\d+ (days?|hours?)", r"\1<N> \2"), mask(r"(hearing from agent )[^.]+", r"\1<AGENT>"))),
    # CircleCI: the step's process got SIGKILL (the kernel's OOM killer of the container), like exit code 137
    rule("circleci-killed", "out_of_memory", r"^Received \"killed\" signal", "received \"killed\" signal", priority=85,
         tool="circleci"),
    rule("ci-summary", "build_command_failed",
         r"^Process completed with exit code|The process '[^']*' failed with exit code|^==> Build failed"
         r"|^ERROR: Job failed: |The command \"[^\"]+\" (?:failed and )?exited with [1-9]\d*|^!!! Build failed"
         r"|\bERROR\s+run failed: command\s+(?:\S+\s+)?exited \(\d+\)|^##\[error\]",
         "process completed with exit code", "the process '", "build failed", "job failed", "exited with",
         "run failed", "##[error]", priority=15, tool="auto", summary=True, relative="general",
         masks=(mask(r"The process '[^']*'", "The process '<PATH>'"),
                mask(r'(The command )"[^"]+"', r'\1"<COMMAND>"'))),
))
