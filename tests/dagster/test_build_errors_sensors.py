"""The sensors, evaluated with build_sensor_context on a temp instance and a real store."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import dagster as dg

from bloqr_dagster.build_errors.generator import generate
from bloqr_dagster.build_errors.ranges import parse_range_key, range_for
from bloqr_dagster.build_errors.stores import open_store
from bloqr_dagster.defs.build_errors.backfill import CLI_HOST_TAG, CLI_PID_TAG, STALE_AFTER_S
from bloqr_dagster.defs.build_errors.resources import build_store
from bloqr_dagster.defs.build_errors.sensors import (
    build_range_sensor,
    new_failures_sensor,
)

from .helpers import add_requested_backfill, register_all_ranges, run_ranges


def _evaluate(sensor, env, cursor: str | None):
    with dg.build_sensor_context(instance=env.instance, cursor=cursor,
                                 resources={"build_store": build_store()}) as context:
        return sensor(context)


def _apply_partition_requests(env, result: dg.SensorResult) -> None:
    """What the daemon does with a sensor's dynamic partition requests."""
    for request in result.dynamic_partitions_requests or []:
        env.instance.add_dynamic_partitions(request.partitions_def_name, list(request.partition_keys))


def _failed_ids(env) -> list[int]:
    with open_store(env.store_url) as store:
        return store.failed_build_ids_after(-1, limit=1_000_000)


def test_build_range_sensor_registers_new_ranges_ascending(dagster_env) -> None:
    env = dagster_env
    with open_store(env.store_url) as store:
        max_id = store.max_build_id()
    result = _evaluate(build_range_sensor, env, None)
    assert isinstance(result, dg.SensorResult)
    (request,) = result.dynamic_partitions_requests
    keys = list(request.partition_keys)
    assert keys == sorted(keys)
    assert parse_range_key(keys[0]).start == 0  # the corpus starts at build id 1
    assert keys[-1] == range_for(max_id, env.range_width).key
    assert result.cursor == str(parse_range_key(keys[-1]).end)
    _apply_partition_requests(env, result)

    # nothing new: skipped, with or without the cursor
    assert isinstance(_evaluate(build_range_sensor, env, result.cursor), dg.SkipReason)
    assert isinstance(_evaluate(build_range_sensor, env, None), dg.SkipReason)

    # the store grows by two ranges: exactly those are appended, after the old ones
    with open_store(env.store_url) as store:
        generate(store, 2 * env.range_width, seed=3, start_id=max_id + 1)
    grown = _evaluate(build_range_sensor, env, result.cursor)
    new_keys = list(grown.dynamic_partitions_requests[0].partition_keys)
    assert new_keys and min(new_keys) > keys[-1]
    assert parse_range_key(new_keys[0]).start == parse_range_key(keys[-1]).end + 1
    _apply_partition_requests(env, grown)
    all_keys = list(env.instance.get_dynamic_partitions("build_id_ranges"))
    assert all_keys == sorted(all_keys) == keys + new_keys


def test_build_range_sensor_skips_an_empty_store(empty_dagster_env) -> None:
    result = _evaluate(build_range_sensor, empty_dagster_env, None)
    assert isinstance(result, dg.SkipReason)


def test_new_failures_sensor_requests_the_ranges_with_new_failed_builds(dagster_env) -> None:
    env = dagster_env
    failed = _failed_ids(env)
    # Nothing in the lake yet: every range with a failed build is requested, ranges registered.
    first = _evaluate(new_failures_sensor, env, None)
    assert isinstance(first, dg.SensorResult)
    expected = sorted({range_for(i, env.range_width).key for i in failed})
    assert [r.partition_key for r in first.run_requests] == expected
    assert first.cursor == str(max(failed))
    assert all(r.tags["bloqr/range"] == r.partition_key for r in first.run_requests)
    (add,) = first.dynamic_partitions_requests
    assert set(expected) <= set(add.partition_keys)
    assert list(add.partition_keys) == sorted(add.partition_keys)

    # Re-evaluating from the same cursor asks for the same runs (same run keys: the daemon
    # launches each once); from the new cursor there is nothing to do.
    again = _evaluate(new_failures_sensor, env, None)
    assert [r.run_key for r in again.run_requests] == [r.run_key for r in first.run_requests]
    assert isinstance(_evaluate(new_failures_sensor, env, first.cursor), dg.SkipReason)

    # New failed builds land in the last range and the next one: only those two are requested.
    _apply_partition_requests(env, first)
    last_id = _max_build_id(env)
    with open_store(env.store_url) as store:
        generate(store, env.range_width, seed=11, start_id=last_id + 1)
    new_failed = [i for i in _failed_ids(env) if i > last_id]
    assert new_failed
    later = _evaluate(new_failures_sensor, env, first.cursor)
    wanted = sorted({range_for(i, env.range_width).key for i in new_failed})
    assert [r.partition_key for r in later.run_requests] == wanted
    assert later.cursor == str(max(new_failed))
    assert all(r.run_key not in {x.run_key for x in first.run_requests} for r in later.run_requests)


def test_new_failures_sensor_starts_after_what_the_lake_holds(dagster_env) -> None:
    env = dagster_env
    keys = register_all_ranges(env)
    run_ranges(env, keys[0], keys[-1])
    assert isinstance(_evaluate(new_failures_sensor, env, None), dg.SkipReason)


def _max_build_id(env) -> int:
    with open_store(env.store_url) as store:
        return store.max_build_id()


def test_new_failures_sensor_waits_while_a_build_error_backfill_runs(dagster_env) -> None:
    env = dagster_env
    keys = register_all_ranges(env)
    add_requested_backfill(env, keys)
    result = _evaluate(new_failures_sensor, env, None)
    assert isinstance(result, dg.SkipReason) and "waiting for build-error backfill" in result.skip_message


def test_new_failures_sensor_is_not_blocked_by_a_stale_backfill(dagster_env) -> None:
    """REQUESTED for longer than STALE_AFTER_S with no run: its daemon is gone, stop waiting."""
    env = dagster_env
    keys = register_all_ranges(env)
    add_requested_backfill(env, keys, timestamp=time.time() - STALE_AFTER_S - 60)
    result = _evaluate(new_failures_sensor, env, None)
    assert isinstance(result, dg.SensorResult) and result.run_requests


def test_new_failures_sensor_is_not_blocked_by_an_orphaned_backfill(dagster_env) -> None:
    """Launched by a `bloqr backfill` that was killed (its pid is gone): nobody will finish it."""
    env = dagster_env
    keys = register_all_ranges(env)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    add_requested_backfill(env, keys, tags={CLI_PID_TAG: str(dead.pid), CLI_HOST_TAG: socket.gethostname()})
    result = _evaluate(new_failures_sensor, env, None)
    assert isinstance(result, dg.SensorResult) and result.run_requests
    # the same backfill, its command still running (this test's pid): the sensor waits
    add_requested_backfill(env, keys, tags={CLI_PID_TAG: str(os.getpid()), CLI_HOST_TAG: socket.gethostname()})
    assert isinstance(_evaluate(new_failures_sensor, env, None), dg.SkipReason)
