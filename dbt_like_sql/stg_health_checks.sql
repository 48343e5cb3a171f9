/*
description: >
  Staging: every filter-list source health check the lake keeps (30 days), with its UTC day.
materialized: table
columns:
  checked_at: When the check ran (UTC).
  day: UTC day of checked_at.
  source: Source name.
  url: Source URL.
  healthy: Whether the check passed.
  status_code: HTTP status (null when the request failed).
  latency_ms: Response time in milliseconds.
  rule_count: Rules the source served.
  expected_min_rules: Fewest rules the source may serve before it counts as broken.
  error: Why the check failed.
  consecutive_failures: Failed checks in a row, this one included.
  alert: Whether this check raised an alert.
tests:
  - not_null: [checked_at, source, healthy]
*/
SELECT
    checked_at,
    (checked_at AT TIME ZONE 'UTC')::DATE AS day,
    source,
    url,
    healthy,
    status_code,
    latency_ms,
    rule_count,
    expected_min_rules,
    error,
    consecutive_failures,
    alert
FROM {{ source('lake', 'health_checks') }}
ORDER BY source, checked_at
