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
         masks=(mask(r"(lstat )\S+?(?=: no such file)", r"\1<PATH>"), mask(r"(checksum of ref )\S+?(?=: )", r"\1<REF>"),
                mask(r"(excluded by \.dockerignore: stat )\S+?(?=: file does not exist)", r"\1<FILE>"))),
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
         masks=(mask(r'\b(Head|Get|Post|Put|Patch) "https?://[^"\s]+"', r'\1 "<URL>"'),
                mask(r"(pull access denied for )[^,\s]+", r"\1<IMAGE>"))),
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
    # A registry's own 5xx (Docker Hub, GHCR, Quay, ECR) seen by the daemon (docker/distribution's `received
    # unexpected HTTP status`), BuildKit's resolver (`failed to do request: Head "<url>": 503`) or its pusher
    # (`unexpected status from PUT request to <url>: 500`): the network to a registry, not the build platform.
    # Above the platform's 5xx rule and the image-not-found rule whose lines wrap these.
    rule("docker-registry-server-error", "network_error",
         r"\breceived unexpected HTTP status: 5\d\d\b"
         r"|\bfailed to do request: (?:Head|Get|Post|Put|Patch|Delete) \"[^\"\s]{1,500}\": 5\d\d\b"
         r"|\bunexpected status(?: code)? from (?:HEAD|GET|POST|PUT|PATCH|DELETE) request to \S{1,500}: 5\d\d\b"
         r"|\bError response from daemon: (?:Head|Get|Post|Put|Patch|Delete) \"[^\"\s]{1,500}\": 5\d\d\b",
         "unexpected http status", "failed to do request", "unexpected status", "error response from daemon",
         priority=102, tool="docker",
         masks=(mask(r'\b(Head|Get|Post|Put|Patch|Delete) "https?://[^"\s]+"', r'\1 "<URL>"'),)),
    # BuildKit's Dockerfile frontend (moby/buildkit frontend/dockerfile: parser, instructions, dockerfile2llb) and
    # the legacy builder: a Dockerfile that cannot be built as written
    rule("docker-dockerfile-invalid", "build_command_failed",
         r"\btarget stage \"[^\"]{1,200}\" could not be found|\bno build stage in current context"
         r"|\bdockerfile contains no stages to build|\bthe Dockerfile cannot be empty|\bfile with no instructions"
         r"|\bcannot (?:copy|mount) from stage \"[^\"]{1,200}\",? (?:it|stage) needs to be defined before"
         r"|\bcircular dependency detected on stage: |\bunterminated heredoc"
         r"|\b[A-Z]{2,11} requires (?:exactly one|at least one|at least two|either one or three|the arguments to be in JSON)"
         r"|\binvalid name for build stage: |\bthe --mount option requires BuildKit"
         r"|\bWhen using COPY with more than one source file, the destination must be a directory",
         "target stage", "no build stage", "no stages to build", "dockerfile cannot be empty", "no instructions",
         "cannot copy from stage", "cannot mount from stage", "circular dependency", "unterminated heredoc", "requires",
         "invalid name for build stage", "requires buildkit", "more than one source file", priority=65, tool="docker",
         masks=(mask(r'\b(stage:? )"[^"]*"', r'\1"<STAGE>"'), mask(r"(stage: )\S+", r"\1<STAGE>"),
                mask(r'(invalid name for build stage: )"[^"]*"', r'\1"<STAGE>"'))),
    # an image or binary of another CPU architecture (`exec /usr/bin/x: exec format error`, runc's
    # `exec user process caused: exec format error`): the step it ran in failed
    rule("docker-exec-format", "build_command_failed", r"\bexec format error\b", "exec format error", priority=70,
         relative="stage", masks=(mask(r"^(?:\S+: )?exec \S+: exec format error", "exec <PATH>: exec format error"),
                                  mask(r"^standard_init_linux\.go:\d+: ", ""))),
    # an image reference docker cannot parse (distribution/reference): `invalid reference format`
    rule("docker-invalid-reference", "build_command_failed", r"\binvalid reference format\b", "invalid reference format",
         priority=60, relative="stage", masks=(mask(r'(argument )"[^"]*"', r'\1"<REF>"'),)),
    # an image that does not exist as BuildKit's frontend resolves it (`failed to create LLB definition: x: not found`)
    rule("docker-llb-image-missing", "dependency_install_failed",
         r"failed to create LLB definition: (?!pull access denied)\S{1,300}: not found", "llb definition", priority=90,
         tool="docker", masks=(mask(r"(LLB definition: )\S+(?=: not found)", r"\1<IMAGE>"),)),
    # `docker stack deploy` (docker/cli cli/command/stack, cli/compose/convert): its swarm check, a compose file
    # naming a secret/network/volume/config it does not define, a service the swarm refused: the deploy failed
    rule("docker-stack-deploy", "deploy_command_failed",
         r"^this node is not a swarm manager\. Use \"docker swarm init\"|\bservice \S{1,100}: undefined (?:secret|network"
         r"|volume|config) \"[^\"]{1,200}\"|\bfailed to (?:create|update) (?:service|secret|config) \S{1,200}: ",
         "swarm manager", "undefined secret", "undefined network", "undefined volume", "undefined config",
         "failed to create", "failed to update", priority=80, tool="docker",
         masks=(mask(r"\b(service )\S+(: undefined (\w+) )\"[^\"]*\"",
                     lambda m: f'{m[1]}<SERVICE>{m[2]}"<{m[3].upper()}>"'),
                mask(r"(failed to (?:create|update) \w+ )\S+(?=: )", r"\1<NAME>"))),
    # docker compose (docker/compose): a service or dependency that failed, a missing env or compose file
    rule("compose-service-failed", "build_command_failed",
         r"\bservice \"[^\"]{1,100}\" didn't complete successfully: exit \d+|\bdependency failed to start: "
         r"|\bcontainer \S{1,100} (?:is unhealthy|exited \(\d+\))|\bno such service: \S"
         r"|\bnetwork \S{1,100} declared as external, but could not be found"
         r"|\bservice \"[^\"]{1,100}\" (?:is not running|has neither an image nor a build context specified)",
         "didn't complete successfully", "dependency failed to start", "container ", "no such service",
         "declared as external", "is not running", "neither an image nor", priority=75, tool="docker",
         relative="stage",
         masks=(mask(r'\b(service )"[^"]*"', r'\1"<SERVICE>"'), mask(r"\b(container )\S+", r"\1<CONTAINER>"),
                mask(r"(no such service: )\S+", r"\1<SERVICE>"), mask(r"\b(network )\S+( declared)", r"\1<NETWORK>\2"))),
    rule("compose-file-missing", "missing_file",
         r"\benv file \S{1,300} not found|\bno configuration file provided: not found"
         r"|\bunable to prepare context: path \"[^\"]{1,300}\" not found",
         "env file", "no configuration file provided", "unable to prepare context", priority=95, tool="docker",
         masks=(mask(r"(env file )\S+", r"\1<PATH>"), mask(r'(path )"[^"]*"', r'\1"<PATH>"'))),
    # BuildKit's cache of unpacked layers is inconsistent (a snapshot's parent is gone)
    rule("docker-snapshot-missing", "build_command_failed",
         r"failed to prepare extraction snapshot|\bparent snapshot \S{1,200} does not exist", "extraction snapshot",
         "parent snapshot", priority=95, tool="docker",
         masks=(mask(r'(extraction snapshot )"[^"]*"', r'\1"<SNAPSHOT>"'), mask(r"(parent snapshot )\S+", r"\1<SHA>"))),
    # the docker daemon refusing a container command (a container, image, volume or network that does not exist, a
    # name or port already taken): the failure of the step that ran it
    rule("docker-daemon-conflict", "build_command_failed",
         r"\bError response from daemon: (?:No such (?:container|image|volume|network): \S|Conflict\. The container name "
         r"|driver failed programming external connectivity on endpoint [^\n]{0,300}?port is already allocated)",
         "error response from daemon", priority=60, tool="docker", relative="stage",
         masks=(mask(r"(No such (?:container|image|volume|network): )\S+", r"\1<NAME>"),
                mask(r'(container name )"[^"]*"', r'\1"<NAME>"'), mask(r'(by container )"[^"]*"', r'\1"<ID>"'),
                mask(r"(on endpoint )\S+ \(\w+\)", r"\1<NAME> (<ID>)"))),
))
