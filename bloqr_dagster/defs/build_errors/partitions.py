"""Build-ID range partitions: one dynamic partition per fixed-width range of build ids.

Dynamic partition keys keep their insertion order, and the UI and backfills show them in that
order, so ranges are only ever appended in ascending order: `ranges_to_register` never returns a
range below the highest one already registered.
"""

from __future__ import annotations

import dagster as dg

from bloqr_dagster.build_errors.ranges import BuildIdRange, parse_range_key, range_for
from bloqr_dagster.build_errors.stores.base import BuildStore

build_id_ranges = dg.DynamicPartitionsDefinition(name="build_id_ranges")


def registered_ranges(instance: dg.DagsterInstance) -> list[BuildIdRange]:
    """The registered ranges, in registration (= ascending) order; foreign keys are skipped."""
    ranges = []
    for key in instance.get_dynamic_partitions(build_id_ranges.name):
        try:
            ranges.append(parse_range_key(key))
        except ValueError:
            continue
    return ranges


def highest_registered_end(instance: dg.DagsterInstance) -> int:
    """End of the highest registered range, -1 when none is registered."""
    ranges = registered_ranges(instance)
    return max((r.end for r in ranges), default=-1)


def ranges_to_register(registered_end: int, up_to_build_id: int, width: int,
                       lowest_build_id: int = 0) -> list[BuildIdRange]:
    """Ranges above `registered_end` up to the one holding `up_to_build_id`, ascending.

    The first registration starts at the range holding `lowest_build_id`, so a store whose ids
    start at 5,000,000 does not get 500 empty ranges.
    """
    if up_to_build_id < 0:
        return []
    first_id = registered_end + 1 if registered_end >= 0 else range_for(max(lowest_build_id, 0), width).start
    if first_id > up_to_build_id:
        return []
    out = []
    current = range_for(first_id, width)
    if current.start < first_id:  # the registered end is not aligned to this width
        current = BuildIdRange(first_id, current.end)
    last = range_for(up_to_build_id, width)
    while current.start <= last.end:
        out.append(current)
        current = BuildIdRange(current.end + 1, current.end + width)
    return out


def lowest_build_id(store: BuildStore) -> int:
    """The store's lowest build id (0 when it is empty): where the first range starts."""
    first = next(iter(store.builds_in_range(0, 2**62)), None)
    return first.build_id if first is not None else 0


def register_ranges(instance: dg.DagsterInstance, ranges: list[BuildIdRange]) -> list[str]:
    """Append ranges (ascending) that are not registered yet; returns the keys added."""
    existing = set(instance.get_dynamic_partitions(build_id_ranges.name))
    keys = [r.key for r in sorted(ranges) if r.key not in existing]
    if keys:
        instance.add_dynamic_partitions(build_id_ranges.name, keys)
    return keys
