"""`bloqr` command line. Subcommands live in sibling modules, each with `register(subparsers)`.

Subcommand modules import only the standard library at import time, so that `bloqr compile`
starts fast; heavy imports (Dagster, pandas, DuckDB) happen inside the handlers that need them.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from bloqr_dagster import __version__
from bloqr_dagster.errors import BloqrError

SUBCOMMAND_MODULES = [
    "bloqr_dagster.cli.compile",
    "bloqr_dagster.cli.cache",
    "bloqr_dagster.cli.detect",
    "bloqr_dagster.cli.rules",
    "bloqr_dagster.cli.builds",
    "bloqr_dagster.cli.backfill",
    "bloqr_dagster.cli.demo",
    "bloqr_dagster.cli.mcp",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bloqr",
        description="Compile ad-block/hosts filter lists and categorise failed CI builds "
                    "(the command line of the bloqr_dagster code location).",
        epilog="`bloqr COMMAND --help` describes each command; the README has examples.",
    )
    parser.add_argument("--version", action="version", version=f"bloqr_dagster {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in SUBCOMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:  # a real import error inside the module
                raise
            continue
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except BloqrError as exc:
        print(f"bloqr {args.command}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"bloqr {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
