"""Deploy, network, auth, timeout and platform formats from the deploy CLIs', CI runners' and network tools' own
message templates (GitHub Pages deploy actions, firebase-tools, Vercel CLI, flyctl, AWS CLI, gcloud, Azure,
wrangler, Render, curl, git, Node's undici, Docker registries). Each example is written for this test from the
tool's message format (none is copied from the corpus), diagnosed as a one-line log, with the category and the
masked error group expected."""

from __future__ import annotations

import pytest

from bloqr_dagster.build_errors.detectors import default_rules, diagnose

from .helpers import primary_code_and_group

CASES = [
    # peaceiris/actions-gh-pages and JamesIves/github-pages-deploy-action wrap the failing git call
    ("Error: Action failed with \"The process '/usr/bin/git' failed with exit code 128\"", "deploy_command_failed",
     "Error: Action failed with \"The process '<PATH>' failed with exit code 128\""),
    ("Error: There was an error initializing the repository: The process '/usr/bin/git' failed with exit code 1 ❌",
     "deploy_command_failed",
     "Error: There was an error initializing the repository: The process '<PATH>' failed with exit code <CODE> ❌"),
    ("Error: The deploy step encountered an error: There was an error creating the worktree: The process "
     "'/usr/bin/git' failed with exit code 128 ❌ ❌", "deploy_command_failed",
     "Error: The deploy step encountered an error: There was an error creating the worktree: The process '<PATH>' "
     "failed with exit code 128 ❌ ❌"),
    # ... but a wrapped command that does not exist is still that
    ("Error: The deploy step encountered an error: There was an error creating the worktree: git-lfs: command not "
     "found ❌", "command_not_found",
     "Error: The deploy step encountered an error: There was an error creating the worktree: <COMMAND>: command not "
     "found ❌"),
    # actions/deploy-pages and actions/configure-pages
    ('Error: Multiple artifacts named "site-pages" were unexpectedly found for this workflow run. Artifact count is 3.',
     "deploy_command_failed",
     'Error: Multiple artifacts named "<ARTIFACT>" were unexpectedly found for this workflow run. Artifact count is <N>.'),
    ("Error: Failed to create deployment (status: 404) with build version 0a1b2c3d. Ensure GitHub Pages has been "
     "enabled: https://github.com/acme/site/settings/pages", "deploy_command_failed",
     "Error: Failed to create deployment (status: 404) with build version <SHA>. Ensure GitHub Pages has been enabled: "
     "<URL>"),
    ("Error: Failed to create deployment (status: 503) with build version 0a1b2c3d. Server error, is githubstatus.com "
     "reporting a Pages outage?", "platform_internal_error",
     "Error: Failed to create deployment (status: 503) with build version <SHA>. Server error, is <HOST> reporting a "
     "Pages outage?"),
    ("Error: Artifact could not be deployed. Please ensure the content does not contain any hard links, symlinks and "
     "total size is less than 10GB.", "deploy_command_failed",
     "Error: Artifact could not be deployed. Please ensure the content does not contain any hard links, symlinks and "
     "total size is less than 10GB."),
    ("Error: Create Pages site failed", "deploy_command_failed", "Error: Create Pages site failed"),
    # firebase-tools
    ("Error: Failed to get Firebase project demo-shop. Please make sure the project exists and your account has "
     "permission to access it.", "deploy_command_failed",
     "Error: Failed to get Firebase project <PROJECT> Please make sure the project exists and your account has "
     "permission to access it."),
    ("Error: HTTP Error: 404, Requested entity was not found.", "deploy_command_failed",
     "Error: HTTP Error: 404, Requested entity was not found."),
    ("Error: HTTP Error: 503, The service is currently unavailable.", "platform_internal_error",
     "Error: HTTP Error: 503, The service is currently unavailable."),
    ("Error: Your project demo-shop must be on the Blaze (pay-as-you-go) plan to complete this command.",
     "deploy_command_failed",
     "Error: Your project <PROJECT> must be on the Blaze (pay-as-you-go) plan to complete this command."),
    ("Error: Failed to authenticate, have you run firebase login?", "auth_error",
     "Error: Failed to authenticate, have you run firebase login?"),
    # Vercel CLI
    ('Error: Project not found ({"VERCEL_PROJECT_ID":"prj_x","VERCEL_ORG_ID":"team_y"})', "deploy_command_failed",
     "Error: Project not found (<IDS>)"),
    ('Error: Resource is limited - try again in 3 hours (more than 100, code: "api-deployments-free-per-day").',
     "deploy_command_failed",
     'Error: Resource is limited - try again in <N> hours (more than <N>, code: "api-deployments-free-per-day").'),
    ('Error: The Edge Function "middleware" size is 2.4 MB and your plan size limit is 1 MB.', "deploy_command_failed",
     'Error: The Edge Function "<FUNCTION>" size is <NUM> MB and your plan size limit is <N> MB.'),
    ("Error: Unexpected error. Please try again later. ()", "platform_internal_error",
     "Error: Unexpected error. Please try again later. ()"),
    # flyctl
    ("Error: No access token available. Please login with 'flyctl auth login'", "auth_error",
     "Error: No access token available. Please login with 'flyctl auth login'"),
    ('Error: Could not find App "shop-api"', "deploy_command_failed", 'Error: Could not find App "<APP>"'),
    ("Error: smoke checks for 3d8d9e1b failed: the app appears to be crashing", "deploy_command_failed",
     "Error: smoke checks for <MACHINE> failed: the app appears to be crashing"),
    # AWS CLI and aws-actions/configure-aws-credentials
    ('Unable to locate credentials. You can configure credentials by running "aws configure".', "auth_error",
     'Unable to locate credentials. You can configure credentials by running "aws configure".'),
    ("An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: The security token "
     "included in the request is invalid.", "auth_error",
     "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: The security token "
     "included in the request is invalid."),
    ("Error: Could not assume role with OIDC: Not authorized to perform sts:AssumeRoleWithWebIdentity", "auth_error",
     "Error: Could not assume role with OIDC: Not authorized to perform sts:AssumeRoleWithWebIdentity"),
    ("fatal error: An error occurred (NoSuchBucket) when calling the ListObjectsV2 operation: The specified bucket "
     "does not exist", "deploy_command_failed",
     "fatal error: An error occurred (NoSuchBucket) when calling the ListObjectsV2 operation: The specified bucket "
     "does not exist"),
    ("An error occurred (Throttling) when calling the DescribeStacks operation (reached max retries: 4): Rate exceeded",
     "network_error",
     "An error occurred (Throttling) when calling the DescribeStacks operation (reached max retries: <N>): Rate exceeded"),
    ('Could not connect to the endpoint URL: "https://s3.eu-west-1.amazonaws.com/site-bucket"', "network_error",
     'Could not connect to the endpoint URL: "<URL>"'),
    # gcloud and Azure
    ("ERROR: (gcloud.run.deploy) PERMISSION_DENIED: Permission 'run.services.get' denied on resource "
     "'namespaces/p/services/api' (or resource may not exist).", "auth_error",
     "ERROR: (gcloud.run.deploy) PERMISSION_DENIED: Permission '<PERMISSION>' denied on resource '<RESOURCE>' "
     "(or resource may not exist)."),
    ("ERROR: (gcloud.run.deploy) Revision 'api-00007-xyz' is not ready and cannot serve traffic.",
     "deploy_command_failed",
     "ERROR: (gcloud.run.deploy) Revision '<REVISION>' is not ready and cannot serve traffic."),
    ("ERROR: (gcloud.app.deploy) Error Response: [13] An internal error occurred.", "platform_internal_error",
     "ERROR: (gcloud.app.deploy) Error Response: [<N>] An internal error occurred."),
    ("ERROR: Please run 'az login' to setup account.", "auth_error", "ERROR: Please run 'az login' to setup account."),
    ("Error: AADSTS700016: Application with identifier 'c0ffee' was not found in the directory 'Contoso'.",
     "auth_error",
     "Error: AADSTS700016: Application with identifier '<ID>' was not found in the directory '<TENANT>'."),
    ("Reason: No matching Static Web App was found or the api key was invalid.", "auth_error",
     "Reason: No matching Static Web App was found or the api key was invalid."),
    ("Error: Input required and not supplied: apiToken", "auth_error", "Error: Input required and not supplied: apiToken"),
    # Render
    ("Port scan timeout reached, no open ports detected. Bind your service to at least one port.",
     "deploy_command_failed",
     "Port scan timeout reached, no open ports detected. Bind your service to at least one port."),
    ("==> Timed Out", "timeout", "==> Timed Out"),
    # timeouts in other wordings
    ("Failed during stage 'building site': Build exceeded maximum allowed runtime", "timeout",
     "Failed during stage 'building site': Build exceeded maximum allowed runtime"),
    ("The job exceeded the maximum time limit for jobs, and has been terminated.", "timeout",
     "The job exceeded the maximum time limit for jobs, and has been terminated."),
    ("Error: The action has timed out.", "timeout", "Error: The action has timed out."),
    # wrangler's request that could not be made
    ("✘ [ERROR] fetch failed", "network_error", "✘ [ERROR] fetch failed"),
    # curl by exit code
    ("curl: (35) OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to downloads.example.org:443",
     "network_error", "curl: (35) OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to <HOST>:<PORT>"),
    ("curl: (52) Empty reply from server", "network_error", "curl: (52) Empty reply from server"),
    ("curl: (18) transfer closed with 52311 bytes remaining to read", "network_error",
     "curl: (18) transfer closed with <N> bytes remaining to read"),
    ("curl: (28) Resolving timed out after 5001 milliseconds", "network_error",
     "curl: (28) Resolving timed out after <N> milliseconds"),
    ("curl: (5) Could not resolve proxy: proxy.corp.internal", "network_error", "curl: (5) Could not resolve proxy: <HOST>"),
    ("curl: (22) The requested URL returned error: 502", "network_error", "curl: (22) The requested URL returned error: 502"),
    ("curl: (22) The requested URL returned error: 403", "auth_error", "curl: (22) The requested URL returned error: 403"),
    # git transports
    ("fatal: unable to access 'https://github.com/acme/site.git/': GnuTLS recv error (-54): Error in the pull function.",
     "network_error", "fatal: unable to access '<URL>': GnuTLS recv error (-<N>): Error in the pull function."),
    ("fatal: unable to access 'https://gitlab.com/acme/site.git/': Received HTTP code 407 from proxy after CONNECT",
     "network_error", "fatal: unable to access '<URL>': Received HTTP code 407 from proxy after CONNECT"),
    ("fetch-pack: unexpected disconnect while reading sideband packet", "network_error",
     "fetch-pack: unexpected disconnect while reading sideband packet"),
    ("kex_exchange_identification: Connection closed by remote host", "network_error",
     "kex_exchange_identification: Connection closed by remote host"),
    ("  > remote: Repository acme/widgets not found", "clone_failed", "> remote: Repository <REPO> not found"),
    ("Failed during stage 'preparing repo': fatal: unable to access 'https://github.com/a/b.git/': Could not resolve "
     "host: github.com", "clone_failed",
     "Failed during stage 'preparing repo': fatal: unable to access '<URL>': Could not resolve host: <HOST>"),
    # Node (undici) and TLS
    ("SocketError: other side closed", "network_error", "SocketError: other side closed"),
    ("  code: 'UND_ERR_HEADERS_TIMEOUT'", "network_error", "code: 'UND_ERR_HEADERS_TIMEOUT'"),
    ("Error: unable to verify the first certificate", "network_error", "Error: unable to verify the first certificate"),
    ("x509: certificate signed by unknown authority", "network_error", "x509: certificate signed by unknown authority"),
    # rate limits
    ("Error: HttpError: API rate limit exceeded for installation ID 4242.", "network_error",
     "Error: HttpError: API rate limit exceeded for installation ID <N>."),
    ("You have exceeded a secondary rate limit. Please wait a few minutes before you try again.", "network_error",
     "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."),
    # registries refusing credentials, a full disk
    ('Error response from daemon: Get "https://registry-1.docker.io/v2/": unauthorized: incorrect username or password',
     "auth_error", 'Error response from daemon: Get "<URL>": unauthorized: incorrect username or password'),
    ("write /var/lib/docker/tmp/layer-123: no space left on device", "build_command_failed",
     "write <PATH>: no space left on device"),
    # commands that do not exist
    ("Error: Unable to locate executable file: wrangler. Please verify either the file path exists or the file can be "
     "found within a directory specified by the PATH environment variable.", "command_not_found",
     "Error: Unable to locate executable file: <COMMAND>. Please verify either the file path exists or the file can be "
     "found within a directory specified by the PATH environment variable."),
    ("which: no firebase in (/usr/local/bin:/usr/bin)", "command_not_found", "which: no <COMMAND> in (<PATH>)"),
]


@pytest.mark.parametrize(("line", "category", "group"), CASES, ids=[c[0][:48] for c in CASES])
def test_catalog_format(line: str, category: str, group: str) -> None:
    assert primary_code_and_group(line) == (category, group)


@pytest.mark.parametrize("line", [
    "==> No open ports detected, continuing to scan...",
    "API rate limit exceeded, retrying in 60 seconds",
    "Checking rate limit: 4999 requests remaining",
    "Deploy is live!",
    "Found 0 errors.",
    "Deployment complete",
    "timeout-minutes: 30",
    "npm WARN network ECONNRESET retrying",
    "warning: curl: (28) Operation timed out, retrying",
    "Successfully authenticated with the AWS CLI",
    "Waiting for health checks to pass...",
    "Uploading artifact github-pages",
])
def test_progress_lines_are_not_errors(line: str) -> None:
    assert diagnose(line, default_rules()).primary is None


def test_a_disk_full_in_the_deploy_step_is_the_deploy_s() -> None:
    log = "Executing user deploy command: npx wrangler deploy\nwrite /tmp/wrangler/out.js: no space left on device\n"
    assert diagnose(log, default_rules()).primary.error_code == "deploy_command_failed"
