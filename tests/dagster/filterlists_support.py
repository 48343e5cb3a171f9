"""Helpers for the filter-list Dagster tests: definitions on a temporary BLOQR_HOME, list servers."""

from __future__ import annotations

import hashlib
import threading
import time
from pathlib import Path
from typing import Any

import dagster as dg

from bloqr_dagster.defs.filterlists import build_defs
from bloqr_dagster.defs.filterlists.resources import FilterListsResource
from bloqr_dagster.defs.resources import BloqrHome


def make_defs(home: Path, **settings: Any) -> dg.Definitions:
    """Definitions on `home`, no default sources, and retry delays scaled to nothing."""
    settings.setdefault("seed_defaults", False)
    settings.setdefault("base_dir", str(home))
    settings.setdefault("retry_delay_scale", 0.0)
    resource = FilterListsResource(home=BloqrHome(home=str(home)), **settings)
    return build_defs(resource)


def serve_list(server, path: str, body: bytes) -> str:
    """Serve `body` with an ETag and Last-Modified; answer conditional GETs with 304."""
    etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
    stamp = "Wed, 07 Jan 2026 11:24:10 GMT"

    def handler(req) -> None:
        if req.headers.get("If-None-Match") == etag:
            req.send_response(304)
            req.send_header("ETag", etag)
            req.send_header("Content-Length", "0")
            req.end_headers()
            return
        req.send_response(200)
        req.send_header("ETag", etag)
        req.send_header("Last-Modified", stamp)
        req.send_header("Content-Length", str(len(body)))
        req.end_headers()
        if req.command != "HEAD":
            req.wfile.write(body)

    return server.route(path, handler)


def serve_flaky(server, path: str, body: bytes, failures: int = 1) -> str:
    """500 for the first `failures` requests, then the list."""
    lock = threading.Lock()
    state = {"left": failures}

    def handler(req) -> None:
        with lock:
            fail = state["left"] > 0
            state["left"] -= 1
        status, payload = (500, b"temporarily broken") if fail else (200, body)
        req.send_response(status)
        req.send_header("Content-Length", str(len(payload)))
        req.end_headers()
        req.wfile.write(payload)

    return server.route(path, handler)


def serve_slow(server, path: str, body: bytes, delay: float) -> str:
    def handler(req) -> None:
        time.sleep(delay)
        try:
            req.send_response(200)
            req.send_header("Content-Length", str(len(body)))
            req.end_headers()
            req.wfile.write(body)
        except OSError:
            pass  # the client gave up

    return server.route(path, handler)


def gets(server, path: str) -> list[dict[str, str]]:
    """Headers of the GET requests the server received for `path`."""
    return [h for (method, p, h, _) in server.requests if method == "GET" and p.split("?")[0] == path]


def step_events(result, event_type: str) -> list[str]:
    return [e.step_key for e in result.all_events if e.event_type_value == event_type]


def log_messages(instance: dg.DagsterInstance, run_id: str) -> list[str]:
    return [r.user_message for r in instance.all_logs(run_id) if r.user_message]


def compile_run_config(configuration: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"ops": {"validate": {"config": {"configuration": configuration, **extra}}}}
