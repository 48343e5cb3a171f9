"""Helpers for filter-list tests: request-log inspection and HTTP handlers for the `http_server` fixture."""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler

Handler = Callable[[BaseHTTPRequestHandler], None]


def requested_paths(server: object) -> list[str]:
    """Paths the local server was asked for, in order (query strings dropped)."""
    return [path.split("?", 1)[0] for _, path, _, _ in server.requests]  # type: ignore[attr-defined]


def redirect(target: str, status: int = 302) -> Handler:
    def handler(req: BaseHTTPRequestHandler) -> None:
        req.send_response(status)
        req.send_header("Location", target)
        req.send_header("Content-Length", "0")
        req.end_headers()

    return handler


def slow(seconds: float, body: bytes = b"late\n") -> Handler:
    def handler(req: BaseHTTPRequestHandler) -> None:
        time.sleep(seconds)
        try:
            req.send_response(200)
            req.send_header("Content-Length", str(len(body)))
            req.end_headers()
            req.wfile.write(body)
        except OSError:
            pass  # the client gave up first, which is the point

    return handler


def unsized(body: bytes, chunk: int = 65536) -> Handler:
    """A body without Content-Length, ended by closing the connection."""

    def handler(req: BaseHTTPRequestHandler) -> None:
        req.send_response(200)
        req.send_header("Connection", "close")
        req.end_headers()
        req.close_connection = True
        try:
            for start in range(0, len(body), chunk):
                req.wfile.write(body[start:start + chunk])
        except OSError:
            pass

    return handler


def conditional(body: bytes, *, etag: str | None = None, last_modified: str | None = None) -> Handler:
    """A 200 with validators, or a 304 when the request's validators match."""

    def handler(req: BaseHTTPRequestHandler) -> None:
        matches = (etag is not None and req.headers.get("If-None-Match") == etag) or (
            etag is None and last_modified is not None
            and req.headers.get("If-Modified-Since") == last_modified)
        req.send_response(304 if matches else 200)
        if etag:
            req.send_header("ETag", etag)
        if last_modified:
            req.send_header("Last-Modified", last_modified)
        req.send_header("Content-Length", "0" if matches else str(len(body)))
        req.end_headers()
        if not matches:
            req.wfile.write(body)

    return handler


def trickle(pieces: int, pause: float) -> Handler:
    """One byte at a time with a pause between, so no single read times out."""

    def handler(req: BaseHTTPRequestHandler) -> None:
        req.send_response(200)
        req.send_header("Content-Length", str(pieces))
        req.end_headers()
        try:
            for _ in range(pieces):
                req.wfile.write(b"x")
                req.wfile.flush()
                time.sleep(pause)
        except OSError:
            pass

    return handler


def compressed_zeros(codec: str, size: int) -> bytes:
    """`size` zero bytes compressed ("gzip", "deflate" or "br") by a streaming compressor, so that
    building a decompression bomb never holds the zeros in memory."""
    if codec == "br":
        import brotli

        compressor = brotli.Compressor(quality=5)
        feed, finish = compressor.process, compressor.finish
    else:
        compressor = zlib.compressobj(9, zlib.DEFLATED, {"gzip": 31, "deflate": 15}[codec])
        feed, finish = compressor.compress, compressor.flush
    chunk = b"\0" * 1024**2
    return b"".join([*(feed(chunk) for _ in range(size // len(chunk))), finish()])
