"""isolated_compile_job: every step in a sandboxed child; pre-fetched content is required."""

from __future__ import annotations

import hashlib
from pathlib import Path

import dagster as dg

from bloqr_dagster.filterlists.cache_store import CompiledCache
from bloqr_dagster.filterlists.workflow_runs import runs
from tests.dagster.filterlists_support import log_messages, make_defs

CONFIG = {"name": "Isolated lists", "sources": [{"name": "Peter Lowe", "source": "peter_lowe.txt"},
                                                 {"source": "https://easylist.to/easylist/easyprivacy.txt"}],
          "transformations": ["RemoveComments", "Compress", "Deduplicate", "InsertFinalNewLine"]}


def _run_config(**config) -> dict:
    return {"ops": {"validate_isolated": {"config": {"configuration": CONFIG, **config}}}}


def test_isolated_compile_from_prefetched_real_lists(tmp_path: Path, filterlists_dir: Path) -> None:
    prefetched = {"Peter Lowe": (filterlists_dir / "peter_lowe.txt").read_text(),
                  "https://easylist.to/easylist/easyprivacy.txt": (filterlists_dir / "easyprivacy.txt").read_text()}
    instance = dg.DagsterInstance.ephemeral()
    result = make_defs(tmp_path).get_job_def("isolated_compile_job").execute_in_process(
        _run_config(prefetched=prefetched), instance=instance)
    assert result.success
    entry = result.output_for_node("update_isolated_metrics")
    cache = CompiledCache(tmp_path / "cache")
    latest = cache.latest("isolated_lists")
    body = cache.read_text(latest)[len(latest.header) + 1:]
    assert hashlib.sha256(body.encode()).hexdigest() == entry["cache_key"] == latest.cache_key
    assert entry["rule_count"] > 10_000
    messages = "\n".join(log_messages(instance, result.run_id))
    for step in ("validate", "transform", "cache"):
        assert f"event=isolated_step_completed step={step}" in messages
    assert "event=cache_stored" in messages
    [row] = runs(tmp_path / "state.sqlite", "isolated_compile")
    assert row.succeeded and row.configurations == 1


def test_missing_prefetched_content_is_a_clear_error(tmp_path: Path) -> None:
    job = make_defs(tmp_path).get_job_def("isolated_compile_job")
    none = job.execute_in_process(_run_config(), raise_on_error=False)
    failure = next(e for e in none.all_events if e.event_type_value == "STEP_FAILURE")
    assert "pre-fetched content is required" in str(failure.event_specific_data.error)

    partial = job.execute_in_process(_run_config(prefetched={"Peter Lowe": "0.0.0.0 a.example\n"}),
                                     raise_on_error=False)
    assert not partial.success
    failure = next(e for e in partial.all_events if e.event_type_value == "STEP_FAILURE")
    assert failure.step_key == "validate_isolated"
    assert "missing for: 'https://easylist.to/easylist/easyprivacy.txt'" in str(failure.event_specific_data.error)
    assert not [e for e in partial.all_events if e.event_type_value == "STEP_UP_FOR_RETRY"]
    assert [r.succeeded for r in runs(tmp_path / "state.sqlite", "isolated_compile")] == [False, False]


def test_prefetched_file_is_accepted(tmp_path: Path) -> None:
    import json

    file = tmp_path / "prefetched.json"
    file.write_text(json.dumps({"Peter Lowe": "0.0.0.0 a.example\n0.0.0.0 b.example\n",
                                "https://easylist.to/easylist/easyprivacy.txt": "||c.example^\n"}))
    result = make_defs(tmp_path).get_job_def("isolated_compile_job").execute_in_process(
        _run_config(prefetched_file=str(file), config_name="from_file"))
    assert result.success and result.output_for_node("update_isolated_metrics")["rule_count"] == 3
