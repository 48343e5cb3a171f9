"""Build stores: where builds and their logs live. `open_store(url)` picks the implementation.

    sqlite:///relative/path.sqlite   sqlite:////absolute/path.sqlite   (embedded, the default)
    postgresql://user@host:5432/db   (also postgres://)

The default URL comes from settings.build_store_url() (BLOQR_BUILD_STORE or BLOQR_HOME).
"""

from __future__ import annotations

from bloqr_dagster.build_errors.stores.base import (
    FAILED_STAGES,
    STATUSES,
    Build,
    BuildStore,
    LogLine,
    PackedLog,
    redact_url,
)
from bloqr_dagster.errors import BloqrError

__all__ = ["FAILED_STAGES", "STATUSES", "Build", "BuildStore", "LogLine", "PackedLog", "open_store"]


def open_store(url: str, *, create: bool = True) -> BuildStore:
    """Open the store at `url`; with `create`, make its schema when it has none yet."""
    store: BuildStore
    if url.startswith("sqlite:///"):
        path = url[len("sqlite:///"):]
        if not path or path.endswith("/"):
            raise BloqrError(f"build store {url}: no file path after sqlite:///")
        from bloqr_dagster.build_errors.stores.sqlite import SqliteBuildStore

        store = SqliteBuildStore(path, url)
    elif url.startswith(("postgresql://", "postgres://")):
        from bloqr_dagster.build_errors.stores.postgres import PostgresBuildStore

        store = PostgresBuildStore(url)
    else:
        scheme = url.split("://", 1)[0] if "://" in url else url
        raise BloqrError(f"build store {redact_url(url)!r}: unsupported URL scheme {scheme!r} "
                         "(use sqlite:///PATH or postgresql://USER@HOST:PORT/DB)")
    if create:
        try:
            if not store.has_schema():
                store.ensure_schema()
        except BaseException:
            store.close()
            raise
    return store
