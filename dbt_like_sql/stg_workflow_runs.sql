/*
description: >
  Staging: one row per finished filter-list workflow run, exported from the Dagster instance's run
  and event records (asset filterlists/workflow_metrics), with its UTC day. Counters a workflow does
  not use are 0.
materialized: table
columns:
  run_id: Dagster run id.
  workflow: compile, batch_compile, cache_warming, health_monitoring, isolated_compile or fetch_sources.
  trigger: What started the run (schedule, backfill, sensor or manual).
  partition: The configuration (compile workflows) or source (fetch_sources) the run materialized.
  status: Dagster run status (SUCCESS, FAILURE or CANCELED).
  day: UTC day the run started.
  started_at: Start time (UTC).
  finished_at: End time (UTC).
  duration_s: Run time in seconds.
  succeeded: Whether the run succeeded.
  configurations: Configurations compiled.
  configurations_warmed: Configurations recompiled by cache warming (not cache hits).
  cache_hits: Compiles served from the cache.
  sources_checked: Sources checked (health_monitoring).
  sources_healthy: Checked sources found healthy (health_monitoring).
  alerts: Alerts sent (health_monitoring).
  steps: Steps that ran.
  retries: Step retries.
  error: The first failed step and its error, for a failed run.
tests:
  - unique: run_id
  - not_null: [run_id, workflow, started_at, succeeded]
  - accepted_values: {column: workflow, values: [compile, batch_compile, cache_warming, health_monitoring, isolated_compile, fetch_sources]}
*/
SELECT
    run_id,
    workflow,
    trigger,
    partition,
    status,
    (started_at AT TIME ZONE 'UTC')::DATE AS day,
    started_at,
    finished_at,
    duration_s,
    succeeded,
    coalesce(configurations, 0) AS configurations,
    coalesce(configurations_warmed, 0) AS configurations_warmed,
    coalesce(cache_hits, 0) AS cache_hits,
    coalesce(sources_checked, 0) AS sources_checked,
    coalesce(sources_healthy, 0) AS sources_healthy,
    coalesce(alerts, 0) AS alerts,
    coalesce(steps, 0) AS steps,
    coalesce(retries, 0) AS retries,
    error
FROM {{ source('lake', 'workflow_runs') }}
ORDER BY started_at, run_id
