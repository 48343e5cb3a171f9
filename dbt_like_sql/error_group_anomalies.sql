/*
description: >
  Regression radar: error groups (level group) and categories (level category, error_group null)
  that are new or spiking in an hourly or daily window. The baseline of a window is the
  baseline_days before it (radar_settings); windows with less than min_history_days of data before
  them are not judged, and until baseline_days exist the baseline is all the data before the
  window. `new`: the group (or category) never occurred in the baseline and has at least
  min_builds_new failed builds in the window. `spike`: its share of the window's failed builds is
  significantly above its baseline share: a one-sided binomial log-likelihood-ratio test whose
  score (a z, sqrt(2 * LLR)) reaches min_score, with at least min_builds_spike builds and
  observed/expected >= min_ratio. New groups are scored the same way with a baseline share of
  0.5 / (baseline failed builds + 1). is_current marks the latest current_windows windows.
materialized: table
columns:
  anomaly_id: Stable id of the anomaly (model, window, level, code, group, kind); the alert's de-duplication key.
  window_kind: hour or day.
  window_start: Start of the window (UTC).
  window_end: End of the window (exclusive).
  level: group (one error group) or category (a whole error_code).
  error_code: Primary error category ('uncategorised' only at the category level).
  error_group: Masked error message shape (null at the category level).
  kind: new or spike.
  builds: Failed builds with this primary error in the window.
  window_failed_builds: All failed builds in the window.
  baseline: Builds expected in the window from the baseline share (window_failed_builds * baseline_share).
  share: builds / window_failed_builds.
  baseline_share: The smoothed share in the baseline, (baseline_builds + 0.5) / (baseline_failed_builds + 1).
  baseline_builds: Failed builds with this primary error in the baseline.
  baseline_failed_builds: All failed builds in the baseline.
  score: Binomial likelihood-ratio z of the excess (higher is less likely by chance).
  first_seen: The group's (category's) first failed build in the lake.
  example: A masked log line of the group from the window (the latest one).
  is_current: Whether the window is one of the latest current_windows windows up to the newest build.
tests:
  - unique: anomaly_id
  - unique: [window_kind, window_start, level, error_code, error_group, kind]
  - not_null: [anomaly_id, window_kind, window_start, level, error_code, kind, builds, baseline, score, first_seen]
  - accepted_values: {column: kind, values: [new, spike]}
  - accepted_values: {column: level, values: [group, category]}
  - expression: builds >= baseline and builds <= window_failed_builds
  - expression: (level = 'group') = (error_group IS NOT NULL)
  - expression: first_seen < window_end
*/
WITH failures AS (
    -- a category row per failed build, plus a group row when the build has a group
    SELECT window_kind, window_start, window_end, created_at, 'category' AS level, error_code,
           NULL::VARCHAR AS error_group, sample_line
    FROM {{ ref('stg_radar_failures') }}
    UNION ALL
    SELECT window_kind, window_start, window_end, created_at, 'group', error_code, error_group, sample_line
    FROM {{ ref('stg_radar_failures') }}
    WHERE error_group IS NOT NULL AND error_code <> 'uncategorised'
),
observed AS (
    SELECT window_kind, window_start, window_end, level, error_code, error_group,
           count(*) AS builds, arg_max(sample_line, created_at) AS example
    FROM failures
    GROUP BY ALL
),
totals AS (
    SELECT window_kind, window_start, count(*) AS failed
    FROM {{ ref('stg_radar_failures') }}
    GROUP BY ALL
),
first_seen AS (
    SELECT level, error_code, error_group, min(created_at) AS first_seen
    FROM failures
    WHERE window_kind = 'day'
    GROUP BY ALL
),
bounds AS (
    SELECT min(created_at) AS first_build, max(created_at) AS last_build
    FROM {{ ref('stg_radar_failures') }}
),
judged AS (
    -- windows with enough history before them
    SELECT o.*, s.*, t.failed AS window_failed_builds,
           o.window_start - to_days(s.baseline_days) AS baseline_start
    FROM observed AS o
    JOIN {{ ref('radar_settings') }} AS s USING (window_kind)
    JOIN totals AS t USING (window_kind, window_start)
    CROSS JOIN bounds AS b
    WHERE o.window_start - to_days(s.min_history_days) >= time_bucket(s.window_length, b.first_build)
),
with_baseline AS (
    SELECT
        j.*,
        (SELECT count(*) FROM failures AS f
         WHERE f.window_kind = j.window_kind AND f.level = j.level AND f.error_code = j.error_code
           AND f.error_group IS NOT DISTINCT FROM j.error_group
           AND f.created_at >= j.baseline_start AND f.created_at < j.window_start) AS baseline_builds,
        (SELECT count(*) FROM {{ ref('stg_radar_failures') }} AS a
         WHERE a.window_kind = j.window_kind
           AND a.created_at >= j.baseline_start AND a.created_at < j.window_start) AS baseline_failed_builds
    FROM judged AS j
),
scored AS (
    SELECT
        *,
        (baseline_builds + 0.5) / (baseline_failed_builds + 1.0) AS p0,
        window_failed_builds * (baseline_builds + 0.5) / (baseline_failed_builds + 1.0) AS expected
    FROM with_baseline
),
tested AS (
    SELECT
        *,
        -- twice the binomial log-likelihood ratio of share builds/n against p0; the second term
        -- vanishes when every failed build of the window has this error
        sqrt(greatest(2 * (
            builds * ln(builds / expected)
            + CASE WHEN window_failed_builds > builds
                   THEN (window_failed_builds - builds)
                        * ln((window_failed_builds - builds) / (window_failed_builds - expected))
                   ELSE 0 END), 0)) AS score,
        CASE WHEN baseline_builds = 0 THEN 'new' ELSE 'spike' END AS kind
    FROM scored
    WHERE builds > expected
),
flagged AS (
    SELECT *
    FROM tested
    WHERE score >= min_score
      AND ((kind = 'new' AND builds >= min_builds_new)
           OR (kind = 'spike' AND builds >= min_builds_spike AND builds >= min_ratio * expected))
)
SELECT
    md5(concat_ws('|', 'error_group_anomalies', f.window_kind, strftime(f.window_start, '%Y-%m-%dT%H:%M:%SZ'),
                  f.level, f.error_code, coalesce(f.error_group, ''), f.kind)) AS anomaly_id,
    f.window_kind,
    f.window_start,
    f.window_end,
    f.level,
    f.error_code,
    f.error_group,
    f.kind,
    f.builds,
    f.window_failed_builds,
    round(f.expected, 2) AS baseline,
    f.builds / f.window_failed_builds::DOUBLE AS share,
    f.p0 AS baseline_share,
    f.baseline_builds,
    f.baseline_failed_builds,
    round(f.score, 2) AS score,
    fs.first_seen,
    f.example,
    f.window_start >= time_bucket(f.window_length, b.last_build) - (f.current_windows - 1) * f.window_length
        AS is_current
FROM flagged AS f
JOIN first_seen AS fs ON fs.level = f.level AND fs.error_code = f.error_code
    AND fs.error_group IS NOT DISTINCT FROM f.error_group
CROSS JOIN bounds AS b
ORDER BY f.window_start, f.window_kind, f.score DESC, f.error_code, f.error_group
