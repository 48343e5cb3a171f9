"""The code location that workspace.yaml loads: every domain's definitions merged."""

import dagster as dg

from bloqr_dagster.defs import build_errors, filterlists, radar, warehouse
from bloqr_dagster.defs.executor import location_executor

defs = dg.Definitions.merge(build_errors.defs, filterlists.defs, warehouse.defs, radar.defs,
                            dg.Definitions(executor=location_executor()))
