"""`bloqr compile`: a drop-in for the `hostlist-compiler` command line.

    bloqr compile -c config.json -o list.txt [-v]
    bloqr compile -i hosts.txt -i https://example.org/hosts -t hosts -o list.txt
    bloqr compile --isolated --prefetched map.json -c config.json -o list.txt

Relative source paths are resolved against the working directory, as the reference does (or
--base-dir). A regular output file is replaced atomically: a failed compile leaves no file and keeps
an old one. An existing symlink is written through (its target gets the list) and a device such as
/dev/null is written to, never replaced, as the reference does.
Only the standard library is imported at module level so that the command starts fast.
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import stat
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
    parser.add_argument("--timeout", metavar="SECONDS",
                        help="deadline for each http(s) download as a whole (default: 300; each read: 60)")
    parser.add_argument("--isolated", action="store_true",
                        help="compile in a sandboxed child from --prefetched text only: no network, no disk")
    parser.add_argument("--prefetched", metavar="MAP.json",
                        help="JSON object mapping source names or URLs (as configured) to their text")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from bloqr_dagster.errors import BloqrError

    if bool(args.config) == bool(args.input):
        raise BloqrError("give either -c/--config or -i/--input (exactly one)")
    if bool(args.isolated) != bool(args.prefetched):
        raise BloqrError("--isolated and --prefetched MAP.json go together (an isolated compile reads only "
                         "pre-fetched text)")
    output = Path(args.output)
    output_kind(output)  # refuse a directory or a missing folder before any work
    timeout = _timeout(args.timeout)
    started = time.monotonic()
    config = _build_config(args)
    if args.isolated:
        text, rule_count, line_count = _compile_isolated(config, Path(args.prefetched))
        write_output(output, text)
        print(f"wrote {rule_count} rules ({line_count} lines) to {output} in {time.monotonic() - started:.2f} s "
              "(isolated)", file=sys.stderr)
        return 0

    from bloqr_dagster.filterlists.compiler import compile_config
    from bloqr_dagster.filterlists.fetch import DEFAULT_READ_TIMEOUT, HttpFetcher
    from bloqr_dagster.filterlists.sources import SourceLoader

    base_dir = Path(args.base_dir) if args.base_dir else Path.cwd()
    if not base_dir.is_dir():
        raise BloqrError(f"--base-dir: {base_dir} is not a directory")
    read_timeout = DEFAULT_READ_TIMEOUT if timeout is None else timeout
    with HttpFetcher(cache_dir=_http_cache_dir(args), read_timeout=read_timeout,
                     total_timeout=DEFAULT_TOTAL_TIMEOUT if timeout is None else timeout) as http, \
            SourceLoader(base_dir, http=http) as loader:
        result = compile_config(config, loader, on_event=_progress_printer() if args.verbose else None)
    write_output(output, result.text())
    if args.verbose:
        _print_stats(result)
    print(f"wrote {result.rule_count} rules ({len(result.lines)} lines) to {output} "
          f"in {time.monotonic() - started:.2f} s", file=sys.stderr)
    return 0


DEFAULT_TOTAL_TIMEOUT = 300.0


def _timeout(value: str | None) -> float | None:
    from bloqr_dagster.errors import BloqrError

    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and seconds > 0):
        raise BloqrError(f"--timeout: expected a positive number of seconds, got {value!r}")
    return seconds


def _compile_isolated(config: Any, prefetched: Path) -> tuple[str, int, int]:
    """validate + transform in the sandbox; returns (text, rules, lines)."""
    from bloqr_dagster.errors import BloqrError
    from bloqr_dagster.filterlists.isolated import COMPILED, run_step

    real = Path(os.path.realpath(prefetched))
    if not real.exists():
        raise BloqrError(f"--prefetched: {prefetched}: no such file")
    if not real.is_file():
        raise BloqrError(f"--prefetched: {prefetched} is not a regular file")
    workdir = Path(tempfile.mkdtemp(prefix="bloqr-isolated-"))
    try:
        payload = {"config": config.to_dict(), "prefetched_file": str(real), "require_prefetched": True}
        run_step("validate", payload, workdir / "validate", input_dirs=[real.parent])
        result = run_step("transform", payload, workdir / "transform", input_dirs=[real.parent])
        text = (workdir / "transform" / COMPILED).read_bytes().decode("utf-8", "replace")
        return text, result["rule_count"], result["lines"]
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


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
    from bloqr_dagster.errors import BloqrError

    if args.no_http_cache:
        return None
    if args.http_cache:
        folder = Path(args.http_cache)
        if folder.exists() and not folder.is_dir():
            raise BloqrError(f"--http-cache: {folder} is not a directory")
        return folder
    from bloqr_dagster.settings import paths

    return paths().cache_dir / "http"


def output_kind(path: Path) -> str:
    """"regular" (replace atomically) or "stream" (a device or FIFO: write into it), after following
    a symlink; BloqrError for a directory or a missing parent folder."""
    from bloqr_dagster.errors import BloqrError

    target = Path(os.path.realpath(path))
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        if not target.parent.is_dir():
            raise BloqrError(f"{path}: directory {target.parent} does not exist") from None
        return "regular"
    if stat.S_ISDIR(mode):
        raise BloqrError(f"{path}: is a directory")
    return "regular" if stat.S_ISREG(mode) else "stream"


def write_output(path: Path, text: str) -> None:
    """Write like the reference's fs.writeFileSync, but never half a file: through a symlink to its
    target, into a device or FIFO as is, and over a regular file by an atomic temp + rename (which
    keeps the old file's permissions). A write error (a full disk) is one line; nothing is lost."""
    from bloqr_dagster.errors import BloqrError

    target = Path(os.path.realpath(path))
    try:
        if output_kind(path) == "stream":
            with open(target, "w", encoding="utf-8", newline="") as out:
                out.write(text)
        else:
            write_atomic(target, text)
    except OSError as exc:
        raise BloqrError(f"{path}: cannot write: {exc.strerror or exc}") from None


def write_atomic(path: Path, text: str) -> None:
    """Write via a temporary file in the same directory and os.replace, so readers never see half."""
    fd, tmp = tempfile.mkstemp(dir=path.absolute().parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        try:
            mode = stat.S_IMODE(os.stat(path).st_mode)  # keep an existing file's permissions
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask  # mkstemp creates 0600; give a new file the usual permissions
        os.chmod(tmp, mode)
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
