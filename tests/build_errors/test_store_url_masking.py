"""A malformed build-store URL never echoes its password: not in our message, not in the driver's
(libpq quotes a malformed URI, or the part of a password it took for the host)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bloqr_dagster.build_errors.stores.base import redact_url

SECRET = "s3cr3tPW"
URLS = [
    f"postgresql://u:{SECRET}@[127.0.0.1/db",            # unclosed IPv6 bracket: urlsplit raises
    f"postgresql://u:{SECRET}@x@127.0.0.1:1/db",         # '@' in the password: libpq splits at the first
    f"postgresql://u:{SECRET}%zz@127.0.0.1:1/db",        # bad percent-encoding, quoted by libpq
    f"postgresql://u:{SECRET}@127.0.0.1:notaport/db",
    f"postgresql://u:{SECRET}@127.0.0.1:1/db?x=1",        # unknown query parameter
    f"postgresql://u:{SECRET}@127.0.0.1:1/db",            # connection refused
    f"postgresql://u:{SECRET}@127.0.0.1:99999/db",
    f"mysql://u:{SECRET}@h/db",                           # unsupported scheme
    f"postgresql://u:{SECRET.replace('P', '%50')}@127.0.0.1:1/db",  # percent-encoded password
]


@pytest.mark.parametrize("url", URLS)
def test_cli_error_is_one_line_without_the_password(url: str, tmp_path: Path) -> None:
    bloqr = Path(sys.executable).with_name("bloqr")
    proc = subprocess.run([str(bloqr), "builds", "--store", url, "info"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("bloqr builds: build store "), proc.stderr
    assert SECRET not in proc.stderr and "s3cr3t" not in proc.stderr.lower() and "***" in proc.stderr


def test_redact_url_masks_every_piece_and_keeps_the_rest() -> None:
    assert redact_url("postgresql://u:pw@db.internal:5432/x") == "postgresql://u:***@db.internal:5432/x"
    assert redact_url("postgresql://u@db/x") == "postgresql://u@db/x"
    assert redact_url("sqlite:////tmp/a.sqlite") == "sqlite:////tmp/a.sqlite"
    assert redact_url(f"postgresql://u:{SECRET}@x@h/db") == "postgresql://u:***@h/db"
