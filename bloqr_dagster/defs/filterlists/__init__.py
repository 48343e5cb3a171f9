"""Filter-list workflows in Dagster, one file per kind: assets.py (their steps are the ops in ops.py),
jobs.py, schedules.py, sensors.py, checks.py, resources.py. partitions.py keeps the dynamic
partitions in step with the registry, run_history.py turns Dagster's run records into the
workflow metrics, demo.py is the filter-list part of `bloqr demo`.

The defs folder loader (dg.load_from_defs_folder) finds the objects in those modules.
"""
