"""`bloqr detect PATH...`: diagnose build logs, one JSON object per file per line on stdout.

`-` reads standard input. Logs stream in bounded memory whatever their size; gzip, bzip2 and xz
logs are recognised by their magic bytes. Repeated identical errors are counted, not repeated.
A file that cannot be read as a text log (missing, a directory, no permission, binary, corrupt)
prints one error line naming it on stderr; the remaining files are still processed and the
command exits 1 at the end.

The rules are the built-ins plus the user rules of `--rules FILE`, else of `$BLOQR_RULES_FILE`,
else of `$BLOQR_HOME/rules.yaml` when it exists (`--builtin-only` ignores them).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import TYPE_CHECKING, Any

from bloqr_dagster.errors import BloqrError

if TYPE_CHECKING:  # the detectors load when a command runs, not when the parser is built
    from bloqr_dagster.build_errors.detectors import Diagnosis, RuleSet


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "detect", help="categorise failed build logs (JSON lines on stdout)",
        description="Diagnose build logs: one JSON object per file per line on stdout (- reads stdin). "
                    "Logs may be gzip/bzip2/xz-compressed and of any size. A file that cannot be read "
                    "is reported on stderr, the other files are still processed, and the exit status is 1.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="build log file, or - for standard input")
    p.add_argument("--rules", metavar="FILE",
                   help="user rules (YAML) merged with the built-in rules "
                        "(default: $BLOQR_RULES_FILE, else $BLOQR_HOME/rules.yaml when present)")
    p.add_argument("--builtin-only", action="store_true", help="ignore user rules")
    p.set_defaults(func=handle)


def load_rules(path: str | None, builtin_only: bool = False) -> RuleSet:
    """The rule set of the detect/rules commands; a bad rules file is a BloqrError (one line)."""
    from bloqr_dagster.build_errors.detectors import UserRulesError, build_rules, load_user_rules

    if builtin_only:
        return build_rules(None)
    try:
        return build_rules(load_user_rules(path))
    except UserRulesError as exc:
        raise BloqrError(str(exc)) from None


def _record(path: str, d: Diagnosis, version: str) -> dict[str, Any]:
    primary = None
    if d.primary is not None:
        primary = {"error_code": d.primary.error_code, "error_group": d.primary.error_group,
                   "line_no": d.primary.line_no, "tool": d.primary.tool}
    errors = [{"line_no": e.line_no, "error_code": e.error_code, "error_group": e.error_group, "tool": e.tool,
               "count": e.count} for e in d.errors]
    return {"path": path, "rules_version": version, "primary": primary, "errors": errors, "dropped": d.dropped}


def handle(args: argparse.Namespace) -> int:
    from bloqr_dagster.build_errors.detectors import UnreadableLog, diagnose_file
    from bloqr_dagster.cli.progress import progress

    rules = load_rules(args.rules, args.builtin_only)
    failed = 0
    for path in args.paths:
        size = _size(path)
        bar = progress(size, desc=os.path.basename(path)[:30], unit="B") if size and size > 64 << 20 else None
        try:
            d = diagnose_file(path, rules, progress=(lambda n, bar=bar: bar.update(n - bar.n)) if bar else None)
        except UnreadableLog as exc:
            print(f"bloqr detect: {path}: cannot read: {exc}", file=sys.stderr)
            failed += 1
            continue
        finally:
            if bar is not None:
                bar.close()
        sys.stdout.write(json.dumps(_record(path, d, rules.version), ensure_ascii=False) + "\n")
        sys.stdout.flush()
    return 1 if failed else 0


def _size(path: str) -> int | None:
    if path == "-":
        return None
    try:
        return os.stat(path).st_size
    except OSError:
        return None
