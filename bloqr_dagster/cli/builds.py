"""`bloqr builds`: fill and inspect the build store (embedded SQLite by default, or PostgreSQL).

    bloqr builds generate --builds N [--seed S] [--start-id ID] [--days D] [--planted-out FILE.jsonl] [--no-spikes]
    bloqr builds show BUILD_ID            print one build and its log ("ISO timestamp<TAB>message")
    bloqr builds info                     the store's URL, newest build id and build counts

The store is --store URL, else $BLOQR_BUILD_STORE, else sqlite:///$BLOQR_HOME/builds.sqlite.
"""

from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("builds", help="generate and inspect builds in the build store",
                                   description=__doc__.splitlines()[0])
    _store_options(parser, argparse.SUPPRESS)
    parser.set_defaults(home=None, store=None)
    # The same options after the action (`bloqr builds generate --store URL`); SUPPRESS keeps an
    # option given before the action from being reset by the action's parser.
    common = argparse.ArgumentParser(add_help=False)
    _store_options(common, argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="builds_command", required=True, metavar="ACTION")

    gen = sub.add_parser("generate", parents=[common],
                         help="append realistic synthetic builds and logs to the store")
    gen.add_argument("--builds", type=int, required=True, help="how many builds to generate")
    gen.add_argument("--seed", type=int, default=0, help="random seed (same seed, same corpus; default 0)")
    gen.add_argument("--start-id", type=int, help="first build id (default: the store's newest id + 1)")
    gen.add_argument("--days", type=float, default=30.0, help="days the builds' created_at spans (default 30)")
    gen.add_argument("--planted-out", help="write the planted private values here as JSON lines")
    gen.add_argument("--no-spikes", dest="spikes", action="store_false",
                     help="a quiet corpus: no day with a failure-category spike (default: every ninth day)")
    gen.set_defaults(func=_generate)

    show = sub.add_parser("show", parents=[common], help="print one build and its log")
    show.add_argument("build_id", type=int)
    show.set_defaults(func=_show)

    info = sub.add_parser("info", parents=[common],
                          help="print the store URL, newest build id and counts per status")
    info.set_defaults(func=_info)


def _store_options(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument("--home", default=default, help="BLOQR_HOME (default: $BLOQR_HOME or ./.bloqr)")
    parser.add_argument("--store", default=default,
                        help="build store URL: sqlite:///PATH or postgresql://USER@HOST:PORT/DB "
                             "(default: $BLOQR_BUILD_STORE, else the embedded store in BLOQR_HOME)")


def _open(args: argparse.Namespace):  # noqa: ANN202
    from bloqr_dagster import settings
    from bloqr_dagster.build_errors.stores import open_store

    return open_store(args.store or settings.build_store_url(args.home))


def _generate(args: argparse.Namespace) -> int:
    from bloqr_dagster.build_errors.generator import generate
    from bloqr_dagster.build_errors.stores.base import redact_url
    from bloqr_dagster.cli.progress import progress
    from bloqr_dagster.errors import BloqrError

    if args.builds <= 0:
        raise BloqrError(f"--builds: must be a positive integer, got {args.builds}")
    if args.start_id is not None and args.start_id < 0:
        raise BloqrError(f"--start-id: must not be negative, got {args.start_id}")
    if args.days <= 0:
        raise BloqrError(f"--days: must be positive, got {args.days}")
    with _open(args) as store:
        newest = store.max_build_id()
        with progress(args.builds, "generating builds", unit="build") as bar:
            report = generate(store, args.builds, seed=args.seed, start_id=args.start_id, days=args.days,
                              keep_planted=False, planted_out=args.planted_out, on_batch=bar.update,
                              spikes=args.spikes)
        where = redact_url(store.url)
    overlap = newest is not None and report.first_id is not None and report.first_id <= newest
    print(f"generated {report.builds:,} builds (ids {report.first_id}..{report.last_id}): "
          f"{report.failed:,} failed, {report.canceled:,} canceled, {report.lines:,} log lines")
    print(f"into {where} in {report.seconds:.1f} s: {report.builds_per_second:,.0f} builds/s, "
          f"{report.lines / max(report.seconds, 1e-9):,.0f} lines/s")
    if overlap:
        print(f"note: ids {report.first_id}..{min(report.last_id, newest)} already existed and were replaced")
    if args.planted_out:
        print(f"planted private values written to {args.planted_out}")
    return 0


def _show(args: argparse.Namespace) -> int:
    from bloqr_dagster.errors import BloqrError

    with _open(args) as store:
        build = next(iter(store.builds_in_range(args.build_id, args.build_id)), None)
        if build is None:
            raise BloqrError(f"build {args.build_id}: not in the store")
        stopped = build.stopped_at.isoformat() if build.stopped_at else "-"
        print(f"# build {build.build_id} {build.status}"
              f"{' at ' + build.failed_stage if build.failed_stage else ''} project {build.project_id} "
              f"created {build.created_at.isoformat()} stopped {stopped}")
        out = sys.stdout
        cursor: int | None = 0
        try:
            while cursor is not None:
                lines, cursor = store.log_page(build.build_id, cursor, 2000)
                for line in lines:
                    out.write(f"{line.ts.isoformat().replace('+00:00', 'Z')}\t{line.message}\n")
            out.flush()
        except BrokenPipeError:  # `bloqr builds show 42 | head`
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), out.fileno())
    return 0


def _info(args: argparse.Namespace) -> int:
    from bloqr_dagster.build_errors.stores.base import redact_url

    with _open(args) as store:
        newest = store.max_build_id()
        counts: dict[str, int] = {}
        first = last = None
        if newest is not None:
            for b in store.builds_in_range(0, newest):
                counts[b.status] = counts.get(b.status, 0) + 1
                first = first or b.created_at
                last = b.created_at
        print(f"store:    {redact_url(store.url)}")
        print(f"newest:   {newest if newest is not None else '(empty)'}")
        print(f"builds:   {sum(counts.values()):,} ({', '.join(f'{k} {v:,}' for k, v in sorted(counts.items()))})")
        if first:
            print(f"created:  {first:%Y-%m-%d %H:%M} .. {last:%Y-%m-%d %H:%M} UTC")
    return 0
