"""Filter-list workflow timings, printed (nothing is asserted about speed):

1. compile: a compiled_filter_lists partition over all seven shared lists, cold and then unchanged
   (the lists come from a local HTTP server with ETags, so the second run gets 304s);
2. batch: 6 partitions, at most 3 runs at a time, each run in its own process on one instance (what
   a backfill does, without the daemon's scheduling intervals);
3. retry CPU: one offline compile whose source fails once, with the real 30 s retry backoff, under
   the in-process executor (compile_job) and the multiprocess one: wall and CPU time.

    .venv/bin/python benchmarks/workflows.py [--lists ../shared/data/filterlists] [--skip-retry]
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import os
import resource
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LISTS = ("easylist", "easyprivacy", "adguard_base", "adguard_tracking_protection", "peter_lowe",
         "stevenblack_hosts", "adaway_hosts")
TRANSFORMS = ["RemoveComments", "Compress", "Validate", "Deduplicate", "RemoveEmptyLines", "TrimLines",
              "InsertFinalNewLine"]


def serve(folder: Path) -> tuple[ThreadingHTTPServer, str]:
    """The lists with ETags (304 for a matching If-None-Match); /flaky.txt fails once, then serves."""
    bodies = {f"/{name}.txt": (folder / f"{name}.txt").read_bytes() for name in LISTS}
    bodies["/flaky.txt"] = b"||a.example^\n||b.example^\n" * 100
    etags = {path: '"' + hashlib.sha256(body).hexdigest()[:16] + '"' for path, body in bodies.items()}
    flaky = {"left": 0}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def reply(self, status: int, body: bytes = b"", etag: str | None = None) -> None:
            self.send_response(status)
            if etag:
                self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            body, etag = bodies.get(self.path), etags.get(self.path)
            if self.path == "/flaky.txt" and flaky["left"] > 0:
                flaky["left"] -= 1
                return self.reply(500, b"temporarily broken")
            if body is None:
                return self.reply(404)
            if self.headers.get("If-None-Match") == etag:
                return self.reply(304, etag=etag)
            self.reply(200, body, etag)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.flaky = flaky  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def defs_for(home: str, **settings):  # noqa: ANN201 - dg.Definitions
    import warnings

    import dagster as dg

    from bloqr_dagster.defs.filterlists import MODULES
    from bloqr_dagster.defs.filterlists.resources import RESOURCE_KEY, FilterListsResource
    from bloqr_dagster.defs.resources import BloqrHome

    resource = FilterListsResource(home=BloqrHome(home=home), seed_defaults=False, **settings)
    modules = [__import__(f"bloqr_dagster.defs.filterlists.{m}", fromlist=["_"]) for m in MODULES]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", dg.PreviewWarning)
        return dg.load_definitions_from_modules(modules, resources={RESOURCE_KEY: resource})


def register(home: str, instance, configs: dict[str, dict]) -> None:  # noqa: ANN001
    from bloqr_dagster.defs.filterlists.partitions import sync_partitions
    from bloqr_dagster.filterlists.registry import Registry

    registry = Registry(Path(home) / "state.sqlite")
    for key, configuration in configs.items():
        registry.add_config(key, configuration)
    sync_partitions(instance, registry)


def steps(instance, run_id: str, workflow: str = "compile") -> str:  # noqa: ANN001
    """Step durations, read back the way workflow_metrics reads them: from Dagster's run records."""
    from bloqr_dagster.defs.filterlists.run_history import run_rows

    _, rows = run_rows(instance, instance.get_run_record_by_id(run_id), workflow)
    return ", ".join(f"{r['step_key'].rsplit('.', 1)[-1]} {r['duration_s']:.2f}s" for r in rows if r["duration_s"])


def one_partition(home: str, partition: str) -> tuple[str, float, int, bool]:
    """A batch member: one compile_job run in this (worker) process, on the shared instance."""
    import dagster as dg

    started = time.perf_counter()
    with dg.DagsterInstance.get() as instance:
        result = defs_for(home).resolve_job_def("compile_job").execute_in_process(
            instance=instance, partition_key=partition,
            run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}})
    [event] = result.get_asset_materialization_events()
    meta = event.materialization.metadata
    return partition, time.perf_counter() - started, meta["rule_count"].value, meta["cache_hit"].value


def cpu_seconds() -> tuple[float, float]:
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, children.ru_utime + children.ru_stime


def in_process_job():  # noqa: ANN201 - module level, for dg.reconstructable
    return defs_for(os.environ["BLOQR_BENCH_HOME"]).resolve_job_def("compile_job")


def multiprocess_job():  # noqa: ANN201 - compile_job's selection, one process per step
    import dagster as dg

    job = dg.define_asset_job("compile_multiprocess", selection=[dg.AssetKey(["filterlists", "compiled_filter_lists"])],
                              executor_def=dg.multiprocess_executor)
    defs = defs_for(os.environ["BLOQR_BENCH_HOME"])
    return dg.Definitions.merge(defs, dg.Definitions(jobs=[job])).resolve_job_def("compile_multiprocess")


def retry_cpu(server, base: str, executor: str) -> None:
    import dagster as dg

    with tempfile.TemporaryDirectory(prefix="bloqr-bench-") as home, dg.instance_for_test() as instance:
        os.environ["BLOQR_BENCH_HOME"] = home
        register(home, instance, {"flaky": {"name": "flaky", "sources": [{"source": f"{base}/flaky.txt"}]}})
        server.flaky["left"] = 1
        run_config = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
        job = dg.reconstructable(in_process_job if executor == "in_process" else multiprocess_job)
        wall, (me, children) = time.perf_counter(), cpu_seconds()
        with dg.execute_job(job, instance, run_config=run_config, tags={"dagster/partition": "flaky"},
                            asset_selection=[dg.AssetKey(["filterlists", "compiled_filter_lists"])]) as result:
            ok, run_id = result.success, result.run_id
        wall, (me2, children2) = time.perf_counter() - wall, cpu_seconds()
        print(f"  {executor:>12}: success={ok}, {wall:5.1f} s wall (one retry after the 30 s backoff), CPU "
              f"{me2 - me:4.1f} s in the run's process + {children2 - children:4.1f} s in child processes")
        print(f"                {steps(instance, run_id)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lists", type=Path, default=ROOT.parent / "shared" / "data" / "filterlists")
    parser.add_argument("--skip-retry", action="store_true", help="skip the retry CPU measurement (~70 s)")
    args = parser.parse_args()
    if not all((args.lists / f"{n}.txt").is_file() for n in LISTS):
        print(f"missing lists in {args.lists}", file=sys.stderr)
        return 1

    import dagster as dg

    server, base = serve(args.lists)
    quiet = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
    with tempfile.TemporaryDirectory(prefix="bloqr-bench-") as tmp:
        home, dagster_home = f"{tmp}/home", Path(tmp) / "dagster_home"
        dagster_home.mkdir()
        (dagster_home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
        os.environ["DAGSTER_HOME"] = str(dagster_home)
        with dg.DagsterInstance.get() as instance:
            configs = {"all_seven": {"name": "All seven lists", "transformations": TRANSFORMS, "sources": [
                {"name": n, "source": f"{base}/{n}.txt"} for n in LISTS]}}
            configs |= {f"batch_{n}": {"name": f"Batch {n}", "sources": [{"source": f"{base}/{n}.txt"}],
                                       "transformations": TRANSFORMS} for n in LISTS[:6]}
            register(home, instance, configs)
            job = defs_for(home).resolve_job_def("compile_job")
            size = sum((args.lists / f"{n}.txt").stat().st_size for n in LISTS) / 1e6
            print(f"compile: compiled_filter_lists[all_seven], the seven shared lists ({size:.1f} MB)")
            for label in ("cold", "unchanged"):
                started = time.perf_counter()
                result = job.execute_in_process(instance=instance, partition_key="all_seven", run_config=quiet)
                wall = time.perf_counter() - started
                meta = {k: v.value for k, v in result.get_asset_materialization_events()[0]
                        .materialization.metadata.items()}
                print(f"  {label:>9}: {wall:6.2f} s wall, cache_hit={meta['cache_hit']}, rules={meta['rule_count']}, "
                      f"304s={meta['sources_not_modified']}")
                print(f"             steps: {steps(instance, result.run_id)}")
                print(f"             in compile_sources: download/check {meta['load_seconds']:.2f} s, "
                      f"compile {meta['compile_seconds']:.2f} s (the rest: the compile process and the event log)")

        batch = [f"batch_{n}" for n in LISTS[:6]]
        started = time.perf_counter()
        with ProcessPoolExecutor(max_workers=3, mp_context=multiprocessing.get_context("spawn")) as pool:
            done = list(pool.map(one_partition, [home] * len(batch), batch))
        wall = time.perf_counter() - started
        print(f"batch: 6 partitions, at most 3 runs at a time, one process per run: {wall:.2f} s wall")
        for partition, seconds, rules, hit in done:
            print(f"  {partition:<36} {rules:>8} rules  {seconds:6.2f} s  cache_hit={hit}")

    if not args.skip_retry:
        print("retry CPU: an offline compile whose source answers 500 once (retry_delay 30 s, +-25 %)")
        for executor in ("in_process", "multiprocess"):
            retry_cpu(server, base, executor)
    server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
