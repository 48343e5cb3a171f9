"""isolated_compile_job: validate and transform in a sandboxed child; pre-fetched content is required."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import dagster as dg

from bloqr_dagster.filterlists.cache_store import CompiledCache
from tests.dagster.filterlists_support import log_messages, make_defs, step_events, step_failure

CONFIG = {"name": "Isolated lists", "sources": [{"name": "Peter Lowe", "source": "peter_lowe.txt"},
                                                 {"source": "https://easylist.to/easylist/easyprivacy.txt"}],
          "transformations": ["RemoveComments", "Compress", "Deduplicate", "InsertFinalNewLine"]}


def _run_config(**config) -> dict:
    return {"ops": {"validate_isolated": {"config": {"configuration": CONFIG, **config}}}}


def test_isolated_compile_from_prefetched_real_lists(tmp_path: Path, filterlists_dir: Path) -> None:
    prefetched = {"Peter Lowe": (filterlists_dir / "peter_lowe.txt").read_text(),
                  "https://easylist.to/easylist/easyprivacy.txt": (filterlists_dir / "easyprivacy.txt").read_text()}
    with dg.instance_for_test() as instance:
        result = make_defs(tmp_path).get_job_def("isolated_compile_job").execute_in_process(
            _run_config(prefetched=prefetched), instance=instance)
        assert result.success
        messages = "\n".join(log_messages(instance, result.run_id))
    entry = result.output_for_node("cache_isolated")
    cache = CompiledCache(tmp_path / "cache")
    latest = cache.latest("isolated_lists")
    body = cache.read_text(latest)[len(latest.header) + 1:]
    assert hashlib.sha256(body.encode()).hexdigest() == entry["cache_key"] == latest.cache_key
    assert entry["rule_count"] > 10_000
    for step in ("validate", "transform", "cache"):
        assert f"event=isolated_step_completed step={step}" in messages
    assert "event=cache_stored" in messages


def test_missing_prefetched_content_is_a_clear_error(tmp_path: Path) -> None:
    job = make_defs(tmp_path).get_job_def("isolated_compile_job")
    none = job.execute_in_process(_run_config(), raise_on_error=False)
    assert step_failure(none).startswith("pre-fetched content is required")

    partial = job.execute_in_process(_run_config(prefetched={"Peter Lowe": "0.0.0.0 a.example\n"}),
                                     raise_on_error=False)
    assert not partial.success
    assert step_events(partial, "STEP_FAILURE") == ["validate_isolated"]
    assert "missing for: 'https://easylist.to/easylist/easyprivacy.txt'" in step_failure(partial)
    assert step_events(partial, "STEP_UP_FOR_RETRY") == []


def test_prefetched_file_from_the_sources_folder(tmp_path: Path) -> None:
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "prefetched.json").write_text(json.dumps({
        "Peter Lowe": "0.0.0.0 a.example\n0.0.0.0 b.example\n",
        "https://easylist.to/easylist/easyprivacy.txt": "||c.example^\n"}))
    result = make_defs(tmp_path).get_job_def("isolated_compile_job").execute_in_process(
        _run_config(prefetched_file="prefetched.json", config_name="from_file"))
    assert result.success and result.output_for_node("cache_isolated")["rule_count"] == 3
    assert CompiledCache(tmp_path / "cache").latest("from_file").rule_count == 3


def test_an_include_in_prefetched_content_reads_no_host_file(tmp_path: Path) -> None:
    hostile = {"a.txt": "||a.example^\n!#include /etc/hostname\n"}
    result = make_defs(tmp_path).get_job_def("isolated_compile_job").execute_in_process(
        {"ops": {"validate_isolated": {"config": {"configuration": {"name": "x", "sources": [{"source": "a.txt"}]},
                                                   "prefetched": hostile}}}}, raise_on_error=False)
    assert not result.success and step_events(result, "STEP_FAILURE") == ["transform_isolated"]
    assert "only pre-fetched entries" in step_failure(result) and "\n" not in step_failure(result)
    assert CompiledCache(tmp_path / "cache").latest("x") is None
