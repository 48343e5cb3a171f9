"""Build-failure domain library: build stores, the log generator, and the detector engine.

No Dagster imports here; the Dagster wiring lives in bloqr_dagster/defs/build_errors.
"""
