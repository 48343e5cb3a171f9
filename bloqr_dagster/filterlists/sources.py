"""Loading a configured source into pre-processed lines: local files, http(s) URLs, pre-fetched text.

    loader = SourceLoader(Path("lists"))             # local paths are relative to this directory
    loader.load("easylist.txt").lines                # `!#if` resolved, `!#include` inlined
    SourceLoader(base, prefetched={url: text}, allow_network=False).load(url)   # no network at all

Includes are resolved like @adguard/filters-downloader: relative to the including file's directory or
URL; an absolute include URL inside a remote list must have the same origin, and so must every
redirect while it is fetched. Unlike the reference we stop include cycles, nesting deeper than
MAX_INCLUDE_DEPTH, and more than MAX_INCLUDES includes or MAX_INCLUDE_BYTES included bytes per
loader (one loader serves one compile) with an error naming the chain.

    SourceLoader(base, confine=True)                        # local paths must stay inside base
    SourceLoader.offline(prefetched)                        # pre-fetched entries only: no disk, no network
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bloqr_dagster.errors import BloqrError
from bloqr_dagster.filterlists.fetch import DEFAULT_MAX_BYTES, FetchError, HttpFetcher, origin, origin_text
from bloqr_dagster.filterlists.model import LoadedSource
from bloqr_dagster.filterlists.opener import confined_path, local_path, read_local, source_kind
from bloqr_dagster.filterlists.preprocess import (
    INCLUDE,
    DirectiveError,
    decode_utf8,
    drop_diff_path,
    has_directives,
    js_trim,
    original_line_number,
    resolve_conditions,
    split_lines,
)

MAX_INCLUDE_DEPTH = 10
MAX_INCLUDES = 500  # per loader, i.e. per compile: bounds fan-out in width, not only in depth
MAX_INCLUDE_BYTES = 256 * 1024**2
_ABSOLUTE_INCLUDE = re.compile(r"^([a-z]+://|//)", re.IGNORECASE)  # the reference's test


class SourceError(BloqrError):
    """A source that could not be loaded; the message starts with `source '<as configured>': `."""


class _Failure(Exception):
    """Raised below load(); load() turns it into SourceError naming the configured source."""


@dataclass(frozen=True)
class Location:
    kind: str  # "file" or "http"
    ref: str  # absolute path or URL
    label: str  # how messages show it

    def key(self) -> str:
        """Identity for cycle detection: `a/../b.txt` and `b.txt` are the same list."""
        if self.kind == "file":
            return os.path.realpath(self.ref)
        parts = urlsplit(self.ref)
        path = posixpath.normpath(parts.path) if parts.path else "/"
        return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))


@dataclass
class _Content:
    text: str
    replaced_chars: int
    size_bytes: int
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False


def is_comment(line: str) -> bool:
    """hostlist-compiler's isComment: `!`, `# `, a lone `#`, or `####`."""
    return line.startswith(("!", "# ", "####")) or line == "#"


class SourceLoader:
    """Loads sources for one compile. Thread-safe as long as the HttpFetcher is (it is)."""

    def __init__(
        self,
        base_dir: str | Path,
        *,
        http: HttpFetcher | None = None,
        prefetched: Mapping[str, str | bytes] | None = None,
        allow_network: bool = True,
        read_files: bool = True,
        confine: bool = False,
        max_includes: int = MAX_INCLUDES,
        max_include_bytes: int = MAX_INCLUDE_BYTES,
    ) -> None:
        """`read_files=False`: local sources and includes come from `prefetched` only, never from disk.
        `confine=True`: local paths must resolve inside base_dir (symlinks and `..` followed)."""
        self.base_dir = Path(base_dir).absolute()
        self.prefetched = dict(prefetched or {})
        self.allow_network = allow_network
        self.read_files = read_files
        self.confine = confine
        self.max_includes = max_includes
        self.max_include_bytes = max_include_bytes
        self.includes_loaded = 0
        self.include_bytes = 0
        self._http = http
        self._owns_http = False

    @classmethod
    def offline(cls, prefetched: Mapping[str, str | bytes], base_dir: str | Path = "/") -> SourceLoader:
        """A loader that reads only `prefetched`: includes resolve to other entries, nothing else."""
        return cls(base_dir, prefetched=prefetched, allow_network=False, read_files=False)

    def __enter__(self) -> SourceLoader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._owns_http and self._http is not None:
            self._http.close()
            self._http = None

    def load(self, source: str, *, name: str | None = None) -> LoadedSource:
        """Download and pre-process `source` (a path, file:// or http(s) URL, or a pre-fetched key).

        `name` (the source's configured name) is also tried as a key of `prefetched`.
        """
        try:
            location = self._locate(source)
            content = self._read(location, extra_keys=(source, name))
            totals = _Totals(content.replaced_chars, content.size_bytes)
            lines = self._process(content.text, [location], totals)
        except _Failure as exc:
            raise SourceError(f"source '{source}': {exc}") from None
        return LoadedSource(
            source=source, lines=lines, replaced_chars=totals.replaced_chars, size_bytes=totals.size_bytes,
            etag=content.etag, last_modified=content.last_modified, not_modified=content.not_modified,
        )

    def load_entries(self, source: str) -> list[str]:
        """Lines of an exclusions_sources / inclusions_sources file: non-blank, non-comment lines."""
        return [line for line in self.load(source).lines if js_trim(line) and not is_comment(line)]

    # -- locating -------------------------------------------------------------------------------

    def _locate(self, source: str) -> Location:
        try:
            if source_kind(source) == "http":
                return Location("http", source, source)
            return self._file(str(local_path(source, self.base_dir)))
        except FetchError as exc:
            raise _Failure(exc.reason) from None

    def _file(self, path: str) -> Location:
        full = Path(os.path.normpath(path if os.path.isabs(path) else self.base_dir / path))
        try:
            label = full.relative_to(self.base_dir).as_posix()
        except ValueError:
            label = str(full)
        return Location("file", str(full), label)

    def _locate_include(self, parent: Location, target: str) -> Location:
        if _ABSOLUTE_INCLUDE.match(target):
            if parent.kind == "http":
                absolute = urlsplit(parent.ref).scheme + ":" + target if target.startswith("//") else target
                if origin(absolute) != origin(parent.ref):
                    raise _Failure(
                        f"origin {origin_text(absolute)} differs from {origin_text(parent.ref)} "
                        "(remote includes must come from the same origin)")
                return Location("http", absolute, absolute)
            if not self.read_files:
                raise _Failure("a host path or file:// cannot be included here: only pre-fetched entries can")
            return self._locate(target)
        if parent.kind == "http":
            # The reference concatenates the parent's directory URL and the include path.
            url = parent.ref[: parent.ref.rfind("/")] + "/" + target
            return Location("http", url, url)
        location = self._file(target if os.path.isabs(target) else os.path.join(os.path.dirname(parent.ref), target))
        if not self.read_files and (os.path.isabs(target) or location.label.startswith(("/", "../")) or
                                    location.label == ".."):
            raise _Failure("a host path cannot be included here: only pre-fetched entries can")
        return location

    # -- reading --------------------------------------------------------------------------------

    def _read(self, location: Location, extra_keys: tuple[str | None, ...] = (), *,
              include: bool = False) -> _Content:
        text = self._prefetched(location, extra_keys)
        if text is not None:
            return text
        if location.kind == "http":
            if not self.allow_network:
                raise _Failure("not pre-fetched and network access is disabled")
            try:
                response = self._fetcher().fetch(location.ref, same_origin_redirects=include)
            except FetchError as exc:
                raise _Failure(exc.reason) from None
            decoded, replaced = response.decoded()
            return _Content(decoded, replaced, response.size_bytes, response.etag, response.last_modified,
                            response.not_modified)
        if not self.read_files:
            raise _Failure("not pre-fetched (nothing is read from disk here)")
        try:
            path = Path(location.ref)
            if self.confine:
                path = confined_path(location.label, path, self.base_dir)
            limit = self._http.max_bytes if self._http is not None else DEFAULT_MAX_BYTES
            data = read_local(location.label, path, limit, follow_symlinks=not self.confine)
        except FetchError as exc:
            raise _Failure(exc.reason) from None
        decoded, replaced = decode_utf8(data)
        return _Content(decoded, replaced, len(data))

    def _prefetched(self, location: Location, extra_keys: tuple[str | None, ...]) -> _Content | None:
        if not self.prefetched:
            return None
        for key in (*extra_keys, location.ref, location.label):
            if key is not None and key in self.prefetched:
                value = self.prefetched[key]
                if isinstance(value, str):
                    try:
                        return _Content(value, 0, len(value.encode()))
                    except UnicodeEncodeError:  # a lone surrogate: decoded as U+FFFD and counted
                        value = value.encode("utf-8", "surrogatepass")
                decoded, replaced = decode_utf8(bytes(value))
                return _Content(decoded, replaced, len(value))
        return None

    def _fetcher(self) -> HttpFetcher:
        if self._http is None:
            self._http = HttpFetcher()
            self._owns_http = True
        return self._http

    # -- pre-processing -------------------------------------------------------------------------

    def _process(self, text: str, chain: list[Location], totals: _Totals) -> list[str]:
        lines = split_lines(text)
        # Trimming can move a directive to the start of the first line, hence the second test.
        if not (has_directives(text) or lines[0].startswith("!#")):
            return lines
        try:
            lines = resolve_conditions(lines)
        except DirectiveError as exc:
            line = original_line_number(text, exc.index)
            where = "" if len(chain) == 1 else f"{chain[-1].label} "
            raise _Failure(f"{where}line {line}: {exc.message}") from None
        if not any(line.startswith(INCLUDE) for line in lines):
            return lines
        result: list[str] = []
        for line in lines:
            if line.startswith(INCLUDE):
                result.extend(self._include(js_trim(line[len(INCLUDE):]), chain, totals))
            else:
                result.append(line)
        return result

    def _include(self, target: str, chain: list[Location], totals: _Totals) -> list[str]:
        parent = chain[-1]
        if not target:
            raise _Failure(f"!#include without a path in {parent.label}")
        try:
            location = self._locate_include(parent, target)
        except _Failure as exc:
            raise _Failure(f"!#include '{target}' in {parent.label}: {exc}") from None
        names = " -> ".join(loc.label for loc in [*chain, location])
        if any(loc.key() == location.key() for loc in chain):
            raise _Failure(f"include cycle: {names}")
        if len(chain) > MAX_INCLUDE_DEPTH:
            raise _Failure(f"includes nested deeper than {MAX_INCLUDE_DEPTH}: {names}")
        if self.includes_loaded >= self.max_includes:
            raise _Failure(f"more than {self.max_includes} includes in one compile (at {names})")
        self.includes_loaded += 1
        try:
            content = self._read(location, include=True)
        except _Failure as exc:
            raise _Failure(f"!#include '{target}' in {parent.label}: {exc}") from None
        self.include_bytes += content.size_bytes
        if self.include_bytes > self.max_include_bytes:
            raise _Failure(f"included lists exceed {self.max_include_bytes} bytes in one compile (at {names})")
        totals.replaced_chars += content.replaced_chars
        totals.size_bytes += content.size_bytes
        lines = self._process(content.text, [*chain, location], totals)
        drop_diff_path(lines)
        return lines


@dataclass
class _Totals:
    replaced_chars: int
    size_bytes: int
