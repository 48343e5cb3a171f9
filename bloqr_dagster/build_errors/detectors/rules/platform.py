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
    # Deploy CLIs' credential failures: flyctl, the AWS CLI and aws-actions/configure-aws-credentials, gcloud,
    # the Azure CLI and Static Web Apps deploy, firebase-tools, a token input of a GitHub Action left empty.
    rule("deploy-cli-auth", "auth_error",
         r"[Nn]o access token available\. Please login|Unable to locate credentials\. You can configure credentials"
         r"|security token included in the request is (?:invalid|expired)|An error occurred \((?:AccessDenied\w{0,20}"
         r"|InvalidClientTokenId|ExpiredToken\w{0,20}|UnrecognizedClientException|SignatureDoesNotMatch|InvalidAccessKeyId"
         r"|UnauthorizedOperation|AuthFailure|InvalidToken)\)|Could not assume role with (?:OIDC|user credentials)"
         r"|Credentials could not be loaded|Could not load credentials from any providers"
         r"|^ERROR: \(gcloud\.auth\.[\w.-]{1,60}\) |does not have any valid credentials|You do not currently have an active account selected"
         r"|problem refreshing your current auth tokens|\bPERMISSION_DENIED: Permission '[^']{1,100}' denied"
         r"|Please run 'az login'|\bAADSTS\d{5,6}: |No credentials found\. Add an Azure login action"
         r"|No matching Static Web App was found or the api key was invalid"
         r"|Failed to authenticate, have you run firebase login|Your credentials are no longer valid"
         r"|Input required and not supplied: \w{0,40}(?i:token|apikey|api_key|secret|password)\b",
         "no access token available", "unable to locate credentials", "security token included", "an error occurred (",
         "could not assume role", "credentials could not be loaded", "could not load credentials", "gcloud.auth.",
         "valid credentials", "active account selected", "auth tokens", "permission_denied", "az login", "aadsts",
         "no credentials found", "api key was invalid", "firebase login", "credentials are no longer valid",
         "input required and not supplied", priority=100, tool="auto",
         masks=(mask(r"(Permission )'[^']*'( denied on resource )'[^']*'", r"\1'<PERMISSION>'\2'<RESOURCE>'"),
                mask(r"(AADSTS\d+: [^']*)'[^']*'", r"\1'<ID>'"), mask(r"(directory )'[^']*'", r"\1'<TENANT>'"))),
    # Deploy CLIs' and deploy actions' own failures (their credential, network and platform failures are coded above
    # and in rules/network.py): firebase-tools, Vercel CLI, flyctl, AWS CLI, gcloud, Azure deploy actions, Render.
    rule("deploy-cli-failed", "deploy_command_failed",
         r"Failed to get Firebase project|\bHTTP Error: (?:400|404|409|412), |must be on the Blaze \(pay-as-you-go\) plan"
         r"|There was an error deploying|Hosting site or target \S{1,100} not detected"
         r"|^(?:Error!? )?(?:Error: )?Project not found \(|Resource is limited - try again in"
         r"|The (?:Edge|Serverless) Function \"[^\"]{1,200}\" (?:size is|is \d)|exceeds the maximum size limit of"
         r"|Could not find App \"|smoke checks for \S{1,100} failed|release command failed|failed to update VM \S"
         r"|timeout reached waiting for (?:health checks|machine)"
         r"|An error occurred \(\w{1,60}\) when calling the \w{1,60} operation|^upload failed: \S{1,300} to s3://"
         r"|^ERROR: \(gcloud\.[\w.-]{1,60}\) |Deployment Failure Reason: |The content server has rejected the request"
         r"|Failed to deploy web package to App Service|^Deployment Failed :\(|Port scan timeout reached, no open ports detected"
         # Railway's deploy health check
         r"|^Healthcheck failed!|replicas never became healthy",
         "firebase project", "http error: ", "blaze", "error deploying", "not detected", "project not found",
         "resource is limited", "function \"", "maximum size limit", "could not find app", "smoke checks",
         "release command failed", "failed to update vm", "timeout reached waiting", "an error occurred (",
         "upload failed: ", "gcloud.", "deployment failure reason", "content server has rejected", "web package",
         "deployment failed :(", "no open ports detected", "healthcheck failed", "never became healthy", priority=80, tool="auto",
         masks=(mask(r"(Firebase project )\S+", r"\1<PROJECT>"), mask(r"(Your project )\S+", r"\1<PROJECT>"),
                mask(r"(Function )\"[^\"]*\"", r'\1"<FUNCTION>"'), mask(r"(Could not find App )\"[^\"]*\"", r'\1"<APP>"'),
                mask(r"(smoke checks for )\S+", r"\1<MACHINE>"), mask(r"(for machine )\S+", r"\1<MACHINE>"),
                mask(r"(Project not found )\(.*\)", r"\1(<IDS>)"), mask(r"(Revision )'[^']*'", r"\1'<REVISION>'"),
                mask(r"(Hosting site or target )\S+", r"\1<SITE>"))),
    # Heroku's runtime errors of the released app (router H codes, dyno R codes): the app did not come up. Memory
    # quotas are out_of_memory, H99/R99 the platform's own failure.
    rule("heroku-runtime-error", "deploy_command_failed",
         r"\bat=error code=H(?!99\b)\d\d\b|\bError R(?:1[0236-7]) \(|\bState changed from \w+ to crashed\b",
         "at=error code=h", "error r1", "to crashed", priority=90, tool="heroku",
         masks=(mask(r'( desc="[^"]*").*', r"\1 <DETAIL>"), mask(r"heroku\[(\w+)\.\d+\]", r"heroku[\1.<N>]"),
                mask(r"(within )\d+( seconds)", r"\1<N>\2"))),
    rule("heroku-memory-quota", "out_of_memory", r"\bError R1[45] \(Memory quota", "error r1", priority=95, tool="heroku",
         masks=(mask(r"heroku\[(\w+)\.\d+\]", r"heroku[\1.<N>]"),)),
    rule("heroku-platform-error", "platform_internal_error", r"\bat=error code=H99\b|\bError R99 \(", "code=h99", "error r99",
         priority=95, tool="heroku",
         masks=(mask(r'( desc="[^"]*").*', r"\1 <DETAIL>"), mask(r"heroku\[(\w+)\.\d+\]", r"heroku[\1.<N>]"))),
    rule("platform-internal", "platform_internal_error",
         r"[Aa]n internal error occurred|If this continues, contact support|Internal error while",
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
         # a deploy CLI's report of its API's 5xx or unknown failure (firebase-tools, actions/deploy-pages, Vercel CLI, gcloud)
         r"|\bHTTP Error: 5\d\d, |Failed to create deployment \(status: 5\d\d\)|\b(?:Unexpected|Unknown) error\. Please try again later"
         r"|Error Response: \[13\]"
         # a go-swagger API client's 5xx (Netlify's deploy API: `[PUT /deploys/{id}/files/x][500] uploadDeployFile`)
         r"|\]\[5\d\d\] \w"
         # a CI runner's own error log (syslog `gitlab-runner[8726]: ... level=error`)
         r"|\b(?:gitlab-runner|gitlab-ci-multi-runner|Runner\.Worker|Runner\.Listener)\[\d{1,8}\]: [^\n]{0,200}?level=(?:error|fatal)\b",
         "internal error", "unexpected error", "unknown error", "internal server error", "httperror",
         "lost communication", "shutdown signal", "system failure", "preparation failed", "error type: disconnect",
         "provisioning resources", "internal_server", "[code: 10002]", "[code: 8000000]", "account payments",
         "][5", "level=error", "level=fatal", "http error: 5", "status: 5", "error. please try again later",
         "error response: [13]",
         priority=90, tool="auto",
         masks=(mask(r"(with build version )\w+", r"\1<SHA>"), mask(r"(Request ID )\S+", r"\1<ID>"))),
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
    # (not a test runner's count `Failed: 0`)
    rule("platform-failed-stage", "build_command_failed", r"^Failed: (?!0+$)\S", "failed:", priority=9, summary=True,
         relative="general"),
    rule("platform-build-stage", "build_command_failed",
         r"^Failed: (?:error occurred while running build command|build command exited|Error while executing user"
         r" command)|^Error: Exit with error code: \d+", "failed:", "exit with error code", priority=10,
         summary=True),
))
