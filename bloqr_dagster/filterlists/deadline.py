"""A compile time budget that stops the work: the compile runs in a child process, and at the
deadline the child and everything it started are killed before the caller goes on.

    outcome = compile_within(300, config, cache_dir=..., base_dir=..., fetcher=FetcherSettings(...),
                             config_name="easylist", on_event=log)

A thread cannot be stopped: an abandoned compile thread would go on downloading and could still
write the cache while a retry runs. A child process in its own process group can be: SIGKILL to
the group, then wait for it, so nothing it started can write afterwards. The child never writes
the compiled cache either (the caller stores the returned outcome, and records a cache hit); its
only writes are the conditional-GET cache files, each replaced atomically.

`call_with_deadline` is the general form: any module-level function with picklable arguments and
result; its events (`on_event(kind, fields)`) reach the caller while it runs.
"""

from __future__ import annotations

import json
import os
import pickle
import selectors
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TypeVar

from bloqr_dagster.errors import BloqrError
from bloqr_dagster.filterlists.cache_store import CacheEntry, CompiledCache
from bloqr_dagster.filterlists.cached_compile import CompileOutcome, compile_or_reuse
from bloqr_dagster.filterlists.fetch import HttpFetcher
from bloqr_dagster.filterlists.model import CompileConfig, EventCallback

T = TypeVar("T")
MAX_FIELD = 2000  # characters of one event field (a source name comes from a configuration)
MAX_EVENT_LINE = 64 * 1024  # bounds the parent's buffer; the child's lines are far shorter


class DeadlineExceeded(BloqrError):
    """The work ran past its budget and was killed."""


def call_with_deadline(fn: Callable[..., T], *args: Any, seconds: float, what: str,
                       on_event: EventCallback | None = None, **kwargs: Any) -> T:
    """Run `fn(*args, on_event=..., **kwargs)` in a child process; return its result or raise its
    exception. Past `seconds` (or if the caller is interrupted) the child's process group is killed
    and DeadlineExceeded names `what` and the budget."""
    deadline = time.monotonic() + seconds
    with tempfile.TemporaryDirectory(prefix="bloqr-deadline-") as tmp:
        request, result = Path(tmp) / "request.pickle", Path(tmp) / "result.pickle"
        request.write_bytes(pickle.dumps((fn, args, kwargs)))
        events_r, events_w = os.pipe()
        try:
            child = subprocess.Popen([sys.executable, "-m", __name__, str(request), str(result), str(events_w)],
                                     pass_fds=(events_w,), start_new_session=True, stdin=subprocess.DEVNULL)
        finally:
            os.close(events_w)
        try:
            finished = _forward_events(events_r, deadline, on_event)  # the child closes the pipe last
        finally:
            os.close(events_r)
            _kill_group(child)  # also on success: nothing the child started may outlive it
        if not finished:
            raise DeadlineExceeded(f"{what}: exceeded its time budget of {seconds:g} s (stopped)")
        if not result.exists():
            raise BloqrError(f"{what}: its process died (exit code {child.returncode})")
        status, value = pickle.loads(result.read_bytes())
    if status == "error":
        raise value
    return value


def _forward_events(fd: int, deadline: float, on_event: EventCallback | None) -> bool:
    """Pass the child's event lines on until it closes the pipe (True) or the deadline (False)."""
    buffer = b""
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not selector.select(remaining):
                return False
            chunk = os.read(fd, 65536)
            if not chunk:
                return True
            *lines, buffer = (buffer + chunk).split(b"\n")
            if len(buffer) > MAX_EVENT_LINE:
                raise BloqrError(f"an event line of the compile process exceeds {MAX_EVENT_LINE} bytes")
            for line in lines:
                if on_event is not None and line:
                    kind, fields = json.loads(line)
                    on_event(kind, fields)


def _kill_group(child: subprocess.Popen) -> None:
    """SIGKILL to the child's process group, then reap the child. Until it is reaped, its pid (the
    group's id) cannot be reused, so this never hits another group."""
    try:
        os.killpg(child.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass  # the group is gone already
    child.wait()


def _child_main(request: str, result: str, events_fd: str) -> None:
    fn, args, kwargs = pickle.loads(Path(request).read_bytes())
    events = os.fdopen(int(events_fd), "w", buffering=1, encoding="utf-8")

    def emit(kind: str, fields: dict[str, Any]) -> None:
        short = {k: v[:MAX_FIELD] if isinstance(v, str) else v for k, v in fields.items()}  # names come from configs
        events.write(json.dumps([kind, short], default=str) + "\n")

    try:
        outcome: tuple[str, Any] = ("ok", fn(*args, on_event=emit, **kwargs))
    except Exception as exc:  # handed to the parent, which raises it
        outcome = ("error", exc)
    try:
        data = pickle.dumps(outcome)
        pickle.loads(data)  # an exception class that cannot be rebuilt becomes a plain BloqrError
    except Exception:
        data = pickle.dumps(("error", BloqrError(str(outcome[1]))))
    partial = Path(result).with_suffix(".partial")
    partial.write_bytes(data)
    os.replace(partial, result)  # the parent sees a whole result or none
    events.close()  # the parent now kills what is left of the group and reads the result


# -- the compile ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FetcherSettings:
    connect_timeout: float
    read_timeout: float
    max_bytes: int
    cache_dir: str  # the conditional-GET cache


class _HitsLeftToCaller(CompiledCache):
    """The child's view of the compiled cache: it reads, the caller records hits."""

    def record_hit(self, entry: CacheEntry) -> None:
        pass


def _compile(config: CompileConfig, cache_dir: Path, base_dir: Path, fetcher: FetcherSettings,
             config_name: str, force: bool, confine: bool, on_event: EventCallback) -> CompileOutcome:
    with HttpFetcher(**asdict(fetcher)) as http:
        return compile_or_reuse(config, _HitsLeftToCaller(cache_dir), base_dir=base_dir, http=http,
                                config_name=config_name, on_event=on_event, force=force, confine=confine)


def compile_within(seconds: float, config: CompileConfig, *, cache_dir: Path, base_dir: Path,
                   fetcher: FetcherSettings, config_name: str, force: bool = False, confine: bool = False,
                   on_event: EventCallback | None = None) -> CompileOutcome:
    """compile_or_reuse (local sources inside base_dir only, with confine) in a child process with a
    deadline. Not stored: the caller stores the outcome (cached_compile.store) or, on a cache hit,
    records the hit (CompiledCache.record_hit)."""
    return call_with_deadline(_compile, config, cache_dir, base_dir, fetcher, config_name, force, confine,
                              seconds=seconds, what=f"compile of {config_name!r}", on_event=on_event)


if __name__ == "__main__":
    _child_main(*sys.argv[1:4])
