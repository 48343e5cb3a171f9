"""Isolated compile steps: compile a configuration from pre-fetched text only, in a sandboxed child.

    run_step("validate", {"config": {...}, "prefetched_file": f, "require_prefetched": True}, workdir)
    run_step("transform", {"config": {...}, "prefetched_file": f, "output_file": out}, workdir)
    run_step("cache", {"config": {...}, "compiled_file": out, "cache_key": ..., ...}, workdir)

`validate` and `transform` run in sandbox.run_sandboxed (no network, no unix sockets, no view of
the host's files or processes, no subprocesses, a process limit, writes only in `workdir`, not root).
Their sources come from the pre-fetched map only: an `!#include` resolves to another entry of the map,
and a host path, `../..` or `file://` there is an error. `prefetched_file` must be a regular file
inside `workdir` or one of `input_dirs` (default: the folder that holds `workdir`, i.e. the run's
folder); the child sees that one file, read-only. The compiled list is written by the child in its
work folder and copied by this process to `output_file`.

`cache` stores a compiled list in the compiled cache. It runs here, on the trusted side, because the
cache is outside every sandbox: it reads the file as bytes (no symlink, no FIFO) and checks that the
cache key is the SHA-256 of its rules before storing it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bloqr_dagster.errors import BloqrError

# Imported here, not in the step functions: the sandboxed child imports this module before its
# lockdown, when shared libraries (sqlite3's, for instance) can still be loaded.
from bloqr_dagster.filterlists.cache_store import CompiledCache, SourceVersion
from bloqr_dagster.filterlists.cached_compile import referenced_sources
from bloqr_dagster.filterlists.compiler import compile_config
from bloqr_dagster.filterlists.config import parse_config
from bloqr_dagster.filterlists.sandbox import (
    DEFAULT_LIMITS,
    Limits,
    SandboxError,
    read_regular_file,
    run_sandboxed,
)
from bloqr_dagster.filterlists.sources import SourceLoader

__all__ = ["STEPS", "IsolatedStepError", "Limits", "run_step"]

STEPS = ("validate", "transform", "cache", "sandbox-check")
COMPILED = "compiled.txt"  # what the transform child writes in its work folder
MAX_PREFETCHED_BYTES = 512 * 1024**2


class IsolatedStepError(BloqrError):
    """An isolated step that failed; the message names the step and the reason."""


# -- parent side --------------------------------------------------------------------------------

def run_step(step: str, payload: dict[str, Any], workdir: Path, limits: Limits = DEFAULT_LIMITS, *,
             input_dirs: Sequence[Path] | None = None) -> dict[str, Any]:
    """Run one step and return its JSON result; IsolatedStepError (one line) on failure."""
    if step not in STEPS:
        raise ValueError(f"unknown isolated step {step!r} (valid: {', '.join(STEPS)})")
    workdir = Path(workdir).absolute()
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        if step == "cache":
            return _cache(payload)
        allowed = [workdir, *(input_dirs if input_dirs is not None else [workdir.parent])]
        read_only = [_allowed_input(payload, "prefetched_file", allowed)] if payload.get("prefetched_file") else []
        result = run_sandboxed(f"{__name__}:{_TARGETS[step]}", payload, workdir, limits, read_only=read_only)
        if step == "transform":
            result["output_file"] = _collect_output(workdir, payload.get("output_file"))
        return result
    except (SandboxError, IsolatedStepError) as exc:
        raise IsolatedStepError(f"isolated step {step!r}: {exc}") from None


def _allowed_input(payload: dict[str, Any], key: str, allowed: list[Path]) -> Path:
    """The payload's file, if it is a regular file inside an allowed folder (symlinks followed)."""
    path = Path(payload[key])
    real = Path(os.path.realpath(path))
    roots = [Path(os.path.realpath(folder)) for folder in allowed]
    if not any(real.is_relative_to(root) for root in roots):
        raise IsolatedStepError(f"{key}: {path} is outside the allowed folders ({', '.join(map(str, roots))})")
    if not real.is_file():
        raise IsolatedStepError(f"{key}: {path} is not a regular file" if real.exists()
                                else f"pre-fetched content is required: {path} does not exist")
    payload[key] = str(real)
    return real


def _collect_output(workdir: Path, output_file: str | None) -> str:
    """Copy the child's compiled list (opened without following links) to the requested place."""
    import stat

    produced = workdir / COMPILED
    target = Path(output_file).absolute() if output_file else produced
    try:
        fd = os.open(produced, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        raise IsolatedStepError(f"{COMPILED} in the work folder: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as source:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise IsolatedStepError(f"{COMPILED} in the work folder is not a regular file")
        if target == produced:
            return str(produced)
        tmp = tempfile.NamedTemporaryFile(dir=target.parent, prefix=f".{target.name}.", delete=False)
        try:
            with tmp:
                shutil.copyfileobj(source, tmp, 1024 * 1024)
            os.replace(tmp.name, target)
        except BaseException:
            Path(tmp.name).unlink(missing_ok=True)
            raise
    return str(target)


def _cache(payload: dict[str, Any]) -> dict[str, Any]:

    config = parse_config(payload["config"])
    try:
        data = read_regular_file(Path(payload["compiled_file"]), 4 * 1024**3)
    except OSError as exc:
        raise IsolatedStepError(f"compiled_file: {exc.strerror or exc}") from None
    lines = data.decode("utf-8", "surrogatepass").split("\n")
    header_lines = int(payload["header_lines"])
    body = "\n".join(lines[header_lines:])
    if hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest() != payload["cache_key"]:
        raise IsolatedStepError("compiled_file: the cache key is not the SHA-256 of its rules")
    cache = CompiledCache(Path(payload["cache_dir"]), Path(payload["index_db"]) if payload.get("index_db")
                          else None)
    versions = [SourceVersion(**v) for v in payload.get("source_versions", [])]
    entry = cache.store(payload.get("config_name") or config.name, config.fingerprint(), payload["cache_key"],
                        int(payload["rule_count"]), "\n".join(lines[:header_lines]), body, versions)
    return entry.as_metadata()


# -- child side (called inside the sandbox) ------------------------------------------------------

def validate(payload: dict[str, Any]) -> dict[str, Any]:
    """The configuration is valid and (with require_prefetched) every source it reads is pre-fetched."""

    config = parse_config(payload["config"])
    if payload.get("require_prefetched"):
        _check_coverage(config, _prefetched(payload))
    return {"name": config.name, "fingerprint": config.fingerprint(), "sources": len(config.sources)}


def _check_coverage(config: Any, prefetched: dict[str, str]) -> None:
    missing = [s for s, name in referenced_sources(config) if s not in prefetched and name not in prefetched]
    if missing:
        raise BloqrError("pre-fetched content is required, missing for: " + ", ".join(map(repr, missing)))


def _prefetched(payload: dict[str, Any]) -> dict[str, str]:
    file = payload.get("prefetched_file")
    if not file:
        raise BloqrError("pre-fetched content is required: no prefetched_file given (isolated compiles "
                         "never download)")
    try:
        mapping = json.loads(read_regular_file(Path(file), MAX_PREFETCHED_BYTES))
    except FileNotFoundError:
        raise BloqrError(f"pre-fetched content is required: {file} does not exist") from None
    except OSError as exc:
        raise BloqrError(f"pre-fetched content: {file}: {exc.strerror or exc}") from None
    except (ValueError, RecursionError):
        raise BloqrError(f"pre-fetched content: {file} is not valid JSON") from None
    if not isinstance(mapping, dict) or not all(isinstance(v, str) for v in mapping.values()):
        raise BloqrError(f"pre-fetched content: {file} must hold a JSON object of source -> text")
    return mapping


def transform(payload: dict[str, Any]) -> dict[str, Any]:

    config = parse_config(payload["config"])
    prefetched = _prefetched(payload)
    _check_coverage(config, prefetched)
    result = compile_config(config, SourceLoader.offline(prefetched, Path.cwd()))
    body = "\n".join(result.lines[result.header_lines:]).encode("utf-8", "surrogatepass")
    if hashlib.sha256(body).hexdigest() != result.cache_key:
        raise BloqrError("compiled output: cache key is not the SHA-256 of the compiled rules")
    Path(COMPILED).write_text(result.text(), encoding="utf-8", errors="surrogatepass")
    return {"rule_count": result.rule_count, "cache_key": result.cache_key,
            "header_lines": result.header_lines, "lines": len(result.lines),
            "sources": [{"source": s.source, "name": s.name, "downloaded_lines": s.downloaded_lines,
                         "lines_after_transformations": s.lines_after_transformations} for s in result.sources]}


def sandbox_check(payload: dict[str, Any]) -> dict[str, Any]:
    """What the step sees: environment variable names, limits, identity, and whether a socket opens."""
    import resource
    import socket

    try:
        socket.create_connection((payload.get("host", "127.0.0.1"), int(payload.get("port", 9))), 2).close()
        network = "open"
    except OSError as exc:
        network = f"blocked: {exc}"
    return {"env": sorted(os.environ), "network": network, "uid": os.getuid(),
            "cpu_limit": resource.getrlimit(resource.RLIMIT_CPU)[0],
            "memory_limit": resource.getrlimit(resource.RLIMIT_AS)[0]}


_TARGETS = {"validate": "validate", "transform": "transform", "sandbox-check": "sandbox_check"}
