"""The build-store contract: records, the `BuildStore` protocol, and helpers both stores share.

A store holds builds (one row per build, keyed by a monotonically growing build id) and each
build's log (numbered lines with a timestamp). Consumers read it per build-ID range: the failed
builds of a range, their logs in bulk, and a cursor for new failures.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol, runtime_checkable

STATUSES = ("success", "failure", "canceled")
FAILED_STAGES = ("initialization", "clone", "install", "build", "deploy", "health_check", "timeout")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Build:
    build_id: int
    account_id: str
    project_id: str
    status: str  # one of STATUSES
    failed_stage: str | None  # one of FAILED_STAGES when status == "failure", else None
    created_at: datetime  # UTC
    stopped_at: datetime | None

    def validate(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"build {self.build_id}: status {self.status!r} not in {STATUSES}")
        if self.status == "failure":
            if self.failed_stage not in FAILED_STAGES:
                raise ValueError(f"build {self.build_id}: failed_stage {self.failed_stage!r} "
                                 f"not in {FAILED_STAGES}")
        elif self.failed_stage is not None:
            raise ValueError(f"build {self.build_id}: failed_stage must be None for status {self.status}")
        if self.created_at.tzinfo is None:
            raise ValueError(f"build {self.build_id}: created_at must be timezone-aware")


@dataclass(frozen=True, slots=True)
class LogLine:
    line_no: int  # 1-based
    ts: datetime
    message: str


class PackedLog(Sequence[LogLine]):
    """A build log as two parallel lists: messages and epoch microseconds.

    The generator produces hundreds of thousands of lines a second; building a LogLine with a
    datetime per line would dominate that, so stores take this form directly and LogLine
    objects are only made when someone indexes the sequence.
    """

    __slots__ = ("messages", "ts_us")

    def __init__(self, messages: list[str], ts_us: list[int]) -> None:
        if len(messages) != len(ts_us):
            raise ValueError(f"{len(messages)} messages but {len(ts_us)} timestamps")
        self.messages = messages
        self.ts_us = ts_us

    @classmethod
    def from_lines(cls, lines: Sequence[LogLine]) -> PackedLog:
        if isinstance(lines, PackedLog):
            return lines
        for i, line in enumerate(lines, 1):
            if line.line_no != i:
                raise ValueError(f"log lines must be numbered 1..n in order; got {line.line_no} at {i}")
        return cls([ln.message for ln in lines], [to_us(ln.ts) for ln in lines])

    def __len__(self) -> int:
        return len(self.messages)

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        return LogLine(index + 1, from_us(self.ts_us[index]), self.messages[index])

    def text(self) -> str:
        """Messages joined by newlines: the form stream_logs yields."""
        return "\n".join(self.messages)


def to_us(ts: datetime) -> int:
    if ts.tzinfo is None:
        raise ValueError(f"timestamp {ts.isoformat()} must be timezone-aware")
    delta = ts - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def from_us(us: int) -> datetime:
    return EPOCH + timedelta(microseconds=us)


def keyset_pages(fetch: Callable[[int, int], list], first_id: int, page_size: int) -> Iterator[list]:
    """Pages of rows in build_id order (build_id first in each row): `fetch(after, limit)` returns
    the next rows with build_id > after. Keyset paging keeps every query an index range scan."""
    after = first_id - 1
    while True:
        rows = fetch(after, page_size)
        if rows:
            yield rows
        if len(rows) < page_size:
            return
        after = rows[-1][0]


def check_range(first_id: int, last_id: int) -> None:
    if first_id < 0 or last_id < 0:
        raise ValueError(f"build ids must not be negative, got {first_id}..{last_id}")
    if last_id < first_id:
        raise ValueError(f"reversed build-id range: {first_id} > {last_id}")


def check_positive(name: str, value: int) -> None:
    if value <= 0:
        raise ValueError(f"{name} must be positive, got {value}")


def check_no_stray_logs(builds: Sequence[Build], logs: Mapping[int, Sequence[LogLine]]) -> None:
    ids = {b.build_id for b in builds}
    if len(ids) != len(builds):
        raise ValueError("insert: duplicate build_id in one batch")
    stray = [i for i in logs if i not in ids]
    if stray:
        raise ValueError(f"insert: logs given for builds not in the batch: {stray[:5]}")
    for b in builds:
        b.validate()


def url_password_pieces(url: str) -> list[str]:
    """The password of a `scheme://user:password@host...` URL, decoded and as the pieces another
    parser could split it into, longest first; found without parsing the URL, which may be malformed.

    The password runs to the last `@` of the authority: a parser that splits at the first `@`
    (libpq does) sees the rest of the password as the host and echoes it in its error.
    """
    from urllib.parse import unquote

    start = url.find("://")
    if start < 0:
        return []
    rest = url[start + 3:]
    authority = rest.split("?", 1)[0]
    at = authority.rfind("@") if "@" in authority else rest.rfind("@")
    userinfo = rest[:at] if at >= 0 else ""
    if ":" not in userinfo:
        return []
    password = userinfo.split(":", 1)[1]
    pieces = {password, unquote(password), *re.split(r"[@:/]", password)}
    return sorted((p for p in pieces if len(p) >= 2), key=len, reverse=True)


def mask_password(text: str, url: str) -> str:
    """`text` (an error message, the URL itself) with every piece of `url`'s password masked."""
    for piece in url_password_pieces(url):
        text = text.replace(piece, "***")
    return text


def redact_url(url: str) -> str:
    """The URL without its password, for error messages, even when the URL is malformed."""
    return mask_password(url, url)


@runtime_checkable
class BuildStore(Protocol):
    url: str

    def ensure_schema(self) -> None: ...

    def has_schema(self) -> bool: ...

    def max_build_id(self) -> int | None: ...

    def failed_builds(self, first_id: int, last_id: int, *, page_size: int = 5000) -> Iterator[list[Build]]:
        """Pages of failed builds, ascending build_id, range inclusive."""
        ...

    def builds_in_range(self, first_id: int, last_id: int) -> Iterator[Build]:
        """Every build of the range (all statuses), ascending build_id."""
        ...

    def failed_build_ids_after(self, build_id: int, limit: int = 10000) -> list[int]:
        """Ids of failed builds with id > build_id, ascending, at most `limit`."""
        ...

    def stream_logs(self, first_id: int, last_id: int, *,
                    failed_only: bool = True) -> Iterator[tuple[int, str]]:
        """(build_id, messages joined by newlines) per build with a log, ascending build_id."""
        ...

    def failed_log_line_counts(self, first_id: int, last_id: int) -> dict[int, int]:
        """build_id -> log line count for the failed builds with a log in the range, without
        reading the logs themselves."""
        ...

    def log_page(self, build_id: int, cursor: int = 0, limit: int = 500) -> tuple[list[LogLine], int | None]:
        """Lines with line_no > cursor (at most `limit`) and the next cursor, None at the end."""
        ...

    def insert(self, builds: Sequence[Build], logs: Mapping[int, Sequence[LogLine]]) -> None:
        """Insert or replace builds and their logs (a build missing from `logs` gets an empty log)."""
        ...

    def close(self) -> None: ...

    def __enter__(self) -> BuildStore: ...

    def __exit__(self, *exc: object) -> None: ...


class StoreBase:
    """Context-manager plumbing shared by the implementations."""

    url: str

    def close(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({redact_url(self.url)!r})"
