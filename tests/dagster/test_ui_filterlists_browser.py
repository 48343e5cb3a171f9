"""The filter-list assets in the real webserver, driven in headless Chromium: the lineage
raw_filter_lists -> compiled_filter_lists, and the schedules and automation shown on the assets.

The demo instance, the webserver and the browser are the fixtures of test_ui_browser.py. Screenshots
stay in the test's temporary folder; their paths are printed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.dagster.test_ui_browser import _open, _wait_for_texts, browser, demo_env, webserver  # noqa: F401

pytestmark = pytest.mark.browser


def _screenshot(driver, folder: Path, name: str) -> None:  # noqa: ANN001
    path = folder / f"{name}.png"
    driver.save_screenshot(str(path))
    assert path.stat().st_size > 10_000
    print(f"screenshot: {path}")


def test_asset_group_shows_the_filter_list_assets(webserver: str, browser, tmp_path: Path) -> None:  # noqa: ANN001, F811
    _open(browser, f"{webserver}/locations/__repository__@bloqr_dagster/asset-groups/filterlists")
    _wait_for_texts(browser, ["raw_filter_lists", "compiled_filter_lists", "source_health", "workflow_metrics",
                              "workflow_step_metrics", "partitions"])
    _screenshot(browser, tmp_path, "filterlists_group")


def test_compiled_lists_show_their_upstream_and_schedule(webserver: str, browser, tmp_path: Path) -> None:  # noqa: ANN001, F811
    _open(browser, f"{webserver}/assets/filterlists/compiled_filter_lists")
    # the lineage raw -> compiled, and the warming schedule on the job that targets the asset
    _wait_for_texts(browser, ["Upstream assets", "filterlists / raw_filter_lists", "Automation details",
                              "compile_job", "At 0 minutes past the hour, every 6 hours", "cache_hit"])
    _screenshot(browser, tmp_path, "compiled_filter_lists")
    _open(browser, f"{webserver}/assets/filterlists/raw_filter_lists")
    _wait_for_texts(browser, ["Downstream assets", "filterlists / compiled_filter_lists"])
    _screenshot(browser, tmp_path, "raw_filter_lists")


def test_health_and_metrics_show_their_automation(webserver: str, browser, tmp_path: Path) -> None:  # noqa: ANN001, F811
    _open(browser, f"{webserver}/assets/filterlists/source_health")
    _wait_for_texts(browser, ["health_monitoring_job", "Every hour", "checked in this run", "sources healthy",
                              "checked_at"])  # the schedule, the all-sources table, the column schema
    _screenshot(browser, tmp_path, "source_health")
    _open(browser, f"{webserver}/assets/filterlists/workflow_metrics")
    _wait_for_texts(browser, ["Automation condition", "on_cron(*/15 * * * *", "run_id"])  # and its column schema
    _screenshot(browser, tmp_path, "workflow_metrics")
