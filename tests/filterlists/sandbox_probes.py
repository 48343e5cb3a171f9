"""Escape attempts run inside the sandbox by test_sandbox.py (and, as a control, outside it).

Each probe returns {"escaped": bool, "detail": str}: escaped is True when the attempt reached what the
sandbox should hide. The test process imports nothing from here; the sandboxed child does, by name.
"""

from __future__ import annotations

import ctypes
import os
import socket
import sys
import threading
import time
from pathlib import Path
from typing import Any

PG_SOCKET = "/var/run/postgresql/.s.PGSQL.5432"
_libc = ctypes.CDLL(None, use_errno=True)


def _outcome(escaped: bool, detail: object) -> dict[str, Any]:
    return {"escaped": escaped, "detail": str(detail)}


def _attempt(action) -> dict[str, Any]:  # noqa: ANN001
    try:
        return _outcome(True, action())
    except Exception as exc:  # noqa: BLE001 - every failure is the sandbox working
        return _outcome(False, f"{type(exc).__name__}: {exc}")


def postgres_unix_socket(payload: dict[str, Any]) -> dict[str, Any]:
    def connect() -> str:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(2)
            sock.connect(payload.get("path", PG_SOCKET))
            return "connected"

    return _attempt(connect)


def tcp_connect(payload: dict[str, Any]) -> dict[str, Any]:
    return _attempt(lambda: socket.create_connection(("127.0.0.1", payload["port"]), 2).close() or "connected")


def raw_socket_syscall(payload: dict[str, Any]) -> dict[str, Any]:
    """socket(2) through libc directly, past anything Python might wrap."""
    def call() -> str:
        fd = _libc.socket(socket.AF_UNIX, socket.SOCK_STREAM, 0)
        if fd < 0:
            raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()))
        os.close(fd)
        return f"fd {fd}"

    return _attempt(call)


def parent_environ(payload: dict[str, Any]) -> dict[str, Any]:
    return _attempt(lambda: Path(f"/proc/{payload['pid']}/environ").read_bytes()[:200])


def parent_memory(payload: dict[str, Any]) -> dict[str, Any]:
    def read() -> str:
        with open(f"/proc/{payload['pid']}/mem", "rb") as mem:
            mem.seek(payload["address"])
            return repr(mem.read(16))

    return _attempt(read)


def parent_memory_vm_readv(payload: dict[str, Any]) -> dict[str, Any]:
    """process_vm_readv(2) of 16 bytes at the parent's address of a known buffer."""
    class IoVec(ctypes.Structure):
        _fields_ = [("base", ctypes.c_void_p), ("len", ctypes.c_size_t)]

    def read() -> str:
        buffer = ctypes.create_string_buffer(16)
        local, remote = IoVec(ctypes.addressof(buffer), 16), IoVec(payload["address"], 16)
        n = _libc.process_vm_readv(payload["pid"], ctypes.byref(local), 1, ctypes.byref(remote), 1, 0)
        if n < 0:
            raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()))
        return repr(buffer.raw)

    return _attempt(read)


def ptrace_parent(payload: dict[str, Any]) -> dict[str, Any]:
    def attach() -> str:
        if _libc.ptrace(16, payload["pid"], None, None) != 0:  # PTRACE_ATTACH
            raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()))
        return "attached"

    return _attempt(attach)


def run_subprocess(payload: dict[str, Any]) -> dict[str, Any]:
    import subprocess

    return _attempt(lambda: subprocess.run(["/bin/sh", "-c", "echo hi"], capture_output=True, timeout=5).stdout)


def fork(payload: dict[str, Any]) -> dict[str, Any]:
    def do_fork() -> str:
        pid = os.fork()
        if pid == 0:
            os._exit(0)
        os.waitpid(pid, 0)
        return f"forked {pid}"

    return _attempt(do_fork)


def exec_self(payload: dict[str, Any]) -> dict[str, Any]:
    return _attempt(lambda: os.execv(sys.executable, [sys.executable, "-c", "pass"]))


def many_threads(payload: dict[str, Any]) -> dict[str, Any]:
    """Start threads until the kernel refuses; escaped when more than `limit` run at once."""
    stop = threading.Event()
    started = 0
    try:
        for _ in range(payload["try"]):
            threading.Thread(target=stop.wait, daemon=True).start()
            started += 1
    except RuntimeError as exc:
        detail = f"{started} threads, then {exc}"
    else:
        detail = f"{started} threads"
    stop.set()
    return _outcome(started + 1 > payload["limit"], detail)


def write_outside(payload: dict[str, Any]) -> dict[str, Any]:
    results = []
    for target in payload["targets"]:
        try:
            Path(target).write_text("escaped")
            results.append(f"wrote {target}")
        except OSError as exc:
            results.append(f"{target}: {type(exc).__name__}")
    return _outcome(any(r.startswith("wrote") for r in results), "; ".join(results))


def write_inside(payload: dict[str, Any]) -> dict[str, Any]:
    Path("inside.txt").write_text("ok")
    return _outcome(False, Path("inside.txt").read_text())


def read_host_files(payload: dict[str, Any]) -> dict[str, Any]:
    found = [p for p in payload["paths"] if os.path.exists(p)]
    return _outcome(bool(found), f"visible: {found}")


def identity(payload: dict[str, Any]) -> dict[str, Any]:
    def become_root() -> str:
        os.setuid(0)
        return "setuid(0) worked"

    outcome = _attempt(become_root)
    is_root = os.getuid() == 0 or os.geteuid() == 0
    return _outcome(is_root or outcome["escaped"], f"uid {os.getuid()} euid {os.geteuid()}; {outcome['detail']}")


def remount_or_unshare(payload: dict[str, Any]) -> dict[str, Any]:
    def unshare() -> str:
        if _libc.unshare(0x00020000) != 0:  # CLONE_NEWNS
            raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()))
        return "unshared"

    return _attempt(unshare)


def burn_cpu(payload: dict[str, Any]) -> dict[str, Any]:
    end = time.monotonic() + payload.get("seconds", 60)
    n = 0
    while time.monotonic() < end:
        n += 1
    return _outcome(True, f"ran {n} loops")


def big_file(payload: dict[str, Any]) -> dict[str, Any]:
    with open("big.bin", "wb") as out:
        for _ in range(payload["mib"]):
            out.write(b"\0" * 1024 * 1024)
    return _outcome(True, "wrote it all")
