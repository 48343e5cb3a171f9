"""batch_compile_job: chunks of 3 in parallel; failing configurations are reported, not fatal."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from bloqr_dagster.filterlists.cache_store import CompiledCache
from bloqr_dagster.filterlists.workflow_runs import runs
from tests.dagster.filterlists_support import make_defs, serve_list, step_events


def _request(rid: str, url: str, name: str | None = None) -> dict:
    return {"id": rid, "configuration": {"name": name or f"Batch {rid}", "sources": [{"source": url}],
                                         "transformations": ["RemoveComments", "Deduplicate"]}}


def test_batch_reports_failures_and_compiles_the_rest(tmp_path: Path, http_server, filterlists_dir: Path) -> None:
    pgl = serve_list(http_server, "/pgl.txt", (filterlists_dir / "peter_lowe.txt").read_bytes())
    privacy = serve_list(http_server, "/ep.txt", (filterlists_dir / "easyprivacy.txt").read_bytes())
    http_server.serve_bytes("/500.txt", b"no", status=500)
    requests = [
        _request("pgl", pgl),
        _request("privacy", privacy),
        _request("broken", http_server.url("/500.txt")),
        {"id": "invalid", "configuration": {"name": "x", "sources": [], "transformations": ["Dedupe"]}},
        _request("missing", http_server.url("/404.txt")),
        _request("pgl-again", pgl, name="Batch pgl second"),
    ]
    job = make_defs(tmp_path).get_job_def("batch_compile_job")
    result = job.execute_in_process({"ops": {"validate_batch": {"config": {"requests": requests}}}},
                                    instance=dg.DagsterInstance.ephemeral())
    assert result.success  # one failing configuration does not sink the others
    assert sorted(step_events(result, "STEP_SUCCESS")).count("compile_chunk[chunk_0]") == 1
    assert "compile_chunk[chunk_1]" in step_events(result, "STEP_SUCCESS")
    summary = result.output_for_node("update_batch_metrics")
    assert sorted(summary["succeeded"]) == ["pgl", "pgl-again", "privacy"]
    assert set(summary["failed"]) == {"broken", "invalid", "missing"}
    assert "HTTP 500" in summary["failed"]["broken"] and http_server.url("/500.txt") in summary["failed"]["broken"]
    assert "HTTP 404" in summary["failed"]["missing"]
    assert summary["failed"]["invalid"].startswith("requests[3].configuration: sources: must contain at least one")
    # transient failures were retried inside the chunk (1 + 2 attempts), config errors were not
    assert len([r for r in http_server.requests if r[1] == "/500.txt"]) == 3
    cache = CompiledCache(tmp_path / "cache")
    assert cache.latest("batch_pgl").rule_count == 3500
    assert cache.latest("batch_privacy").rule_count > 10_000
    [row] = runs(tmp_path / "state.sqlite", "batch_compile")
    assert row.configurations == 6 and row.succeeded and "3 of 6 configurations failed" in row.error
    meta = next(e for e in result.all_events if e.event_type_value == "STEP_OUTPUT"
                and e.step_key == "update_batch_metrics").event_specific_data.metadata
    assert meta["failed"].value == 3 and "| broken | FAILED |" in meta["results"].value


def test_batch_rejects_duplicate_ids(tmp_path: Path) -> None:
    job = make_defs(tmp_path).get_job_def("batch_compile_job")
    requests = [_request("a", "x.txt"), _request("a", "y.txt")]
    result = job.execute_in_process({"ops": {"validate_batch": {"config": {"requests": requests}}}},
                                    raise_on_error=False)
    assert not result.success
    failure = next(e for e in result.all_events if e.event_type_value == "STEP_FAILURE")
    assert "requests[1].id: duplicate id 'a'" in str(failure.event_specific_data.error)
