"""`bloqr mcp`: the Builds MCP server over stdio (for an editor's assistant).

Read-only tools over the warehouse and the build store of BLOQR_HOME; see the README section
"Regression radar" for how to register it in Claude Desktop or VS Code.
"""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("mcp", help="serve read-only build-failure tools over MCP (stdio)",
                              description=__doc__.split("\n\n")[0])
    p.add_argument("--home", help="BLOQR_HOME (default: $BLOQR_HOME or ./.bloqr)")
    p.add_argument("--store", help="build store URL (default: $BLOQR_BUILD_STORE or the embedded store)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from bloqr_dagster import settings
    from bloqr_dagster.errors import BloqrError
    from bloqr_dagster.radar.builds import Source
    from bloqr_dagster.radar.mcp_server import build_server

    paths = settings.paths(args.home)
    if not paths.home.is_dir():
        raise BloqrError(f"--home: no such folder {paths.home}")
    build_server(Source(paths, args.store or settings.build_store_url(paths.home))).run("stdio")
    return 0
