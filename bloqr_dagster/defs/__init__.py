"""Dagster wiring, one folder per domain: filterlists/, builderrors/, warehouse/.

Each domain package exposes `defs: dagster.Definitions`; bloqr_dagster/definitions.py merges them.
"""
