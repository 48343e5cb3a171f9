"""docker build (BuildKit and the legacy builder): files missing from the context, registry access, images."""

from __future__ import annotations

from bloqr_dagster.build_errors.detectors.model import Detector
from bloqr_dagster.build_errors.detectors.rules._dsl import mask, rule

DETECTOR = Detector("docker", "docker", (
    # `COPY package.json ./` of a file that is not in the build context
    rule("docker-missing-file", "missing_file",
         r"failed to compute cache key: .*(?:not found|no such file)|COPY failed: .*(?:no such file|not found)"
         r"|unable to evaluate symlinks in Dockerfile path: [^\n]{0,300}?no such file or directory",
         "failed to compute cache key", "copy failed", "evaluate symlinks", priority=100,
         masks=(mask(r"(lstat )\S+?(?=: no such file)", r"\1<PATH>"),)),
    rule("docker-auth", "auth_error",
         r"pull access denied|requested access to the resource is denied|unauthorized: authentication required"
         r"|no basic auth credentials|Cannot perform an interactive login from a non TTY device"
         # a registry refusing the login or the push (Docker Hub, GHCR, ECR)
         r"|unauthorized: incorrect username or password|\bdenied: (?:permission_denied|installation not allowed|User: )"
         r"|insufficient_scope: authorization failed|failed to authorize: failed to fetch (?:oauth|anonymous) token"
         # ECR's expired login, DigitalOcean's and other registries' refused token, a bare `denied` of a registry request
         r"|\bdenied: Your authorization token has expired|\bunauthorized: unauthenticated: "
         r"|\b(?:Head|Get|Post|Put|Patch) \"https?://[^\"\s]+\": denied$",
         "pull access denied", "requested access to the resource is denied", "interactive login",
         "authentication required", "no basic auth credentials", "incorrect username or password", "denied: ",
         "insufficient_scope", "failed to authorize", "unauthorized: unauthenticated", "denied", priority=100,
         masks=(mask(r'\b(Head|Get|Post|Put|Patch) "https?://[^"\s]+"', r'\1 "<URL>"'),)),
    # the disk of the runner or of the build filled up: a failure of the step it happened in
    rule("disk-full", "build_command_failed", r"\bno space left on device\b|\bENOSPC: no space left", "no space left",
         priority=95, relative="stage", masks=(mask(r"(write |open |mkdir |copy )/[^\s:]+", r"\1<PATH>"),)),
    # a base image or tag that does not exist
    # a push to a registry repository that does not exist (ECR's `name unknown`)
    rule("docker-push-repository-missing", "deploy_command_failed",
         r"\bname unknown: The repository with name '[^']*' does not exist in the registry", "name unknown", priority=95,
         masks=(mask(r"(with name )'[^']*'", r"\1'<REPOSITORY>'"), mask(r"(registry with id )'[^']*'", r"\1'<ACCOUNT_ID>'"))),
    rule("docker-image-not-found", "dependency_install_failed",
         r"manifest for \S+ not found|manifest unknown|failed to resolve source metadata for",
         "manifest for", "manifest unknown", "failed to resolve source metadata", priority=90),
    rule("docker-step-failed", "build_command_failed", r"^(?:=> )?ERROR \[[^\]]{1,60}\] RUN \S", "error [",
         priority=30, relative="general", rank=20,
         masks=(mask(r"\[[^\]]{1,60}\] RUN .*", "[<STEP>] RUN <COMMAND>"),)),
    rule("docker-context-missing", "missing_file", r"failed to calculate checksum of ref .*: not found",
         "failed to calculate checksum", priority=100, masks=(mask(r"(of ref )\S+", r"\1<REF>"), mask(r'"[^"]*"', '"<PATH>"'))),
    rule("docker-dockerfile", "build_command_failed", r"dockerfile parse error|unknown instruction: ",
         "dockerfile parse error", "unknown instruction", priority=60),
))
