/*
description: >
  Staging for the regression radar: every failed build's primary error in every window it falls in
  (one row per build and window kind hour/day), with the window's bounds and the masked line.
materialized: table
columns:
  window_kind: hour or day.
  window_start: Start of the window (UTC).
  window_end: End of the window (exclusive).
  build_id: CI build id.
  created_at: When the build was created (UTC).
  error_code: Primary error category, or 'uncategorised'.
  error_group: Masked error message shape (null for 'uncategorised').
  sample_line: The masked log line of the primary error.
tests:
  - not_null: [window_kind, window_start, build_id, error_code]
  - unique: [window_kind, build_id]
  - expression: created_at >= window_start and created_at < window_end
*/
SELECT
    s.window_kind,
    time_bucket(s.window_length, e.created_at) AS window_start,
    time_bucket(s.window_length, e.created_at) + s.window_length AS window_end,
    e.build_id,
    e.created_at,
    e.error_code,
    e.error_group,
    e.sample_line
FROM {{ ref('stg_build_errors') }} AS e
CROSS JOIN {{ ref('radar_settings') }} AS s
WHERE e.is_primary
ORDER BY s.window_kind, e.build_id
