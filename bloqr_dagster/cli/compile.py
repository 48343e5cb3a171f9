"""`bloqr compile`: a drop-in for the `hostlist-compiler` command line.

    bloqr compile -c config.json -o list.txt [-v]
    bloqr compile -i hosts.txt -i https://example.org/hosts -t hosts -o list.txt

Relative source paths are resolved against the working directory, as the reference does (or
--base-dir). The output is replaced atomically: a failed compile leaves no file and keeps an old one.
Only the standard library is imported at module level so that the command starts fast.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

QUICK_LIST_NAME = "Blocklist"  # what hostlist-compiler names an `-i` compile


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "compile", help="compile a filter list (hostlist-compiler compatible)",
        description="Compile a filter list from a hostlist-compiler configuration (-c) or from one or more "
                    "lists converted to an AdGuard-syntax blocklist (-i).")
    parser.add_argument("-c", "--config", metavar="CONFIG", help="configuration file (JSON, or YAML)")
    parser.add_argument("-i", "--input", metavar="INPUT", action="extend", nargs="+",
                        help="URL or path of a list to convert; repeat for several")
    parser.add_argument("-t", "--input-type", choices=("hosts", "adblock"), default="hosts",
                        help="type of the -i inputs (default: hosts)")
    parser.add_argument("-o", "--output", metavar="OUT", required=True, help="file to write")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="print per-source and per-transformation statistics to stderr")
    parser.add_argument("--base-dir", metavar="DIR",
                        help="directory relative source paths are resolved against (default: working dir)")
    cache = parser.add_mutually_exclusive_group()
    cache.add_argument("--http-cache", metavar="DIR",
                       help="conditional-GET cache for http(s) sources (default: $BLOQR_HOME/cache/http)")
    cache.add_argument("--no-http-cache", action="store_true", help="always download http(s) sources in full")
    parser.add_argument("--timeout", type=float, default=60.0, metavar="SECONDS",
                        help="read timeout for http(s) sources (default: 60)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from bloqr_dagster.errors import BloqrError

    if bool(args.config) == bool(args.input):
        raise BloqrError("give either -c/--config or -i/--input (exactly one)")
    output = Path(args.output)
    if output.is_dir():
        raise BloqrError(f"{output}: is a directory")
    if not output.absolute().parent.is_dir():
        raise BloqrError(f"{output}: directory {output.absolute().parent} does not exist")

    from bloqr_dagster.filterlists.compiler import compile_config
    from bloqr_dagster.filterlists.fetch import HttpFetcher
    from bloqr_dagster.filterlists.sources import SourceLoader

    config = _build_config(args)
    base_dir = Path(args.base_dir) if args.base_dir else Path.cwd()
    if not base_dir.is_dir():
        raise BloqrError(f"--base-dir: {base_dir} is not a directory")
    started = time.monotonic()
    with HttpFetcher(cache_dir=_http_cache_dir(args), read_timeout=args.timeout) as http, \
            SourceLoader(base_dir, http=http) as loader:
        result = compile_config(config, loader, on_event=_progress_printer() if args.verbose else None)
    write_atomic(output, result.text())
    if args.verbose:
        _print_stats(result)
    print(f"wrote {result.rule_count} rules ({len(result.lines)} lines) to {output} "
          f"in {time.monotonic() - started:.2f} s", file=sys.stderr)
    return 0


def _build_config(args: argparse.Namespace) -> Any:
    from bloqr_dagster.filterlists.config import load_config, parse_config

    if args.config:
        return load_config(args.config)
    from bloqr_dagster.filterlists.compiler import QUICK_LIST_TRANSFORMATIONS

    return parse_config({
        "name": QUICK_LIST_NAME,
        "sources": [{"source": item, "type": args.input_type} for item in args.input],
        "transformations": list(QUICK_LIST_TRANSFORMATIONS),
    })


def _http_cache_dir(args: argparse.Namespace) -> Path | None:
    if args.no_http_cache:
        return None
    if args.http_cache:
        return Path(args.http_cache)
    from bloqr_dagster.settings import paths

    return paths().cache_dir / "http"


def write_atomic(path: Path, text: str) -> None:
    """Write via a temporary file in the same directory and os.replace, so readers never see half."""
    fd, tmp = tempfile.mkstemp(dir=path.absolute().parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600; give the file the usual permissions
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _progress_printer() -> Any:
    def on_event(kind: str, fields: dict[str, Any]) -> None:
        if kind == "source_fetch_started":
            print(f"loading {fields.get('source', '?')} ...", file=sys.stderr, flush=True)

    return on_event


def _print_stats(result: Any) -> None:
    err = sys.stderr
    for i, source in enumerate(result.sources):
        label = f"{source.name} ({source.source})" if source.name else source.source
        notes = []
        if source.not_modified:
            notes.append("not modified (served from the HTTP cache)")
        if source.replaced_chars:
            notes.append(f"{source.replaced_chars} invalid UTF-8 sequences replaced")
        suffix = f" [{'; '.join(notes)}]" if notes else ""
        print(f"source {i + 1}/{len(result.sources)} {label}: {source.downloaded_lines} lines downloaded, "
              f"{source.lines_after_transformations} after transformations, {source.seconds:.3f} s{suffix}",
              file=err)
    for step in result.transformations:
        print(f"  {step.scope:<10} {step.name:<32} {step.lines_in:>9} -> {step.lines_out:<9} "
              f"{step.seconds:.3f} s", file=err)
