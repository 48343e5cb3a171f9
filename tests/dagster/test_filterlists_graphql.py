"""The README's GraphQL examples against the real code location, served by a real webserver with a
daemon (workspace.yaml, the repository's dagster.yaml): register a configuration and compile it,
then a batch compile as a partition backfill that keeps at most 3 compiles in flight."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest

from bloqr_dagster.defs.filterlists.demo import demo_configuration, install_demo_sources
from bloqr_dagster.filterlists.cache_store import CompiledCache
from bloqr_dagster.filterlists.registry import Registry
from tests.conftest import ROOT
from tests.dagster.filterlists_support import COMPILED, answer
from tests.dagster.test_ui_browser import _free_port, _wait_http

LOCATION = {"repositoryLocationName": "bloqr_dagster", "repositoryName": "__repository__"}
LAUNCH_RUN = """
mutation LaunchRun($executionParams: ExecutionParams!) {
  launchRun(executionParams: $executionParams) {
    __typename
    ... on LaunchRunSuccess { run { runId } }
    ... on RunConfigValidationInvalid { errors { message } }
    ... on PythonError { message }
  }
}"""
RUN_STATUS = """
query RunStatus($runId: ID!) {
  runOrError(runId: $runId) { ... on Run { status stepStats { stepKey status } } }
}"""
LAUNCH_BACKFILL = """
mutation LaunchBackfill($backfillParams: LaunchBackfillParams!) {
  launchPartitionBackfill(backfillParams: $backfillParams) {
    __typename
    ... on LaunchBackfillSuccess { backfillId }
    ... on PythonError { message }
  }
}"""
BACKFILL_STATUS = """
query BackfillStatus($backfillId: String!) {
  partitionBackfillOrError(backfillId: $backfillId) { ... on PartitionBackfill { status } }
}"""


class Deployment:
    def __init__(self, url: str, env: dict[str, str]) -> None:
        self.url, self.env = url, env
        self.home = Path(env["BLOQR_HOME"])

    def graphql(self, query: str, **variables: object) -> dict:
        request = urllib.request.Request(f"{self.url}/graphql", data=json.dumps(
            {"query": query, "variables": variables}).encode(), headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            body = json.loads(response.read())
        assert "errors" not in body, body
        return body["data"]

    def wait(self, query: str, path: str, done: set[str], timeout: float = 600, **variables: object) -> dict:
        """Poll until the object's status is one of `done` (a safeguard timeout, not a timing check)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.graphql(query, **variables)[path]
            if found.get("status") in done:
                return found
            time.sleep(1)
        raise TimeoutError(f"{path} {variables} did not finish: {found}")

    def launch(self, job: str, run_config: dict | None = None, tags: dict[str, str] | None = None) -> dict:
        params = {"selector": {**LOCATION, "jobName": job}, "runConfigData": run_config or {},
                  "executionMetadata": {"tags": [{"key": k, "value": v} for k, v in (tags or {}).items()]}}
        launched = self.graphql(LAUNCH_RUN, executionParams=params)["launchRun"]
        assert launched["__typename"] == "LaunchRunSuccess", launched
        return self.wait(RUN_STATUS, "runOrError", {"SUCCESS", "FAILURE", "CANCELED"},
                         runId=launched["run"]["runId"])


def _stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    base = tmp_path_factory.mktemp("graphql")
    env = {**os.environ, "DAGSTER_HOME": str(base / "dagster_home"), "BLOQR_HOME": str(base / "bloqr_home")}
    Path(env["DAGSTER_HOME"]).mkdir()
    shutil.copy(ROOT / "dagster.yaml", Path(env["DAGSTER_HOME"]) / "dagster.yaml")
    bin_dir = Path(sys.executable).parent
    # the README's setup step: at most 3 compiles in flight
    subprocess.run([str(bin_dir / "dagster"), "instance", "concurrency", "set", "filterlists_compile", "3"],
                   env=env, check=True, capture_output=True, timeout=120)
    port = _free_port()
    workspace = ["-w", str(ROOT / "workspace.yaml")]
    webserver = subprocess.Popen([str(bin_dir / "dagster-webserver"), "-h", "127.0.0.1", "-p", str(port), *workspace],
                                 cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    daemon = subprocess.Popen([str(bin_dir / "dagster-daemon"), "run", *workspace], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_http(f"http://127.0.0.1:{port}/server_info", timeout=180)
        yield Deployment(f"http://127.0.0.1:{port}", env)
    finally:
        _stop(daemon)
        _stop(webserver)


def test_register_and_compile_through_graphql(deployment: Deployment) -> None:
    install_demo_sources(deployment.home / "sources")
    configuration = demo_configuration()  # the old REST body's "configuration", sources in the sources folder
    registered = deployment.launch("register_filter_config_job", {"ops": {"register_filter_config": {
        "config": {"key": "my_list", "configuration": configuration}}}})
    assert registered["status"] == "SUCCESS"
    compiled = deployment.launch("compile_job", tags={"dagster/partition": "my_list"})
    assert compiled["status"] == "SUCCESS"
    assert [s["stepKey"] for s in compiled["stepStats"]] == [
        f"filterlists__compiled_filter_lists.{op}" for op in (
            "validate", "compile_sources", "cache_result", "update_metrics")] + [
        "filterlists__compiled_filter_lists_cache_objects_intact"]
    assert CompiledCache(deployment.home / "cache").latest("my_list").rule_count == 8

    bad = deployment.launch("register_filter_config_job", {"ops": {"register_filter_config": {
        "config": {"key": "broken", "configuration": {"name": "x", "sources": [{"sourc": "a"}]}}}}})
    assert bad["status"] == "FAILURE"
    assert "broken" not in Registry(deployment.home / "state.sqlite").configs()


def test_batch_compile_is_a_backfill_with_at_most_three_in_flight(deployment: Deployment, http_server) -> None:
    """Each download waits until three are in flight (or 3 s pass), so a fourth compile running
    alongside would show in the count: max_concurrent_runs in dagster.yaml allows four runs."""
    lock, state = threading.Lock(), {"in_flight": 0, "most": 0}

    def handler(req) -> None:
        with lock:
            state["in_flight"] += 1
            state["most"] = max(state["most"], state["in_flight"])
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline and state["in_flight"] < 3:
            time.sleep(0.05)
        answer(req, b"||" + req.path.strip("/").encode() + b".example^\n")
        with lock:
            state["in_flight"] -= 1

    keys = [f"batch_{n}" for n in range(5)]
    registry = Registry(deployment.home / "state.sqlite")
    for key in keys:
        registry.add_config(key, {"name": key, "sources": [{"source": http_server.route(f"/{key}", handler)}]})
    with dg.DagsterInstance.from_config(deployment.env["DAGSTER_HOME"]) as instance:
        instance.add_dynamic_partitions("filter_configs", keys)
        launched = deployment.graphql(LAUNCH_BACKFILL, backfillParams={"partitionNames": keys, "selector": {
            "partitionSetName": "compile_job_partition_set", "repositorySelector": LOCATION}})[
            "launchPartitionBackfill"]
        assert launched["__typename"] == "LaunchBackfillSuccess", launched
        done = deployment.wait(BACKFILL_STATUS, "partitionBackfillOrError",
                               {"COMPLETED", "COMPLETED_SUCCESS", "COMPLETED_FAILED", "FAILED", "CANCELED"},
                               backfillId=launched["backfillId"])
        assert done["status"] in ("COMPLETED", "COMPLETED_SUCCESS")
        assert instance.get_materialized_partitions(COMPILED) >= set(keys)
    assert 1 <= state["most"] <= 3
    cache = CompiledCache(deployment.home / "cache")
    assert all(f"{key}.example" in cache.read_text(cache.latest(key)) for key in keys)
