/*
description: >
  Staging: every error the detectors found in categorised failed builds, one row per detected
  error, with the UTC day of the build. A failed build without a recognised error has a single
  row with error_code 'uncategorised'. Lines are masked by the detectors; no account ids.
materialized: table
columns:
  build_id: CI build id.
  created_at: When the build was created (UTC).
  day: UTC day of created_at.
  line_no: Log line of the error (null for 'uncategorised').
  error_code: Taxonomy category, or 'uncategorised'.
  error_group: Masked error message shape (null for 'uncategorised').
  tool: Program that printed the line (null for 'uncategorised').
  sample_line: The masked log line.
  is_primary: True on the one row per build that holds its primary (root-cause) error.
  rules_version: Version of the detector rules that categorised the build.
tests:
  - not_null: [build_id, created_at, error_code, is_primary]
*/
SELECT
    build_id,
    created_at,
    (created_at AT TIME ZONE 'UTC')::DATE AS day,
    line_no,
    error_code,
    error_group,
    tool,
    sample_line,
    is_primary,
    rules_version
FROM {{ source('lake', 'build_errors') }}
ORDER BY build_id, is_primary DESC, line_no
