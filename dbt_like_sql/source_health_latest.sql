/*
description: >
  The latest health check of every filter-list source, with its 30-day availability. A view over
  tables of the same warehouse file, so it is always consistent with source_health_history.
materialized: view
columns:
  source: Source name.
  url: Source URL.
  last_checked_at: When the latest check ran (UTC).
  healthy: Whether the latest check passed.
  status_code: HTTP status of the latest check.
  latency_ms: Response time of the latest check.
  rule_count: Rules served at the latest check.
  expected_min_rules: Fewest rules the source may serve.
  consecutive_failures: Failed checks in a row up to the latest.
  alert: Whether the latest check raised an alert.
  error: Why the latest check failed.
  checks_30d: Checks over the last 30 days.
  availability_30d: Share of healthy checks over the last 30 days.
tests:
  - unique: source
  - not_null: [source, last_checked_at, healthy]
  - expression: availability_30d between 0 and 1
*/
WITH latest AS (
    SELECT *
    FROM {{ ref('stg_health_checks') }}
    QUALIFY row_number() OVER (PARTITION BY source ORDER BY checked_at DESC, healthy) = 1
),
history AS (
    SELECT source, sum(checks)::BIGINT AS checks_30d, sum(healthy_checks) / sum(checks)::DOUBLE AS availability_30d
    FROM {{ ref('source_health_history') }}
    GROUP BY source
)
SELECT
    l.source,
    l.url,
    l.checked_at AS last_checked_at,
    l.healthy,
    l.status_code,
    l.latency_ms,
    l.rule_count,
    l.expected_min_rules,
    l.consecutive_failures,
    l.alert,
    l.error,
    coalesce(h.checks_30d, 0) AS checks_30d,
    h.availability_30d
FROM latest AS l
LEFT JOIN history AS h USING (source)
ORDER BY l.source
