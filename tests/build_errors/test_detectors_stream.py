"""Logs are streamed: compressed by magic bytes, any line length, chunk boundaries, unreadable input."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import os
from pathlib import Path

import pytest

from bloqr_dagster.build_errors.detectors import UnreadableLog, diagnose, diagnose_file, logfile, read_lines

LOG = ("Executing user build command: npm run build\n"
       "src/a.ts(3,7): error TS2322: Type 'string' is not assignable to type 'number'.\n"
       "Failed: error occurred while running build command\n")


@pytest.mark.parametrize("compress", [
    gzip.compress, bz2.compress, lzma.compress, lambda b: gzip.compress(gzip.compress(b)),
])
def test_compressed_logs_are_recognised_by_their_magic_bytes(tmp_path: Path, compress) -> None:
    path = tmp_path / "build.log"  # the name says nothing
    path.write_bytes(compress(LOG.encode()))
    assert diagnose_file(path) == diagnose(LOG)


def test_unsupported_compression_and_binary_data_are_clear_errors(tmp_path: Path) -> None:
    zstd = tmp_path / "a.log.zst"
    zstd.write_bytes(b"\x28\xb5\x2f\xfd" + b"\x00" * 20)
    with pytest.raises(UnreadableLog, match="zstd-compressed"):
        diagnose_file(zstd)
    binary = tmp_path / "a.bin"
    binary.write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 8)
    with pytest.raises(UnreadableLog, match="binary data"):
        diagnose_file(binary)
    truncated = tmp_path / "cut.log.gz"
    truncated.write_bytes(gzip.compress(LOG.encode() * 1000)[:200])
    with pytest.raises(UnreadableLog, match="corrupt or truncated"):
        diagnose_file(truncated)
    with pytest.raises(UnreadableLog, match="is a directory"):
        diagnose_file(tmp_path)
    with pytest.raises(UnreadableLog, match="no such file"):
        diagnose_file(tmp_path / "missing.log")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_permission_denied(tmp_path: Path) -> None:
    path = tmp_path / "secret.log"
    path.write_text(LOG)
    path.chmod(0)
    with pytest.raises(UnreadableLog, match="permission denied"):
        diagnose_file(path)


def test_chunk_boundaries_inside_crlf_and_multibyte_characters(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "first ✘ line\r\nsecond\rthird é\r\n\r\nfifth\n"
    for size in range(1, 12):
        monkeypatch.setattr(logfile, "CHUNK_BYTES", size)
        assert list(read_lines(io.BytesIO(text.encode()))) == ["first ✘ line", "second", "third é", "", "fifth"]


def test_long_lines_keep_their_head_and_line_numbers_stay_right(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(logfile, "CHUNK_BYTES", 4096)
    huge = "npm error code ETIMEDOUT " + "x" * 5_000_000
    data = f"ok\n{huge}\nsh: 1: vite: not found\n".encode()
    lines = list(read_lines(io.BytesIO(data)))
    assert [len(x) for x in lines] == [2, logfile.MAX_RAW_LINE, 22]
    d = diagnose_file(io.BytesIO(data))
    assert [(e.line_no, e.error_code) for e in d.errors] == [(2, "network_error"), (3, "command_not_found")]


def test_a_million_identical_errors_give_one_counted_entry() -> None:
    data = b"Executing user build command: npm run build\n" + b"Error: boom happened again\n" * 1_000_000
    d = diagnose_file(io.BytesIO(gzip.compress(data, compresslevel=1)))
    assert [(e.line_no, e.count) for e in d.errors] == [(2, 1_000_000)]


def test_progress_reports_bytes_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(logfile, "CHUNK_BYTES", 64)
    path = tmp_path / "build.log"
    path.write_text(LOG * 10)
    seen: list[int] = []
    diagnose_file(path, progress=seen.append)
    assert seen == sorted(seen) and seen[-1] == path.stat().st_size
