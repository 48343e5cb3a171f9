"""The code location's default executor, which UI-launched work (backfills, Materialize) uses.

In-process by measurement (benchmarks/backfill_executors.py, README "Executor"): the build-error
and filter-list steps run one after the other anyway, so a process per step only adds start-up
seconds per step, and the multiprocess executor's loop polls without sleeping while a step waits
out its RetryPolicy delay (a core spent busy-waiting); the in-process executor sleeps.
BLOQR_EXECUTOR=multiprocess switches it back, for the benchmark or for a location with
parallel steps.
"""

from __future__ import annotations

import os

import dagster as dg

EXECUTOR_ENV = "BLOQR_EXECUTOR"
EXECUTORS = {"in_process": dg.in_process_executor, "multiprocess": dg.multiprocess_executor}


def location_executor() -> dg.ExecutorDefinition:
    choice = os.environ.get(EXECUTOR_ENV, "in_process").strip() or "in_process"
    if choice not in EXECUTORS:
        raise ValueError(f"{EXECUTOR_ENV}: unknown executor {choice!r} (use in_process or multiprocess)")
    return EXECUTORS[choice]


@dg.definitions
def executor() -> dg.Definitions:
    # Found by the defs-folder loader like every domain's resources.
    return dg.Definitions(executor=location_executor())
