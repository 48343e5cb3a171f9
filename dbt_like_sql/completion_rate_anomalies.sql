/*
description: >
  Regression radar: UTC days whose build completion rate (succeeded / started, from
  build_completion_rate_daily) is significantly below its baseline. Build traffic and failure
  rates follow the week, so the baseline is the same weekday in the baseline_days before the day
  (day-window settings of radar_settings; at least one such day is needed). A one-sided binomial
  log-likelihood-ratio test gives the score (a z); a day is flagged when the score reaches
  min_score and the rate dropped by at least min_drop. explained_by lists the primary error
  categories with the most failed builds above what their baseline rate per started build
  predicts. Days only: the lake counts started builds per day.
materialized: table
columns:
  anomaly_id: Stable id of the anomaly (model, window); the alert's de-duplication key.
  window_kind: day.
  window_start: Start of the day (UTC).
  window_end: End of the day (exclusive).
  started: Builds started that day.
  succeeded: Builds that succeeded that day.
  completion_rate: succeeded / started.
  baseline_rate: succeeded / started over the baseline days.
  drop: baseline_rate - completion_rate.
  expected_succeeded: started * baseline_rate.
  baseline_days: Days in the baseline (the same weekday, earlier weeks).
  score: Binomial likelihood-ratio z of the shortfall (higher is less likely by chance).
  explained_by: The categories with the largest excess of failed builds, e.g. `lockfile_out_of_sync +61 (32 expected)`.
  top_error_code: The category with the largest excess.
  is_current: Whether the day is one of the latest current_windows days up to the newest build.
tests:
  - unique: anomaly_id
  - unique: window_start
  - not_null: [anomaly_id, window_start, started, completion_rate, baseline_rate, score]
  - expression: completion_rate < baseline_rate
  - expression: succeeded <= started
*/
WITH settings AS (
    SELECT * FROM {{ ref('radar_settings') }} WHERE window_kind = 'day'
),
days AS (
    SELECT day, started, succeeded FROM {{ ref('build_completion_rate_daily') }} WHERE started > 0
),
judged AS (
    SELECT
        d.day,
        d.started,
        d.succeeded,
        s.min_score,
        s.min_drop,
        s.current_windows,
        s.baseline_days AS window_days,
        (SELECT sum(b.started) FROM days AS b
         WHERE b.day < d.day AND b.day >= d.day - s.baseline_days AND (d.day - b.day) % 7 = 0) AS baseline_started,
        (SELECT sum(b.succeeded) FROM days AS b
         WHERE b.day < d.day AND b.day >= d.day - s.baseline_days AND (d.day - b.day) % 7 = 0) AS baseline_succeeded,
        (SELECT count(*) FROM days AS b
         WHERE b.day < d.day AND b.day >= d.day - s.baseline_days AND (d.day - b.day) % 7 = 0) AS baseline_days
    FROM days AS d
    CROSS JOIN settings AS s
),
scored AS (
    SELECT
        *,
        succeeded / started::DOUBLE AS completion_rate,
        baseline_succeeded / baseline_started::DOUBLE AS baseline_rate
    FROM judged
    WHERE baseline_started > 0
),
tested AS (
    SELECT
        *,
        started * baseline_rate AS expected_succeeded,
        -- twice the binomial log-likelihood ratio of rate succeeded/started against baseline_rate
        sqrt(greatest(2 * (
            CASE WHEN succeeded > 0 THEN succeeded * ln(succeeded / (started * baseline_rate)) ELSE 0 END
            + CASE WHEN started > succeeded
                   THEN (started - succeeded) * ln((started - succeeded) / (started * (1 - baseline_rate)))
                   ELSE 0 END), 0)) AS score
    FROM scored
    WHERE completion_rate < baseline_rate AND baseline_rate < 1
),
flagged AS (
    SELECT * FROM tested WHERE score >= min_score AND baseline_rate - completion_rate >= min_drop
),
category_days AS (
    SELECT day, error_code, count(*) AS builds
    FROM {{ ref('build_primary_errors') }}
    GROUP BY ALL
),
excess AS (
    SELECT
        f.day,
        c.error_code,
        c.builds,
        f.started * coalesce((SELECT sum(b.builds) FROM category_days AS b
                              WHERE b.error_code = c.error_code AND b.day < f.day
                                AND b.day >= f.day - f.window_days AND (f.day - b.day) % 7 = 0), 0) / f.baseline_started AS expected
    FROM flagged AS f
    JOIN category_days AS c USING (day)
),
explained AS (
    SELECT
        day,
        string_agg(printf('%s +%d (%d expected)', error_code, round(builds - expected)::BIGINT,
                          round(expected)::BIGINT), ', ' ORDER BY builds - expected DESC, error_code)
            FILTER (WHERE rank <= 3) AS explained_by,
        arg_max(error_code, builds - expected) AS top_error_code
    FROM (SELECT *, row_number() OVER (PARTITION BY day ORDER BY builds - expected DESC, error_code) AS rank
          FROM excess WHERE builds > expected)
    GROUP BY day
)
SELECT
    md5(concat_ws('|', 'completion_rate_anomalies', 'day', strftime(f.day, '%Y-%m-%d'))) AS anomaly_id,
    'day' AS window_kind,
    f.day::TIMESTAMPTZ AS window_start,
    (f.day + 1)::TIMESTAMPTZ AS window_end,
    f.started,
    f.succeeded,
    f.completion_rate,
    f.baseline_rate,
    f.baseline_rate - f.completion_rate AS drop,
    round(f.expected_succeeded, 1) AS expected_succeeded,
    f.baseline_days,
    round(f.score, 2) AS score,
    e.explained_by,
    e.top_error_code,
    f.day > (SELECT max(day) FROM days) - f.current_windows::INTEGER AS is_current
FROM flagged AS f
LEFT JOIN explained AS e USING (day)
ORDER BY f.day
