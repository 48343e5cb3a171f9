"""Asset checks: the sources' alert streaks, and the compiled cache's integrity."""

import gzip
import hashlib

import dagster as dg

from bloqr_dagster.defs.filterlists.ops import latest_health
from bloqr_dagster.defs.filterlists.resources import FilterListsResource
from bloqr_dagster.defs.filterlists.run_history import COMPILED, HEALTH


@dg.asset_check(asset=HEALTH, name="sources_healthy",
                description="No registered source has failed its last 3 health checks in a row.")
def sources_healthy(filterlists: FilterListsResource) -> dg.AssetCheckResult:
    latest = latest_health(filterlists)
    failing = [r for r in latest.values() if r and r.consecutive_failures >= filterlists.alert_threshold]
    return dg.AssetCheckResult(
        passed=not failing, severity=dg.AssetCheckSeverity.ERROR,
        description="; ".join(f"{r.source}: {r.consecutive_failures} failures in a row ({r.error})" for r in failing)
        or f"no source in an alert streak ({len(latest)} registered)",
        metadata={"sources": len(latest), "alerting": [r.source for r in failing]})


@dg.asset_check(asset=COMPILED, name="cache_objects_intact",
                description="Every configuration's latest cached list exists and hashes to its cache key.")
def cache_objects_intact(filterlists: FilterListsResource) -> dg.AssetCheckResult:
    cache = filterlists.cache()
    broken = []
    entries = cache.list_latest()
    for entry in entries:
        try:
            digest = hashlib.sha256(gzip.decompress(cache.object_path(entry.cache_key).read_bytes())).hexdigest()
        except (OSError, EOFError, gzip.BadGzipFile) as exc:
            broken.append(f"{entry.config_name}: {type(exc).__name__}")
            continue
        if digest != entry.cache_key:
            broken.append(f"{entry.config_name}: content does not match key {entry.cache_key[:12]}")
    return dg.AssetCheckResult(passed=not broken, metadata={"entries": len(entries), "broken": broken},
                               description="; ".join(broken) or "all cached lists intact")
