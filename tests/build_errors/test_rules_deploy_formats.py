"""Deploy, auth, clone, command and platform formats, and the general layer's tool attribution (issue 8).

Example lines are written for these tests in the formats the tools print; none is copied from the corpus.
"""

from __future__ import annotations

import pytest

from bloqr_dagster.build_errors.detectors import diagnose


def _first(text: str):
    errors = diagnose(text).errors
    assert errors, f"not detected: {text!r}"
    return errors[0]


@pytest.mark.parametrize(("line", "code"), [
    # wrangler's explanation lines under a startup or size failure and a missing entry-point
    ("  Worker Startup Timed out. This could be due to script exceeding size limits", "wrangler_error"),
    ("  Here are the 3 largest dependencies included in your script:", "wrangler_error"),
    ("2026-01-02T03:04:05.678Z\t  If there is code to deploy, you can either:", "wrangler_error"),
    ("  - Specify an entry-point to your Worker script via the command line (ex: `npx wrangler deploy x.ts`)",
     "wrangler_error"),
    ('  - Or create a "wrangler.toml" file containing:', "wrangler_error"),
    ("Your worker has no default export, which means it is assumed to be a Service Worker format Worker.",
     "wrangler_error"),
    ("  A request to the Cloudflare API (/accounts/abc/pages/projects/site/deployments)", "wrangler_error"),
    ("  Run `wrangler whoami` to confirm you're logged into the correct account.", "wrangler_error"),
    ("D1 is not currently enabled on this account. Go to the dashboard to enable it.", "wrangler_error"),
    ("    /home/user/app/wrangler.toml:3:7:", "wrangler_error"),
    ("Error 7003: Could not route to /zones/abc/workers/routes, perhaps your object identifier is invalid?",
     "wrangler_error"),
    # wrangler's configuration list items
    ('  - The field "kv_namespaces" is missing the required "binding" property.', "wrangler_error"),
    ('    - Expected exactly one of the following fields ["main","site"].', "wrangler_error"),
    ('  - "env.staging" environment configuration', "wrangler_error"),
    ("  - `a` and `b` are mutually exclusive. Choose one.", "wrangler_error"),
    ("    - MY_BINDING assigned to KV Namespace and R2 Bucket bindings.", "wrangler_error"),
    # wrangler's account and token messages
    ("X [ERROR] Failed to automatically retrieve account IDs for the logged in user.", "auth_error"),
    ("  In a non-interactive environment, it is mandatory to specify an account ID in your config", "auth_error"),
    ("  workers.api.error.unauthorized [code: 10023]", "auth_error"),
    ("You may have incorrect permissions on your API token.", "auth_error"),
    ("Failed to establish a session due to an authentication issue.", "auth_error"),
    # other auth formats
    ("https://npm.example.com/acme/pkg: Permission denied", "auth_error"),
    ("npm ERR! If you were trying to login, check your credentials", "auth_error"),
    ("Error: Cannot perform an interactive login from a non TTY device", "auth_error"),
    # clone: a git operation a package manager or platform ran
    ("  ├─▶ failed to clone into: /root/.cache/uv/git-v0/checkouts/abc", "clone_failed"),
    ("  ╰─▶ Git operation failed", "clone_failed"),
    ("  ╰─▶ process didn't exit successfully: `/usr/bin/git fetch --force --update-head-ok origin`",
     "clone_failed"),
    ("2026-01-02T03:04:05.678901Z\tFailed: error occurred while updating repository submodules", "clone_failed"),
    ("remote: Repository acme/widgets not found", "clone_failed"),
    # commands that do not exist
    ("sh: cross-env NODE_ENV=test jest: No such file or directory", "command_not_found"),
    ("10:11:12.345 | Error: Please install `pnpm` before continuing", "command_not_found"),
    ("Error: spawn /app/node_modules/.bin/hugo ENOENT", "command_not_found"),
    ("3:04:05 PM: Missing tool version: core:node@22.1.0", "command_not_found"),
    ("⬥ Failed running command: vite dev. Please verify 'vite' exists", "command_not_found"),
    # deploy steps
    ('rsync: link_stat "/home/runner/work/site/dist" failed: No such file or directory (2)', "deploy_command_failed"),
    ("rsync error: some files/attrs were not transferred (code 23) at main.c(1338)", "deploy_command_failed"),
    ("Exited with status 1 while running your code", "deploy_command_failed"),
    ("Exited with status 2 while building your code. Check your deploy logs for more information.",
     "build_command_failed"),
    (" ›   Error: Uploaded file was rejected", "deploy_command_failed"),
    ("Phase context status code: COMMAND_EXECUTION_ERROR Message: Error while executing command: aws s3 sync out "
     "s3://bucket. Reason: exit status 1", "deploy_command_failed"),
    # timeouts and the platform's own failures
    ("ERROR: timeout starting process", "timeout"),
    ("Failed to build /blog/[slug]: /blog/hello after 3 attempts.", "timeout"),
    ("failed during stage 'deploying site': Failed to execute deploy: [PUT /deploys/{deploy_id}/files/{path}][503] "
     "uploadDeployFile default", "platform_internal_error"),
    ('Jan  2 03:04:05 host gitlab-runner[123]: time="2026-01-02T03:04:05Z" level=error msg="Job trace update failed"',
     "platform_internal_error"),
])
def test_deploy_formats(line: str, code: str) -> None:
    assert _first(line).error_code == code


def test_wrangler_api_failure_split_over_lines_takes_its_cause() -> None:
    log = ("✘ [ERROR] A request to the Cloudflare API (/accounts/abc/workers/scripts/app) failed.\n"
           "  Authentication error [code: 10000]\n")
    assert diagnose(log).primary.error_code == "auth_error"


def test_groups() -> None:
    assert _first('rsync: link_stat "/srv/www/a" failed: No such file or directory (2)').error_group == (
        'rsync: link_stat "<PATH>" failed: No such file or directory (<N>)')
    assert _first("  Worker Startup Timed out. This could be due to script exceeding size limits").error_group == (
        "Worker Startup Timed out. This could be due to script exceeding size limits")
