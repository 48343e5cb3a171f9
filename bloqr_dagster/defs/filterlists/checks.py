"""Asset checks beyond the source_health check declared on the asset itself."""

import gzip
import hashlib

import dagster as dg

from bloqr_dagster.defs.filterlists.resources import FilterListsResource


@dg.asset_check(asset=dg.AssetKey(["filterlists", "compiled_filter_lists"]), name="cache_objects_intact",
                description="Every configuration's latest cached list exists and hashes to its cache key.")
def cache_objects_intact(filterlists: FilterListsResource) -> dg.AssetCheckResult:
    cache = filterlists.cache()
    broken = []
    entries = cache.list_latest()
    for entry in entries:
        path = cache.object_path(entry.cache_key)
        try:
            digest = hashlib.sha256(gzip.decompress(path.read_bytes())).hexdigest()
        except (OSError, EOFError, gzip.BadGzipFile) as exc:
            broken.append(f"{entry.config_name}: {type(exc).__name__}")
            continue
        if digest != entry.cache_key:
            broken.append(f"{entry.config_name}: content does not match key {entry.cache_key[:12]}")
    return dg.AssetCheckResult(passed=not broken, metadata={"entries": len(entries), "broken": broken},
                               description="; ".join(broken) or "all cached lists intact")
