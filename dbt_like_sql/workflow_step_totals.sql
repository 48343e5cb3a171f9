/*
description: >
  One row per filter-list workflow and step: how often it ran, failed and was retried, and how long
  it took (mean, 95th percentile, longest). Where a workflow spends its time, and which step fails.
materialized: table
columns:
  workflow: The workflow (see stg_workflow_runs).
  step: The op's name.
  runs: Runs in which the step ran.
  failed: Runs in which the step failed for good.
  retried: Runs in which the step needed more than one attempt.
  avg_duration_s: Mean duration in seconds.
  p95_duration_s: 95th percentile duration in seconds.
  max_duration_s: Longest duration in seconds.
  last_error: Error of the latest failure.
tests:
  - unique: [workflow, step]
  - not_null: [workflow, step, runs]
  - expression: failed <= runs
  - expression: retried <= runs
*/
SELECT
    workflow,
    step,
    count(*) AS runs,
    count(*) FILTER (WHERE status = 'FAILURE') AS failed,
    count(*) FILTER (WHERE attempts > 1) AS retried,
    avg(duration_s) AS avg_duration_s,
    quantile_cont(duration_s, 0.95) AS p95_duration_s,
    max(duration_s) AS max_duration_s,
    arg_max(error, started_at) FILTER (WHERE status = 'FAILURE') AS last_error
FROM {{ ref('stg_workflow_steps') }}
GROUP BY workflow, step
ORDER BY workflow, step
