"""The Dagster processes a CLI command may run for its own duration: a daemon and a webserver.

Each child is bound to the command's life: the kernel sends it SIGTERM when the command dies,
however it dies (PR_SET_PDEATHSIG survives `kill -9` of the parent, a `finally` does not), and
Dagster maps SIGTERM to its clean SIGINT shutdown, which also stops the child's code server.
A daemon is judged by the age of its last heartbeat, never by Dagster's 30-minute tolerance: a
daemon that stopped a minute ago is not running anything.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

# Daemons heartbeat every 30 s; a live one is never older than that plus a slow iteration.
HEARTBEAT_FRESH_S = 75.0
# The daemon types a backfill needs: the backfill loop makes runs, the run queue launches them.
BACKFILL_DAEMONS = ("BACKFILL", "QUEUED_RUN_COORDINATOR")
PR_SET_PDEATHSIG = 1


def _bound_to(parent_pid: int) -> Callable[[], None]:
    """preexec_fn for a child that must die with `parent_pid` (Linux; elsewhere a no-op)."""
    def preexec() -> None:
        if sys.platform.startswith("linux"):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        if os.getppid() != parent_pid:  # the parent died before prctl: nobody would stop us
            os._exit(1)
    return preexec


def _executable(name: str) -> str:
    exe = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if exe is None:
        raise FileNotFoundError(f"{name} is not installed next to {sys.executable}")
    return exe


def start_bound(cmd: list[str], log_file: IO[bytes], cwd: Path | None = None) -> subprocess.Popen:
    """Start `cmd` in its own session (the terminal's Ctrl-C reaches only the command, which
    decides what to stop), writing to `log_file`, dying with this process."""
    return subprocess.Popen(cmd, stdout=log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            env=os.environ.copy(), cwd=cwd, start_new_session=True,
                            preexec_fn=_bound_to(os.getpid()))


def start_daemon(workspace: Path, log_file: IO[bytes]) -> subprocess.Popen:
    """`dagster-daemon run -w workspace`, bound to this process."""
    return start_bound([_executable("dagster-daemon"), "run", "-w", str(workspace)], log_file,
                       cwd=workspace.parent)


def start_webserver(workspace: Path, port: int, log_file: IO[bytes]) -> subprocess.Popen:
    """`dagster-webserver` on 127.0.0.1:port, bound to this process."""
    return start_bound([_executable("dagster-webserver"), "-h", "127.0.0.1", "-p", str(port),
                        "-w", str(workspace)], log_file, cwd=workspace.parent)


def stop(proc: subprocess.Popen, timeout: float = 60) -> None:
    """SIGINT (Dagster's clean shutdown, code server included), SIGKILL to the group if it hangs."""
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Daemons started by `bloqr backfill`: "daemon_id pid" lines in DAGSTER_HOME. A heartbeat from one
# of them whose process is gone is discarded at once, instead of counting as live for
# HEARTBEAT_FRESH_S after its daemon stopped (or was stopped by its command's death).
STARTED_DAEMONS = ".bloqr-started-daemons"
KEEP_STARTED = 50


def note_started_daemon(home: Path, daemon_id: str, pid: int) -> None:
    path = home / STARTED_DAEMONS
    lines = path.read_text().splitlines() if path.exists() else []
    lines = [*lines[-(KEEP_STARTED - 1):], f"{daemon_id} {pid}"]
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text("\n".join(lines) + "\n")
    tmp.replace(path)


def _pid_alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    return state != "Z"


def gone_daemon_ids(home: Path) -> set[str]:
    path = home / STARTED_DAEMONS
    gone = set()
    for line in (path.read_text().splitlines() if path.exists() else []):
        daemon_id, _, pid = line.partition(" ")
        if pid.isdigit() and not _pid_alive(int(pid)):
            gone.add(daemon_id)
    return gone


def heartbeat_ages(instance, now: float | None = None) -> dict[str, float | None]:
    """Seconds since each backfill daemon type's last heartbeat (None: never seen, or its daemon,
    one that `bloqr backfill` started, is known to be gone)."""
    now = time.time() if now is None else now
    beats = instance.get_daemon_heartbeats()
    gone = gone_daemon_ids(Path(instance.root_directory))
    return {t: (now - beats[t].timestamp if t in beats and beats[t].daemon_id not in gone else None)
            for t in BACKFILL_DAEMONS}


def daemon_live(instance, max_age: float = HEARTBEAT_FRESH_S) -> bool:
    """A daemon that can run a backfill heartbeat within `max_age` seconds."""
    return all(age is not None and age <= max_age for age in heartbeat_ages(instance).values())


def heartbeat_since(instance, proc: subprocess.Popen, since: float) -> bool:
    """Has the daemon started at `since` heartbeat for every backfill daemon type yet? Once it
    has, its daemon id is noted, so that its heartbeats stop counting as soon as it is gone."""
    beats = instance.get_daemon_heartbeats()
    if not all(t in beats and beats[t].timestamp >= since for t in BACKFILL_DAEMONS):
        return False
    for daemon_id in {beats[t].daemon_id for t in BACKFILL_DAEMONS if beats[t].daemon_id}:
        note_started_daemon(Path(instance.root_directory), daemon_id, proc.pid)
    return True
