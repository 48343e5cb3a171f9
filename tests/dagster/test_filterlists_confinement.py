"""Local sources of work launched through Dagster resolve only inside the sources folder
($BLOQR_HOME/sources, or BLOQR_SOURCES_DIR): every way out is a one-line step failure, no retry."""

from __future__ import annotations

import json
import os
from pathlib import Path

import dagster as dg
import pytest

from bloqr_dagster.filterlists.cache_store import CompiledCache
from bloqr_dagster.filterlists.defaults import SourceSpec
from bloqr_dagster.filterlists.health import HealthHistory
from tests.dagster.filterlists_support import (
    COMPILED,
    HEALTH,
    RAW,
    make_defs,
    materialize,
    register,
    step_events,
    step_failure,
)

SECRET = "||secret.example^\n"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """tmp/home/sources holds ok.txt, a symlink out, and a list that includes a file outside."""
    sources = tmp_path / "home" / "sources"
    sources.mkdir(parents=True)
    (tmp_path / "secret.txt").write_text(SECRET)
    (sources / "ok.txt").write_text("||ok.example^\n" * 6)
    (sources / "link.txt").symlink_to(tmp_path / "secret.txt")
    (sources / "includer.txt").write_text("||ok.example^\n!#include ../../secret.txt\n")
    return tmp_path / "home"


def escapes(home: Path) -> dict[str, str]:
    secret = home.parent / "secret.txt"
    return {"absolute": str(secret), "dotdot": "../../secret.txt", "symlink": "link.txt",
            "proc": "/proc/self/environ", "file_url": secret.as_uri()}


@pytest.mark.parametrize("kind", ["absolute", "dotdot", "symlink", "proc", "file_url"])
def test_compile_refuses_a_source_outside_the_folder(home: Path, kind: str) -> None:
    source = escapes(home)[kind]
    with dg.instance_for_test() as instance:
        register(home, instance, configs={"cfg": {"name": "x", "sources": [{"source": source}]}})
        result = materialize(make_defs(home), instance, COMPILED, "cfg", raise_on_error=False)
    assert not result.success
    message = step_failure(result)
    assert message.startswith("configuration 'cfg': source '") and "outside the sources folder" in message
    assert "\n" not in message and step_events(result, "STEP_UP_FOR_RETRY") == []
    assert CompiledCache(home / "cache").latest("cfg") is None


def test_an_include_cannot_leave_the_folder(home: Path) -> None:
    with dg.instance_for_test() as instance:
        register(home, instance, configs={"cfg": {"name": "x", "sources": [{"source": "includer.txt"}]}})
        result = materialize(make_defs(home), instance, COMPILED, "cfg", raise_on_error=False)
    assert not result.success
    assert "outside the sources folder" in step_failure(result) and "\n" not in step_failure(result)
    assert CompiledCache(home / "cache").latest("cfg") is None


def test_a_source_inside_the_folder_compiles(home: Path) -> None:
    with dg.instance_for_test() as instance:
        register(home, instance, configs={"cfg": {"name": "x", "sources": [{"source": "ok.txt"}]}})
        assert materialize(make_defs(home), instance, COMPILED, "cfg").success


def test_the_folder_comes_from_the_resource(tmp_path: Path, home: Path) -> None:
    """sources_dir (BLOQR_SOURCES_DIR) moves the folder: what was inside the default one is now outside."""
    elsewhere = tmp_path / "lists"
    elsewhere.mkdir()
    (elsewhere / "mine.txt").write_text("||mine.example^\n")
    defs = make_defs(home, sources_dir=str(elsewhere))
    with dg.instance_for_test() as instance:
        register(home, instance, configs={"mine": {"name": "m", "sources": [{"source": "mine.txt"}]},
                                          "old": {"name": "o", "sources": [{"source": str(home / "sources/ok.txt")}]}})
        assert materialize(defs, instance, COMPILED, "mine").success
        assert not materialize(defs, instance, COMPILED, "old", raise_on_error=False).success


@pytest.mark.parametrize("kind", ["absolute", "dotdot", "symlink", "proc", "file_url"])
def test_raw_lists_and_health_checks_refuse_it_too(home: Path, kind: str) -> None:
    source = escapes(home)[kind]
    with dg.instance_for_test() as instance:
        register(home, instance, sources={"s": SourceSpec("s", "s", source)})  # as if registered earlier
        defs = make_defs(home)
        raw = materialize(defs, instance, RAW, "s", raise_on_error=False)
        assert not raw.success and "outside the sources folder" in step_failure(raw)
        assert step_events(raw, "STEP_UP_FOR_RETRY") == []
        assert materialize(defs, instance, HEALTH).success
    [result] = HealthHistory(home / "state.sqlite").recent("s")
    assert not result.healthy and "outside the sources folder" in result.error
    assert not (home / "cache" / "raw" / "s.txt").exists()


@pytest.mark.parametrize("kind", ["absolute", "dotdot", "symlink", "proc", "file_url"])
def test_registering_a_source_outside_the_folder_fails(home: Path, kind: str) -> None:
    defs = make_defs(home)
    with dg.instance_for_test() as instance:
        result = defs.get_job_def("register_filter_source_job").execute_in_process(
            {"ops": {"register_filter_source": {"config": {"key": "s", "url": escapes(home)[kind]}}}},
            instance=instance, raise_on_error=False)
        assert not result.success and step_failure(result).startswith("url: source '")
        assert instance.get_dynamic_partitions("filter_sources") == []


@pytest.mark.parametrize("where", ["outside", "symlink", "proc", "inside"])
def test_prefetched_file_is_read_only_from_the_sources_folder(home: Path, where: str) -> None:
    mapping = json.dumps({"a.txt": "||a.example^\n"})
    (home.parent / "map.json").write_text(mapping)
    (home / "sources" / "map.json").write_text(mapping)
    os.symlink(home.parent / "map.json", home / "sources" / "map_link.json")
    path = {"outside": str(home.parent / "map.json"), "symlink": "map_link.json", "proc": "/proc/self/environ",
            "inside": "map.json"}[where]
    result = make_defs(home).get_job_def("isolated_compile_job").execute_in_process(
        {"ops": {"validate_isolated": {"config": {"configuration": {"name": "p", "sources": [{"source": "a.txt"}]},
                                                   "prefetched_file": path}}}}, raise_on_error=False)
    if where == "inside":
        assert result.success and result.output_for_node("cache_isolated")["rule_count"] == 1
    else:
        assert not result.success and step_failure(result).startswith("prefetched_file: source '")
        assert "outside the sources folder" in step_failure(result)
