"""Reading a build log from a file or a stream: any size, compressed or not, in bounded memory.

`read_lines` yields a log's lines as it reads 1 MiB at a time: gzip, bzip2 and xz are recognised by
their magic bytes (not the file name) and decompressed as they stream; bytes are decoded as UTF-8
with replacement; `\\r\\n` and lone `\\r` end lines like `\\n`; ANSI colour codes are dropped; a line
longer than MAX_RAW_LINE keeps its head and the rest is skipped as it streams (the engine examines
far less). Input that is not a
text log (a directory, binary data, unreadable or corrupt compressed data) raises UnreadableLog with
a one-line reason.
"""

from __future__ import annotations

import bz2
import codecs
import gzip
import io
import lzma
import sys
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from bloqr_dagster.build_errors.detectors import masking
from bloqr_dagster.build_errors.detectors.engine import BATCH_LINES, MAX_RAW_LINE, Scanner, default_rules
from bloqr_dagster.build_errors.detectors.model import Diagnosis
from bloqr_dagster.build_errors.detectors.ruleset import RuleSet

CHUNK_BYTES = 1 << 20
_SNIFF_BYTES = 8192  # NUL bytes here mean binary data, not a log
_MAX_LAYERS = 3  # a .gz of a .gz is unwrapped, up to this depth

_MAGIC: tuple[tuple[bytes, str], ...] = ((b"\x1f\x8b", "gzip"), (b"BZh", "bzip2"), (b"\xfd7zXZ\x00", "xz"))
_UNSUPPORTED: tuple[tuple[bytes, str], ...] = ((b"\x28\xb5\x2f\xfd", "zstd"), (b"PK\x03\x04", "zip"),
                                               (b"7z\xbc\xaf\x27\x1c", "7z"))


class UnreadableLog(Exception):
    """A log that cannot be read as text; str() is a one-line reason."""


def _open(source: str | Path | BinaryIO) -> BinaryIO:
    if not isinstance(source, str | Path):
        return source
    if str(source) == "-":
        return sys.stdin.buffer
    try:
        return open(source, "rb")  # noqa: SIM115 - closed by read_lines
    except IsADirectoryError:
        raise UnreadableLog("is a directory") from None
    except PermissionError:
        raise UnreadableLog("permission denied") from None
    except FileNotFoundError:
        raise UnreadableLog("no such file") from None
    except OSError as exc:
        raise UnreadableLog(f"cannot open: {exc.strerror or exc.__class__.__name__}") from None


def _peek(stream: BinaryIO, n: int) -> bytes:
    if not hasattr(stream, "peek"):
        return b""
    return stream.peek(n)[:n]


def _unwrap(stream: BinaryIO) -> BinaryIO:
    """The stream decompressed (by magic bytes), as many layers as there are (up to _MAX_LAYERS)."""
    if not hasattr(stream, "peek"):
        stream = io.BufferedReader(stream)  # type: ignore[arg-type]
    for _ in range(_MAX_LAYERS):
        head = _peek(stream, 8)
        kind = next((k for magic, k in _MAGIC if head.startswith(magic)), None)
        if kind is None:
            bad = next((k for magic, k in _UNSUPPORTED if head.startswith(magic)), None)
            if bad is not None:
                raise UnreadableLog(f"{bad}-compressed: not supported, decompress it first")
            return stream
        if kind == "gzip":
            stream = gzip.GzipFile(fileobj=stream, mode="rb")  # type: ignore[assignment]
        elif kind == "bzip2":
            stream = bz2.BZ2File(stream)  # type: ignore[assignment]
        else:
            stream = lzma.LZMAFile(stream)  # type: ignore[assignment]
    return stream


def read_lines(source: str | Path | BinaryIO, progress: Callable[[int], None] | None = None) -> Iterator[str]:
    """The lines of a log (without line ends). `progress` gets the raw bytes read so far."""
    raw = _open(source)
    close = raw is not source and raw is not sys.stdin.buffer
    try:
        yield from _lines(raw, progress)
    except (OSError, EOFError, zlib.error, lzma.LZMAError) as exc:
        raise UnreadableLog(f"corrupt or truncated compressed data: {exc}") from None
    finally:
        if close:
            raw.close()


def _lines(raw: BinaryIO, progress: Callable[[int], None] | None) -> Iterator[str]:
    stream = _unwrap(raw)
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    partial: list[str] = []  # the current line's head, up to MAX_RAW_LINE
    kept = 0
    first = True
    held_cr = ""
    while True:
        chunk = stream.read(CHUNK_BYTES)
        if first:
            if b"\x00" in chunk[:_SNIFF_BYTES]:
                raise UnreadableLog("binary data, not a text log")
            first = False
        if progress is not None:
            progress(_position(raw))
        text = held_cr + decoder.decode(chunk, final=not chunk)
        held_cr = ""
        if text.endswith("\r") and chunk:  # the \n of a \r\n may start the next chunk
            text, held_cr = text[:-1], "\r"
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        parts = text.split("\n")
        if "\x1b" in text:  # colour codes never span a line break: strip them per line
            parts = [masking.strip_ansi(p) for p in parts]
        for part in parts[:-1]:
            if partial:
                if kept < MAX_RAW_LINE:
                    partial.append(part[: MAX_RAW_LINE - kept])
                yield "".join(partial)
                partial, kept = [], 0
            else:
                yield part[:MAX_RAW_LINE]
        tail = parts[-1]
        if kept < MAX_RAW_LINE and tail:
            partial.append(tail[: MAX_RAW_LINE - kept])
            kept += len(partial[-1])
        if not chunk:
            if partial:
                yield "".join(partial)
            return


def _position(raw: BinaryIO) -> int:
    try:
        return raw.tell()
    except (OSError, ValueError):
        return 0


def diagnose_file(source: str | Path | BinaryIO, rules: RuleSet | None = None,
                  progress: Callable[[int], None] | None = None) -> Diagnosis:
    """Diagnose a log file (or `-` for standard input, or a binary stream) in bounded memory."""
    scanner = Scanner(rules or default_rules())
    batch: list[str] = []
    for line in read_lines(source, progress):
        batch.append(line)
        if len(batch) == BATCH_LINES:
            scanner.feed(batch)
            batch = []
    scanner.feed(batch)
    return scanner.finish()
