"""The automation condition sensor: evaluates every asset's automation condition (the warehouse
models' eager update, workflow_metrics' cron) every 30 s while a daemon runs.

Dagster would add a `default_automation_condition_sensor` by itself, but stopped; this one starts
RUNNING, so `dg dev` keeps the warehouse current without anyone switching it on. It targets every
asset, so the conditions of a new domain are evaluated too.
"""

import dagster as dg

automation_condition_sensor = dg.AutomationConditionSensorDefinition(
    "automation_condition_sensor",
    target=dg.AssetSelection.all(),
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=30,
    description="Requests the assets whose automation condition is true (the warehouse models after new "
                "lake data; workflow_metrics on its cron).",
)
