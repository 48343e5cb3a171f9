"""Dagster wiring, one folder per domain: filterlists/, build_errors/, warehouse/.

bloqr_dagster/definitions.py loads this folder with dg.load_from_defs_folder: every module's
assets, checks, jobs, schedules and sensors, and the resources of each `@dg.definitions` function
in a resources.py. Package __init__ files hold no Dagster objects, so nothing is found twice.
"""
