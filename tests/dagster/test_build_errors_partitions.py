"""Build-ID range partitions: keys, ascending registration, no duplicates."""

from __future__ import annotations

from bloqr_dagster.build_errors.ranges import BuildIdRange, parse_range_key
from bloqr_dagster.defs.build_errors.partitions import (
    build_id_ranges,
    highest_registered_end,
    ranges_to_register,
    register_ranges,
    registered_ranges,
)


def test_first_registration_starts_at_the_lowest_build_range() -> None:
    ranges = ranges_to_register(-1, 25_300, 10_000, lowest_build_id=12_345)
    assert [r.key for r in ranges] == ["000000010000-000000019999", "000000020000-000000029999"]


def test_registration_continues_above_the_highest_range_only() -> None:
    assert ranges_to_register(19_999, 19_999, 10_000) == []
    assert ranges_to_register(19_999, 20_000, 10_000) == [BuildIdRange(20_000, 29_999)]
    assert ranges_to_register(19_999, 45_000, 10_000) == [
        BuildIdRange(20_000, 29_999), BuildIdRange(30_000, 39_999), BuildIdRange(40_000, 49_999)]
    assert ranges_to_register(-1, -1, 10_000) == []


def test_an_unaligned_registered_end_is_completed_not_overlapped() -> None:
    # e.g. after BLOQR_RANGE_WIDTH changed from 500 to 1000: no id is covered twice
    ranges = ranges_to_register(499, 2_100, 1_000)
    assert ranges == [BuildIdRange(500, 999), BuildIdRange(1_000, 1_999), BuildIdRange(2_000, 2_999)]


def test_keys_sort_lexically_in_numeric_order() -> None:
    ranges = ranges_to_register(-1, 1_234_567, 100_000)
    keys = [r.key for r in ranges]
    assert keys == sorted(keys)
    assert [parse_range_key(k) for k in keys] == ranges


def test_register_ranges_appends_ascending_and_is_idempotent(empty_dagster_env) -> None:
    instance = empty_dagster_env.instance
    assert highest_registered_end(instance) == -1
    first = register_ranges(instance, ranges_to_register(-1, 1_200, 500))
    assert first == ["000000000000-000000000499", "000000000500-000000000999", "000000001000-000000001499"]
    assert register_ranges(instance, ranges_to_register(-1, 1_200, 500)) == []
    more = register_ranges(instance, ranges_to_register(highest_registered_end(instance), 2_000, 500))
    assert more == ["000000001500-000000001999", "000000002000-000000002499"]
    keys = instance.get_dynamic_partitions(build_id_ranges.name)
    assert list(keys) == sorted(keys) and len(keys) == 5
    assert registered_ranges(instance)[-1] == BuildIdRange(2_000, 2_499)
