/*
description: >
  Per UTC day and primary error code: failed builds and their share of that day's failed builds
  ('uncategorised' included, so each day's shares add up to 1).
materialized: table
columns:
  day: UTC day the builds were created.
  error_code: Primary error category, or 'uncategorised'.
  builds: Failed builds with this primary error that day.
  share: builds / all failed builds of that day.
tests:
  - not_null: [day, error_code, builds, share]
  - unique: [day, error_code]
  - expression: share > 0 and share <= 1
*/
SELECT
    day,
    error_code,
    count(*) AS builds,
    count(*) / sum(count(*)) OVER (PARTITION BY day)::DOUBLE AS share
FROM {{ ref('build_primary_errors') }}
GROUP BY day, error_code
ORDER BY day, builds DESC, error_code
