"""The corpus table: lines and logs per category, platform, tool and split, with provenance counts.

    .venv/bin/python benchmarks/corpus_table.py [--corpus DIR] [--check]

Prints the tables (totals and provenance kinds, per category, per platform, per tool; train /
validation counts side by side) and writes `SOURCES.md` in the corpus folder (the same tables plus one
row per source), atomically. `--check` writes nothing and exits 1 when SOURCES.md is out of date.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from bloqr_dagster.build_errors.detectors.corpus import CorpusError
from bloqr_dagster.build_errors.detectors.corpus_table import render

CORPUS_DIR = Path(__file__).resolve().parents[1] / "tests" / "data" / "buildlogs"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS_DIR, help=f"corpus folder (default {CORPUS_DIR})")
    parser.add_argument("--check", action="store_true", help="exit 1 when SOURCES.md is out of date; write nothing")
    args = parser.parse_args(argv[1:])
    try:
        text = render(args.corpus)
    except CorpusError as exc:
        print(f"corpus_table: {exc}", file=sys.stderr)
        return 1
    target = args.corpus / "SOURCES.md"
    # the console gets the tables, not the per-source list
    print(text.split("\n## Per source", 1)[0].rstrip())
    if args.check:
        current = target.read_text(encoding="utf-8") if target.is_file() else ""
        if current != text:
            print(f"corpus_table: {target} is out of date: run benchmarks/corpus_table.py", file=sys.stderr)
            return 1
        return 0
    fd, tmp = tempfile.mkstemp(dir=args.corpus, prefix=".SOURCES.md.")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, target)
    print(f"\nwrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
