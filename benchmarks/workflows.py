"""Filter-list workflow timings: compile_job over all seven shared lists cold, then cached, and a
batch of 6 configurations. The lists are served by a local HTTP server with ETags (so the cached
run gets 304s). Prints wall and per-step times; asserts nothing about speed.

    .venv/bin/python benchmarks/workflows.py [--lists ../shared/data/filterlists]
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LISTS = ("easylist", "easyprivacy", "adguard_base", "adguard_tracking_protection", "peter_lowe",
         "stevenblack_hosts", "adaway_hosts")
TRANSFORMS = ["RemoveComments", "Compress", "Validate", "Deduplicate", "RemoveEmptyLines", "TrimLines",
              "InsertFinalNewLine"]


def serve(folder: Path) -> tuple[ThreadingHTTPServer, str]:
    bodies = {f"/{name}.txt": (folder / f"{name}.txt").read_bytes() for name in LISTS}
    etags = {path: '"' + hashlib.sha256(body).hexdigest()[:16] + '"' for path, body in bodies.items()}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            body, etag = bodies.get(self.path), etags.get(self.path)
            if body is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def step_times(instance, run_id: str) -> str:
    stats = instance.get_run_step_stats(run_id)
    return ", ".join(f"{s.step_key} {s.end_time - s.start_time:.2f}s" for s in stats if s.end_time)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lists", type=Path, default=ROOT.parent / "shared" / "data" / "filterlists")
    args = parser.parse_args()
    if not all((args.lists / f"{n}.txt").is_file() for n in LISTS):
        print(f"missing lists in {args.lists}", file=sys.stderr)
        return 1

    import dagster as dg

    from bloqr_dagster.defs.filterlists import build_defs
    from bloqr_dagster.defs.filterlists.resources import FilterListsResource
    from bloqr_dagster.defs.resources import BloqrHome

    server, base = serve(args.lists)
    with tempfile.TemporaryDirectory(prefix="bloqr-bench-") as home, dg.instance_for_test() as instance:
        defs = build_defs(FilterListsResource(home=BloqrHome(home=home), seed_defaults=False), 0.0)
        all_seven = {"name": "All seven lists", "sources": [{"name": n, "source": f"{base}/{n}.txt"} for n in LISTS],
                     "transformations": TRANSFORMS}
        compile_job = defs.get_job_def("compile_job")
        print(f"compile_job, all seven shared lists ({sum((args.lists / f'{n}.txt').stat().st_size for n in LISTS) / 1e6:.1f} MB)")
        for label in ("cold", "cached"):
            started = time.perf_counter()
            result = compile_job.execute_in_process(
                {"ops": {"validate": {"config": {"configuration": all_seven}}}}, instance=instance)
            wall = time.perf_counter() - started
            out = result.output_for_node("update_metrics")
            print(f"  {label:>6}: {wall:6.2f} s wall, cache_hit={out['cache_hit']}, rules={out['rule_count']}, "
                  f"304s={out['sources_not_modified']}")
            print(f"          steps: {step_times(instance, result.run_id)}")
            meta = next(e.event_specific_data.metadata for e in result.all_events
                        if e.event_type_value == "STEP_OUTPUT" and e.step_key == "compile_sources")
            print(f"          inside compile_sources: download/check {meta['load_seconds'].value:.2f} s, "
                  f"compile {meta['compile_seconds'].value:.2f} s (the rest is Dagster's event log)")

        requests = [{"id": n, "configuration": {"name": f"Batch {n}", "sources": [{"source": f"{base}/{n}.txt"}],
                                                "transformations": TRANSFORMS}} for n in LISTS[:6]]
        started = time.perf_counter()
        result = defs.get_job_def("batch_compile_job").execute_in_process(
            {"ops": {"validate_batch": {"config": {"requests": requests}}}}, instance=instance)
        wall = time.perf_counter() - started
        summary = result.output_for_node("update_batch_metrics")
        print(f"batch_compile_job, 6 configurations (2 chunks of 3): {wall:.2f} s wall, "
              f"{len(summary['succeeded'])} ok, {len(summary['failed'])} failed")
        for r in summary["results"]:
            print(f"  {r['id']:<28} {r.get('rule_count', 0):>8} rules  {r['seconds']:6.2f} s  "
                  f"cache_hit={r.get('cache_hit')}")
        print(f"          steps: {step_times(instance, result.run_id)}")
    server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
