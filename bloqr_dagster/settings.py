"""Where the project keeps its state on disk. No Dagster import: libraries and the CLI use it too.

Everything lives under BLOQR_HOME (default `.bloqr` in the working directory):

    builds.sqlite      embedded build store (when BLOQR_BUILD_STORE is not a postgres URL)
    lake/<table>/      Parquet files written atomically by the assets (see warehouse/lake.py)
    warehouse.duckdb   the published DuckDB warehouse, replaced atomically on every build
    cache/             compiled filter lists (content-addressed) and the conditional-GET cache
    state.sqlite       filter-list workflow state (cache index, health history)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_RANGE_WIDTH = 10_000
# Mode of the data files readers open: the lake's Parquet files and the published warehouse. Set
# explicitly (not left to the umask or to mkstemp's 0600) so that both get the same one, and an
# analyst's or a BI tool's account in the owner's group or beyond can read what the pipeline wrote.
# Nothing secret lands there: sample lines are masked and the privacy check blocks a publish.
DATA_FILE_MODE = 0o644


@dataclass(frozen=True)
class Paths:
    home: Path

    @property
    def builds_db(self) -> Path:
        return self.home / "builds.sqlite"

    @property
    def lake(self) -> Path:
        return self.home / "lake"

    @property
    def warehouse(self) -> Path:
        return self.home / "warehouse.duckdb"

    @property
    def cache_dir(self) -> Path:
        return self.home / "cache"

    @property
    def state_db(self) -> Path:
        return self.home / "state.sqlite"


def bloqr_home() -> Path:
    return Path(os.environ.get("BLOQR_HOME") or ".bloqr").resolve()


def paths(home: str | Path | None = None) -> Paths:
    return Paths(Path(home).resolve() if home else bloqr_home())


def build_store_url(home: str | Path | None = None) -> str:
    """BLOQR_BUILD_STORE (a postgresql:// URL or sqlite:///path), else the embedded store."""
    url = os.environ.get("BLOQR_BUILD_STORE")
    return url or f"sqlite:///{paths(home).builds_db}"


def range_width() -> int:
    raw = os.environ.get("BLOQR_RANGE_WIDTH", str(DEFAULT_RANGE_WIDTH))
    try:
        width = int(raw)
    except ValueError:
        raise ValueError(f"BLOQR_RANGE_WIDTH: not an integer: {raw!r}") from None
    if width <= 0:
        raise ValueError(f"BLOQR_RANGE_WIDTH: must be positive, got {width}")
    return width
