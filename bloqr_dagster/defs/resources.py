"""Resources every domain shares."""

from __future__ import annotations

import os

import dagster as dg

from bloqr_dagster import settings

# Run config for in-process runs started from the CLI (`bloqr demo`): the runs' events still go to
# the instance, where the UI shows them; the terminal only gets warnings.
QUIET_RUN_CONFIG: dict = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


class BloqrHome(dg.ConfigurableResource):
    """Where the lake, the DuckDB warehouse, the caches and the embedded build store live."""

    home: str

    @property
    def paths(self) -> settings.Paths:
        return settings.paths(self.home)


def bloqr_home() -> BloqrHome:
    """From BLOQR_HOME when set (resolved when a run starts), else `.bloqr` in the working dir."""
    if "BLOQR_HOME" in os.environ:
        return BloqrHome(home=dg.EnvVar("BLOQR_HOME"))
    return BloqrHome(home=str(settings.bloqr_home()))


def env_or_empty(name: str) -> str | dg.EnvVar:
    """An EnvVar (read when a run or tick starts) when the variable is set where the code loads, else ""."""
    return dg.EnvVar(name) if name in os.environ else ""
