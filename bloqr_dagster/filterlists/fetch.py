"""HTTP download of filter lists with httpx: timeouts, bounded redirects, a streaming size cap,
gzip/deflate/brotli, and conditional GET against an on-disk cache so an unchanged list is not
downloaded again.

Bounds that hold against a hostile server: the body is decoded here, not by httpx, one bounded chunk
at a time through every layer of `Content-Encoding` (`gzip, gzip`, `br`, `deflate`, `identity`), so
the size cap counts decoded bytes before they exist in memory; `total_timeout` is a deadline for the
whole download (connect, redirects and body), enforced by shutting the socket when it passes.

Usable on its own (raw filter-list assets, health checks) as well as by sources.SourceLoader:

    with HttpFetcher(cache_dir=Path(".bloqr/cache/http")) as http:
        response = http.fetch("https://easylist.to/easylist/easylist.txt")
        response.status, response.not_modified, response.text, response.elapsed

httpx is imported lazily, on the first request, so that local-only compiles start fast.
"""

from __future__ import annotations

import hashlib
import http
import itertools
import json
import os
import socket
import tempfile
import threading
import time
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from bloqr_dagster.errors import BloqrError
from bloqr_dagster.filterlists.preprocess import decode_utf8

if TYPE_CHECKING:
    import httpx

DEFAULT_CONNECT_TIMEOUT = 10.0
DEFAULT_READ_TIMEOUT = 60.0
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
DEFAULT_MAX_REDIRECTS = 5
USER_AGENT = "bloqr_dagster (filter-list compiler)"
ACCEPT_ENCODING = "gzip, deflate, br"  # what _Decoders handles
DECODE_CHUNK = 256 * 1024  # the most any decoding layer produces per step
MAX_ENCODING_LAYERS = 4
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_DEFAULT_PORTS = {"http": 80, "https": 443}


def origin(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) with the scheme's default port filled in."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    return scheme, (parts.hostname or "").lower(), port or _DEFAULT_PORTS.get(scheme)


def origin_text(url: str) -> str:
    scheme, host, port = origin(url)
    return f"{scheme}://{host}" + ("" if port == _DEFAULT_PORTS.get(scheme) else f":{port}")


class FetchError(BloqrError):
    """A download that failed; the message is `source 'URL': <reason>`."""

    def __init__(self, url: str, reason: str, status: int | None = None) -> None:
        super().__init__(f"source '{url}': {reason}")
        self.url = url
        self.reason = reason
        self.status = status


@dataclass
class FetchedResponse:
    url: str  # as requested
    final_url: str  # after redirects
    status: int  # the server's status (304 when served from the conditional-GET cache)
    reason: str
    headers: dict[str, str]  # lower-case names
    body: bytes  # content-encoding (gzip, br) already removed
    elapsed: float  # seconds, redirects included
    not_modified: bool = False
    etag: str | None = None
    last_modified: str | None = None
    redirects: list[str] = field(default_factory=list)

    @property
    def size_bytes(self) -> int:
        return len(self.body)

    def decoded(self) -> tuple[str, int]:
        """(text, replaced_chars): UTF-8 whatever the charset, like the reference's axios."""
        return decode_utf8(self.body)

    @property
    def text(self) -> str:
        return self.decoded()[0]


class HttpFetcher:
    """Thread-safe; one connection pool per fetcher. Close it (or use `with`) when done."""

    def __init__(
        self,
        *,
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
        read_timeout: float = DEFAULT_READ_TIMEOUT,
        max_bytes: int = DEFAULT_MAX_BYTES,
        max_redirects: int = DEFAULT_MAX_REDIRECTS,
        cache_dir: str | Path | None = None,
        headers: Mapping[str, str] | None = None,
        total_timeout: float | None = None,
    ) -> None:
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        # read_timeout bounds each wait for data; total_timeout also stops a server that trickles bytes.
        self.total_timeout = total_timeout
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.cache = ResponseCache(Path(cache_dir)) if cache_dir is not None else None
        self.headers = {"User-Agent": USER_AGENT, "Accept-Encoding": ACCEPT_ENCODING, **(headers or {})}
        self._client: httpx.Client | None = None
        self._lock = threading.Lock()

    def __enter__(self) -> HttpFetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None

    def fetch(
        self,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        conditional: bool = True,
        raise_for_status: bool = True,
        max_bytes: int | None = None,
        same_origin_redirects: bool = False,
    ) -> FetchedResponse:
        """GET `url`. Raises FetchError on network errors, timeouts, too many redirects, a body over
        the cap, and (with raise_for_status) any final status other than 200 or a cached 304.
        With same_origin_redirects (includes), a redirect to another origin is an error.

        With a cache_dir, a GET without a Range header sends the stored ETag / Last-Modified; a 304
        answer is served from the cache with not_modified=True, a new 200 body replaces the entry.
        """
        import httpx

        limit = self.max_bytes if max_bytes is None else max_bytes
        request_headers = {**self.headers, **(headers or {})}
        use_cache = self.cache is not None and conditional and not _has_header(request_headers, "range")
        cached = self.cache.get(url) if use_cache and self.cache else None
        if cached is not None:
            if cached.etag:
                request_headers["If-None-Match"] = cached.etag
            if cached.last_modified:
                request_headers["If-Modified-Since"] = cached.last_modified
        started = time.monotonic()
        try:
            status, reason, final_url, response_headers, body, redirects = self._get(
                url, request_headers, limit, same_origin_redirects)
        except httpx.TimeoutException as exc:
            raise FetchError(url, self._timeout_reason(exc)) from None
        except httpx.InvalidURL as exc:
            raise FetchError(url, f"invalid URL: {exc}") from None
        except httpx.UnsupportedProtocol as exc:
            raise FetchError(url, f"unsupported URL: {exc}") from None
        except httpx.DecodingError as exc:
            raise FetchError(url, f"could not decode the response body: {exc}") from None
        except httpx.HTTPError as exc:
            raise FetchError(url, f"request failed: {_describe(exc)}") from None
        elapsed = time.monotonic() - started
        etag, last_modified = response_headers.get("etag"), response_headers.get("last-modified")
        not_modified = status == 304 and cached is not None
        if not_modified:
            assert cached is not None
            body = cached.body
            etag, last_modified = etag or cached.etag, last_modified or cached.last_modified
        elif raise_for_status and status != 200:
            raise FetchError(url, f"HTTP {status} {reason}".rstrip(), status=status)
        elif use_cache and self.cache and status == 200 and (etag or last_modified):
            self.cache.put(url, body, etag=etag, last_modified=last_modified)
        return FetchedResponse(
            url=url, final_url=final_url, status=status, reason=reason, headers=response_headers,
            body=body, elapsed=elapsed, not_modified=not_modified, etag=etag,
            last_modified=last_modified, redirects=redirects,
        )

    def _get(self, url: str, headers: dict[str, str], limit: int, same_origin: bool = False
             ) -> tuple[int, str, str, dict[str, str], bytes, list[str]]:
        """Follow up to max_redirects redirects by hand, so loops get a readable error."""
        import httpx

        client = self._ensure_client()
        deadline = None if self.total_timeout is None else time.monotonic() + self.total_timeout
        chain = [url]
        current = url
        while True:
            with client.stream("GET", current, headers=headers, timeout=self._hop_timeout(url, deadline)) as response:
                location = response.headers.get("location")
                if response.status_code in _REDIRECT_STATUSES and location:
                    target = str(response.url.join(location))
                    if same_origin and origin(target) != origin(url):
                        raise FetchError(url, f"redirected to another origin ({origin_text(target)}); an include "
                                              "must come from the origin of the list that includes it")
                    if target in chain:
                        raise FetchError(url, "redirect loop: " + " -> ".join([*chain, target]))
                    if len(chain) > self.max_redirects:
                        raise FetchError(url, f"too many redirects (more than {self.max_redirects})")
                    chain.append(target)
                    current = target
                    continue
                response_headers = {k.lower(): v for k, v in response.headers.items()}
                try:
                    body = self._read_capped(response, url, limit, deadline) if response.status_code != 304 else b""
                except httpx.HTTPError:
                    if deadline is not None and time.monotonic() >= deadline:
                        raise FetchError(url, f"timed out after {self.total_timeout:g} s (total)") from None
                    raise
                reason = response.reason_phrase or _standard_reason(response.status_code)
                return response.status_code, reason, str(response.url), response_headers, body, chain[1:]

    def _hop_timeout(self, url: str, deadline: float | None) -> httpx.Timeout:
        """Each request's timeouts, cut to what is left before the deadline."""
        import httpx

        if deadline is None:
            return httpx.Timeout(self.read_timeout, connect=self.connect_timeout)
        left = deadline - time.monotonic()
        if left <= 0:
            raise FetchError(url, f"timed out after {self.total_timeout:g} s (total)")
        return httpx.Timeout(min(self.read_timeout, left), connect=min(self.connect_timeout, left))

    def _read_capped(self, response: httpx.Response, url: str, limit: int, deadline: float | None) -> bytes:
        declared = response.headers.get("content-length")
        too_large = f"response larger than {limit} bytes"
        if declared and declared.isdigit() and int(declared) > limit:
            raise FetchError(url, too_large)
        decoders = _Decoders(url, response.headers.get("content-encoding", ""))
        watchdog = _Watchdog(response, deadline)
        chunks: list[bytes] = []
        size = 0
        try:
            for raw in itertools.chain(response.iter_raw(DECODE_CHUNK), [None]):
                for piece in decoders.feed(raw):  # None: the end, flush every layer
                    size += len(piece)
                    if size > limit:  # counted per bounded piece: a bomb never grows past the cap
                        raise FetchError(url, too_large)
                    chunks.append(piece)
                if deadline is not None and time.monotonic() > deadline:
                    raise FetchError(url, f"timed out after {self.total_timeout:g} s (total)")
        finally:
            watchdog.cancel()
        return b"".join(chunks)

    def _ensure_client(self) -> httpx.Client:
        import httpx

        with self._lock:
            if self._client is None:
                timeout = httpx.Timeout(self.read_timeout, connect=self.connect_timeout)
                # Redirects are followed in _get; httpx sends Accept-Encoding gzip, deflate, br.
                self._client = httpx.Client(timeout=timeout, follow_redirects=False)
            return self._client

    def _timeout_reason(self, exc: Exception) -> str:
        import httpx

        if isinstance(exc, httpx.ConnectTimeout):
            return f"timed out after {self.connect_timeout:g} s (connect)"
        if isinstance(exc, httpx.PoolTimeout):
            return f"timed out after {self.connect_timeout:g} s (waiting for a connection)"
        kind = "write" if isinstance(exc, httpx.WriteTimeout) else "read"
        return f"timed out after {self.read_timeout:g} s ({kind})"


class _Watchdog:
    """Shuts the response's socket at the deadline, so a read blocked on a stalled or trickling
    server returns at once instead of after its read timeout."""

    def __init__(self, response: httpx.Response, deadline: float | None) -> None:
        self._timer: threading.Timer | None = None
        stream = response.extensions.get("network_stream")
        sock = stream.get_extra_info("socket") if stream is not None else None
        if deadline is not None and sock is not None:
            self._timer = threading.Timer(max(0.0, deadline - time.monotonic()), self._shut, (sock,))
            self._timer.daemon = True
            self._timer.start()

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()


class _Layer:
    """One content coding, decoded in pieces of at most DECODE_CHUNK bytes."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._zlib: Any = None
        self._brotli: Any = None
        self._pending = b""  # deflate: bytes kept until the zlib header can be recognised
        if name in ("gzip", "x-gzip"):
            self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif name == "br":
            import brotli

            self._brotli = brotli.Decompressor()

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self.name == "deflate" and self._zlib is None:
            data = self._pending + data
            if len(data) < 2:
                self._pending = data
                return
            zlib_header = (data[0] & 0x0F) == 8 and (data[0] << 8 | data[1]) % 31 == 0
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS if zlib_header else -zlib.MAX_WBITS)  # raw deflate too
        if self._zlib is not None:
            decoder = self._zlib
            while data and not decoder.eof:
                out = decoder.decompress(data, DECODE_CHUNK)
                data = decoder.unconsumed_tail
                if out:
                    yield out
            return
        if self._brotli is not None:
            out = self._brotli.process(data, output_buffer_limit=DECODE_CHUNK)
            while out:
                yield out
                if self._brotli.can_accept_more_data():
                    break
                out = self._brotli.process(b"", output_buffer_limit=DECODE_CHUNK)
            return
        if data:
            yield data  # identity

    def finish(self) -> Iterator[bytes]:
        if self.name == "deflate" and self._zlib is None and self._pending:
            yield from self.feed(b"\0")  # a one-byte body: let zlib report it
        if self._zlib is not None and not self._zlib.eof:
            out = self._zlib.flush()
            if out:
                yield out


class _Decoders:
    """The response's Content-Encoding layers, last applied decoded first."""

    def __init__(self, url: str, header: str) -> None:
        names = [n.strip().lower() for n in header.split(",") if n.strip()]
        names = [n for n in names if n != "identity"]
        for name in names:
            if name not in ("gzip", "x-gzip", "deflate", "br"):
                raise FetchError(url, f"unsupported content encoding {name!r}")
        if len(names) > MAX_ENCODING_LAYERS:
            raise FetchError(url, f"more than {MAX_ENCODING_LAYERS} content encodings ({header})")
        self.url = url
        self.layers = [_Layer(n) for n in reversed(names)]

    def feed(self, data: bytes | None) -> Iterator[bytes]:
        """Decoded pieces of `data`; None ends the body and flushes every layer."""
        import brotli

        try:
            if data is None:
                for index, layer in enumerate(self.layers):
                    for piece in layer.finish():
                        yield from self._through(piece, index + 1)
            else:
                yield from self._through(data, 0)
        except (zlib.error, brotli.error) as exc:
            raise FetchError(self.url, f"could not decode the response body: {exc}") from None

    def _through(self, data: bytes, index: int) -> Iterator[bytes]:
        if index == len(self.layers):
            if data:
                yield data
            return
        for piece in self.layers[index].feed(data):
            yield from self._through(piece, index + 1)


def _has_header(headers: Mapping[str, str], name: str) -> bool:
    return any(key.lower() == name for key in headers)


def _standard_reason(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return ""


def _describe(exc: Exception) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


@dataclass
class CachedBody:
    body: bytes
    etag: str | None
    last_modified: str | None


class ResponseCache:
    """One file per URL: a JSON header line (validators) then the body, replaced atomically."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _path(self, url: str) -> Path:
        return self.directory / (hashlib.sha256(url.encode()).hexdigest() + ".http")

    def get(self, url: str) -> CachedBody | None:
        try:
            raw = self._path(url).read_bytes()
        except OSError:
            return None
        header, sep, body = raw.partition(b"\n")
        try:
            meta: dict[str, Any] = json.loads(header)
        except ValueError:
            return None
        if not sep or meta.get("url") != url or meta.get("size") != len(body):
            return None  # damaged or a hash collision: behave as if not cached
        return CachedBody(body=body, etag=meta.get("etag"), last_modified=meta.get("last_modified"))

    def put(self, url: str, body: bytes, *, etag: str | None, last_modified: str | None) -> None:
        meta = {"url": url, "etag": etag, "last_modified": last_modified, "size": len(body),
                "stored_at": time.time()}
        self.directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".tmp-", suffix=".http")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(json.dumps(meta).encode() + b"\n")
                out.write(body)
            os.replace(tmp, self._path(url))
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
