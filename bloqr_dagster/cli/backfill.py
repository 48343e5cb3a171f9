"""`bloqr backfill`: rescan build-ID ranges through a real Dagster backfill.

    bloqr backfill --from-build-id 0 --to-build-id 999999

Registers the missing ranges, creates an asset backfill of the build-error assets on the
DAGSTER_HOME instance (the UI lists it under Runs > Backfills) and prints its progress until it
is done. Backfills are executed by the Dagster daemon: when none is running (`make ui` runs one),
this command starts `dagster-daemon run` for the duration of the backfill.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from bloqr_dagster.errors import BloqrError

POLL_SECONDS = 2.0


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("backfill", help="rescan build-ID ranges with a Dagster backfill",
                              description=__doc__.split("\n\n")[0])
    p.add_argument("--from-build-id", required=True, metavar="A", help="first build id (inclusive)")
    p.add_argument("--to-build-id", required=True, metavar="B", help="last build id (inclusive)")
    p.add_argument("--wait", action=argparse.BooleanOptionalAction, default=True,
                   help="follow the backfill until it is done (default) or return once it is launched")
    p.add_argument("--workspace", type=Path, default=None,
                   help="workspace.yaml for the daemon this command may start (default: the project's)")
    p.set_defaults(func=run)


def parse_build_id(raw: str, flag: str) -> int:
    try:
        value = int(raw.strip().replace("_", ""))
    except ValueError:
        raise BloqrError(f"{flag}: not an integer: {raw!r}") from None
    if value < 0:
        raise BloqrError(f"{flag}: build ids are not negative, got {value}")
    return value


def validate(args: argparse.Namespace) -> tuple[int, int]:
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


def open_instance():
    import dagster as dg

    home = os.environ.get("DAGSTER_HOME")
    if not home:
        raise BloqrError("DAGSTER_HOME is not set (export it, or run `make dagster-home` and use the "
                         "Makefile's default .dagster_home)")
    if not Path(home).is_dir():
        raise BloqrError(f"DAGSTER_HOME {home}: not a directory")
    return dg.DagsterInstance.get()


def run(args: argparse.Namespace) -> int:
    first, last = validate(args)
    workspace = args.workspace.resolve() if args.workspace else None
    if workspace is not None and not workspace.is_file():
        raise BloqrError(f"--workspace {args.workspace}: no such file")

    from bloqr_dagster import settings
    from bloqr_dagster.build_errors.stores import open_store
    from bloqr_dagster.build_errors.stores.base import redact_url
    from bloqr_dagster.defs.build_errors import backfill as bf
    from bloqr_dagster.defs.build_errors.assets import MAX_RANGES_PER_RUN
    from bloqr_dagster.defs.build_errors.partitions import lowest_build_id

    try:
        width = settings.range_width()
    except ValueError as exc:
        raise BloqrError(str(exc)) from None
    store_url, lake_dir = settings.build_store_url(), settings.paths().lake
    with open_instance() as instance:
        active = bf.active_build_error_backfills(instance)
        if active:
            ids = ", ".join(b.backfill_id for b in active)
            raise BloqrError(f"another build-error backfill is in progress ({ids}); wait for it or "
                             "cancel it in the UI (Runs > Backfills)")
        with open_store(store_url) as store:
            max_id = store.max_build_id()
            lowest = lowest_build_id(store)
        if max_id is None:
            raise BloqrError(f"build store {redact_url(store_url)}: it holds no builds "
                             "(try `bloqr builds generate`)")
        if first > max_id:
            raise BloqrError(f"--from-build-id {first} is above the store's highest build id {max_id}")
        if last > max_id:  # ranges past the newest build would be empty (and could be millions)
            print(f"the store's highest build id is {max_id}: backfilling {first}..{max_id}")
            last = max_id
        keys, added = bf.ensure_ranges(instance, first, last, width, lowest)
        if added:
            print(f"registered {len(added)} new build-ID ranges ({added[0]} .. {added[-1]})")
        if not keys:
            raise BloqrError(f"no registered build-ID range overlaps {first}..{last} "
                             f"(the store's builds start at {lowest})")
        backfill_id = bf.launch_backfill(instance, keys, title=f"bloqr backfill {first}..{last}")
        print(f"backfill {backfill_id}: {len(keys)} ranges ({keys[0]} .. {keys[-1]}), "
              f"up to {MAX_RANGES_PER_RUN} ranges per run; see the UI under Runs > Backfills")

        daemon = None
        if not bf.daemon_alive(instance):
            if not args.wait:
                print("no Dagster daemon is running: the backfill starts once one runs (`make ui`)")
                return 0
            log_path = Path(instance.root_directory) / "bloqr-backfill-daemon.log"
            print(f"no Dagster daemon is running: starting `dagster-daemon run` (log: {log_path})")
            log_file = open(log_path, "ab")  # closed below, after the daemon stops
            daemon = bf.start_daemon(workspace or default_workspace(), log_file)
        elif not args.wait:
            return 0
        try:
            if daemon is not None:
                try:
                    bf.wait_for_daemon(instance, daemon)
                except RuntimeError as exc:
                    raise BloqrError(f"{exc} (log: {log_path})") from None
            progress = follow(instance, backfill_id, keys, lake_dir, daemon)
        finally:
            if daemon is not None:
                print("stopping the dagster-daemon this command started")
                bf.stop_daemon(daemon)
                log_file.close()
    if not progress.succeeded:
        raise BloqrError(f"backfill {backfill_id} did not succeed: {progress.line()}")
    print(f"backfill {backfill_id} done: {progress.ranges_done} ranges")
    if daemon is not None:
        print("the warehouse models follow through their automation condition once a Dagster daemon "
              "runs (`make ui`)")
    return 0


def follow(instance, backfill_id: str, keys: list[str], lake_dir: Path, daemon):
    from bloqr_dagster.defs.build_errors import backfill as bf

    last_line = ""
    started = time.monotonic()
    while True:
        progress = bf.backfill_progress(instance, backfill_id, keys, lake_dir)
        line = progress.line()
        if line != last_line:
            print(f"[{time.monotonic() - started:6.0f}s] {line}", flush=True)
            last_line = line
        if progress.finished:
            return progress
        if daemon is not None and daemon.poll() is not None:
            raise BloqrError(f"the dagster-daemon this command started exited (code {daemon.returncode}); "
                             f"backfill {backfill_id} is left as it is")
        time.sleep(POLL_SECONDS)
