"""The one place that decides whether a source is a URL or a local path, and reads it.

    response = open_source("https://easylist.to/easylist/easylist.txt", base_dir=sources_dir, http=fetcher)
    response = open_source("lists/mine.txt", base_dir=sources_dir, confine=True)   # stays inside sources_dir

A local source is read only when it is a regular file (a device such as /dev/zero, a FIFO or a
directory is refused, and at most `max_bytes` are read). With `confine=True` a path, absolute or
relative, `file://` URL included, must resolve inside `base_dir` after symlinks and `..` are
followed: this is how sources of jobs launched through Dagster stay inside the sources folder.
Every failure is a FetchError whose message is `source '<as given>': <reason>`.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bloqr_dagster.filterlists.fetch import DEFAULT_MAX_BYTES, FetchedResponse, FetchError, HttpFetcher

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*)://")


def source_kind(source: str) -> str:
    """"http" for an http(s) URL, "file" for a path or file:// URL; FetchError for anything else."""
    match = _SCHEME.match(source)
    if match:
        scheme = match.group(1).lower()
        if scheme in ("http", "https"):
            return "http"
        if scheme == "file":
            return "file"
        raise FetchError(source, f"unsupported URL scheme '{scheme}' (use a path, file://, http:// or https://)")
    if source.startswith("//"):
        raise FetchError(source, "protocol-relative URLs are not supported; write http:// or https://")
    if not source:
        raise FetchError(source, "empty source")
    return "file"


def local_path(source: str, base_dir: str | Path) -> Path:
    """The absolute, normalised path of a local source (a path relative to base_dir, or file://)."""
    path = source
    if _SCHEME.match(source):
        parts = urlsplit(source)
        if parts.netloc not in ("", "localhost"):
            raise FetchError(source, f"file URL with a host is not supported: {source}")
        path = unquote(parts.path)
    full = path if os.path.isabs(path) else os.path.join(os.path.abspath(base_dir), path)
    return Path(os.path.normpath(full))


def confined_path(source: str, path: Path, base_dir: str | Path) -> Path:
    """`path` after symlinks, refused unless it lies inside base_dir (after symlinks too)."""
    root = os.path.realpath(base_dir)
    real = os.path.realpath(path)
    if real != root and not real.startswith(root.rstrip(os.sep) + os.sep):
        raise FetchError(source, f"{path} is outside the sources folder {root} (local sources must stay inside it)")
    return Path(real)


def read_local(source: str, path: Path, max_bytes: int = DEFAULT_MAX_BYTES, *, follow_symlinks: bool = True) -> bytes:
    """Read a regular file, at most max_bytes; devices, FIFOs and directories are refused."""
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | (0 if follow_symlinks else os.O_NOFOLLOW)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise FetchError(source, f"no such file ({path})") from None
    except IsADirectoryError:
        raise FetchError(source, f"is a directory ({path})") from None
    except OSError as exc:
        raise FetchError(source, f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise FetchError(source, f"is a directory ({path})")
        if not stat.S_ISREG(mode):
            raise FetchError(source, f"{path} is not a regular file (devices, FIFOs and sockets are refused)")
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        if exc.errno == errno.EISDIR:
            raise FetchError(source, f"is a directory ({path})") from None
        raise FetchError(source, f"cannot read {path}: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        raise FetchError(source, f"file larger than {max_bytes} bytes ({path})")
    return data


def open_source(source: str, *, base_dir: str | Path, http: HttpFetcher | None = None, confine: bool = False,
                max_bytes: int | None = None, raise_for_status: bool = True) -> FetchedResponse:
    """Download an http(s) source (conditional GET when `http` has a cache) or read a local one.

    A local file answers like a 200 response (`final_url` is the resolved path). `max_bytes`
    defaults to the fetcher's cap (50 MiB without a fetcher)."""
    if source_kind(source) == "http":
        if http is not None:
            return http.fetch(source, raise_for_status=raise_for_status, max_bytes=max_bytes)
        with HttpFetcher() as fetcher:
            return fetcher.fetch(source, raise_for_status=raise_for_status, max_bytes=max_bytes)
    limit = max_bytes if max_bytes is not None else (http.max_bytes if http is not None else DEFAULT_MAX_BYTES)
    path = local_path(source, base_dir)
    if confine:
        path = confined_path(source, path, base_dir)
    started = time.monotonic()
    body = read_local(source, path, limit, follow_symlinks=not confine)
    return FetchedResponse(url=source, final_url=str(path), status=200, reason="OK", headers={}, body=body,
                           elapsed=time.monotonic() - started)
