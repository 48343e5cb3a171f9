"""Fixtures for the Dagster tests: a temporary instance and a small generated build corpus.

`dagster_env` points DAGSTER_HOME and BLOQR_HOME into tmp_path (with the repository's
dagster.yaml), copies a session-wide generated corpus into the embedded store, and uses narrow
build-ID ranges so that a few thousand builds make several partitions.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import pytest

ROOT = Path(__file__).resolve().parents[2]
CORPUS_BUILDS = 3_000
RANGE_WIDTH = 500
CORPUS_SEED = 7


@pytest.fixture(scope="session")
def corpus_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated embedded store, made once per session and copied into each test's BLOQR_HOME."""
    from bloqr_dagster.build_errors.generator import generate
    from bloqr_dagster.build_errors.stores import open_store

    home = tmp_path_factory.mktemp("corpus")
    path = home / "builds.sqlite"
    with open_store(f"sqlite:///{path}") as store:
        generate(store, CORPUS_BUILDS, seed=CORPUS_SEED, start_id=1)
    return path


@dataclass
class DagsterEnv:
    dagster_home: Path
    bloqr_home: Path
    instance: dg.DagsterInstance
    range_width: int

    @property
    def lake(self) -> Path:
        return self.bloqr_home / "lake"

    @property
    def store_url(self) -> str:
        return f"sqlite:///{self.bloqr_home / 'builds.sqlite'}"

    def defs(self) -> dg.Definitions:
        """The code location's definitions, loaded now (resources read this test's environment)."""
        from bloqr_dagster.definitions import load_defs

        return load_defs()


def make_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, store: Path | None) -> Iterator[DagsterEnv]:
    dagster_home, bloqr_home = tmp_path / "dagster_home", tmp_path / "bloqr"
    dagster_home.mkdir()
    bloqr_home.mkdir()
    shutil.copy(ROOT / "dagster.yaml", dagster_home / "dagster.yaml")
    if store is not None:
        shutil.copy(store, bloqr_home / "builds.sqlite")
    monkeypatch.setenv("DAGSTER_HOME", str(dagster_home))
    monkeypatch.setenv("BLOQR_HOME", str(bloqr_home))
    monkeypatch.setenv("BLOQR_RANGE_WIDTH", str(RANGE_WIDTH))
    monkeypatch.delenv("BLOQR_BUILD_STORE", raising=False)
    with dg.DagsterInstance.get() as instance:
        yield DagsterEnv(dagster_home, bloqr_home, instance, RANGE_WIDTH)


@pytest.fixture
def dagster_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                corpus_template: Path) -> Iterator[DagsterEnv]:
    """A temp DAGSTER_HOME instance and BLOQR_HOME holding a copy of the generated corpus."""
    yield from make_env(tmp_path, monkeypatch, corpus_template)


@pytest.fixture
def empty_dagster_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[DagsterEnv]:
    """The same, with no build store yet."""
    yield from make_env(tmp_path, monkeypatch, None)
