"""Detector accuracy on the real development set (shared/buildlogs).

    .venv/bin/python benchmarks/detect_accuracy.py [BUILDLOGS_DIR] [--speed [N]]

Prints per-category accuracy on dev_lines.jsonl (each line diagnosed as a one-line log),
the overall accuracy, the false-positive rate on `not_an_error` lines, how many groups equal
the hint, and the primary category of each real log in dev_logs/.

--speed [N] also diagnoses N (default 5000) failed builds from the build generator in this
process (engine only, no store) and prints failed builds/s and lines/s, wall clock and CPU
time, how often the primary agrees with the category the generator planted, and whether any
planted private value leaked into a group or sample.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

from bloqr_dagster.build_errors.detectors import RULES_VERSION, diagnose, diagnose_bytes

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared" / "buildlogs"


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
    uncategorised = sum(1 for r in results if r.primary is None)
    print(f"  coverage: {1 - uncategorised / len(results):.1%} categorised; uncategorised {uncategorised}, "
          f"of which novel (unknown to the rules) {sum(1 for r in novel if r.primary is None)}/{len(novel)}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("buildlogs_dir", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--speed", nargs="?", type=int, const=5000, default=0, metavar="N",
                        help="also time N generated failed builds (default 5000)")
    args = parser.parse_args(argv[1:])
    n_speed, base = args.speed, args.buildlogs_dir
    if not (base / "dev_lines.jsonl").is_file():
        print(f"detect_accuracy: {base}/dev_lines.jsonl not found", file=sys.stderr)
        return 1
    rows = [json.loads(line) for line in (base / "dev_lines.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]
    total, right, groups = Counter(), Counter(), 0
    false_pos = 0
    for row in rows:
        # a one-line log: its single hit is the line's category (a platform summary line has a
        # category too, though it is never a build's primary error)
        errors = diagnose(row["line"]).errors
        hit = errors[0] if errors else None
        cat = row["category"]
        if cat == "not_an_error":
            false_pos += hit is not None
            continue
        total[cat] += 1
        if hit is not None and hit.error_code == cat:
            right[cat] += 1
            groups += hit.error_group == row["expected_group_hint"]
    print(f"rules version {RULES_VERSION}")
    print(f"{'category':28} {'right':>5} / {'lines':<5} accuracy")
    for cat in sorted(total):
        print(f"{cat:28} {right[cat]:>5} / {total[cat]:<5} {right[cat] / total[cat]:6.1%}")
    n_err, n_right = sum(total.values()), sum(right.values())
    negatives = sum(1 for r in rows if r["category"] == "not_an_error")
    print(f"\noverall category accuracy: {n_right}/{n_err} = {n_right / n_err:.1%}")
    print(f"false positives on not_an_error: {false_pos}/{negatives} = {false_pos / max(negatives, 1):.1%}")
    print(f"groups equal to expected_group_hint: {groups}/{n_right} = {groups / max(n_right, 1):.1%}")
    labels = json.loads((base / "dev_logs" / "labels.json").read_text())
    ok = 0
    print("\ndev_logs primary:")
    for name, label in sorted(labels.items()):
        primary = diagnose_bytes((base / "dev_logs" / name).read_bytes()).primary
        got = primary.error_code if primary else None
        ok += got == label
        where = f"line {primary.line_no}: {primary.error_group[:70]}" if primary else "uncategorised"
        print(f"  {'ok ' if got == label else 'BAD'} {name}: want {label}, got {got} ({where})")
    print(f"dev_logs: {ok}/{len(labels)} right")
    if n_speed:
        speed(n_speed)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
