/*
description: >
  Regression radar settings, one row per window kind (hour, day): the defaults below, overridden by
  the rows of the lake table radar_settings (written by the asset radar/radar_settings from the
  radar resource's `overrides`). A score is a signed likelihood-ratio z (sqrt of twice the binomial
  log-likelihood ratio): 5 means about as unlikely as 5 standard deviations.
materialized: table
columns:
  window_kind: hour or day.
  window_length: The window's length.
  baseline_days: Trailing days before a window that form its baseline (the window itself excluded).
  min_history_days: Days of data before a window needed to judge it (a shorter baseline is used until baseline_days exist).
  min_builds_new: Fewest failed builds in the window for a group unseen in the baseline to count as new.
  min_builds_spike: Fewest failed builds in the window for a spike.
  min_score: Smallest score (z) for a spike, a new group or a completion-rate drop.
  min_ratio: Smallest observed/expected ratio for a spike (an effect size on top of significance).
  min_drop: Smallest completion-rate drop, in rate points (0.10 = 10 points), for a completion anomaly (used by the day window only, as the completion rate is daily).
  current_windows: Windows up to the newest build that count as current (alerted and checked).
tests:
  - unique: window_kind
  - not_null: [window_kind, baseline_days, min_history_days, min_builds_new, min_builds_spike, min_score, min_ratio, min_drop, current_windows]
  - accepted_values: {column: window_kind, values: [hour, day]}
  - expression: baseline_days >= 1 and min_history_days >= 1 and min_history_days <= baseline_days and min_builds_new >= 1 and min_builds_spike >= 1 and current_windows >= 1
*/
WITH defaults (window_kind, setting, value) AS (
    VALUES
        ('hour', 'baseline_days', 7), ('day', 'baseline_days', 14),
        ('hour', 'min_history_days', 2), ('day', 'min_history_days', 3),
        ('hour', 'min_builds_new', 10), ('day', 'min_builds_new', 10),
        ('hour', 'min_builds_spike', 10), ('day', 'min_builds_spike', 10),
        ('hour', 'min_score', 5), ('day', 'min_score', 4),
        ('hour', 'min_ratio', 3), ('day', 'min_ratio', 1.5),
        ('hour', 'min_drop', 0.2), ('day', 'min_drop', 0.12),
        ('hour', 'current_windows', 3), ('day', 'current_windows', 2)
),
overrides AS (
    SELECT window_kind, setting, arg_max(value, set_at) AS value
    FROM {{ source('lake', 'radar_settings') }}
    GROUP BY window_kind, setting
),
merged AS (
    SELECT d.window_kind, d.setting, coalesce(o.value, d.value)::DOUBLE AS value
    FROM defaults AS d
    LEFT JOIN overrides AS o USING (window_kind, setting)
)
SELECT
    window_kind,
    CASE window_kind WHEN 'hour' THEN INTERVAL 1 HOUR ELSE INTERVAL 1 DAY END AS window_length,
    max(value) FILTER (WHERE setting = 'baseline_days')::INTEGER AS baseline_days,
    max(value) FILTER (WHERE setting = 'min_history_days')::INTEGER AS min_history_days,
    max(value) FILTER (WHERE setting = 'min_builds_new')::INTEGER AS min_builds_new,
    max(value) FILTER (WHERE setting = 'min_builds_spike')::INTEGER AS min_builds_spike,
    max(value) FILTER (WHERE setting = 'min_score') AS min_score,
    max(value) FILTER (WHERE setting = 'min_ratio') AS min_ratio,
    max(value) FILTER (WHERE setting = 'min_drop') AS min_drop,
    max(value) FILTER (WHERE setting = 'current_windows')::INTEGER AS current_windows
FROM merged
GROUP BY window_kind
ORDER BY window_kind
