"""Build-ID ranges: the partition unit of the build-error assets.

A range key is two zero-padded, fixed-width numbers, `000000010000-000000019999` (inclusive),
so that keys sort lexically in numeric order and Dagster shows them in ascending order.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

KEY_DIGITS = 12


@dataclass(frozen=True, order=True)
class BuildIdRange:
    start: int  # inclusive
    end: int  # inclusive

    @property
    def key(self) -> str:
        return f"{self.start:0{KEY_DIGITS}d}-{self.end:0{KEY_DIGITS}d}"

    def __contains__(self, build_id: int) -> bool:
        return self.start <= build_id <= self.end


def range_for(build_id: int, width: int) -> BuildIdRange:
    if build_id < 0:
        raise ValueError(f"build id must not be negative, got {build_id}")
    start = (build_id // width) * width
    return BuildIdRange(start, start + width - 1)


def ranges_between(first_id: int, last_id: int, width: int) -> Iterator[BuildIdRange]:
    """Every fixed-width range touching [first_id, last_id], ascending."""
    if first_id < 0 or last_id < 0:
        raise ValueError(f"build ids must not be negative, got {first_id}..{last_id}")
    if last_id < first_id:
        raise ValueError(f"reversed build-id range: {first_id} > {last_id}")
    start = range_for(first_id, width).start
    while start <= last_id:
        yield BuildIdRange(start, start + width - 1)
        start += width


def parse_range_key(key: str) -> BuildIdRange:
    try:
        start_s, end_s = key.split("-")
        start, end = int(start_s), int(end_s)
    except ValueError:
        raise ValueError(f"not a build-id range key: {key!r}") from None
    if len(start_s) != KEY_DIGITS or len(end_s) != KEY_DIGITS or end < start:
        raise ValueError(f"not a build-id range key: {key!r}")
    return BuildIdRange(start, end)
