"""`bloqr cache`: read the compiled filter-list cache that the Dagster workflows fill.

    bloqr cache list                      the latest compiled list of every configuration
    bloqr cache get NAME -o FILE          write the latest compiled list of NAME to FILE
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("cache", help="read the compiled filter-list cache",
                                   description=__doc__.splitlines()[0])
    parser.add_argument("--home", help="BLOQR_HOME to read (default: $BLOQR_HOME or ./.bloqr)")
    sub = parser.add_subparsers(dest="cache_command", required=True, metavar="ACTION")
    get = sub.add_parser("get", help="write the latest compiled list of a configuration")
    get.add_argument("name", help="configuration key (e.g. easylist) or its name")
    get.add_argument("-o", "--output", required=True, help="file to write ('-' for stdout)")
    get.set_defaults(func=_get)
    listing = sub.add_parser("list", help="list the cached configurations")
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    listing.set_defaults(func=_list)


def _cache(args: argparse.Namespace):  # noqa: ANN202
    from bloqr_dagster import settings
    from bloqr_dagster.filterlists.cache_store import CompiledCache

    return CompiledCache(settings.paths(args.home).cache_dir)


def _get(args: argparse.Namespace) -> int:
    from bloqr_dagster.filterlists.cache_store import config_key

    cache = _cache(args)
    name = args.name if cache.latest(args.name) else config_key(args.name)
    if args.output == "-":
        from bloqr_dagster.errors import BloqrError

        entry = cache.latest(name)
        if entry is None:
            raise BloqrError(f"no compiled list cached for configuration {args.name!r}")
        sys.stdout.write(cache.read_text(entry))
        return 0
    entry = cache.write_latest(name, Path(args.output))
    print(f"wrote {args.output}: {entry.rule_count} rules from {entry.config_name!r}, "
          f"compiled {entry.compiled_at:%Y-%m-%d %H:%M:%S} UTC (key {entry.cache_key[:12]})", file=sys.stderr)
    return 0


def _list(args: argparse.Namespace) -> int:
    entries = _cache(args).list_latest()
    if args.json:
        print(json.dumps([e.as_metadata() | {"hits": e.hits} for e in entries], indent=2))
        return 0
    if not entries:
        print("no compiled lists cached yet")
        return 0
    print(f"{'configuration':<28} {'rules':>9} {'raw':>10} {'gzip':>10} {'hits':>5}  compiled at (UTC)    key")
    for e in entries:
        print(f"{e.config_name:<28} {e.rule_count:>9} {e.raw_bytes:>10} {e.compressed_bytes:>10} {e.hits:>5}  "
              f"{e.compiled_at:%Y-%m-%d %H:%M:%S}  {e.cache_key[:12]}")
    return 0
