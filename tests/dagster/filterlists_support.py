"""Helpers for the filter-list Dagster tests: the domain's definitions on a temporary BLOQR_HOME,
running its assets and jobs in process, and list servers."""

from __future__ import annotations

import hashlib
import importlib
import threading
import time
import warnings
from pathlib import Path
from typing import Any

import dagster as dg

from bloqr_dagster.defs.filterlists.partitions import sync_partitions
from bloqr_dagster.defs.filterlists.resources import RESOURCE_KEY, FilterListsResource
from bloqr_dagster.defs.resources import QUIET_RUN_CONFIG, BloqrHome
from bloqr_dagster.filterlists.defaults import SourceSpec
from bloqr_dagster.filterlists.registry import Registry

RAW = dg.AssetKey(["filterlists", "raw_filter_lists"])
COMPILED = dg.AssetKey(["filterlists", "compiled_filter_lists"])
HEALTH = dg.AssetKey(["filterlists", "source_health"])
# The domain's modules that define Dagster objects (resources.py aside: make_defs brings its own).
MODULES = ("assets", "checks", "jobs", "schedules", "sensors")
METRICS = [dg.AssetKey(["filterlists", "workflow_metrics"]), dg.AssetKey(["filterlists", "workflow_step_metrics"])]


def resource(home: Path, **settings: Any) -> FilterListsResource:
    """On `home`, no default sources, local sources in `home/sources`, no waiting between retries."""
    settings.setdefault("seed_defaults", False)
    settings.setdefault("retry_delay", 0.0)
    return FilterListsResource(home=BloqrHome(home=str(home)), **settings)


def make_defs(home: Path, **settings: Any) -> dg.Definitions:
    """The domain's module-level objects, as the defs folder loader finds them, with our resource."""
    modules = [importlib.import_module(f"bloqr_dagster.defs.filterlists.{m}") for m in MODULES]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", dg.PreviewWarning)
        return dg.load_definitions_from_modules(modules, resources={RESOURCE_KEY: resource(home, **settings)})


def materialize(defs: dg.Definitions, instance: dg.DagsterInstance, keys: dg.AssetKey | list[dg.AssetKey],
                partition: str | None = None, run_config: dict | None = None,
                raise_on_error: bool = True, tags: dict[str, str] | None = None) -> dg.ExecuteInProcessResult:
    """Materialize assets (and their checks) in one in-process run on `instance`."""
    job = defs.resolve_implicit_global_asset_job_def()
    return job.execute_in_process(instance=instance, asset_selection=keys if isinstance(keys, list) else [keys],
                                  partition_key=partition, run_config={**QUIET_RUN_CONFIG, **(run_config or {})},
                                  raise_on_error=raise_on_error, tags=tags)


def metadata(result: dg.ExecuteInProcessResult, key: dg.AssetKey) -> dict[str, Any]:
    [event] = [e for e in result.get_asset_materialization_events() if e.asset_key == key]
    return {k: v.value for k, v in event.materialization.metadata.items()}


def register(home: Path, instance: dg.DagsterInstance, *, sources: dict[str, SourceSpec] | None = None,
             configs: dict[str, dict] | None = None) -> None:
    """Put sources and configurations in the registry and their partitions on the instance, as the
    register jobs do (test_filterlists_assets.py runs those)."""
    registry = Registry(home / "state.sqlite")
    for spec in (sources or {}).values():
        registry.add_source(spec)
    for key, configuration in (configs or {}).items():
        registry.add_config(key, configuration)
    sync_partitions(instance, registry)


def step(name: str, asset: str = "compiled_filter_lists") -> str:
    """The step key of an op inside a graph-backed asset."""
    return f"filterlists__{asset}.{name}"


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


def answer(req, body: bytes, etag: str | None = None) -> None:
    """A 200 with `body`, unless the client has gone away meanwhile."""
    try:
        req.send_response(200)
        if etag:
            req.send_header("ETag", etag)
        req.send_header("Content-Length", str(len(body)))
        req.end_headers()
        req.wfile.write(body)
    except OSError:
        pass


def serve_slow(server, path: str, body: bytes, delay: float) -> str:
    def handler(req) -> None:
        time.sleep(delay)
        answer(req, body)

    return server.route(path, handler)


def serve_held_back(server, path: str, bodies: list[bytes], gate: threading.Event, held: int) -> str:
    """Answer the first `held` requests only once `gate` is set (with an ETag, so a client that got
    the answer would keep it in its conditional-GET cache); later ones at once. Body n for request n."""
    answers = iter(bodies)

    def handler(req) -> None:
        number, body = len(gets(server, path)), next(answers, bodies[-1])
        if number <= held:
            gate.wait(60)
        answer(req, body, etag='"' + hashlib.sha256(body).hexdigest()[:8] + '"')

    return server.route(path, handler)


def gets(server, path: str) -> list[dict[str, str]]:
    """Headers of the GET requests the server received for `path`."""
    return [h for (method, p, h, _) in server.requests if method == "GET" and p.split("?")[0] == path]


def step_events(result, event_type: str) -> list[str]:
    return [e.step_key for e in result.all_events if e.event_type_value == event_type]


def step_failure(result) -> str:
    """The one-line description of the run's (first) step failure."""
    failure = next(e for e in result.all_events if e.event_type_value == "STEP_FAILURE")
    data = failure.event_specific_data
    return data.user_failure_data.description if data.user_failure_data else data.error.message


def log_messages(instance: dg.DagsterInstance, run_id: str) -> list[str]:
    return [r.user_message for r in instance.all_logs(run_id) if r.user_message]
