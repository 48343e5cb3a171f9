"""The build store (and where the lake lives) as one Dagster resource."""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg

from bloqr_dagster import settings
from bloqr_dagster.build_errors.detectors import RuleSet, build_rules, load_user_rules
from bloqr_dagster.build_errors.stores import open_store
from bloqr_dagster.build_errors.stores.base import BuildStore
from bloqr_dagster.defs.resources import BloqrHome, bloqr_home

RESOURCE_KEY = "build_store"


class BuildStoreResource(dg.ConfigurableResource):
    """The build store the assets and sensors read (Postgres or the embedded SQLite file).

    It carries BLOQR_HOME too (for the lake folder), so this domain adds a single resource key
    to the merged code location.
    """

    url: str
    range_width: int = settings.DEFAULT_RANGE_WIDTH
    home: BloqrHome
    # The user rules file; default $BLOQR_RULES_FILE, else $BLOQR_HOME/rules.yaml when it exists.
    rules_file: str | None = None

    def open(self) -> BuildStore:
        """A new connection (creates the schema on first use); use as `with res.open() as store`."""
        return open_store(self.url)

    @property
    def lake_dir(self) -> Path:
        return self.home.paths.lake

    def rules(self) -> RuleSet:
        """The built-in rules merged with the user rules (read now: a run uses the file as it is)."""
        return build_rules(load_user_rules(self.rules_file, home=self.home.home))


def build_store() -> BuildStoreResource:
    """BLOQR_BUILD_STORE when set (resolved at run time), else the embedded store in BLOQR_HOME.

    The width is read when the code location loads: ranges of different widths must never be
    mixed on one instance, so changing BLOQR_RANGE_WIDTH means a fresh DAGSTER_HOME.
    """
    env_url = os.environ.get("BLOQR_BUILD_STORE")
    url = dg.EnvVar("BLOQR_BUILD_STORE") if env_url else settings.build_store_url()
    return BuildStoreResource(url=url, range_width=settings.range_width(), home=bloqr_home())


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(resources={RESOURCE_KEY: build_store()})
