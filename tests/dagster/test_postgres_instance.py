"""A Postgres-backed Dagster instance (dagster.postgres.yaml) runs a multi-range backfill.

Dagster's run, event and schedule storage and the build store both live in a fresh PostgreSQL
database at 127.0.0.1:5432; `bloqr backfill` starts a real webserver and `dagster-daemon`, which executes the
asset backfill in several multi-range runs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import dagster as dg
import pyarrow.parquet as pq
import pytest

from bloqr_dagster.defs.build_errors.backfill import FINISHED_OK
from tests.dagster.conftest import CORPUS_SEED, RANGE_WIDTH, ROOT

pytestmark = pytest.mark.postgres

BUILDS = 2_000


@pytest.fixture
def postgres_instance_env(postgres_dsn: str, tmp_path: Path,
                          monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    from bloqr_dagster.build_errors.generator import generate
    from bloqr_dagster.build_errors.stores import open_store

    dagster_home, bloqr_home = tmp_path / "dagster_home", tmp_path / "bloqr"
    dagster_home.mkdir()
    bloqr_home.mkdir()
    shutil.copy(ROOT / "dagster.postgres.yaml", dagster_home / "dagster.yaml")
    url = urlparse(postgres_dsn)
    env = {
        "DAGSTER_HOME": str(dagster_home),
        "BLOQR_HOME": str(bloqr_home),
        "BLOQR_RANGE_WIDTH": str(RANGE_WIDTH),
        "BLOQR_BUILD_STORE": postgres_dsn,
        "BLOQR_RANGES_PER_RUN": "2",
        "DAGSTER_PG_HOST": url.hostname or "127.0.0.1",
        "DAGSTER_PG_PORT": str(url.port or 5432),
        "DAGSTER_PG_USER": url.username or "postgres",
        "DAGSTER_PG_PASSWORD": url.password or "",
        "DAGSTER_PG_DB": url.path.lstrip("/"),
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with open_store(postgres_dsn) as store:
        generate(store, BUILDS, seed=CORPUS_SEED, start_id=1)
    return env


def test_multi_range_backfill_through_the_daemon_on_postgres(postgres_instance_env: dict[str, str]) -> None:
    env = postgres_instance_env
    with dg.DagsterInstance.get() as instance:
        # the instance really is Postgres-backed
        assert type(instance.run_storage).__name__ == "PostgresRunStorage"
        assert type(instance.event_log_storage).__name__ == "PostgresEventLogStorage"

    proc = subprocess.run(
        [str(Path(sys.executable).parent / "bloqr"), "backfill",
         "--from-build-id", "0", "--to-build-id", str(BUILDS)],
        env={**os.environ, **env}, capture_output=True, text=True, timeout=900, cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "starting `dagster-daemon run`" in proc.stdout

    expected_ranges = BUILDS // RANGE_WIDTH + 1  # ids 1..2000 touch ranges 0..2000
    with dg.DagsterInstance.get() as instance:
        (backfill,) = instance.get_backfills()
        assert backfill.status.value in FINISHED_OK
        runs = instance.get_runs(filters=dg.RunsFilter.for_backfill(backfill.backfill_id))
        assert len(runs) >= 2, "a multi-range backfill split over several runs"
        assert all(r.status == dg.DagsterRunStatus.SUCCESS for r in runs)
        keys = list(instance.get_dynamic_partitions("build_id_ranges"))
        assert len(keys) == expected_ranges and keys == sorted(keys)
        materialized = instance.get_materialized_partitions(
            dg.AssetKey(["build_errors", "categorized_build_errors"]))
        assert materialized == set(keys)

    # every failed build in the Postgres store has exactly one primary row in the lake
    from bloqr_dagster.build_errors.stores import open_store

    with open_store(env["BLOQR_BUILD_STORE"]) as store:
        failed = {b.build_id for page in store.failed_builds(0, BUILDS) for b in page}
    lake_files = sorted((Path(env["BLOQR_HOME"]) / "lake" / "build_errors").glob("*.parquet"))
    assert [f.stem for f in lake_files] == keys
    rows = [r for f in lake_files for r in pq.read_table(f).to_pylist()]
    primaries = [r["build_id"] for r in rows if r["is_primary"]]
    assert sorted(primaries) == sorted(failed)
