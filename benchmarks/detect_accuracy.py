"""Detector accuracy on real build logs: the development set and the project corpus, per split.

    .venv/bin/python benchmarks/detect_accuracy.py [--dev DIR] [--corpus DIR] [--rules FILE] [--speed [N]]

The development set (`../shared/buildlogs`, the lines the rules were written against) and the corpus
(`tests/data/buildlogs` by default; see detectors/corpus.py) are reported separately, the corpus per
split: `train` (rules may be tuned against it) and `validation` (never looked at: the honest figure).
Each labelled line is diagnosed as a one-line log. Figures:

* category accuracy: error lines whose hit has the labelled category / error lines;
* detection rate: error lines with any hit / error lines;
* false positives: `not_an_error` lines with a hit / negative lines;
* groups: hits of the right category whose error_group equals `expected_group` (also printed with
  placeholder names set aside, `<FILE>` for `<PATH>`: the part of the gap that is the labels' naming);
* logs: primary category right / logs, primary line right / logs with a labelled primary line.

Only aggregate figures are printed for the validation split. `--show-misses` lists the train split's
and the development set's misses. It works on an empty or partial corpus (a split with nothing
prints zeros). --speed [N] also times N generated failed builds (engine only).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

from bloqr_dagster.build_errors.detectors import build_rules, diagnose, load_user_rules
from bloqr_dagster.build_errors.detectors import corpus as corpus_mod
from bloqr_dagster.build_errors.detectors.accuracy import Figures, evaluate

ROOT = Path(__file__).resolve().parents[1]
DEV_DIR = ROOT.parent / "shared" / "buildlogs"
CORPUS_DIR = ROOT / "tests" / "data" / "buildlogs"


def _pct(a: int, b: int) -> str:
    return f"{a}/{b} = {a / b:.1%}" if b else f"{a}/0 = n/a"


def report(name: str, f: Figures, per_category: bool = True) -> None:
    n, right, det = sum(f.total.values()), sum(f.right.values()), sum(f.detected.values())
    print(f"\n== {name}")
    if per_category and f.total:
        print(f"  {'category':26} {'right':>5} / {'lines':<5} {'accuracy':>8} {'detected':>9} {'groups':>12}")
        for cat in sorted(f.total):
            print(f"  {cat:26} {f.right[cat]:>5} / {f.total[cat]:<5} {f.right[cat] / f.total[cat]:8.1%} "
                  f"{f.detected[cat] / f.total[cat]:9.1%} {f.groups[cat]:>5}/{f.grouped[cat]:<5}")
    print(f"  error-line category accuracy: {_pct(right, n)}")
    print(f"  detection rate:               {_pct(det, n)}")
    print(f"  false positives on negatives: {_pct(f.false_pos, f.negatives)}")
    print(f"  error_group == expected:      {_pct(sum(f.groups.values()), sum(f.grouped.values()))}")
    print(f"    (placeholder names aside:   {_pct(sum(f.group_shapes.values()), sum(f.grouped.values()))})")
    print(f"  logs: primary category {_pct(f.primary_cat, f.logs)}; primary line {_pct(f.primary_line, f.logs_with_line)}")


def speed(n_failed: int) -> None:
    from bloqr_dagster.build_errors.generator import iter_builds

    texts, planted_cats, planted_values = [], [], []
    for g in iter_builds(None, seed=3, start_id=1):
        if g.build.status == "failure":
            texts.append("\n".join(g.log.messages))
            planted_cats.append(g.category)
            planted_values.append([p.value for p in g.planted if p.value])
            if len(texts) == n_failed:
                break
    lines = sum(t.count("\n") + 1 for t in texts)
    wall, cpu = time.perf_counter(), time.process_time()
    results = [diagnose(t) for t in texts]
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    known = [(r, c) for r, c in zip(results, planted_cats, strict=True) if c != "novel"]
    agree = sum(1 for r, c in known if r.primary is not None and r.primary.error_code == c)
    leaks = sum(1 for r, values in zip(results, planted_values, strict=True) for e in r.errors for v in values
                if v in e.error_group or v in e.sample_line)
    print(f"\nspeed: {len(texts):,} generated failed builds, {lines:,} lines ({lines / len(texts):.0f} lines/log)")
    print(f"  wall {len(texts) / wall:,.0f} builds/s {lines / wall:,.0f} lines/s; "
          f"CPU {len(texts) / cpu:,.0f} builds/s {lines / cpu:,.0f} lines/s (single process, cold caches)")
    print(f"  primary == planted category: {agree}/{len(known)}; planted private values leaked: {leaks}")
    novel = [r for r, c in zip(results, planted_cats, strict=True) if c == "novel"]
    print(f"  coverage: {sum(r.primary is not None for r in results) / len(results):.1%} categorised; failures "
          f"of invented tools: {Counter(r.primary.error_code for r in novel if r.primary).most_common()}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", type=Path, default=DEV_DIR, help=f"development set (default {DEV_DIR})")
    parser.add_argument("--corpus", type=Path, default=CORPUS_DIR, help=f"corpus folder (default {CORPUS_DIR})")
    parser.add_argument("--rules", help="user rules merged with the built-ins (default: none)")
    parser.add_argument("--show-misses", action="store_true", help="list misses (development set, train split)")
    parser.add_argument("--split", choices=("train", "validation", "both"), default="both",
                        help="corpus split(s) to evaluate (default both); tune with --split train only")
    parser.add_argument("--no-dev", action="store_true", help="skip the development set")
    parser.add_argument("--speed", nargs="?", type=int, const=5000, default=0, metavar="N",
                        help="also time N generated failed builds (default 5000)")
    args = parser.parse_args(argv[1:])
    rules = build_rules(load_user_rules(args.rules) if args.rules else None)
    print(f"rules version {rules.version}")
    try:
        if args.no_dev:
            pass
        elif (args.dev / "dev_lines.jsonl").is_file():
            dev = evaluate(corpus_mod.load_dev_lines(args.dev), corpus_mod.load_dev_logs(args.dev), rules)
            report(f"development set {args.dev} (the rules were written against it)", dev)
            if args.show_misses:
                print("\n".join(f"  {m}" for m in dev.misses))
        else:
            print(f"\n(no development set at {args.dev})")
        if args.corpus.is_dir():
            for split in ("train", "validation") if args.split == "both" else (args.split,):
                lines, logs = corpus_mod.load_lines(args.corpus, split), corpus_mod.load_logs(args.corpus, split)
                figures = evaluate(lines, logs, rules)
                honest = "rules may be tuned against it" if split == "train" else "held out: the honest figure"
                report(f"corpus {args.corpus}, {split} split ({honest}): {len(lines)} lines, {len(logs)} logs", figures)
                if args.show_misses and split == "train":
                    print("\n".join(f"  {m}" for m in figures.misses))
        else:
            print(f"\n(no corpus at {args.corpus})")
    except corpus_mod.CorpusError as exc:
        print(f"detect_accuracy: {exc}", file=sys.stderr)
        return 1
    if args.speed:
        speed(args.speed)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
