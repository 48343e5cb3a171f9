"""The one resource of the filter-list steps: where state lives, the HTTP limits, budgets and retries.

Deployment settings come from the environment (BLOQR_HOME, BLOQR_SOURCES_DIR, BLOQR_ALERT_WEBHOOK);
everything else can be changed in the launchpad's resource config. Tests build their own
Definitions with a FilterListsResource of their own.
"""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg

from bloqr_dagster.defs.resources import BloqrHome, bloqr_home
from bloqr_dagster.filterlists.cache_store import CompiledCache
from bloqr_dagster.filterlists.deadline import FetcherSettings
from bloqr_dagster.filterlists.defaults import WARM_BY_DEFAULT
from bloqr_dagster.filterlists.fetch import HttpFetcher
from bloqr_dagster.filterlists.health import ALERT_AFTER_FAILURES, SLOW_AFTER_SECONDS, HealthHistory
from bloqr_dagster.filterlists.isolated import Limits
from bloqr_dagster.filterlists.registry import Registry
from bloqr_dagster.settings import Paths

RESOURCE_KEY = "filterlists"


class FilterListsResource(dg.ConfigurableResource):
    """State under BLOQR_HOME (cache, state.sqlite, lake) and the settings of the workflow steps."""

    home: BloqrHome
    sources_dir: str = ""  # local sources resolve only inside this folder (default: $BLOQR_HOME/sources)
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    max_bytes: int = 50 * 1024 * 1024
    compile_timeout: float = 300.0  # one compile's budget: the compile process is killed after it
    retry_delay: float = 30.0  # first retry of a failed download or store; doubles, +-25 % jitter
    health_timeout: float = 120.0  # the 2-minute budget of one health check
    slow_after_seconds: float = SLOW_AFTER_SECONDS
    alert_threshold: int = ALERT_AFTER_FAILURES
    alert_webhook: str = ""  # where alerts are POSTed (BLOQR_ALERT_WEBHOOK); empty: not sent
    warm_configurations: list[str] = list(WARM_BY_DEFAULT)  # what the cache-warming schedule compiles
    isolated_cpu_seconds: int = 300
    isolated_memory_mb: int = 2048
    seed_defaults: bool = True  # register the default sources and popular configurations on first use

    @property
    def paths(self) -> Paths:
        return self.home.paths

    @property
    def cache_dir(self) -> Path:
        return self.paths.cache_dir

    @property
    def lake(self) -> Path:
        return self.paths.lake

    @property
    def sources_root(self) -> Path:
        return Path(self.sources_dir) if self.sources_dir else self.paths.home / "sources"

    def registry(self) -> Registry:
        registry = Registry(self.paths.state_db)
        if self.seed_defaults:
            registry.seed_defaults()
        return registry

    def cache(self) -> CompiledCache:
        return CompiledCache(self.cache_dir)

    def history(self) -> HealthHistory:
        return HealthHistory(self.paths.state_db)

    def fetcher_settings(self, read_timeout: float | None = None) -> FetcherSettings:
        """The conditional-GET cache (ETag / Last-Modified) in cache/http is shared by every step, so
        a list raw_filter_lists downloaded is answered with a 304 when a compile asks again."""
        return FetcherSettings(connect_timeout=self.connect_timeout, read_timeout=read_timeout or self.read_timeout,
                               max_bytes=self.max_bytes, cache_dir=str(self.cache_dir / "http"))

    def fetcher(self, read_timeout: float | None = None) -> HttpFetcher:
        settings = self.fetcher_settings(read_timeout)
        return HttpFetcher(connect_timeout=settings.connect_timeout, read_timeout=settings.read_timeout,
                           max_bytes=settings.max_bytes, cache_dir=settings.cache_dir)

    def isolated_limits(self) -> Limits:
        return Limits(cpu_seconds=self.isolated_cpu_seconds, memory_bytes=self.isolated_memory_mb * 1024**2,
                      wall_seconds=self.isolated_cpu_seconds + 60)


def _from_env(name: str) -> str | dg.EnvVar:
    """An EnvVar (read when a run starts) when the variable is set where the code location loads."""
    return dg.EnvVar(name) if name in os.environ else ""


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(resources={RESOURCE_KEY: FilterListsResource(
        home=bloqr_home(), sources_dir=_from_env("BLOQR_SOURCES_DIR"),
        alert_webhook=_from_env("BLOQR_ALERT_WEBHOOK"))})
