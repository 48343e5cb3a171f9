"""Bounded detection: `bloqr detect` on hostile and huge logs, peak memory and output size.

    .venv/bin/python benchmarks/detect_bounded.py                 # 2 GB log, 50 MB line, 1M identical errors
    .venv/bin/python benchmarks/detect_bounded.py --size-gb 0.5 --gzip

Writes the logs under benchmarks/.work/detect_bounded/ (reused on the next run; --regenerate to
rebuild) and runs `bloqr detect` on each in a fresh process, printing its wall time, throughput,
peak RSS (the child's getrusage ru_maxrss) and the bytes it printed:

* `huge`: a build log of --size-gb (default 2) GB: generated failed builds' lines with unique
  Workers-Builds timestamps (so no line repeats), their errors included;
* `long-line`: 50 MB on one line between two error lines (only its head is examined);
* `identical`: one million identical error lines (counted once, not printed a million times);
* `huge.gz` with --gzip: the huge log gzip-compressed, read by its magic bytes.

Only the scan is measured here; pathological-line timing lives in the test suite
(tests/build_errors/test_detectors_rules.py) and `bloqr rules check`.
"""

from __future__ import annotations

import argparse
import gzip
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "benchmarks" / ".work" / "detect_bounded"


def _sample_lines(n_builds: int = 2000) -> list[str]:
    from bloqr_dagster.build_errors.generator import iter_builds

    lines: list[str] = []
    for g in iter_builds(None, seed=5, start_id=1):
        if g.build.status == "failure":
            lines.extend(g.log.messages)
            n_builds -= 1
            if not n_builds:
                return lines
    return lines


def write_huge(path: Path, size: int) -> int:
    """Lines of generated failed builds, each with a unique timestamp prefix, until `size` bytes."""
    lines = _sample_lines()
    written = n = 0
    with open(path, "w", encoding="utf-8") as fh:
        while written < size:
            chunk = []
            for line in lines:
                seconds, ms = divmod(n, 1000)
                chunk.append(f"2026-01-{1 + seconds // 86400 % 28:02d}T{seconds // 3600 % 24:02d}:"
                             f"{seconds // 60 % 60:02d}:{seconds % 60:02d}.{ms:03d}Z\t{line}\n")
                n += 1
            text = "".join(chunk)
            fh.write(text)
            written += len(text.encode())
            print(f"\r  writing {path.name}: {written / 2**30:.2f} GB", end="", file=sys.stderr)
    print(file=sys.stderr)
    return n


def write_long_line(path: Path) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("Executing user build command: npm run build\nnpm error code ETIMEDOUT\n")
        for _ in range(50):
            fh.write("error " + "x" * (1 << 20))  # 50 MB without a line break
        fh.write("\nsh: 1: vite: not found\n")


def write_identical(path: Path) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("Executing user build command: npm run build\n")
        fh.write("Error: Cannot find module 'left-pad'\n" * 1_000_000)


def run(path: Path) -> dict:
    """`bloqr detect PATH` in a fresh process: its wall time, peak RSS and output size."""
    code = ("import resource, sys\nfrom bloqr_dagster.cli import main\nrc = main(['detect', '--builtin-only', "
            f"{str(path)!r}])\nprint(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\nsys.exit(rc)")
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, check=False)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"bloqr detect failed on {path}: {proc.stderr.decode()[-500:]}")
    peak_kb = int(proc.stderr.decode().strip().splitlines()[-1])
    return {"wall": wall, "peak_mb": peak_kb / 1024, "out_bytes": len(proc.stdout), "out": proc.stdout}


def write_all(files: dict[str, Path], size_gb: float, regenerate: bool) -> None:
    if regenerate or not files["huge"].exists():
        write_huge(files["huge"], int(size_gb * 2**30))
    if regenerate or not files["long-line"].exists():
        write_long_line(files["long-line"])
    if regenerate or not files["identical"].exists():
        write_identical(files["identical"])
    gz = files.get("huge.gz")
    if gz is not None and (regenerate or not gz.exists()):
        with open(files["huge"], "rb") as src, gzip.open(gz, "wb", compresslevel=1) as dst:
            while block := src.read(1 << 20):
                dst.write(block)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-gb", type=float, default=2.0, help="size of the huge log (default 2)")
    parser.add_argument("--gzip", action="store_true", help="also detect a gzip-compressed copy of the huge log")
    parser.add_argument("--regenerate", action="store_true", help="rewrite the logs even if present")
    parser.add_argument("--write", action="store_true", help=argparse.SUPPRESS)  # internal: the writing child
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    files = {"huge": WORK / f"huge-{args.size_gb:g}gb.log", "long-line": WORK / "long-line.log",
             "identical": WORK / "identical.log"}
    if args.gzip:
        files["huge.gz"] = WORK / f"huge-{args.size_gb:g}gb.bin"  # no .gz suffix: read by its magic bytes
    if args.write:
        write_all(files, args.size_gb, args.regenerate)
        return 0
    # The logs are written by a child, so that this process stays small: Linux keeps a process's peak
    # RSS across fork and exec, and each `bloqr detect` below starts as a fork of this one.
    subprocess.run([sys.executable, __file__, "--write", "--size-gb", str(args.size_gb),
                    *(["--gzip"] if args.gzip else []), *(["--regenerate"] if args.regenerate else [])], check=True)
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"(this benchmark process: {baseline:.0f} MB peak RSS, the floor of the figures below)")
    print(f"{'log':10} {'size':>10} {'wall s':>8} {'MB/s':>8} {'peak RSS MB':>12} {'stdout bytes':>13}")
    for name, path in files.items():
        size = os.stat(path).st_size
        r = run(path)
        print(f"{name:10} {size / 2**20:>8.0f}MB {r['wall']:>8.1f} {size / 2**20 / r['wall']:>8.1f} "
              f"{r['peak_mb']:>12.0f} {r['out_bytes']:>13,}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
