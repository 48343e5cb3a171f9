"""Peak memory of HttpFetcher against compressed bombs served by a local server.

Each bomb is a few KB on the wire and 1 GiB (or more) once decoded. Every fetch runs in a fresh
process, so the peak RSS printed is that download's alone; the 50 MiB cap must stop each one.

    .venv/bin/python benchmarks/decompression_bombs.py
"""

from __future__ import annotations

import gzip
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import brotli

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.filterlists.conftest import compressed_zeros as zeros  # noqa: E402

GiB = 1024**3
PROBE = """
import resource, sys, time
from bloqr_dagster.filterlists.fetch import FetchError, HttpFetcher
started = time.monotonic()
try:
    with HttpFetcher() as http:
        outcome = f"{len(http.fetch(sys.argv[1]).body)} bytes"
except FetchError as exc:
    outcome = exc.reason
print(f"{outcome}|{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}|{time.monotonic() - started:.2f}")
"""


def bombs() -> dict[str, tuple[str, bytes, int]]:
    """path -> (Content-Encoding, body, decoded size)."""
    return {
        "/gzip-gzip": ("gzip, gzip", gzip.compress(zeros("gzip", GiB), 9), GiB),
        "/gzip-gzip-gzip": ("gzip, gzip, gzip", gzip.compress(gzip.compress(zeros("gzip", 4 * GiB), 9), 9), 4 * GiB),
        "/br": ("br", zeros("br", GiB), GiB),
        "/gzip-br": ("gzip, br", brotli.compress(zeros("gzip", GiB)), GiB),
        "/deflate": ("deflate", zeros("deflate", GiB), GiB),
    }


def main() -> int:
    served = bombs()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            encoding, body, _ = served[self.path]
            self.send_response(200)
            self.send_header("Content-Encoding", encoding)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        print(f"{'Content-Encoding':<18} {'on the wire':>12} {'decoded':>9}  {'peak RSS':>9} {'seconds':>8}  outcome")
        for path, (encoding, body, decoded) in served.items():
            url = f"http://127.0.0.1:{server.server_address[1]}{path}"
            done = subprocess.run([sys.executable, "-c", PROBE, url], capture_output=True, text=True, cwd=ROOT,
                                  timeout=600, check=True)
            outcome, rss, seconds = done.stdout.strip().split("|")
            print(f"{encoding:<18} {len(body):>10} B {decoded // GiB:>5} GiB  {rss:>5} MiB {seconds:>8}  {outcome}")
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
