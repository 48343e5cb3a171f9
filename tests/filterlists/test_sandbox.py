"""The sandbox from inside: each test runs an escape attempt (tests/filterlists/sandbox_probes.py) in
the sandboxed child and shows that it fails; where it makes sense the same attempt is run outside the
sandbox first, to show that the probe would notice an escape."""

from __future__ import annotations

import ctypes
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from bloqr_dagster.filterlists.sandbox import Limits, SandboxError, run_sandboxed, seccomp_program
from tests.filterlists import sandbox_probes

LIMITS = Limits(cpu_seconds=20, memory_bytes=1024**3, wall_seconds=90)


def inside(probe: str, payload: dict[str, Any], workdir: Path, limits: Limits = LIMITS,
           **kwargs: Any) -> dict[str, Any]:
    return run_sandboxed(f"tests.filterlists.sandbox_probes:{probe}", payload, workdir / "box", limits, **kwargs)


def outside(probe: str, payload: dict[str, Any]) -> dict[str, Any]:
    return getattr(sandbox_probes, probe)(payload)


def test_every_layer_is_active_on_this_machine(tmp_path: Path) -> None:
    result = inside("write_inside", {}, tmp_path)
    assert result["_sandbox"]["degraded"] == []
    active = result["_sandbox"]["active"]
    assert {"namespaces", "private root", "rlimits", "seccomp"} <= set(active)
    assert any(a.startswith("uid ") for a in active) == (os.geteuid() == 0)


def test_postgres_unix_socket_is_unreachable(tmp_path: Path) -> None:
    if os.path.exists(sandbox_probes.PG_SOCKET):
        assert outside("postgres_unix_socket", {})["escaped"]  # the probe works where nothing stops it
    result = inside("postgres_unix_socket", {}, tmp_path)
    assert not result["escaped"], result
    assert "PermissionError" in result["detail"]  # socket(2) itself is refused
    raw = inside("raw_socket_syscall", {}, tmp_path)
    assert not raw["escaped"] and "Operation not permitted" in raw["detail"]
    assert outside("raw_socket_syscall", {})["escaped"]


def test_tcp_to_a_live_server_is_refused(tmp_path: Path, http_server) -> None:
    http_server.serve_bytes("/ping", b"pong")
    port = http_server.httpd.server_address[1]
    assert outside("tcp_connect", {"port": port})["escaped"]
    assert not inside("tcp_connect", {"port": port}, tmp_path)["escaped"]


def test_parent_environment_and_memory_are_invisible(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BLOQR_SECRET_TOKEN", "hunter2")
    secret = ctypes.create_string_buffer(b"parent-secret-16")
    payload = {"pid": os.getpid(), "address": ctypes.addressof(secret)}
    for probe in ("parent_environ", "parent_memory", "parent_memory_vm_readv"):
        assert outside(probe, payload)["escaped"], probe
        result = inside(probe, payload, tmp_path)
        assert not result["escaped"], (probe, result)
        assert "hunter2" not in result["detail"] and "parent-secret" not in result["detail"]
    assert not inside("ptrace_parent", payload, tmp_path)["escaped"]


def test_no_subprocess_fork_or_exec(tmp_path: Path) -> None:
    assert outside("run_subprocess", {})["escaped"] and outside("fork", {})["escaped"]
    for probe in ("run_subprocess", "fork", "exec_self"):
        result = inside(probe, {}, tmp_path)
        assert not result["escaped"], (probe, result)


def test_process_count_is_limited(tmp_path: Path) -> None:
    result = inside("many_threads", {"try": 50, "limit": LIMITS.max_processes}, tmp_path)
    assert not result["escaped"], result
    assert "can't start new thread" in result["detail"]


def test_writes_only_in_its_own_folder(tmp_path: Path) -> None:
    (tmp_path / "input.txt").write_text("given\n")
    targets = [str(tmp_path / "escape.txt"), "/tmp/bloqr-sandbox-escape.txt", str(tmp_path / "input.txt"),
               str(Path(sandbox_probes.__file__).with_name("escape.txt"))]
    result = inside("write_outside", {"targets": targets}, tmp_path, read_only=[tmp_path / "input.txt"])
    assert not result["escaped"], result
    assert (tmp_path / "input.txt").read_text() == "given\n"
    assert not (tmp_path / "escape.txt").exists() and not Path("/tmp/bloqr-sandbox-escape.txt").exists()
    assert inside("write_inside", {}, tmp_path)["detail"] == "ok"
    assert (tmp_path / "box" / "inside.txt").read_text() == "ok"


def test_host_files_are_not_visible(tmp_path: Path) -> None:
    paths = ["/etc/passwd", "/var/run/postgresql", "/proc/self/environ", "/proc/1/environ", sys.executable,
             str(Path(__file__).resolve().parents[2] / "README.md"), "/dev/zero"]
    assert outside("read_host_files", {"paths": paths})["escaped"]
    result = inside("read_host_files", {"paths": paths}, tmp_path)
    assert result == {"escaped": False, "detail": "visible: []", "_sandbox": result["_sandbox"]}


@pytest.mark.skipif(os.geteuid() != 0, reason="dropping root is tested when the tests run as root")
def test_root_is_dropped(tmp_path: Path) -> None:
    assert outside("identity", {})["escaped"]
    result = inside("identity", {}, tmp_path)
    assert not result["escaped"], result


def test_no_new_namespaces_or_mounts(tmp_path: Path) -> None:
    assert not inside("remount_or_unshare", {}, tmp_path)["escaped"]


def test_cpu_limit_stops_a_busy_loop(tmp_path: Path) -> None:
    with pytest.raises(SandboxError, match="exceeded its CPU limit of 1 s"):
        inside("burn_cpu", {"seconds": 120}, tmp_path, Limits(cpu_seconds=1, wall_seconds=60))


def test_file_size_limit_stops_a_big_write(tmp_path: Path) -> None:
    with pytest.raises(SandboxError, match="exceeded its file size limit of 2 MiB"):
        inside("big_file", {"mib": 50}, tmp_path, Limits(output_bytes=2 * 1024**2, wall_seconds=60))
    assert (tmp_path / "box" / "big.bin").stat().st_size <= 2 * 1024**2


def test_wall_clock_limit_kills_the_whole_group(tmp_path: Path) -> None:
    with pytest.raises(SandboxError, match=r"killed after 1 s"):
        inside("burn_cpu", {"seconds": 120}, tmp_path, Limits(cpu_seconds=100, wall_seconds=1))


def test_a_symlink_left_in_the_work_folder_is_not_followed(tmp_path: Path) -> None:
    """The parent reads the child's result without following links: a child that swaps its output
    for a link to a host file gets an error, not the file."""
    box = tmp_path / "box"
    box.mkdir()
    (tmp_path / "secret.txt").write_text('{"stolen": true}')
    from bloqr_dagster.filterlists.sandbox import OUTPUT, read_regular_file

    (box / OUTPUT).symlink_to(tmp_path / "secret.txt")
    with pytest.raises(OSError):
        read_regular_file(box / OUTPUT, 1000)
    os.mkfifo(box / "fifo")
    with pytest.raises(OSError, match="not a regular file"):
        read_regular_file(box / "fifo", 1000)


def test_seccomp_program_is_well_formed() -> None:
    program = seccomp_program()
    assert len(program) % 8 == 0 and len(program) // 8 < 4096  # the kernel's BPF_MAXINSNS
