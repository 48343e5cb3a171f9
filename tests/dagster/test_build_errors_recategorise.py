"""Re-categorisation after a rule change: the rules version is the categorisation's code version,
and `bloqr backfill --stale` re-runs exactly the ranges categorised under other rules."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import dagster as dg
import pyarrow.parquet as pq

from bloqr_dagster.build_errors.detectors import load_user_rules, rules_version
from bloqr_dagster.cli import dagster_services as services
from bloqr_dagster.cli.webserver_api import Webserver
from bloqr_dagster.defs.build_errors.assets import CATEGORIZED_BUILD_ERRORS, FAILED_BUILDS, RULES_CODE_VERSION
from bloqr_dagster.defs.build_errors.backfill import categorised_versions, stale_ranges

from .helpers import register_all_ranges, run_ranges

ROOT = Path(__file__).resolve().parents[2]
USER_RULES = """\
rules:
  - name: internal-registry-down
    category: network_error
    pattern: 'registry\\.corp\\.example: (?:ECONNREFUSED|503)'
    examples: ['npm error registry.corp.example: 503 Service Unavailable']
"""


STALENESS = """
query Stale($partitions: [String!]) {
  assetNodeOrError(assetKey: {path: ["build_errors", "categorized_build_errors"]}) {
    ... on AssetNode { opVersion staleStatusByPartition(partitions: $partitions) }
  }
}"""


def _ui_staleness(web: Webserver, keys: list[str]) -> tuple[str, dict[str, str]]:
    """What the UI shows: the asset's code version and each range's stale status."""
    node = web.graphql(STALENESS, partitions=keys)["assetNodeOrError"]
    return node["opVersion"], dict(zip(keys, node["staleStatusByPartition"], strict=True))


def _materializations(env, key: dg.AssetKey) -> list:
    return env.instance.fetch_materializations(key, limit=1000).records


def test_rule_change_marks_ranges_stale_and_stale_backfill_recategorises_exactly_those(dagster_env) -> None:
    env = dagster_env
    keys = register_all_ranges(env)
    version_a = RULES_CODE_VERSION
    assert version_a == rules_version(None)  # no user rules when this process loaded the assets
    run_ranges(env, keys[0], keys[3])
    assert categorised_versions(env.instance, keys) == {**dict.fromkeys(keys[:4], version_a),
                                                         **dict.fromkeys(keys[4:], None)}
    assert stale_ranges(env.instance, version_a) == []

    (env.bloqr_home / "rules.yaml").write_text(USER_RULES)
    version_b = rules_version(load_user_rules(home=env.bloqr_home))
    assert version_b != version_a and version_b.startswith(version_a + "+user.")
    assert stale_ranges(env.instance, version_b) == keys[:4]  # never-categorised ranges are not stale
    failed_before = len(_materializations(env, FAILED_BUILDS))

    # The UI (a webserver loading the location under version B) shows exactly those ranges stale;
    # `bloqr backfill --stale` launches through it.
    port = services.free_port()
    with open(env.dagster_home / "webserver.log", "ab") as log:
        web_proc = services.start_webserver(ROOT / "workspace.yaml", port, log)
        try:
            web = Webserver(f"http://127.0.0.1:{port}")
            web.wait_until_loaded("bloqr_dagster", 300, alive=lambda: web_proc.poll() is None)
            version, stale = _ui_staleness(web, keys)
            assert version == version_b
            assert stale == {**dict.fromkeys(keys[:4], "STALE"), **dict.fromkeys(keys[4:], "MISSING")}
            proc = subprocess.run([str(Path(sys.executable).parent / "bloqr"), "backfill", "--stale",
                                   "--webserver", web.url], cwd=ROOT, capture_output=True, text=True,
                                  timeout=600, env=os.environ.copy())
            out = proc.stdout + proc.stderr
            assert proc.returncode == 0, out
            assert "starting `dagster-webserver`" not in out
            assert _ui_staleness(web, keys)[1] == {**dict.fromkeys(keys[:4], "FRESH"),
                                                   **dict.fromkeys(keys[4:], "MISSING")}
        finally:
            services.stop(web_proc)
    assert f"4 ranges were categorised under other rules than {version_b}: re-categorising them" in out
    (backfill,) = env.instance.get_backfills()
    assert set(backfill.asset_selection) == {CATEGORIZED_BUILD_ERRORS}
    assert sorted(ap.partition_key for ap in backfill.asset_backfill_data.target_subset.iterate_asset_partitions()) \
        == keys[:4]
    assert stale_ranges(env.instance, version_b) == []
    assert categorised_versions(env.instance, keys) == {**dict.fromkeys(keys[:4], version_b),
                                                         **dict.fromkeys(keys[4:], None)}
    assert len(_materializations(env, FAILED_BUILDS)) == failed_before  # only the categorisation re-ran
    for key in keys[:4]:
        versions = set(pq.read_table(env.lake / "build_errors" / f"{key}.parquet").column("rules_version").to_pylist())
        assert versions == {version_b}
    assert not (env.lake / "build_errors" / f"{keys[4]}.parquet").exists()

    proc = subprocess.run([str(Path(sys.executable).parent / "bloqr"), "backfill", "--stale"], cwd=ROOT,
                          capture_output=True, text=True, timeout=600, env=os.environ.copy())
    assert proc.returncode == 0 and f"no stale range: every categorised range is at rules version {version_b}" \
        in proc.stdout, proc.stdout + proc.stderr
