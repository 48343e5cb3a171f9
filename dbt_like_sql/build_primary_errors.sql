/*
description: >
  One row per categorised failed build with its primary error: the root cause the detectors
  picked, or 'uncategorised' when no rule matched. failed_stage comes from the failed_builds
  lake table (null when that range's failed builds are not in the lake).
materialized: table
columns:
  build_id: CI build id.
  day: UTC day the build was created.
  error_code: Taxonomy category of the primary error, or 'uncategorised'.
  error_group: Masked error message shape (null for 'uncategorised').
  tool: Program that printed the primary error line.
  failed_stage: Stage the build failed in (clone, install, build, deploy, ...).
  rules_version: Version of the detector rules that categorised the build.
tests:
  - unique: build_id
  - not_null: [build_id, day, error_code, rules_version]
*/
SELECT
    e.build_id,
    e.day,
    e.error_code,
    e.error_group,
    e.tool,
    f.failed_stage,
    e.rules_version
FROM {{ ref('stg_build_errors') }} AS e
LEFT JOIN {{ source('lake', 'failed_builds') }} AS f USING (build_id)
WHERE e.is_primary
ORDER BY e.build_id
