"""`bloqr ui`: `dagster dev` (webserver and daemon) on DAGSTER_HOME, refusing to start a second one there.

`make ui` runs it. Two dev servers on one instance run two daemons: every schedule tick and sensor
evaluation twice, a backfill's runs launched by both. A lock file in DAGSTER_HOME, held by the
`dagster dev` process itself (the lock survives the exec below), tells a second start which one runs;
the kernel releases it when that process ends, however it ends.

It serves the project's workspace.yaml from DAGSTER_HOME, where the instance config was copied:
`dg dev` always starts in the project folder, and warns there that the top-level dagster.yaml is
not DAGSTER_HOME's (the defs are the same either way: workspace.yaml loads bloqr_dagster.definitions).
"""

from __future__ import annotations

import argparse
import fcntl
import os
import sys
from pathlib import Path

from bloqr_dagster.errors import BloqrError

LOCK_NAME = ".bloqr-ui.lock"


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("ui", help="run `dagster dev` (webserver + daemon) unless one already runs here",
                              description=__doc__.split("\n\n")[0])
    p.add_argument("--host", default="127.0.0.1", help="webserver host (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=3000, help="webserver port (default 3000)")
    p.set_defaults(func=run)


def take_lock(home: Path, url: str) -> int:
    """The locked file descriptor of `home`'s UI lock, with our pid and URL written in it."""
    fd = os.open(home / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.read(fd, 200).decode(errors="replace").strip() or "unknown pid"
        os.close(fd)
        pid = holder.split()[0]
        raise BloqrError(f"`dagster dev` already runs on DAGSTER_HOME={home} (pid {holder}); "
                         f"use it, or stop it first (Ctrl-C in its terminal, or kill {pid})") from None
    os.ftruncate(fd, 0)
    os.write(fd, f"{os.getpid()} {url}\n".encode())
    return fd


def run(args: argparse.Namespace) -> int:
    from bloqr_dagster.project import WORKSPACE, prepare_dagster_home, project_dir
    from bloqr_dagster.settings import bloqr_home

    home = os.environ.get("DAGSTER_HOME")
    if not home:
        raise BloqrError("DAGSTER_HOME is not set (`make ui` sets it to .dagster_home)")
    dagster = Path(sys.executable).with_name("dagster")
    if not dagster.is_file():
        raise BloqrError(f"{dagster} not found: install bloqr_dagster (`make install`)")
    home_dir = prepare_dagster_home()
    fd = take_lock(home_dir, f"http://{args.host}:{args.port}")
    os.set_inheritable(fd, True)  # held by dagster dev from here on: exec keeps our pid and open files
    os.environ["BLOQR_HOME"] = str(bloqr_home())  # resolved here, before the working folder changes
    workspace = project_dir() / WORKSPACE
    os.chdir(home_dir)
    os.execv(dagster, [str(dagster), "dev", "-w", str(workspace), "--host", args.host, "--port", str(args.port)])
    return 0  # not reached
