"""Executor benchmark: the same build-error backfill from the UI path and from `bloqr backfill`,
under the in-process and the multiprocess executor, plus the CPU a RetryPolicy delay costs.

    .venv/bin/python benchmarks/backfill_executors.py                  # 20 ranges, both executors
    .venv/bin/python benchmarks/backfill_executors.py --paths ui --executors multiprocess

For each executor (BLOQR_EXECUTOR, which sets the code location's default executor) and each path,
on a fresh DAGSTER_HOME over the same generated store:
- ui:  a webserver and a daemon, then the `launchPartitionBackfill` mutation exactly as the UI's
       "Launch backfill" sends it (no run config: the location's default executor applies);
- cli: `bloqr backfill --from-build-id 0 --to-build-id MAX` (which starts its own webserver and
       daemon and launches through the same mutation).
It prints the wall time from launch to "backfill complete" and to the last run's end, and the CPU
seconds of the whole process tree (webserver, daemon, code servers, run workers, step processes;
sampled from /proc). The retry probe runs a one-op job whose op fails once, under each executor, with a
RetryPolicy delay, and prints the CPU seconds spent while waiting. Prints figures only.
"""


import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import dagster as dg
from dagster import OpExecutionContext

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RETRY_DELAY_S = 20


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--ranges", type=int, default=20, help="build-ID ranges in the backfill")
    p.add_argument("--builds-per-range", type=int, default=1000, help="builds per range (= range width)")
    p.add_argument("--executors", nargs="+", default=["in_process", "multiprocess"])
    p.add_argument("--paths", nargs="+", default=["ui", "cli"], choices=["ui", "cli"])
    p.add_argument("--ranges-per-run", type=int, default=5, help="BLOQR_RANGES_PER_RUN")
    p.add_argument("--skip-retry-probe", action="store_true")
    p.add_argument("--retry-probe", choices=["in_process", "multiprocess"], help=argparse.SUPPRESS)
    return p.parse_args()


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class TreeCpu:
    """CPU seconds of every process descended from this one, sampled from /proc every 0.2 s.

    getrusage(RUSAGE_CHILDREN) misses Dagster's code servers and run workers: they are reaped by
    processes that exit before them. Sampling follows a process even once it is re-parented, and
    misses at most the last 0.2 s of each process (and processes shorter than that).
    """

    def __init__(self) -> None:
        self.cpu: dict[tuple[int, int], float] = {}  # (pid, start tick) -> utime + stime
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._tick = os.sysconf("SC_CLK_TCK")

    def _sample(self) -> None:
        stats = {}
        for path in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = path.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            # after the command's ")": state ppid ... utime(12) stime(13) ... starttime(20)
            stats[int(path.parent.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]), int(fields[19]))
        tracked = {pid for pid, _ in self.cpu} | {os.getpid()}
        changed = True
        while changed:  # descendants of this process, or of any process already tracked
            changed = False
            for pid, (ppid, _, _) in stats.items():
                if ppid in tracked and pid not in tracked:
                    tracked.add(pid)
                    changed = True
        for pid in tracked - {os.getpid()}:
            if pid in stats:
                _, ticks, start = stats[pid]
                self.cpu[(pid, start)] = ticks / self._tick

    def _loop(self) -> None:
        while not self._stop.wait(0.2):
            self._sample()

    def __enter__(self) -> "TreeCpu":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def seconds(self) -> float:
        return sum(self.cpu.values())


# -- the retry probe: one op that fails once, then succeeds after the RetryPolicy delay ----------

@dg.op(retry_policy=dg.RetryPolicy(max_retries=1, delay=RETRY_DELAY_S))
def flaky(context: OpExecutionContext) -> int:
    if context.retry_number == 0:
        raise RuntimeError("transient failure (first attempt)")
    return 1


@dg.job
def flaky_job() -> None:
    flaky()


def retry_probe(executor: str) -> None:
    """Run flaky_job once under `executor` on an ephemeral instance; print this tree's CPU."""
    config = {"execution": {"config": {executor: {}}}}
    with tempfile.TemporaryDirectory() as home, dg.DagsterInstance.local_temp(home) as instance:
        started = time.perf_counter()
        result = dg.execute_job(dg.reconstructable(flaky_job), instance=instance, run_config=config)
        wall = time.perf_counter() - started
    own = resource.getrusage(resource.RUSAGE_SELF)
    cpu = own.ru_utime + own.ru_stime + children_cpu()
    print(f"{executor}: success={result.success} wall {wall:.1f}s cpu {cpu:.1f}s")


def run_retry_probes() -> None:
    print(f"\nretry probe: one op fails once, RetryPolicy(delay={RETRY_DELAY_S}s), dg.execute_job")
    for executor in ("in_process", "multiprocess"):
        out = subprocess.run([sys.executable, __file__, "--retry-probe", executor], capture_output=True,
                             text=True, timeout=600, cwd=ROOT)
        line = (out.stdout.strip().splitlines() or [out.stderr.strip()[-300:]])[-1]
        print(f"  {line}", flush=True)


# -- the backfill paths ------------------------------------------------------------------------

def make_corpus(work: Path, builds: int) -> Path:
    from bloqr_dagster.build_errors.generator import generate
    from bloqr_dagster.build_errors.stores import open_store

    path = work / "corpus.sqlite"
    with open_store(f"sqlite:///{path}") as store:
        report = generate(store, builds, seed=11, start_id=0)
    print(f"corpus: {builds:,} builds, {report.failed:,} failed", flush=True)
    return path


def fresh_homes(work: Path, corpus: Path, label: str) -> dict[str, str]:
    base = work / label
    shutil.rmtree(base, ignore_errors=True)
    (base / "dagster_home").mkdir(parents=True)
    (base / "bloqr").mkdir()
    shutil.copy(ROOT / "dagster.yaml", base / "dagster_home" / "dagster.yaml")
    shutil.copy(corpus, base / "bloqr" / "builds.sqlite")
    return {"DAGSTER_HOME": str(base / "dagster_home"), "BLOQR_HOME": str(base / "bloqr")}


def run_figures(instance, backfill_id: str) -> tuple[int, float]:
    runs = instance.get_runs(filters=dg.RunsFilter.for_backfill(backfill_id))
    ends = [s.end_time for s in (instance.get_run_stats(r.run_id) for r in runs) if s.end_time]
    return len(runs), max(ends) if ends else float("nan")


def ui_path(max_id: int, width: int) -> str:
    """Webserver + daemon, then the UI's launchPartitionBackfill; returns the backfill id."""
    from bloqr_dagster.cli import dagster_services as services
    from bloqr_dagster.cli.webserver_api import Webserver
    from bloqr_dagster.defs.build_errors import backfill as bf
    from bloqr_dagster.defs.build_errors.partitions import ranges_to_register, register_ranges

    workspace = ROOT / "workspace.yaml"
    with dg.DagsterInstance.get() as instance, open(Path(instance.root_directory) / "services.log", "ab") as log:
        register_ranges(instance, ranges_to_register(-1, max_id, width))
        keys = list(instance.get_dynamic_partitions("build_id_ranges"))
        port = services.free_port()
        web_proc = services.start_webserver(workspace, port, log)
        try:
            web = Webserver(f"http://127.0.0.1:{port}")
            web.wait_until_loaded("bloqr_dagster", 600, alive=lambda: web_proc.poll() is None)
            daemon = services.start_daemon(workspace, log)
            try:
                backfill_id = web.launch_backfill(keys, [k.path for k in bf.ASSET_KEYS], title="ui path",
                                                  description="benchmarks/backfill_executors.py", tags={})
                while bf.status_of(instance.get_backfill(backfill_id)) in bf.ACTIVE_STATUSES:
                    time.sleep(1)
            finally:
                services.stop(daemon)
        finally:
            services.stop(web_proc)
    return backfill_id


def cli_path(max_id: int) -> str:
    out = subprocess.run([str(Path(sys.executable).parent / "bloqr"), "backfill", "--from-build-id", "0",
                          "--to-build-id", str(max_id)], capture_output=True, text=True, cwd=ROOT, timeout=3600)
    if out.returncode:
        raise SystemExit(f"bloqr backfill failed:\n{out.stdout}{out.stderr}")
    with dg.DagsterInstance.get() as instance:
        (backfill,) = instance.get_backfills()
    return backfill.backfill_id


def measure(path: str, executor: str, work: Path, corpus: Path, max_id: int, width: int) -> dict:
    env_before = dict(os.environ)
    os.environ.update(fresh_homes(work, corpus, f"{path}-{executor}"))
    os.environ.update({"BLOQR_EXECUTOR": executor, "BLOQR_RANGE_WIDTH": str(width)})
    try:
        wall0 = time.perf_counter()
        with TreeCpu() as tree:
            backfill_id = ui_path(max_id, width) if path == "ui" else cli_path(max_id)
            wall = time.perf_counter() - wall0
            time.sleep(1)  # the last samples of processes that are still shutting down
        cpu = tree.seconds
        with dg.DagsterInstance.get() as instance:
            backfill = instance.get_backfill(backfill_id)
            runs, last_end = run_figures(instance, backfill_id)
            launched = backfill.backfill_timestamp
            complete = getattr(backfill, "backfill_end_timestamp", None) or float("nan")
        return {"path": path, "executor": executor, "status": backfill.status.value, "runs": runs,
                "wall": wall, "to_last_run_end": last_end - launched, "to_complete": complete - launched,
                "cpu": cpu}
    finally:
        os.environ.clear()
        os.environ.update(env_before)


def main() -> None:
    args = parse_args()
    if args.retry_probe:
        retry_probe(args.retry_probe)
        return
    width = args.builds_per_range
    max_id = args.ranges * width - 1
    with tempfile.TemporaryDirectory(prefix="bloqr-exec-bench-") as tmp:
        work = Path(tmp)
        corpus = make_corpus(work, args.ranges * width)
        os.environ["BLOQR_RANGES_PER_RUN"] = str(args.ranges_per_run)
        os.environ.pop("BLOQR_BUILD_STORE", None)
        print(f"{args.ranges} ranges of {width:,} ids, {args.ranges_per_run} ranges per run, "
              f"{os.cpu_count()} CPUs", flush=True)
        rows = []
        for executor in args.executors:
            for path in args.paths:
                row = measure(path, executor, work, corpus, max_id, width)
                rows.append(row)
                print(f"  {path:3} {executor:12} {row['status']:17} {row['runs']} runs  "
                      f"launch->last run end {row['to_last_run_end']:6.1f}s  "
                      f"launch->complete {row['to_complete']:6.1f}s  total wall {row['wall']:6.1f}s  "
                      f"cpu {row['cpu']:6.1f}s", flush=True)
        print("\n| path | executor | runs | launch -> last run end | launch -> backfill complete | "
              "wall incl. start-up | CPU (process tree) |")
        print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
        for r in rows:
            print(f"| {r['path']} | {r['executor']} | {r['runs']} | {r['to_last_run_end']:.1f} s | "
                  f"{r['to_complete']:.1f} s | {r['wall']:.1f} s | {r['cpu']:.1f} s |")
    if not args.skip_retry_probe:
        run_retry_probes()


if __name__ == "__main__":
    main()
