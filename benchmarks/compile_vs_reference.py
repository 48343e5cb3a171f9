"""`bloqr compile` against AdGuard hostlist-compiler 2.1.1, side by side, on the reference configurations.

    .venv/bin/python benchmarks/compile_vs_reference.py            # all four configurations
    .venv/bin/python benchmarks/compile_vs_reference.py --only easylist_full --repeat 3

Installs the reference into benchmarks/.reference/ (git-ignored; reused when present) with the
recipe of the reference README (an npm override for a dependency the registry lacks), runs both
command lines as fresh processes with the filter-list folder as working directory, checks that the
outputs are identical once the `! Last modified:` and `! Compiled by` lines are dropped, and prints
wall times (whole process, interpreter start-up included), the speed-up and peak RSS.

`--write-cases FILE` instead runs the reference's transformations over the edge-case lines of
tests/filterlists/reference_cases_input.txt and writes their outputs, the fixture that
tests/filterlists/test_conformance.py compares bloqr with.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCE_DIR = ROOT / "benchmarks" / ".reference"
SHARED = ROOT.parent / "shared"
REFERENCE_PACKAGE = {
    "name": "hlc-reference",
    "version": "1.0.0",
    "private": True,
    "dependencies": {"@adguard/hostlist-compiler": "2.1.1"},
    "overrides": {"@adguard/diff-builder": "1.1.7"},
}
DROPPED_PREFIXES = ("! Last modified: ", "! Compiled by ")
TIME = Path("/usr/bin/time")
TRANSFORMATION_MODULES = {
    "RemoveComments": "remove-comments",
    "Compress": "compress",
    "RemoveModifiers": "remove-modifiers",
    "Validate": "validate#validate",
    "ValidateAllowIp": "validate-allow-ip#validateAllowIp",
    "ValidateAllowPublicSuffix": "validate-allow-public-suffix#validateAllowPublicSuffix",
    "ValidateAllowIpAndPublicSuffix": "validate-allow-ip-and-public-suffix#validateAllowIpAndPublicSuffix",
    "Deduplicate": "deduplicate",
    "InvertAllow": "invertallow",
    "RemoveEmptyLines": "remove-empty-lines",
    "TrimLines": "trim-lines",
    "InsertFinalNewLine": "insert-final-newline",
    "ConvertToAscii": "covert-to-ascii",
}
# Runs each case through the reference's own transformation functions (stdin/stdout JSON).
CASES_SCRIPT = r"""
const base = process.argv[1] + '/node_modules/@adguard/hostlist-compiler/src/';
require(process.argv[1] + '/node_modules/consola').level = -999;
const modules = JSON.parse(process.argv[2]);
const fns = {};
for (const [name, spec] of Object.entries(modules)) {
  const [file, member] = spec.split('#');
  const mod = require(base + 'transformations/' + file);
  fns[name] = member ? mod[member] : mod;
}
const { Wildcard } = require(base + 'utils');
let input = '';
process.stdin.on('data', (d) => { input += d; });
process.stdin.on('end', () => {
  const out = JSON.parse(input).map((c) => {
    try {
      if (c.wildcard !== undefined) return { ...c, output: c.lines.map((l) => new Wildcard(c.wildcard).test(l)) };
      return { ...c, output: fns[c.transformation]([...c.lines]) };
    } catch (e) {
      return { ...c, error: String(e) };
    }
  });
  process.stdout.write(JSON.stringify(out, null, 1));
});
"""


def ensure_reference() -> Path:
    cli = REFERENCE_DIR / "node_modules" / "@adguard" / "hostlist-compiler" / "src" / "cli.js"
    if cli.is_file():
        return cli
    if shutil.which("npm") is None:
        sys.exit("npm is needed to install the reference compiler")
    REFERENCE_DIR.mkdir(parents=True, exist_ok=True)
    (REFERENCE_DIR / "package.json").write_text(json.dumps(REFERENCE_PACKAGE, indent=2) + "\n")
    print(f"installing @adguard/hostlist-compiler 2.1.1 into {REFERENCE_DIR} ...", file=sys.stderr)
    subprocess.run(["npm", "install", "--no-audit", "--no-fund"], cwd=REFERENCE_DIR, check=True)
    return cli


def run_measured(command: list[str], cwd: Path) -> tuple[float, int]:
    """(wall seconds, peak RSS in MiB) of one fresh process.

    Peak RSS comes from GNU time when present: a child forked from this (large) process would
    otherwise report this process's memory as its own high-water mark.
    """
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss_file:
        wrapped = ["/usr/bin/time", "-f", "%M", "-o", rss_file.name, *command] if TIME.is_file() else command
        started = time.perf_counter()
        proc = subprocess.run(wrapped, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
        seconds = time.perf_counter() - started
        if proc.returncode != 0:
            sys.exit(f"{' '.join(command)} failed ({proc.returncode}):\n{proc.stderr.decode(errors='replace')[-2000:]}")
        text = rss_file.read().strip()
    return seconds, int(text.splitlines()[-1]) // 1024 if text else -1


def comparable(path: Path) -> list[str]:
    return [line for line in path.read_text("utf-8").split("\n") if not line.startswith(DROPPED_PREFIXES)]


def benchmark(args: argparse.Namespace) -> int:
    configs_dir = args.shared / "reference" / "hostlist-compiler" / "configs"
    lists_dir = args.shared / "data" / "filterlists"
    names = args.only or sorted(p.stem for p in configs_dir.glob("*.json"))
    cli = ensure_reference()
    bloqr = ROOT / ".venv" / "bin" / "bloqr"
    rows = []
    with tempfile.TemporaryDirectory(prefix="bloqr-bench-") as tmp:
        for name in names:
            config = configs_dir / f"{name}.json"
            ref_out, our_out = Path(tmp) / f"{name}.reference.txt", Path(tmp) / f"{name}.bloqr.txt"
            ref_runs = [run_measured(["node", str(cli), "-c", str(config), "-o", str(ref_out)], lists_dir)
                        for _ in range(args.repeat)]
            our_runs = [run_measured([str(bloqr), "compile", "-c", str(config), "-o", str(our_out)], lists_dir)
                        for _ in range(args.repeat)]
            same = comparable(ref_out) == comparable(our_out)
            ref_s, ours_s = min(r[0] for r in ref_runs), min(r[0] for r in our_runs)
            rows.append((name, ref_s, ours_s, ref_s / ours_s, max(r[1] for r in our_runs),
                         max(r[1] for r in ref_runs), "identical" if same else "DIFFERENT"))
            print(f"{name}: reference {ref_s:.2f} s, bloqr {ours_s:.2f} s, outputs {rows[-1][-1]}",
                  file=sys.stderr, flush=True)
    header = f"{'config':<15} {'reference s':>11} {'bloqr s':>8} {'speed-up':>8} {'bloqr RSS':>10} " \
             f"{'ref RSS':>8}  output"
    print(f"\n{header}\n{'-' * len(header)}")
    for name, ref_s, ours_s, ratio, rss, ref_rss, same in rows:
        print(f"{name:<15} {ref_s:>11.2f} {ours_s:>8.2f} {ratio:>7.1f}x {rss:>6} MiB {ref_rss:>4} MiB  {same}")
    print(f"\nwall time of a fresh process each (best of {args.repeat}); {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f} at the end")
    return 0 if all(row[-1] == "identical" for row in rows) else 1


def write_cases(target: Path) -> int:
    """Run the reference's transformations over the edge-case lines, each alone and all together."""
    source = ROOT / "tests" / "filterlists" / "reference_cases_input.txt"
    lines = source.read_text("utf-8").split("\n")
    lines = [line for line in lines if not line.startswith("//")]  # `//` lines annotate the file
    cases: list[dict[str, object]] = []
    for transformation in TRANSFORMATION_MODULES:
        cases.append({"transformation": transformation, "lines": lines})
        cases += [{"transformation": transformation, "lines": [line]} for line in lines]
    for wildcard in ("*example.org*", "*.example.org", "example", "/^\\|\\|ads?\\./", "/ADS/", "EXAMPLE", "a*b*c"):
        cases.append({"wildcard": wildcard, "lines": lines})
    cli = ensure_reference()
    del cli
    result = subprocess.run(
        ["node", "-e", CASES_SCRIPT, str(REFERENCE_DIR), json.dumps(TRANSFORMATION_MODULES)],
        input=json.dumps(cases), capture_output=True, text=True, check=True,
    )
    target.write_text(result.stdout + "\n", "utf-8")
    print(f"wrote {len(cases)} reference cases to {target}", file=sys.stderr)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=SHARED, help="the shared data folder (default: ../shared)")
    parser.add_argument("--only", action="append", metavar="CONFIG", help="a configuration name; repeatable")
    parser.add_argument("--repeat", type=int, default=1, help="fresh processes per side (best is shown)")
    parser.add_argument("--write-cases", type=Path, metavar="FILE", help="write the reference-cases fixture")
    args = parser.parse_args()
    if args.write_cases:
        return write_cases(args.write_cases)
    return benchmark(args)


if __name__ == "__main__":
    sys.exit(main())
