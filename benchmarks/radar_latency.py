"""Regression radar latency: a build landing in the store -> the alert at the webhook, with the UI up.

1. `bloqr demo --builds N` fills a temporary BLOQR_HOME / DAGSTER_HOME (the baseline: 30 days);
2. `dagster dev` (webserver + daemon) runs the code location with BLOQR_ALERT_WEBHOOK pointing at a
   local HTTP server of this script;
3. once the daemon's sensors have ticked, 300 failed builds with an error group never seen before
   (generator.incident) are inserted into the build store, and the clock starts;
4. it stops at the first webhook POST about that group. Whatever carries the builds to the alert
   (today new_failures_sensor -> build_errors_job -> warehouse_after_build_errors_sensor ->
   warehouse_job with the radar checks -> radar_alert_sensor; or automation conditions) is not
   assumed: the script only inserts builds and waits;
5. (unless --no-restart) `dagster dev` is stopped and started again over the same homes, and after
   three alert-sensor intervals the script counts alerts received twice (de-duplication).

    .venv/bin/python benchmarks/radar_latency.py [--builds 10000] [--incident 300] [--timeout 600]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
MESSAGE = "✘ [ERROR] Build image v9 lost its TLS roots: certificate store missing at build step 3"
MARKER = "lost its TLS roots"


class Hook:
    """A webhook receiver on 127.0.0.1 that records (arrival time, payload)."""

    def __init__(self) -> None:
        self.received: list[tuple[float, dict]] = []
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                hook.received.append((time.monotonic(), json.loads(body)))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def about_incident(self) -> list[tuple[float, dict]]:
        return [(t, p) for t, p in self.received if MARKER in json.dumps(p, ensure_ascii=False)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_ui(env: dict[str, str], log: Path) -> subprocess.Popen:
    cmd = [str(BIN / "dagster"), "dev", "-h", "127.0.0.1", "-p", str(free_port()), "-w", str(ROOT / "workspace.yaml")]
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT,
                            start_new_session=True)


def stop_ui(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def wait_for_sensor_ticks(env: dict[str, str], names: tuple[str, ...], timeout: float, after: float = 0.0) -> float:
    """Seconds until every named sensor has evaluated on this instance (since the epoch time `after`)."""
    import dagster as dg

    started = time.monotonic()
    os.environ["DAGSTER_HOME"] = env["DAGSTER_HOME"]
    while time.monotonic() - started < timeout:
        with dg.DagsterInstance.get() as instance:
            ticked = {state.instigator_name for state in instance.all_instigator_state()
                      for tick in instance.get_ticks(state.instigator_origin_id, state.selector_id, limit=1)
                      if tick.timestamp > after}
        if set(names) <= ticked:
            return time.monotonic() - started
        time.sleep(2)
    raise SystemExit(f"sensors {names} did not tick within {timeout:.0f}s (see the dagster dev log)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--builds", type=int, default=10_000, help="demo builds before the incident")
    parser.add_argument("--incident", type=int, default=300, help="failed builds of the new error group")
    parser.add_argument("--timeout", type=float, default=600, help="give up after this many seconds")
    parser.add_argument("--no-restart", action="store_true", help="skip the restart de-duplication count")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="radar-latency-"))
    hook = Hook()
    env = {**os.environ, "DAGSTER_HOME": str(work / "dagster_home"), "BLOQR_HOME": str(work / "bloqr"),
           "BLOQR_ALERT_WEBHOOK": hook.url}
    env.pop("BLOQR_BUILD_STORE", None)
    log = work / "dagster-dev.log"
    proc = None
    try:
        t = time.monotonic()
        subprocess.run([str(BIN / "bloqr"), "demo", "--builds", str(args.builds)], env=env, cwd=work, check=True,
                       stdout=subprocess.DEVNULL)
        print(f"baseline: bloqr demo --builds {args.builds} in {time.monotonic() - t:.0f}s", flush=True)
        proc = start_ui(env, log)
        sensors = ("new_failures_sensor", "radar_alert_sensor")
        print(f"dagster dev up, sensors ticking after {wait_for_sensor_ticks(env, sensors, 300):.0f}s", flush=True)
        before = len(hook.received)

        from bloqr_dagster.build_errors.generator import incident
        from bloqr_dagster.build_errors.stores import open_store

        with open_store(f"sqlite:///{Path(env['BLOQR_HOME']) / 'builds.sqlite'}") as store:
            report = incident(store, args.incident, MESSAGE)
        t0 = time.monotonic()
        print(f"inserted {report.builds} failed builds (ids {report.first_id}..{report.last_id}) with a new "
              f"error group; waiting for the alert ...", flush=True)
        while not hook.about_incident():
            if time.monotonic() - t0 > args.timeout:
                print(f"no alert within {args.timeout:.0f}s; dagster dev log: {log}")
                return 1
            if proc.poll() is not None:
                print(f"dagster dev exited ({proc.returncode}); log: {log}")
                return 1
            time.sleep(0.5)
        arrived, payload = hook.about_incident()[0]
        print(f"new-group alert received {arrived - t0:.1f}s after the builds were inserted (target < 120s)")
        print(f"  payload text: {payload['text'][:300]}")
        time.sleep(15)  # the hour and day anomalies, and the completion drop, arrive in the same tick
        print(f"alerts received: {len(hook.received)} ({len(hook.received) - before} after the insert)")
        for _, alert in hook.received[before:]:
            print(f"  {alert['text'].removeprefix('bloqr regression radar: ').split(' · ')[0][:160]}")

        if not args.no_restart:
            stop_ui(proc)
            ids_before = [p["anomaly"]["anomaly_id"] for _, p in hook.received]
            restarted = time.time()
            proc = start_ui(env, log)
            wait_for_sensor_ticks(env, ("radar_alert_sensor",), 300, after=restarted)
            time.sleep(25)  # three evaluations of the alert sensor after the restart
            ids = [p["anomaly"]["anomaly_id"] for _, p in hook.received]
            print(f"after a dagster dev restart: {len(ids) - len(ids_before)} new alerts, "
                  f"{len(ids) - len(set(ids))} sent twice")
        return 0
    finally:
        if proc is not None:
            stop_ui(proc)
        hook.server.shutdown()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
