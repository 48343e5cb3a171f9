"""Dynamic partitions of the filter-list assets, kept in step with the registry (state.sqlite).

`filter_sources`: one partition per source (raw_filter_lists); `filter_configs`: one per named
configuration (compiled_filter_lists). Both start as the defaults (filterlists/defaults.py); the
register jobs and the sync sensor add new ones at run time.
"""

from __future__ import annotations

import dagster as dg

from bloqr_dagster.filterlists.registry import Registry

SOURCE_PARTITIONS = dg.DynamicPartitionsDefinition(name="filter_sources")
CONFIG_PARTITIONS = dg.DynamicPartitionsDefinition(name="filter_configs")


def partition_requests(instance: dg.DagsterInstance, registry: Registry) -> list:
    """The add/delete requests that make the instance's partitions match the registry."""
    requests: list = []
    for definition, wanted in ((SOURCE_PARTITIONS, [s.key for s in registry.sources()]),
                               (CONFIG_PARTITIONS, list(registry.configs()))):
        assert definition.name is not None
        have = set(instance.get_dynamic_partitions(definition.name))
        if missing := [k for k in wanted if k not in have]:
            requests.append(definition.build_add_request(missing))
        if extra := sorted(have - set(wanted)):
            requests.append(definition.build_delete_request(extra))
    return requests


def sync_partitions(instance: dg.DagsterInstance, registry: Registry) -> list[str]:
    """Apply partition_requests directly; returns what changed, for logs."""
    changes = []
    for request in partition_requests(instance, registry):
        if isinstance(request, dg.AddDynamicPartitionsRequest):
            instance.add_dynamic_partitions(request.partitions_def_name, list(request.partition_keys))
            changes.append(f"added {request.partitions_def_name}: {', '.join(request.partition_keys)}")
        else:
            for key in request.partition_keys:
                instance.delete_dynamic_partition(request.partitions_def_name, key)
            changes.append(f"removed {request.partitions_def_name}: {', '.join(request.partition_keys)}")
    return changes
