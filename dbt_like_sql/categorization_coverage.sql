/*
description: >
  Overall categorisation coverage: one row with the failed builds the detectors processed, how
  many got a category, and the share. awaiting_detection counts failed builds in the lake that
  have not been categorised yet (their range's detector run is pending).
materialized: table
columns:
  failed_builds: Failed builds the detectors processed.
  categorised: Builds with a primary error category.
  uncategorised: Builds no detector rule matched.
  coverage: categorised / failed_builds (null when there are none).
  awaiting_detection: Failed builds in the lake without a categorisation yet.
  first_day: Earliest UTC build day covered.
  last_day: Latest UTC build day covered.
tests:
  - not_null: [failed_builds, awaiting_detection]
  - expression: categorised + uncategorised = failed_builds
  - expression: coverage between 0 and 1
*/
WITH totals AS (
    SELECT
        count(*) AS failed_builds,
        count(*) FILTER (WHERE error_code <> 'uncategorised') AS categorised,
        count(*) FILTER (WHERE error_code = 'uncategorised') AS uncategorised,
        min(day) AS first_day,
        max(day) AS last_day
    FROM {{ ref('build_primary_errors') }}
),
pending AS (
    SELECT count(*) AS awaiting_detection
    FROM {{ source('lake', 'failed_builds') }} AS f
    WHERE f.build_id NOT IN (SELECT build_id FROM {{ ref('build_primary_errors') }})
)
SELECT
    failed_builds,
    categorised,
    uncategorised,
    categorised / nullif(failed_builds, 0)::DOUBLE AS coverage,
    awaiting_detection,
    first_day,
    last_day
FROM totals, pending
