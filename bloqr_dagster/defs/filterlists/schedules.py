"""Cache warming every 6 hours and health monitoring every hour, as in the replaced system."""

from __future__ import annotations

import dagster as dg

WARMING_CRON = "0 */6 * * *"
HEALTH_CRON = "0 * * * *"


def build_schedules(jobs: dict[str, dg.JobDefinition]) -> list[dg.ScheduleDefinition]:
    warming = dg.ScheduleDefinition(
        name="cache_warming_schedule", cron_schedule=WARMING_CRON, job=jobs["cache_warming_job"],
        execution_timezone="UTC", default_status=dg.DefaultScheduleStatus.RUNNING,
        run_config={"ops": {"check_cache_status": {"config": {"configurations": [], "chunk_size": 2}}}},
        tags={"bloqr/workflow": "cache_warming"},
        description="Warm the popular configurations (EasyList, EasyPrivacy, AdGuard Base) every 6 hours.")
    health = dg.ScheduleDefinition(
        name="health_monitoring_schedule", cron_schedule=HEALTH_CRON, job=jobs["health_monitoring_job"],
        execution_timezone="UTC", default_status=dg.DefaultScheduleStatus.RUNNING,
        run_config={"ops": {"load_history": {"config": {"sources": []}}}},
        tags={"bloqr/workflow": "health_monitoring"},
        description="Check every registered source every hour.")
    return [warming, health]
