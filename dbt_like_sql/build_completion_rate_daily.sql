/*
description: >
  Per UTC day: how far builds of every status got (started, reached the install step, reached
  the build or deploy step, marked stopped, succeeded) and each as a share of builds started.
  Summed over every build-ID range that has builds on that day.
materialized: table
columns:
  day: UTC day the builds were created.
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
  - unique: day
  - not_null: [day, started]
  - expression: install_rate between 0 and 1
  - expression: build_or_deploy_rate between 0 and 1
  - expression: stopped_rate between 0 and 1
  - expression: success_rate between 0 and 1
*/
WITH days AS (
    SELECT
        day,
        sum(builds_started)::BIGINT AS started,
        sum(attempted_install)::BIGINT AS attempted_install,
        sum(attempted_build_or_deploy)::BIGINT AS attempted_build_or_deploy,
        sum(marked_stopped)::BIGINT AS marked_stopped,
        sum(succeeded)::BIGINT AS succeeded,
        sum(failed)::BIGINT AS failed,
        sum(canceled)::BIGINT AS canceled
    FROM {{ source('lake', 'build_stats') }}
    GROUP BY day
)
SELECT
    *,
    attempted_install / nullif(started, 0)::DOUBLE AS install_rate,
    attempted_build_or_deploy / nullif(started, 0)::DOUBLE AS build_or_deploy_rate,
    marked_stopped / nullif(started, 0)::DOUBLE AS stopped_rate,
    succeeded / nullif(started, 0)::DOUBLE AS success_rate
FROM days
ORDER BY day
