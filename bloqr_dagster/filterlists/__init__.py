"""Filter-list domain library: configuration, download, transformations, compiler, cache, health.

No Dagster imports here; the Dagster wiring lives in bloqr_dagster/defs/filterlists.
"""
