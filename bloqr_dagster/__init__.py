"""bloqr_dagster: filter-list compilation and build-failure analytics as a Dagster code location."""

__version__ = "0.1.0"
