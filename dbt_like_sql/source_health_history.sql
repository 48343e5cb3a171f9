/*
description: >
  Per source and UTC day over the 30 days up to the latest check in the lake: checks,
  availability (share of healthy checks), latency and alerts.
materialized: table
columns:
  source: Source name.
  day: UTC day.
  checks: Checks that day.
  healthy_checks: Checks that passed.
  availability: healthy_checks / checks.
  avg_latency_ms: Mean response time.
  p95_latency_ms: 95th percentile response time.
  max_latency_ms: Slowest response.
  last_rule_count: Rules served at the day's last check.
  alerts: Alerts raised that day.
tests:
  - unique: [source, day]
  - not_null: [source, day, checks, availability]
  - expression: availability between 0 and 1
  - expression: healthy_checks <= checks
*/
WITH recent AS (
    SELECT *
    FROM {{ ref('stg_health_checks') }}
    WHERE day > (SELECT max(day) FROM {{ ref('stg_health_checks') }}) - INTERVAL 30 DAY
)
SELECT
    source,
    day,
    count(*) AS checks,
    count(*) FILTER (WHERE healthy) AS healthy_checks,
    count(*) FILTER (WHERE healthy) / count(*)::DOUBLE AS availability,
    avg(latency_ms) AS avg_latency_ms,
    quantile_cont(latency_ms, 0.95) AS p95_latency_ms,
    max(latency_ms) AS max_latency_ms,
    arg_max(rule_count, checked_at) AS last_rule_count,
    count(*) FILTER (WHERE alert) AS alerts
FROM recent
GROUP BY source, day
ORDER BY source, day
