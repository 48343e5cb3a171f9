/*
description: >
  One row per filter-list workflow: runs, outcomes and durations, how runs were triggered, step
  retries, and the workflow's own counters summed over its runs: configurations compiled (compile,
  batch_compile, cache_warming, isolated_compile), configurations warmed and cache hits, sources
  checked/healthy and alerts (health_monitoring). A counter a workflow does not use is 0.
materialized: table
columns:
  workflow: compile, batch_compile, cache_warming, health_monitoring, isolated_compile or fetch_sources.
  runs: Runs in the lake.
  succeeded: Runs that succeeded.
  failed: Runs that failed.
  success_rate: succeeded / runs.
  avg_duration_s: Mean run time in seconds.
  max_duration_s: Longest run time in seconds.
  scheduled_runs: Runs started by a schedule.
  manual_runs: Runs started by hand.
  backfill_runs: Runs of a backfill (batch compiles).
  retries: Step retries over the runs.
  configurations_compiled: Sum of configurations over the runs.
  configurations_warmed: Sum of configurations warmed.
  cache_hits: Sum of cache hits.
  sources_checked: Sum of sources checked.
  sources_healthy: Sum of sources found healthy.
  alerts: Sum of alerts raised.
  first_run_at: Start of the earliest run.
  last_run_at: Start of the latest run.
  last_run_succeeded: Outcome of the latest run.
  last_error: Error of the latest failed run.
tests:
  - unique: workflow
  - not_null: [workflow, runs, last_run_at]
  - expression: succeeded + failed = runs
  - expression: sources_healthy <= sources_checked
*/
SELECT
    workflow,
    count(*) AS runs,
    count(*) FILTER (WHERE succeeded) AS succeeded,
    count(*) FILTER (WHERE NOT succeeded) AS failed,
    count(*) FILTER (WHERE succeeded) / count(*)::DOUBLE AS success_rate,
    avg(duration_s) AS avg_duration_s,
    max(duration_s) AS max_duration_s,
    count(*) FILTER (WHERE trigger = 'schedule') AS scheduled_runs,
    count(*) FILTER (WHERE trigger = 'manual') AS manual_runs,
    count(*) FILTER (WHERE trigger = 'backfill') AS backfill_runs,
    sum(retries)::BIGINT AS retries,
    coalesce(sum(configurations), 0)::BIGINT AS configurations_compiled,
    coalesce(sum(configurations_warmed), 0)::BIGINT AS configurations_warmed,
    coalesce(sum(cache_hits), 0)::BIGINT AS cache_hits,
    coalesce(sum(sources_checked), 0)::BIGINT AS sources_checked,
    coalesce(sum(sources_healthy), 0)::BIGINT AS sources_healthy,
    coalesce(sum(alerts), 0)::BIGINT AS alerts,
    min(started_at) AS first_run_at,
    max(started_at) AS last_run_at,
    arg_max(succeeded, (started_at, run_id)) AS last_run_succeeded,
    arg_max(error, (started_at, run_id)) FILTER (WHERE NOT succeeded) AS last_error
FROM {{ ref('stg_workflow_runs') }}
GROUP BY workflow
ORDER BY workflow
