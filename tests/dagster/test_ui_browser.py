"""The real Dagster webserver on a demo instance, driven in headless Chromium.

`bloqr demo` fills a temporary BLOQR_HOME / DAGSTER_HOME; the webserver serves the code location
from workspace.yaml; Chromium opens the asset graph and the build-error asset pages and we assert
that the assets, their build-ID range partitions and their checks are shown. Screenshots stay in
the test's temporary folder.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, require

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_http(url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


@pytest.fixture(scope="module")
def demo_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    base = tmp_path_factory.mktemp("ui")
    env = dict(os.environ)
    env["DAGSTER_HOME"] = str(base / "dagster_home")
    env["BLOQR_HOME"] = str(base / "bloqr_home")
    env.pop("BLOQR_BUILD_STORE", None)
    Path(env["DAGSTER_HOME"]).mkdir()
    shutil.copy(ROOT / "dagster.yaml", Path(env["DAGSTER_HOME"]) / "dagster.yaml")
    bloqr = Path(sys.executable).with_name("bloqr")
    subprocess.run([str(bloqr), "demo"], cwd=ROOT, env=env, check=True, capture_output=True, timeout=600)
    return env


@pytest.fixture(scope="module")
def webserver(demo_env: dict[str, str]) -> Iterator[str]:
    port = _free_port()
    exe = Path(sys.executable).with_name("dagster-webserver")
    proc = subprocess.Popen(
        [str(exe), "-h", "127.0.0.1", "-p", str(port), "-w", str(ROOT / "workspace.yaml")],
        cwd=ROOT, env=demo_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_http(base_url + "/server_info", timeout=120)
        yield base_url
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    require(Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists(),
            "Debian chromium and chromium-driver are not installed (make test installs them)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--window-size=1600,1000"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def _open(driver, url: str) -> None:  # noqa: ANN001
    """Open a page and dismiss Dagster's first-visit "Join the community" dialog if it shows."""
    import time

    driver.get(url)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        buttons = driver.find_elements("xpath", "//button[normalize-space()='Skip']")
        if buttons:
            buttons[0].click()
            return
        time.sleep(0.5)


def _wait_for_texts(driver, texts: list[str], timeout: float = 60) -> None:  # noqa: ANN001
    """Wait until every text is on the page (the visible text, or the markup for names the UI
    shortens with an ellipsis)."""
    from selenium.webdriver.support.ui import WebDriverWait

    def missing(d) -> list[str]:  # noqa: ANN001
        shown = d.find_element("tag name", "body").text + d.page_source
        return [t for t in texts if t not in shown]

    try:
        WebDriverWait(driver, timeout, poll_frequency=0.5).until(lambda d: not missing(d))
    except Exception:
        body = driver.find_element("tag name", "body").text
        raise AssertionError(f"page {driver.current_url} lacks {missing(driver)}; it shows: {body[:2000]}") from None


def test_asset_graph_shows_build_error_assets(webserver: str, browser, tmp_path: Path) -> None:  # noqa: ANN001
    _open(browser, f"{webserver}/locations/__repository__@bloqr_dagster/asset-groups/build_errors")
    # the two asset nodes, with their partition and check summaries
    _wait_for_texts(browser, ["failed_builds", "categorized_build_errors", "Asset checks", "partitions"])
    browser.save_screenshot(str(tmp_path / "asset_graph.png"))
    assert (tmp_path / "asset_graph.png").stat().st_size > 10_000


def test_partitions_page_lists_build_id_ranges(webserver: str, browser, demo_env: dict[str, str],  # noqa: ANN001
                                               tmp_path: Path) -> None:
    import dagster as dg

    with dg.DagsterInstance.from_config(demo_env["DAGSTER_HOME"]) as instance:
        keys = list(instance.get_dynamic_partitions("build_id_ranges"))
    assert keys and keys == sorted(keys)
    _open(browser, f"{webserver}/assets/build_errors/categorized_build_errors?view=partitions")
    _wait_for_texts(browser, [f"Materialized ({len(keys)})", *keys])
    browser.save_screenshot(str(tmp_path / "partitions.png"))


def test_checks_page_lists_asset_checks(webserver: str, browser, tmp_path: Path) -> None:  # noqa: ANN001
    from bloqr_dagster.definitions import load_defs

    defs = load_defs()
    key_path = ["build_errors", "categorized_build_errors"]
    check_names = sorted(
        k.name for k in defs.resolve_asset_graph().asset_check_keys if k.asset_key.path == key_path
    )
    assert check_names, "categorized_build_errors has no asset checks"
    _open(browser, f"{webserver}/assets/{'/'.join(key_path)}?view=checks")
    _wait_for_texts(browser, [f"Checks ({len(check_names)})", *check_names])
    browser.save_screenshot(str(tmp_path / "checks.png"))


def test_warehouse_models_show_their_automation_condition(webserver: str, browser, tmp_path: Path) -> None:  # noqa: ANN001
    """The models update through an automation condition (not a custom sensor), and the UI says so."""
    from bloqr_dagster.defs.warehouse.assets import UPDATE_AFTER_UPSTREAM

    _open(browser, f"{webserver}/assets/warehouse/build_primary_errors")
    _wait_for_texts(browser, ["Automation condition", UPDATE_AFTER_UPSTREAM.get_label(),
                              "automation_condition_sensor", "Upstream assets", "stg_build_errors"])
    browser.save_screenshot(str(tmp_path / "warehouse_automation.png"))
    assert (tmp_path / "warehouse_automation.png").stat().st_size > 10_000
    print(f"screenshot: {tmp_path / 'warehouse_automation.png'}")
