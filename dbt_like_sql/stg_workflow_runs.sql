/*
description: >
  Staging: one row per filter-list workflow run (compile, batch_compile, cache_warming,
  health_monitoring, isolated_compile) with its UTC day. Counters a workflow does not use are 0.
materialized: table
columns:
  run_id: Run id.
  workflow: compile, batch_compile, cache_warming, health_monitoring or isolated_compile.
  trigger: What started the run (schedule, manual, sensor or backfill).
  day: UTC day the run started.
  started_at: Start time (UTC).
  finished_at: End time (UTC).
  duration_s: Run time in seconds.
  succeeded: Whether the run succeeded.
  configurations: Configurations compiled (compile, batch_compile, isolated_compile).
  configurations_warmed: Configurations warmed (cache_warming).
  cache_hits: Compiles served from the cache.
  sources_checked: Sources checked (health_monitoring).
  sources_healthy: Sources found healthy (health_monitoring).
  alerts: Alerts raised (health_monitoring).
  error: Error message of a failed run.
tests:
  - unique: run_id
  - not_null: [run_id, workflow, started_at, succeeded]
  - accepted_values: {column: workflow, values: [compile, batch_compile, cache_warming, health_monitoring, isolated_compile]}
*/
SELECT
    run_id,
    workflow,
    trigger,
    (started_at AT TIME ZONE 'UTC')::DATE AS day,
    started_at,
    finished_at,
    duration_s,
    succeeded,
    configurations,
    configurations_warmed,
    cache_hits,
    sources_checked,
    sources_healthy,
    alerts,
    error
FROM {{ source('lake', 'workflow_runs') }}
ORDER BY started_at, run_id
