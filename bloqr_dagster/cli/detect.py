"""`bloqr detect PATH...`: diagnose build logs, one JSON object per file per line on stdout.

`-` reads standard input. A missing or unreadable file prints one error line naming it on
stderr; the remaining files are still processed and the command exits 1 at the end.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "detect", help="categorise failed build logs (JSON lines on stdout)",
        description="Diagnose build logs: one JSON object per file per line on stdout (- reads stdin). "
                    "A missing or unreadable file is reported on stderr, the other files are still "
                    "processed, and the exit status is 1.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="build log file, or - for standard input")
    p.set_defaults(func=handle)


def _record(path: str, data: bytes) -> dict[str, Any]:
    from bloqr_dagster.build_errors.detectors import diagnose_bytes

    d = diagnose_bytes(data)
    primary = None
    if d.primary is not None:
        primary = {"error_code": d.primary.error_code, "error_group": d.primary.error_group,
                   "line_no": d.primary.line_no}
    errors = [{"line_no": e.line_no, "error_code": e.error_code, "error_group": e.error_group, "tool": e.tool}
              for e in d.errors]
    return {"path": path, "primary": primary, "errors": errors}


def handle(args: argparse.Namespace) -> int:
    failed = 0
    for path in args.paths:
        try:
            if path == "-":
                data = sys.stdin.buffer.read()
            else:
                with open(path, "rb") as fh:
                    data = fh.read()
        except OSError as exc:
            reason = exc.strerror or exc.__class__.__name__
            print(f"bloqr detect: {path}: cannot read: {reason}", file=sys.stderr)
            failed += 1
            continue
        sys.stdout.write(json.dumps(_record(path, data), ensure_ascii=False) + "\n")
        sys.stdout.flush()
    return 1 if failed else 0
