"""Filter-list workflows in Dagster, one file per kind: assets.py (their steps are the ops in ops.py),
jobs.py, schedules.py, sensors.py, checks.py, resources.py. partitions.py keeps the dynamic
partitions in step with the registry, run_history.py turns Dagster's run records into the
workflow metrics, demo.py is the filter-list part of `bloqr demo`.

The defs folder loader (dg.load_from_defs_folder) finds the objects in those modules.
"""

import dagster as dg

MODULES = ("assets", "checks", "jobs", "schedules", "sensors")


def __getattr__(name: str) -> dg.Definitions:
    # `defs` for bloqr_dagster/definitions.py, until it loads the defs folder. Built on access, not at
    # import, so that the folder loader does not find the same objects twice.
    if name != "defs":
        raise AttributeError(name)
    import importlib
    import warnings

    from bloqr_dagster.defs.filterlists.resources import resources

    modules = [importlib.import_module(f"{__name__}.{m}") for m in MODULES]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", dg.PreviewWarning)
        return dg.Definitions.merge(dg.load_definitions_from_modules(modules), resources())
