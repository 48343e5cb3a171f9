/*
description: >
  Staging: one row per step of a finished filter-list workflow run (asset
  filterlists/workflow_step_metrics): when it started and finished, how many attempts it took, and
  why it failed. Steps of graph-backed assets are named `<asset>.<op>`, e.g.
  `filterlists__compiled_filter_lists.compile_sources`.
materialized: table
columns:
  run_id: Dagster run id.
  workflow: The run's workflow (see stg_workflow_runs).
  step_key: Dagster step key.
  step: The op's name (the part after the last '.'), or the step key.
  status: SUCCESS, FAILURE, or STARTED when the run ended during the step.
  day: UTC day the step started.
  started_at: First attempt's start (UTC).
  finished_at: Last attempt's end (UTC).
  duration_s: From first start to last end, retries and their waits included.
  attempts: Attempts (1 + retries).
  error: Why the step failed.
tests:
  - unique: [run_id, step_key]
  - not_null: [run_id, workflow, step_key, status, started_at, attempts]
  - expression: attempts >= 1
*/
SELECT
    run_id,
    workflow,
    step_key,
    regexp_extract(step_key, '([^.]+)$', 1) AS step,
    status,
    (started_at AT TIME ZONE 'UTC')::DATE AS day,
    started_at,
    finished_at,
    duration_s,
    attempts,
    error
FROM {{ source('lake', 'workflow_steps') }}
ORDER BY started_at, run_id, step_key
