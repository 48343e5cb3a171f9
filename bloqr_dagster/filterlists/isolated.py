"""Isolated compile steps: each runs in a child process with no network, no inherited environment
and CPU/memory limits, so a hostile list or configuration cannot reach the network or secrets.

Parent side: `run_step(step, payload, workdir, limits)` starts

    python -m bloqr_dagster.filterlists.isolated STEP INPUT.json OUTPUT.json

with env={PATH, PYTHONPATH} only, resource limits set in preexec_fn, and (as root, when the kernel
allows it) a private network namespace via `unshare -n`. Child side: before importing anything
else, this module replaces the socket constructors and resolvers with functions that raise, so any
socket use fails even if the namespace is not available.

Steps: `validate` (configuration -> fingerprint), `transform` (configuration + pre-fetched sources
-> compiled list; a missing pre-fetched source is an error, nothing is downloaded), `cache` (store
the compiled list in the compiled cache, verifying that its key is the SHA-256 of the rules), and
`sandbox-check` (reports what the sandbox looks like from inside).
"""

if __name__ == "__main__":  # the child: cut the network off before any other import
    import socket as _socket_module

    def _no_network(*_args: object, **_kwargs: object) -> None:
        raise PermissionError("network access is disabled in isolated steps")

    class _NoSocket(_socket_module.socket):
        def __init__(self, *_args: object, **_kwargs: object) -> None:
            _no_network()

    _socket_module.socket = _NoSocket  # type: ignore[misc]
    _socket_module.SocketType = _NoSocket  # type: ignore[misc]
    for _name in ("create_connection", "create_server", "getaddrinfo", "gethostbyname", "gethostbyname_ex",
                  "gethostbyaddr", "socketpair", "fromfd"):
        setattr(_socket_module, _name, _no_network)
    import _socket as _raw_socket

    _raw_socket.socket = _NoSocket  # type: ignore[misc]
    _raw_socket.getaddrinfo = _no_network  # type: ignore[assignment]


# No `from __future__ import annotations`: it would have to precede the guard above.
import functools  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from bloqr_dagster.errors import BloqrError  # noqa: E402

STEPS = ("validate", "transform", "cache", "sandbox-check")
PACKAGE_ROOT = Path(__file__).resolve().parents[2]  # the folder that holds bloqr_dagster/
EXIT_USER_ERROR = 2


@dataclass(frozen=True)
class Limits:
    cpu_seconds: int = 300  # RLIMIT_CPU: the 5-minute compile budget
    memory_bytes: int = 2 * 1024**3  # RLIMIT_AS
    output_bytes: int = 1024**3  # RLIMIT_FSIZE: largest file a step may write
    wall_seconds: float = 360.0  # the parent kills the child after this


class IsolatedStepError(BloqrError):
    """An isolated step that failed; the message names the step and the reason."""


# -- parent side --------------------------------------------------------------------------------

def child_env() -> dict[str, str]:
    """Only what Python needs to start and import this package; nothing from the parent's env."""
    return {"PATH": "/usr/local/bin:/usr/bin:/bin", "PYTHONPATH": str(PACKAGE_ROOT),
            "LANG": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1"}


@functools.cache
def network_namespace_available() -> bool:
    """`unshare -n` works only as root with CAP_SYS_ADMIN; containers often forbid it."""
    unshare = shutil.which("unshare")
    if not unshare or os.geteuid() != 0:
        return False
    try:
        return subprocess.run([unshare, "-n", "true"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def _apply_limits(limits: Limits) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 5))
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.output_bytes, limits.output_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def run_step(step: str, payload: dict[str, Any], workdir: Path, limits: Limits = Limits()) -> dict[str, Any]:
    """Run one step in a sandboxed child and return its JSON result; IsolatedStepError on failure."""
    if step not in STEPS:
        raise ValueError(f"unknown isolated step {step!r} (valid: {', '.join(STEPS)})")
    workdir.mkdir(parents=True, exist_ok=True)
    inp, out = workdir / f"{step}.input.json", workdir / f"{step}.output.json"
    inp.write_text(json.dumps(payload), encoding="utf-8")
    out.unlink(missing_ok=True)
    command = [sys.executable, "-m", "bloqr_dagster.filterlists.isolated", step, str(inp), str(out)]
    if network_namespace_available():
        command = [shutil.which("unshare") or "unshare", "-n", "--", *command]
    try:
        proc = subprocess.run(command, env=child_env(), cwd=workdir, capture_output=True, text=True,
                              timeout=limits.wall_seconds, preexec_fn=lambda: _apply_limits(limits))
    except subprocess.TimeoutExpired:
        raise IsolatedStepError(f"isolated step {step!r}: killed after {limits.wall_seconds:g} s") from None
    result = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    if proc.returncode == 0 and "error" not in result:
        return result
    raise IsolatedStepError(f"isolated step {step!r}: {_failure_reason(proc, result, limits)}")


def _failure_reason(proc: subprocess.CompletedProcess[str], result: dict[str, Any], limits: Limits) -> str:
    import signal

    if result.get("error") == "exceeded its memory limit":
        return f"exceeded its memory limit of {limits.memory_bytes // 1024**2} MiB"
    if result.get("error"):
        return str(result["error"])
    if proc.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        return f"exceeded its CPU limit of {limits.cpu_seconds} s"
    if "MemoryError" in proc.stderr:
        return f"exceeded its memory limit of {limits.memory_bytes // 1024**2} MiB"
    tail = proc.stderr.strip().splitlines()[-1:] or [f"exit status {proc.returncode}"]
    return tail[0]


# -- child side ---------------------------------------------------------------------------------

def _validate(payload: dict[str, Any]) -> dict[str, Any]:
    """The configuration is valid and (with require_prefetched) every source it reads is pre-fetched."""
    from bloqr_dagster.filterlists.config import parse_config

    config = parse_config(payload["config"])
    if payload.get("require_prefetched"):
        _check_coverage(config, _prefetched(payload))
    return {"name": config.name, "fingerprint": config.fingerprint(), "sources": len(config.sources)}


def _check_coverage(config: Any, prefetched: dict[str, str]) -> None:
    from bloqr_dagster.filterlists.cached_compile import referenced_sources

    missing = [s for s, name in referenced_sources(config) if s not in prefetched and name not in prefetched]
    if missing:
        raise BloqrError("pre-fetched content is required, missing for: " + ", ".join(map(repr, missing)))


def _prefetched(payload: dict[str, Any]) -> dict[str, str]:
    file = payload.get("prefetched_file")
    if not file:
        raise BloqrError("pre-fetched content is required: no prefetched_file given (isolated compiles "
                         "never download)")
    try:
        mapping = json.loads(Path(file).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BloqrError(f"pre-fetched content is required: {file} does not exist") from None
    if not isinstance(mapping, dict) or not all(isinstance(v, str) for v in mapping.values()):
        raise BloqrError(f"pre-fetched content: {file} must hold a JSON object of source -> text")
    return mapping


def _transform(payload: dict[str, Any]) -> dict[str, Any]:
    import hashlib

    from bloqr_dagster.filterlists.compiler import compile_config
    from bloqr_dagster.filterlists.config import parse_config
    from bloqr_dagster.filterlists.sources import SourceLoader

    config = parse_config(payload["config"])
    prefetched = _prefetched(payload)
    _check_coverage(config, prefetched)
    loader = SourceLoader(Path.cwd(), prefetched=prefetched, allow_network=False)
    result = compile_config(config, loader)
    body = "\n".join(result.lines[result.header_lines:]).encode("utf-8", "surrogatepass")
    if hashlib.sha256(body).hexdigest() != result.cache_key:
        raise BloqrError("compiled output: cache key is not the SHA-256 of the compiled rules")
    out = Path(payload["output_file"])
    out.write_text(result.text(), encoding="utf-8", errors="surrogatepass")
    return {"output_file": str(out), "rule_count": result.rule_count, "cache_key": result.cache_key,
            "header_lines": result.header_lines, "lines": len(result.lines),
            "sources": [{"source": s.source, "name": s.name, "downloaded_lines": s.downloaded_lines,
                         "lines_after_transformations": s.lines_after_transformations} for s in result.sources]}


def _cache(payload: dict[str, Any]) -> dict[str, Any]:
    from bloqr_dagster.filterlists.cache_store import CompiledCache, SourceVersion
    from bloqr_dagster.filterlists.config import parse_config

    config = parse_config(payload["config"])
    lines = Path(payload["compiled_file"]).read_text(encoding="utf-8", errors="surrogatepass").split("\n")
    header_lines = int(payload["header_lines"])
    cache = CompiledCache(Path(payload["cache_dir"]), Path(payload["index_db"]) if payload.get("index_db")
                          else None)
    versions = [SourceVersion(**v) for v in payload.get("source_versions", [])]
    entry = cache.store(payload.get("config_name") or config.name, config.fingerprint(), payload["cache_key"],
                        int(payload["rule_count"]), "\n".join(lines[:header_lines]),
                        "\n".join(lines[header_lines:]), versions)
    return entry.as_metadata()


def _sandbox_check(payload: dict[str, Any]) -> dict[str, Any]:
    """What the step sees: environment variable names, limits, and whether a socket can be opened."""
    import resource
    import socket

    try:
        conn = socket.create_connection((payload.get("host", "127.0.0.1"), int(payload.get("port", 9))), 2)
        conn.close()
        network = "open"
    except PermissionError as exc:
        network = f"blocked: {exc}"
    except OSError as exc:
        network = f"unreachable: {exc}"
    try:
        socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()
        raw_socket = "allowed"
    except PermissionError as exc:
        raw_socket = f"blocked: {exc}"
    return {"env": sorted(os.environ), "network": network, "socket": raw_socket,
            "cpu_limit": resource.getrlimit(resource.RLIMIT_CPU)[0],
            "memory_limit": resource.getrlimit(resource.RLIMIT_AS)[0]}


_HANDLERS = {"validate": _validate, "transform": _transform, "cache": _cache, "sandbox-check": _sandbox_check}


def _child_main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[0] not in _HANDLERS:
        print(f"usage: python -m bloqr_dagster.filterlists.isolated {{{','.join(STEPS)}}} INPUT OUTPUT",
              file=sys.stderr)
        return EXIT_USER_ERROR
    step, inp, out = argv
    try:
        result = _HANDLERS[step](json.loads(Path(inp).read_text(encoding="utf-8")))
        code = 0
    except BloqrError as exc:
        result, code = {"error": str(exc)}, EXIT_USER_ERROR
    except MemoryError:
        result, code = {"error": "exceeded its memory limit"}, EXIT_USER_ERROR
    Path(out).write_text(json.dumps(result), encoding="utf-8")
    return code


if __name__ == "__main__":
    sys.exit(_child_main(sys.argv[1:]))
