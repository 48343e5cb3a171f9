"""The one resource the filter-list workflows use: where state lives and how they talk HTTP."""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg

from bloqr_dagster.defs.resources import BloqrHome, bloqr_home
from bloqr_dagster.filterlists.cache_store import CompiledCache
from bloqr_dagster.filterlists.fetch import HttpFetcher
from bloqr_dagster.filterlists.health import ALERT_AFTER_FAILURES, SLOW_AFTER_SECONDS, HealthHistory
from bloqr_dagster.filterlists.isolated import Limits
from bloqr_dagster.filterlists.registry import Registry

RESOURCE_KEY = "filterlists"
WEBHOOK_ENV = "BLOQR_ALERT_WEBHOOK"


class FilterListsResource(dg.ConfigurableResource):
    """State under BLOQR_HOME (cache, state.sqlite, lake) and the HTTP/limit settings of the steps."""

    home: BloqrHome
    base_dir: str = ""  # local sources resolve against this directory (default: the working dir)
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    max_bytes: int = 50 * 1024 * 1024
    health_timeout: float = 120.0  # the 2-minute budget of one health check
    slow_after_seconds: float = SLOW_AFTER_SECONDS
    alert_threshold: int = ALERT_AFTER_FAILURES
    alert_webhook: str = ""  # empty: read BLOQR_ALERT_WEBHOOK when the run starts
    compile_timeout: float = 300.0  # the 5-minute budget of one compile step
    isolated_cpu_seconds: int = 300
    isolated_memory_mb: int = 2048
    retry_delay_scale: float | None = None  # None: BLOQR_RETRY_DELAY_SCALE (default 1)
    seed_defaults: bool = True  # register the default sources and popular configurations on first use

    @property
    def cache_dir(self) -> Path:
        return self.home.paths.cache_dir

    @property
    def state_db(self) -> Path:
        return self.home.paths.state_db

    @property
    def lake(self) -> Path:
        return self.home.paths.lake

    @property
    def sources_dir(self) -> Path:
        return Path(self.base_dir or os.getcwd())

    def registry(self) -> Registry:
        registry = Registry(self.state_db)
        if self.seed_defaults:
            registry.seed_defaults()
        return registry

    def cache(self) -> CompiledCache:
        return CompiledCache(self.cache_dir)

    def history(self) -> HealthHistory:
        return HealthHistory(self.state_db)

    def fetcher(self, *, read_timeout: float | None = None) -> HttpFetcher:
        """An HttpFetcher whose conditional-GET cache (ETag/Last-Modified) lives in cache/http."""
        return HttpFetcher(connect_timeout=self.connect_timeout, read_timeout=read_timeout or self.read_timeout,
                           max_bytes=self.max_bytes, cache_dir=self.cache_dir / "http")

    def webhook_url(self) -> str | None:
        return self.alert_webhook or os.environ.get(WEBHOOK_ENV) or None

    def delay_scale(self) -> float:
        """Scale of the in-step retry delays (batch items); the RetryPolicies use the same setting."""
        from bloqr_dagster.defs.filterlists.runtime import delay_scale

        return delay_scale() if self.retry_delay_scale is None else self.retry_delay_scale

    def isolated_limits(self) -> Limits:
        return Limits(cpu_seconds=self.isolated_cpu_seconds, memory_bytes=self.isolated_memory_mb * 1024**2,
                      wall_seconds=self.isolated_cpu_seconds + 60)


def filterlists_resource(**overrides: object) -> FilterListsResource:
    return FilterListsResource(home=overrides.pop("home", None) or bloqr_home(), **overrides)
