"""The code location that workspace.yaml loads: every domain's definitions merged."""

import dagster as dg

from bloqr_dagster.defs import builderrors, filterlists, warehouse

defs = dg.Definitions.merge(builderrors.defs, filterlists.defs, warehouse.defs)
