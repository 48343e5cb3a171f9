"""The code location's default executor (what UI-launched backfills and Materialize use)."""

from __future__ import annotations

import pytest

from bloqr_dagster.defs.build_errors.assets import CATEGORIZED_BUILD_ERRORS
from bloqr_dagster.defs.executor import EXECUTOR_ENV, location_executor


def test_ui_launched_asset_work_runs_in_process_by_default(monkeypatch) -> None:
    monkeypatch.delenv(EXECUTOR_ENV, raising=False)
    from bloqr_dagster.definitions import load_defs

    job = load_defs().get_repository_def().get_implicit_job_def_for_assets([CATEGORIZED_BUILD_ERRORS])
    assert job.executor_def.name == "in_process"


@pytest.mark.parametrize(("value", "name"), [("multiprocess", "multiprocess"), ("in_process", "in_process"),
                                             ("", "in_process")])
def test_the_environment_can_switch_it(monkeypatch, value: str, name: str) -> None:
    monkeypatch.setenv(EXECUTOR_ENV, value)
    assert location_executor().name == name


def test_an_unknown_executor_is_a_one_line_error(monkeypatch) -> None:
    monkeypatch.setenv(EXECUTOR_ENV, "threads")
    with pytest.raises(ValueError, match=r"^BLOQR_EXECUTOR: unknown executor 'threads' \(use in_process or "
                                         r"multiprocess\)$"):
        location_executor()
