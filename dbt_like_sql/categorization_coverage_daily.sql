/*
description: >
  Per UTC day: how many categorised failed builds got a primary error category, and the share
  (coverage) of them. The days sum up to categorization_coverage.
materialized: table
columns:
  day: UTC day the builds were created.
  failed_builds: Failed builds the detectors processed.
  categorised: Builds with a primary error category.
  uncategorised: Builds no detector rule matched.
  coverage: categorised / failed_builds.
tests:
  - unique: day
  - not_null: [day, failed_builds, coverage]
  - expression: categorised + uncategorised = failed_builds
  - expression: coverage between 0 and 1
*/
SELECT
    day,
    count(*) AS failed_builds,
    count(*) FILTER (WHERE error_code <> 'uncategorised') AS categorised,
    count(*) FILTER (WHERE error_code = 'uncategorised') AS uncategorised,
    count(*) FILTER (WHERE error_code <> 'uncategorised') / count(*)::DOUBLE AS coverage
FROM {{ ref('build_primary_errors') }}
GROUP BY day
ORDER BY day
