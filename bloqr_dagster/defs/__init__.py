"""Dagster wiring, one folder per domain: filterlists/, build_errors/, warehouse/.

Each domain package exposes `defs: dagster.Definitions`; bloqr_dagster/definitions.py merges them.
"""
