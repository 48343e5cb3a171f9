"""The README's GraphQL launchRun example, run against the real code location (workspace.yaml)."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from bloqr_dagster.defs.filterlists.demo import demo_configuration
from bloqr_dagster.filterlists.cache_store import CompiledCache

ROOT = Path(__file__).resolve().parents[2]

LAUNCH_RUN = """
mutation LaunchCompile($executionParams: ExecutionParams!) {
  launchRun(executionParams: $executionParams) {
    __typename
    ... on LaunchRunSuccess { run { runId status } }
    ... on RunConfigValidationInvalid { errors { message } }
    ... on PythonError { message }
  }
}
"""

RUN_STATUS = """
query RunStatus($runId: ID!) {
  runOrError(runId: $runId) {
    ... on Run { status stepStats { stepKey status } }
  }
}
"""


def test_launch_compile_job_through_graphql(tmp_path: Path, monkeypatch) -> None:
    from dagster._core.test_utils import poll_for_finished_run
    from dagster_graphql.test.utils import define_out_of_process_context, execute_dagster_graphql

    monkeypatch.setenv("BLOQR_HOME", str(tmp_path / "home"))
    configuration = demo_configuration()  # the same JSON as the old REST body's "configuration"
    variables = {"executionParams": {
        "selector": {"repositoryLocationName": "bloqr_dagster", "repositoryName": "__repository__",
                     "jobName": "compile_job"},
        "runConfigData": {"ops": {"validate": {"config": {"configuration": configuration}}},
                          "execution": {"config": {"in_process": {}}}},
    }}
    # No daemon here to dequeue runs: launch them directly (the deployment queues them, dagster.yaml).
    direct = {"run_coordinator": {"module": "dagster.core.run_coordinator", "class": "DefaultRunCoordinator"}}
    with dg.instance_for_test(overrides=direct) as instance:
        with define_out_of_process_context(str(ROOT / "workspace.yaml"), None, instance) as context:
            launched = execute_dagster_graphql(context, LAUNCH_RUN, variables).data["launchRun"]
            assert launched["__typename"] == "LaunchRunSuccess", launched
            run_id = launched["run"]["runId"]
            run = poll_for_finished_run(instance, run_id, timeout=180)
            assert run.status == dg.DagsterRunStatus.SUCCESS
            status = execute_dagster_graphql(context, RUN_STATUS, {"runId": run_id}).data["runOrError"]
            assert status["status"] == "SUCCESS"
            assert [s["stepKey"] for s in status["stepStats"]] == [
                "validate", "compile_sources", "cache_result", "update_metrics"]
            bad = {**variables, "executionParams": {**variables["executionParams"], "runConfigData": {
                "ops": {"validate": {"config": {"configuration": {"name": "x", "sources": [{"sourc": "a"}]}}}},
                "execution": {"config": {"in_process": {}}}}}}
            failed_id = execute_dagster_graphql(context, LAUNCH_RUN, bad).data["launchRun"]["run"]["runId"]
            assert poll_for_finished_run(instance, failed_id, timeout=180).status == dg.DagsterRunStatus.FAILURE
    entry = CompiledCache(tmp_path / "home" / "cache").latest("bloqr_demo_blocklist")
    assert entry is not None and entry.rule_count == 8
