"""`bloqr backfill`: rescan build-ID ranges through a real Dagster backfill.

    bloqr backfill --from-build-id 0 --to-build-id 999999
    bloqr backfill --stale            # re-categorise the ranges categorised under other rules

Registers the missing ranges, launches an asset backfill of the build-error assets through the
Dagster webserver's GraphQL API (the UI's own "Launch backfill"; it finds `make ui`'s webserver
or starts one) and prints its progress until it is done. A daemon runs it: when none heartbeat
recently, this command starts `dagster-daemon run` for the duration of the backfill.
"""

from __future__ import annotations

import argparse
import os
import signal
from pathlib import Path

from bloqr_dagster.errors import BloqrError

DEFAULT_DEADLINE_S = 7200.0  # the runs' own limit (run_monitoring.max_runtime_seconds)
DEFAULT_START_DAEMON_AFTER_S = 120.0  # four passes of a live daemon's backfill loop


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("backfill", help="rescan build-ID ranges with a Dagster backfill",
                              description=__doc__.split("\n\n")[0])
    p.add_argument("--from-build-id", metavar="A", help="first build id (inclusive)")
    p.add_argument("--to-build-id", metavar="B", help="last build id (inclusive)")
    p.add_argument("--stale", action="store_true",
                   help="re-categorise exactly the ranges whose latest categorisation ran under another "
                        "rules version (built-in rules + user rules file) than the current one")
    p.add_argument("--cancel", metavar="ID", help="cancel backfill ID (what Ctrl-C does) and exit")
    p.add_argument("--wait", action=argparse.BooleanOptionalAction, default=True,
                   help="follow the backfill until it is done (default) or return once it is launched")
    p.add_argument("--deadline", metavar="SECONDS", default=str(DEFAULT_DEADLINE_S),
                   help=f"cancel the backfill and fail if it is not done after this long "
                        f"(default {DEFAULT_DEADLINE_S:g})")
    p.add_argument("--start-daemon-after", metavar="SECONDS", default=str(DEFAULT_START_DAEMON_AFTER_S),
                   help="start a daemon of our own when the running one launched no run after this long "
                        f"(default {DEFAULT_START_DAEMON_AFTER_S:g})")
    p.add_argument("--webserver", metavar="URL", default=os.environ.get("BLOQR_DAGSTER_URL"),
                   help="Dagster webserver to launch through (env BLOQR_DAGSTER_URL; default: "
                        "http://127.0.0.1:3000 when it serves this DAGSTER_HOME, else one started here)")
    p.add_argument("--workspace", type=Path, default=None,
                   help="workspace.yaml for the webserver/daemon this command may start (default: the project's)")
    p.set_defaults(func=run)


def parse_build_id(raw: str, flag: str) -> int:
    try:
        value = int(raw.strip().replace("_", ""))
    except ValueError:
        raise BloqrError(f"{flag}: not an integer: {raw!r}") from None
    if value < 0:
        raise BloqrError(f"{flag}: build ids are not negative, got {value}")
    return value


def parse_seconds(raw: str, flag: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise BloqrError(f"{flag}: not a number of seconds: {raw!r}") from None
    if not value > 0 or value == float("inf"):
        raise BloqrError(f"{flag}: must be a positive number of seconds, got {raw!r}")
    return value


def validate(args: argparse.Namespace) -> tuple[int, int] | None:
    """The build-id bounds (None with --stale / --cancel); raises BloqrError on bad flags."""
    ids_given = args.from_build_id is not None or args.to_build_id is not None
    if args.cancel is not None or args.stale:
        if ids_given:
            raise BloqrError(f"{'--cancel' if args.cancel else '--stale'} takes no --from-build-id/--to-build-id")
        return None
    if args.from_build_id is None or args.to_build_id is None:
        raise BloqrError("give --from-build-id and --to-build-id (or --stale)")
    first = parse_build_id(args.from_build_id, "--from-build-id")
    last = parse_build_id(args.to_build_id, "--to-build-id")
    if last < first:
        raise BloqrError(f"reversed range: --from-build-id {first} is above --to-build-id {last}")
    return first, last


def default_workspace() -> Path:
    """The project's workspace.yaml, or a generated one next to DAGSTER_HOME when installed."""
    import bloqr_dagster

    repo_file = Path(bloqr_dagster.__file__).resolve().parents[1] / "workspace.yaml"
    if repo_file.is_file():
        return repo_file
    generated = Path(os.environ["DAGSTER_HOME"]) / "bloqr-workspace.yaml"
    generated.write_text("load_from:\n  - python_module:\n      module_name: bloqr_dagster.definitions\n"
                         "      location_name: bloqr_dagster\n")
    return generated


def dagster_home() -> Path:
    home = os.environ.get("DAGSTER_HOME")
    if not home:
        raise BloqrError("DAGSTER_HOME is not set (export it, or run `make dagster-home` and use the "
                         "Makefile's default .dagster_home)")
    if not Path(home).is_dir():
        raise BloqrError(f"DAGSTER_HOME {home}: not a directory")
    return Path(home)


def _sigterm_as_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def run(args: argparse.Namespace) -> int:
    bounds = validate(args)
    deadline = parse_seconds(args.deadline, "--deadline")
    start_after = parse_seconds(args.start_daemon_after, "--start-daemon-after")
    workspace = args.workspace.resolve() if args.workspace else None
    if workspace is not None and not workspace.is_file():
        raise BloqrError(f"--workspace {args.workspace}: no such file")
    home = dagster_home()

    from bloqr_dagster.cli.backfill_launch import launch_and_follow
    from bloqr_dagster.cli.instance_lock import instance_lock

    previous = signal.signal(signal.SIGTERM, _sigterm_as_interrupt)  # `kill` cleans up like Ctrl-C
    try:
        # One `bloqr backfill` per instance at a time; it also keeps two first uses of a fresh
        # DAGSTER_HOME from creating its SQLite schema concurrently.
        with instance_lock(home):
            return launch_and_follow(args, bounds, deadline=deadline, start_daemon_after=start_after,
                                     workspace=workspace or default_workspace())
    finally:
        signal.signal(signal.SIGTERM, previous)
