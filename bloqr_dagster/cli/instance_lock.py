"""One `bloqr backfill` per Dagster instance at a time (an advisory lock in DAGSTER_HOME)."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bloqr_dagster.errors import BloqrError

LOCK_NAME = ".bloqr-backfill.lock"


@contextmanager
def instance_lock(home: Path) -> Iterator[None]:
    """Held for the whole command; the kernel releases it when the process dies, however it dies."""
    path = home / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
            raise BloqrError(f"another `bloqr backfill` (pid {holder}) is working on DAGSTER_HOME {home}; "
                             "wait for it to finish") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)
