"""Jobs: the asset jobs the schedules (and `dg launch --job`, GraphQL) target, the isolated compile,
and registering sources and configurations at run time.

Compiling, batch compiling and cache warming all materialize compiled_filter_lists partitions:
one partition, a backfill of many, or the popular ones on a schedule. `dagster/max_runtime` lets
run monitoring stop a run that hangs past every retry. The steps run in the run's own process: a
process per step costs more than these steps do (benchmarks/workflows.py).
"""

import dagster as dg

from bloqr_dagster.defs.filterlists import ops
from bloqr_dagster.defs.filterlists.run_history import COMPILED, HEALTH, ISOLATED_JOB

compile_job = dg.define_asset_job(
    "compile_job", selection=dg.AssetSelection.assets(COMPILED), tags={"dagster/max_runtime": 1200},
    executor_def=dg.in_process_executor,
    description="Materialize compiled_filter_lists partitions (one per named configuration); the cache warming "
                "schedule and batch backfills use it too.")

health_monitoring_job = dg.define_asset_job(
    "health_monitoring_job", selection=dg.AssetSelection.assets(HEALTH), tags={"dagster/max_runtime": 600},
    executor_def=dg.in_process_executor,
    description="Materialize source_health and evaluate its sources_healthy check (scheduled hourly).")


@dg.job(name=ISOLATED_JOB, tags={"dagster/max_runtime": 1200}, executor_def=dg.in_process_executor,
        description="Compile from pre-fetched sources, each step in a sandboxed child process: no network, "
                    "an empty environment, CPU and memory limits. Nothing is downloaded.")
def isolated_compile_job() -> None:
    validated = ops.validate_isolated()
    ops.cache_isolated(validated, ops.transform_isolated(validated))


@dg.job(executor_def=dg.in_process_executor,
        description="Register a filter-list source at run time (adds its raw_filter_lists partition).")
def register_filter_source_job() -> None:
    ops.register_filter_source()


@dg.job(executor_def=dg.in_process_executor,
        description="Register a named configuration at run time (adds its compiled_filter_lists partition).")
def register_filter_config_job() -> None:
    ops.register_filter_config()
