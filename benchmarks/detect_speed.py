"""Detection speed against a bare keyword scan, over the same real log lines, start-up included.

    .venv/bin/python benchmarks/detect_speed.py [--copies N] [--repeat R]

The logs are the real ones at hand: the development set's dev_logs/ and the project corpus's logs
(tests/data/buildlogs/logs/, every split: this measures speed, not accuracy), each copied N times
(default 400) with a unique Workers-Builds timestamp on every line, so that no line repeats (the
engine's per-line caches cannot help) and the files hold ~1M lines. Two commands run on the same
files in fresh processes, each timed from start to exit, best of R runs (default 3):

* bare scan: `python -c` that compiles every built-in rule's keywords into one flat regex and
  searches each lowered line of each file for it, counting hits: the least a keyword-based
  detector must do;
* `bloqr detect --builtin-only FILES`: the whole engine (prefilter, rules, context, masking,
  JSON output).

Prints both figures (lines/s) side by side and their ratio (target: the engine within 2x), by wall
clock and by the CPU time of the child process (steadier on a shared machine).
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "benchmarks" / ".work" / "detect_speed"
SOURCES = (ROOT.parent / "shared" / "buildlogs" / "dev_logs", ROOT / "tests" / "data" / "buildlogs" / "logs")

BARE = """
import re, sys
from bloqr_dagster.build_errors.detectors.registry import DETECTORS
keywords = sorted({k for d in DETECTORS for r in d.rules for k in r.keywords}, key=len, reverse=True)
pattern = re.compile("|".join(map(re.escape, keywords)))
hits = lines = 0
for path in sys.argv[1:]:
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            lines += 1
            if pattern.search(line.lower()):
                hits += 1
print(lines, hits)
"""


def build_files(copies: int) -> tuple[list[Path], int]:
    logs = [p for src in SOURCES if src.is_dir() for p in sorted(src.rglob("*.log"))]
    if not logs:
        raise SystemExit("no real logs found (../shared/buildlogs/dev_logs or tests/data/buildlogs/logs)")
    WORK.mkdir(parents=True, exist_ok=True)
    files, total, n = [], 0, 0
    texts = [p.read_text(encoding="utf-8", errors="replace").splitlines() for p in logs]
    for k in range(copies):
        path = WORK / f"copy-{k:04d}.log"
        out = []
        for lines in texts:
            for line in lines:
                seconds, ms = divmod(n, 1000)
                out.append(f"2026-02-{1 + seconds // 86400 % 28:02d}T{seconds // 3600 % 24:02d}:{seconds // 60 % 60:02d}:"
                           f"{seconds % 60:02d}.{ms:03d}Z\t{line}\n")
                n += 1
        path.write_text("".join(out), encoding="utf-8")
        files.append(path)
        total += len(out)
    return files, total


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(cmd: list[str], repeat: int) -> tuple[float, float]:
    """(best wall seconds, best CPU seconds) of `cmd` run `repeat` times."""
    best_wall = best_cpu = float("inf")
    for _ in range(repeat):
        cpu, start = _children_cpu(), time.perf_counter()
        proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
        wall, cpu = time.perf_counter() - start, _children_cpu() - cpu
        if proc.returncode != 0:
            raise SystemExit(f"{cmd[:3]} failed: {proc.stderr.decode()[-400:]}")
        best_wall, best_cpu = min(best_wall, wall), min(best_cpu, cpu)
    return best_wall, best_cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=400, help="copies of the real logs (default 400)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per command, best counts (default 3)")
    args = parser.parse_args()
    files, lines = build_files(args.copies)
    names = [str(f) for f in files]
    bare = timed([sys.executable, "-c", BARE, *names], args.repeat)
    engine = timed([sys.executable, "-c", "import sys; from bloqr_dagster.cli import main; sys.exit(main())", "detect",
                    "--builtin-only", *names], args.repeat)
    print(f"{lines:,} unique lines in {len(files)} files (real logs, timestamped copies); best of {args.repeat}, "
          "start-up included")
    print(f"{'':26} {'wall s':>8} {'lines/s':>10} {'CPU s':>8} {'lines/s':>10}")
    for name, (wall, cpu) in (("bare keyword-regex scan", bare), ("bloqr detect (engine)", engine)):
        print(f"{name:26} {wall:>8.2f} {lines / wall:>10,.0f} {cpu:>8.2f} {lines / cpu:>10,.0f}")
    print(f"engine / bare scan: {engine[0] / bare[0]:.2f}x wall, {engine[1] / bare[1]:.2f}x CPU (target <= 2x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
