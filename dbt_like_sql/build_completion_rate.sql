/*
description: >
  The build completion funnel over every day in the lake, one row: the daily counts of
  build_completion_rate_daily summed, and each as a share of builds started.
materialized: table
columns:
  first_day: Earliest UTC day with builds.
  last_day: Latest UTC day with builds.
  days: Days with builds.
  started: Builds started.
  attempted_install: Builds that reached the install step.
  attempted_build_or_deploy: Builds that reached the build or deploy step.
  marked_stopped: Builds marked stopped.
  succeeded: Builds that succeeded.
  failed: Builds that failed.
  canceled: Builds that were canceled.
  install_rate: attempted_install / started.
  build_or_deploy_rate: attempted_build_or_deploy / started.
  stopped_rate: marked_stopped / started.
  success_rate: succeeded / started.
tests:
  - not_null: [days]
  - expression: success_rate between 0 and 1
  - expression: install_rate between 0 and 1
*/
WITH totals AS (
    SELECT
        min(day) AS first_day,
        max(day) AS last_day,
        count(*) AS days,
        sum(started)::BIGINT AS started,
        sum(attempted_install)::BIGINT AS attempted_install,
        sum(attempted_build_or_deploy)::BIGINT AS attempted_build_or_deploy,
        sum(marked_stopped)::BIGINT AS marked_stopped,
        sum(succeeded)::BIGINT AS succeeded,
        sum(failed)::BIGINT AS failed,
        sum(canceled)::BIGINT AS canceled
    FROM {{ ref('build_completion_rate_daily') }}
)
SELECT
    *,
    attempted_install / nullif(started, 0)::DOUBLE AS install_rate,
    attempted_build_or_deploy / nullif(started, 0)::DOUBLE AS build_or_deploy_rate,
    marked_stopped / nullif(started, 0)::DOUBLE AS stopped_rate,
    succeeded / nullif(started, 0)::DOUBLE AS success_rate
FROM totals
