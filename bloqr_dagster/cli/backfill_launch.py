"""What `bloqr backfill` does once its flags are valid and it holds the instance lock."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bloqr_dagster.cli.backfill_session import Session, cancel, follow, ours_tags, say
from bloqr_dagster.cli.webserver_api import WebserverError
from bloqr_dagster.errors import BloqrError


def _store_ranges(instance, first: int, last: int) -> list[str]:
    """Register the ranges first..last (cut to the store's newest build) and return their keys."""
    from bloqr_dagster import settings
    from bloqr_dagster.build_errors.stores import open_store
    from bloqr_dagster.build_errors.stores.base import redact_url
    from bloqr_dagster.defs.build_errors import backfill as bf
    from bloqr_dagster.defs.build_errors.partitions import lowest_build_id

    try:
        width = settings.range_width()
    except ValueError as exc:
        raise BloqrError(str(exc)) from None
    store_url = settings.build_store_url()
    with open_store(store_url) as store:
        max_id = store.max_build_id()
        lowest = lowest_build_id(store)
    if max_id is None:
        raise BloqrError(f"build store {redact_url(store_url)}: it holds no builds (try `bloqr builds generate`)")
    if first > max_id:
        raise BloqrError(f"--from-build-id {first} is above the store's highest build id {max_id}")
    if last > max_id:  # ranges past the newest build would be empty (and could be millions)
        say(f"the store's highest build id is {max_id}: backfilling {first}..{max_id}")
        last = max_id
    keys, added = bf.ensure_ranges(instance, first, last, width, lowest)
    if added:
        say(f"registered {len(added)} new build-ID ranges ({added[0]} .. {added[-1]})")
    if not keys:
        raise BloqrError(f"no registered build-ID range overlaps {first}..{last} "
                         f"(the store's builds start at {lowest})")
    return keys


def _stale_keys(instance) -> tuple[list[str], str]:
    from bloqr_dagster.build_errors.detectors import load_user_rules, rules_version
    from bloqr_dagster.defs.build_errors import backfill as bf

    version = rules_version(load_user_rules())  # already checked by launch_and_follow
    return bf.stale_ranges(instance, version), version


def _check_others(instance) -> list:
    """Refuse while another build-error backfill makes progress; return the orphaned ones."""
    from bloqr_dagster.cli import dagster_services as services
    from bloqr_dagster.defs.build_errors import backfill as bf

    orphans = []
    for other in bf.active_build_error_backfills(instance):
        if bf.orphaned(other):
            orphans.append(other)
        elif bf.is_blocking(instance, other):
            hint = "" if services.daemon_live(instance) else " (no daemon is running it: start `make ui`)"
            raise BloqrError(f"another build-error backfill is in progress ({other.backfill_id}){hint}; wait "
                             f"for it or cancel it (UI: Runs > Backfills, or `bloqr backfill --cancel "
                             f"{other.backfill_id}`)")
    return orphans


def launch_and_follow(args: argparse.Namespace, bounds: tuple[int, int] | None, *, deadline: float,
                      start_daemon_after: float, workspace: Path) -> int:
    import dagster as dg

    from bloqr_dagster.build_errors.detectors import UserRulesError, load_user_rules

    try:  # the assets read them when they load (their code version): a bad file is one line here
        load_user_rules()
    except UserRulesError as exc:
        raise BloqrError(f"user rules: {exc}") from None

    from bloqr_dagster.defs.build_errors import backfill as bf
    from bloqr_dagster.defs.build_errors.assets import CATEGORIZED_BUILD_ERRORS

    with dg.DagsterInstance.get() as instance, Session(instance, workspace, args.webserver) as session:
        if args.cancel:
            if instance.get_backfill(args.cancel) is None:
                raise BloqrError(f"--cancel {args.cancel}: no such backfill on DAGSTER_HOME {session.root}")
            session.connect()
            status = cancel(session, args.cancel)
            return 0 if status not in bf.ACTIVE_STATUSES else 1
        orphans = _check_others(instance)
        if bounds is None:
            keys, version = _stale_keys(instance)
            if not keys:
                say(f"no stale range: every categorised range is at rules version {version}")
                return 0
            say(f"{len(keys)} ranges were categorised under other rules than {version}: re-categorising them")
            assets, title = [CATEGORIZED_BUILD_ERRORS], f"bloqr backfill --stale ({version})"
        else:
            keys = _store_ranges(instance, *bounds)
            assets, title = bf.ASSET_KEYS, f"bloqr backfill {bounds[0]}..{bounds[1]}"
        web = session.connect()
        if bounds is None and session.own_web is None:
            web.reload_location("bloqr_dagster")  # its assets then carry the current rules version
        for orphan in orphans:
            say(f"backfill {orphan.backfill_id} was left {bf.status_of(orphan)} by a `bloqr backfill` "
                "that is no longer running")
            cancel(session, orphan.backfill_id)
        tags = {bf.BACKFILL_TAG: "stale" if bounds is None else "cli", **(ours_tags() if args.wait else {})}
        try:
            backfill_id = web.launch_backfill(
                keys, [a.path for a in assets], title=title, tags=tags,
                description=f"{len(keys)} build-ID ranges, {keys[0]} .. {keys[-1]}")
        except WebserverError as exc:
            raise BloqrError(str(exc)) from None
        if instance.get_backfill(backfill_id) is None:
            raise BloqrError(f"webserver {web.url} launched backfill {backfill_id} on another Dagster "
                             f"instance than DAGSTER_HOME {session.root}")
        try:  # from here on, a Ctrl-C (or `kill`) cancels the backfill it launched
            progress = _announce_and_follow(session, args, backfill_id, keys, deadline=deadline,
                                            start_daemon_after=start_daemon_after)
        except KeyboardInterrupt:
            print(f"interrupted: canceling backfill {backfill_id}", file=sys.stderr, flush=True)
            cancel(session, backfill_id)
            return 130
        if progress is None:
            return 0
    if not progress.succeeded:
        raise BloqrError(f"backfill {backfill_id} did not succeed: {progress.line()}")
    say(f"backfill {backfill_id} done: {progress.ranges_done} ranges")
    return 0


def _announce_and_follow(session: Session, args: argparse.Namespace, backfill_id: str, keys: list[str], *,
                         deadline: float, start_daemon_after: float):
    """Say what was launched; with --wait, follow it to the end (None: not waiting)."""
    from bloqr_dagster import settings
    from bloqr_dagster.defs.build_errors.assets import MAX_RANGES_PER_RUN

    say(f"backfill {backfill_id}: {len(keys)} ranges ({keys[0]} .. {keys[-1]}), up to "
        f"{MAX_RANGES_PER_RUN} ranges per run; see the UI under Runs > Backfills")
    if not args.wait:
        from bloqr_dagster.cli import dagster_services as services

        if not services.daemon_live(session.instance):
            say("no Dagster daemon is running: the backfill starts once one runs (`make ui`)")
        return None
    # Only now: a daemon started earlier would let the new-failures sensor launch runs for
    # ranges the backfill is about to rescan.
    session.ensure_daemon()
    return follow(session, backfill_id, keys, settings.paths().lake, deadline_s=deadline,
                  start_daemon_after_s=start_daemon_after)
