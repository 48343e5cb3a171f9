"""The filter-list sources and named configurations the workflows start with.

These seed the registry (registry.py): the `raw_filter_lists` partitions (one per source) and the
`compiled_filter_lists` partitions (one per configuration). More of either can be added at run time.
Expected minimum rule counts are about half of what each list held in 2026, so a truncated or
HTML error page served with status 200 is reported unhealthy while normal churn is not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SourceSpec:
    key: str  # partition key: lowercase letters, digits and underscores
    name: str
    url: str  # http(s) URL or a local path
    type: str = "adblock"  # "adblock" | "hosts"
    min_rules: int = 5  # health checks report fewer rules than this as unhealthy


DEFAULT_SOURCES: tuple[SourceSpec, ...] = (
    SourceSpec("easylist", "EasyList", "https://easylist.to/easylist/easylist.txt", "adblock", 30_000),
    SourceSpec("easyprivacy", "EasyPrivacy", "https://easylist.to/easylist/easyprivacy.txt", "adblock", 25_000),
    SourceSpec("adguard_base", "AdGuard Base",
               "https://filters.adtidy.org/extension/chromium/filters/2.txt", "adblock", 60_000),
    SourceSpec("adguard_tracking_protection", "AdGuard Tracking Protection",
               "https://filters.adtidy.org/extension/chromium/filters/3.txt", "adblock", 80_000),
    SourceSpec("peter_lowe", "Peter Lowe's list",
               "https://pgl.yoyo.org/adservers/serverlist.php?hostformat=hosts&mimetype=plaintext&useip=0.0.0.0",
               "hosts", 2_000),
)

# The transformations most published DNS blocklists use (see hostlist-compiler's README).
_DNS_TRANSFORMS = ["RemoveComments", "Compress", "Validate", "Deduplicate", "RemoveEmptyLines",
                   "TrimLines", "InsertFinalNewLine"]


def _single(spec: SourceSpec) -> dict[str, Any]:
    return {
        "name": spec.name,
        "description": f"{spec.name}, compiled for DNS-level blocking",
        "sources": [{"name": spec.name, "source": spec.url, "type": spec.type}],
        "transformations": list(_DNS_TRANSFORMS),
    }


_BY_KEY = {s.key: s for s in DEFAULT_SOURCES}

# Partition key -> configuration JSON (the same object `bloqr compile -c` reads). The first three are
# the lists cache warming keeps hot by default, as the replaced system did.
POPULAR_CONFIGS: dict[str, dict[str, Any]] = {
    "easylist": _single(_BY_KEY["easylist"]),
    "easyprivacy": _single(_BY_KEY["easyprivacy"]),
    "adguard_base": _single(_BY_KEY["adguard_base"]),
    "privacy_essentials": {
        "name": "Privacy essentials",
        "description": "EasyPrivacy, AdGuard Tracking Protection and Peter Lowe's list in one DNS blocklist",
        "sources": [
            {"name": s.name, "source": s.url, "type": s.type}
            for s in (_BY_KEY["easyprivacy"], _BY_KEY["adguard_tracking_protection"], _BY_KEY["peter_lowe"])
        ],
        "transformations": list(_DNS_TRANSFORMS),
    },
}

# What cache warming compiles when no configuration is named.
WARM_BY_DEFAULT: tuple[str, ...] = ("easylist", "easyprivacy", "adguard_base")
