/*
description: >
  Error groups (masked message shapes) ranked by how many failed builds they are the root cause
  (primary error) of, then by how many failed builds they appear in, with an example line. Every
  detected error is counted, so a platform's stage summary ("Failed: ...") appears too, but it is
  never a primary error and ranks below the root causes; 'uncategorised' is left out (see
  categorization_coverage). Ties share a rank.
materialized: table
columns:
  rank: 1 = the root cause of the most failed builds (then builds, then occurrences; ties share a rank).
  error_code: Taxonomy category.
  error_group: Masked error message shape.
  builds: Failed builds with at least one line in this group.
  primary_builds: Builds where this group is the primary error.
  occurrences: Matching lines over all builds.
  first_seen: Creation time of the earliest build with this group.
  last_seen: Creation time of the latest build with this group.
  example: A masked sample line, from the latest occurrence.
tests:
  - not_null: [rank, error_code, error_group, example]
  - unique: [error_code, error_group]
  - expression: builds between 1 and occurrences
  - expression: primary_builds <= builds
  - expression: first_seen <= last_seen
*/
WITH groups AS (
    SELECT
        error_code,
        error_group,
        count(DISTINCT build_id) AS builds,
        count(DISTINCT build_id) FILTER (WHERE is_primary) AS primary_builds,
        count(*) AS occurrences,
        min(created_at) AS first_seen,
        max(created_at) AS last_seen,
        arg_max(sample_line, (created_at, build_id, line_no)) AS example
    FROM {{ ref('stg_build_errors') }}
    WHERE error_code IS DISTINCT FROM 'uncategorised'  -- keeps a null code, so not_null can catch it
    GROUP BY error_code, error_group
)
SELECT
    rank() OVER (ORDER BY primary_builds DESC, builds DESC, occurrences DESC) AS rank,
    error_code,
    error_group,
    builds,
    primary_builds,
    occurrences,
    first_seen,
    last_seen,
    example
FROM groups
ORDER BY rank, error_code, error_group
