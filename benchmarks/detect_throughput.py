"""Detection throughput: scan every failed build's log from each build store and diagnose it.

    .venv/bin/python benchmarks/detect_throughput.py                       # 100,000 failed builds
    .venv/bin/python benchmarks/detect_throughput.py --sizes 10000,100000,1000000 --stores sqlite
    .venv/bin/python benchmarks/detect_throughput.py --failed 10000 --postgres postgresql://postgres@127.0.0.1:5432/test

For each corpus size it generates builds (seed 0) until N of them failed (about 3.7 builds per
failure, so 100,000 failed means ~370,000 builds), writing the same builds into an embedded
SQLite store under benchmarks/.work/ and into a PostgreSQL database `bloqr_bench_<N>` that it
creates on the --postgres server. Corpora are reused on the next run (--regenerate to rebuild).

Each scan runs in a fresh process, so its peak RSS (getrusage) is the scan's own; RSS is also
sampled every 2,000 builds to show it stays flat. Modes: `store` = stream_logs only, `detect` =
stream_logs + detectors.diagnose on every failed build. --processes 1,2 also splits the range
over two scanning processes (wall-clock throughput; RSS is per process). The summary also gives
failed builds per CPU second of one scanning process (steadier than wall clock on a shared machine)
and the load average.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import sys
import time
from pathlib import Path
from queue import Empty

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

WORK = ROOT / "benchmarks" / ".work" / "detect_throughput"
SEED = 0
PAGE = os.sysconf("SC_PAGE_SIZE")


def _rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * PAGE / 2**20


# -- corpus ------------------------------------------------------------------------------------
def _pg_database(admin_dsn: str, name: str, *, recreate: bool) -> str:
    import psycopg2

    conn = psycopg2.connect(admin_dsn, connect_timeout=10)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        exists = cur.fetchone() is not None
        if exists and recreate:
            cur.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = False
        if not exists:
            cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    return admin_dsn.rsplit("/", 1)[0] + f"/{name}"


def build_corpus(failed: int, urls: dict[str, str], regenerate: bool) -> dict:
    """Write builds into every store until `failed` of them failed; reuse a finished corpus."""
    from bloqr_dagster.build_errors.generator import iter_builds
    from bloqr_dagster.build_errors.stores import open_store

    marker = WORK / f"corpus-{failed}.json"
    if marker.exists() and not regenerate:
        meta = json.loads(marker.read_text())
        if all(meta.get("stores", {}).get(k) == v for k, v in urls.items()):
            return meta
    stores = {name: open_store(url) for name, url in urls.items()}
    meta = {"failed": failed, "seed": SEED, "stores": {}}
    timings = {name: 0.0 for name in stores}
    started = time.perf_counter()
    n_builds = lines = n_failed = 0
    batch = []

    def flush() -> None:
        builds = [g.build for g in batch]
        logs = {g.build.build_id: g.log for g in batch}
        for name, store in stores.items():
            t = time.perf_counter()
            store.insert(builds, logs)
            timings[name] += time.perf_counter() - t
        batch.clear()

    for g in iter_builds(None, seed=SEED, start_id=1, days=max(30, failed / 3000)):
        batch.append(g)
        n_builds += 1
        lines += len(g.log)
        if g.build.status == "failure":
            n_failed += 1
        if len(batch) == 2000:
            flush()
            print(f"\r  corpus {failed:,}: {n_failed:,} failed / {n_builds:,} builds", end="", file=sys.stderr)
        if n_failed == failed:
            break
    flush()
    print(file=sys.stderr)
    for store in stores.values():
        store.close()
    meta.update(builds=n_builds, lines=lines, last_id=n_builds, stores=urls,
                insert_seconds=timings, total_seconds=time.perf_counter() - started)
    WORK.mkdir(parents=True, exist_ok=True)
    marker.write_text(json.dumps(meta, indent=1))
    return meta


# -- scanning ----------------------------------------------------------------------------------
def _scan(url: str, first: int, last: int, detect: bool, queue) -> None:
    from bloqr_dagster.build_errors.stores import open_store

    diagnose = None
    if detect:
        from bloqr_dagster.build_errors.detectors import diagnose
    samples = []
    builds = lines = categorised = 0
    with open_store(url, create=False) as store:
        started, cpu_started = time.perf_counter(), time.process_time()
        for _build_id, text in store.stream_logs(first, last):
            builds += 1
            lines += text.count("\n") + 1
            if diagnose is not None and diagnose(text).primary is not None:
                categorised += 1
            if builds % 2000 == 0:
                samples.append(_rss_mb())
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    queue.put({"builds": builds, "lines": lines, "seconds": seconds, "cpu": cpu, "categorised": categorised,
               "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "samples": samples})


# Scanners fork from a fork server started before the corpus is built: a process started by
# exec from this (large) one would inherit its peak RSS, as Linux keeps ru_maxrss across execve.
_CTX = multiprocessing.get_context("forkserver")


def scan(url: str, last_id: int, detect: bool, processes: int) -> dict:
    ctx = _CTX
    queue = ctx.Queue()
    bounds = [round(i * last_id / processes) for i in range(processes + 1)]
    procs = [ctx.Process(target=_scan, args=(url, bounds[i] + 1, bounds[i + 1], detect, queue))
             for i in range(processes)]
    started = time.perf_counter()
    for p in procs:
        p.start()
    parts = []
    while len(parts) < len(procs):
        try:
            parts.append(queue.get(timeout=5))
        except Empty:
            dead = [p.exitcode for p in procs if p.exitcode not in (None, 0)]
            if dead:
                raise SystemExit(f"a scanning process failed (exit codes {dead})") from None
    wall = time.perf_counter() - started
    for p in procs:
        p.join()
    samples = [s for part in parts for s in part["samples"]]
    return {
        "builds": sum(p["builds"] for p in parts), "lines": sum(p["lines"] for p in parts),
        "categorised": sum(p["categorised"] for p in parts),
        "seconds": max(p["seconds"] for p in parts), "cpu": max(p["cpu"] for p in parts), "wall": wall,
        "peak_rss_mb": max(p["peak_rss_mb"] for p in parts),
        "rss_first": samples[0] if samples else 0.0, "rss_last": samples[-1] if samples else 0.0,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--failed", type=int, default=100_000, help="failed builds in the corpus (default 100000)")
    parser.add_argument("--sizes", help="comma-separated corpus sizes (failed builds), overrides --failed")
    parser.add_argument("--stores", default="sqlite,postgres", help="which stores (default sqlite,postgres)")
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test",
                        help="server to create the bench databases on (via this database)")
    parser.add_argument("--modes", default="store,detect", help="store (stream only) and/or detect")
    parser.add_argument("--processes", default="1", help="comma-separated scanning process counts, e.g. 1,2")
    parser.add_argument("--regenerate", action="store_true", help="rebuild corpora even if present")
    args = parser.parse_args()
    _CTX.set_forkserver_preload(["bloqr_dagster.build_errors.stores.sqlite", "bloqr_dagster.build_errors.stores.postgres"])
    warm = _CTX.Process(target=_rss_mb)  # starts the small fork server now
    warm.start()
    warm.join()

    sizes = [int(s) for s in (args.sizes or str(args.failed)).split(",")]
    stores = [s.strip() for s in args.stores.split(",")]
    modes = [m.strip() for m in args.modes.split(",")]
    if "detect" in modes:
        try:
            import bloqr_dagster.build_errors.detectors  # noqa: F401
        except ImportError:
            print("detectors not importable yet: scanning the stores only", file=sys.stderr)
            modes = [m for m in modes if m != "detect"]
    rows = []
    for size in sizes:
        urls = {}
        if "sqlite" in stores:
            urls["sqlite"] = f"sqlite:///{WORK / f'builds-{size}.sqlite'}"
            if args.regenerate:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{WORK / f'builds-{size}.sqlite'}{suffix}").unlink(missing_ok=True)
        if "postgres" in stores:
            urls["postgres"] = _pg_database(args.postgres, f"bloqr_bench_{size}", recreate=args.regenerate)
        meta = build_corpus(size, urls, args.regenerate)
        print(f"corpus {size:,} failed: {meta['builds']:,} builds, {meta['lines']:,} log lines "
              f"(insert seconds {json.dumps({k: round(v, 1) for k, v in meta.get('insert_seconds', {}).items()})})",
              flush=True)
        for store in urls:
            for mode in modes:
                for procs in (int(p) for p in args.processes.split(",")):
                    r = scan(urls[store], meta["last_id"], mode == "detect", procs)
                    row = {"store": store, "failed": size, "mode": mode, "procs": procs, **r}
                    rows.append(row)
                    print(f"  {store:8} {mode:6} procs={procs}: {r['builds'] / r['seconds']:>9,.0f} failed builds/s "
                          f"{r['lines'] / r['seconds']:>12,.0f} lines/s  peak RSS {r['peak_rss_mb']:6.0f} MB  "
                          f"RSS first/last sample {r['rss_first']:.0f}/{r['rss_last']:.0f} MB"
                          + (f"  categorised {r['categorised'] / max(r['builds'], 1):.1%}" if mode == "detect" else ""),
                          flush=True)
    # per CPU second of the busiest scanning process: steadier than wall clock on a shared machine
    print(f"\nload average {os.getloadavg()[0]:.2f}")
    print("store     failed    mode   procs  failed builds/s     lines/s  per CPU s  peak RSS MB")
    for r in rows:
        print(f"{r['store']:8} {r['failed']:>8,} {r['mode']:6} {r['procs']:>5} {r['builds'] / r['seconds']:>16,.0f} "
              f"{r['lines'] / r['seconds']:>11,.0f} {r['builds'] / (r['procs'] * max(r['cpu'], 1e-9)):>10,.0f} "
              f"{r['peak_rss_mb']:>12.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
