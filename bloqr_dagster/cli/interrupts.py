"""Did the user press Ctrl-C? Known even when Dagster caught the SIGINT itself.

Inside a run executed in process, Dagster replaces the SIGINT handler: a Ctrl-C becomes its own
DagsterExecutionInterruptedError (a failed step, a failed run, a traceback in the log), or is held
back and swallowed, and the command would go on to its next step. Python writes every signal it
handles, whoever's handler runs, to the wakeup file descriptor: reading that pipe tells for sure.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_state: dict[str, int | bool | None] = {"read_fd": None, "seen": False}


def watch() -> None:
    """Start recording signals (main thread only; a no-op elsewhere or when already watching)."""
    if _state["read_fd"] is not None:
        return
    read_fd, write_fd = os.pipe()
    os.set_blocking(read_fd, False)
    os.set_blocking(write_fd, False)
    try:
        signal.set_wakeup_fd(write_fd, warn_on_full_buffer=False)
    except ValueError:  # not the main thread
        os.close(read_fd)
        os.close(write_fd)
        return
    _state["read_fd"] = read_fd


def received() -> bool:
    """True once a SIGINT arrived since watch() (stays true)."""
    fd = _state["read_fd"]
    if fd is not None and not _state["seen"]:
        try:
            while chunk := os.read(fd, 512):  # type: ignore[arg-type]
                if signal.SIGINT in chunk:
                    _state["seen"] = True
        except BlockingIOError:
            pass
    return bool(_state["seen"])


def check() -> None:
    """Stop here with KeyboardInterrupt if a Ctrl-C arrived, even one Dagster swallowed."""
    if received():
        raise KeyboardInterrupt


@contextmanager
def stderr_of_children_to(log_path: Path) -> Iterator[None]:
    """Send file descriptor 2 to `log_path` while Dagster runs in this process.

    Dagster's compute-log mirroring starts helper processes (`tail`, `watch_orphans.py`) that share
    the terminal's process group: a Ctrl-C reaches them too, and they print their own
    KeyboardInterrupt tracebacks on the inherited stderr. They inherit the log file instead, and
    the command's own one-line messages go to the terminal once this block is left.
    """
    log_path.parent.mkdir(parents=True, exist_ok=True)
    sys.stderr.flush()
    saved = os.dup(2)
    with open(log_path, "ab") as log:
        os.dup2(log.fileno(), 2)
    try:
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)
