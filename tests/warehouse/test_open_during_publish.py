"""A reader that opens the warehouse while publishes replace it gets one whole file, never an error.

DuckDB opens the path several times while it attaches a file; a publish between those opens gives
it one file's headers and another file's blocks. Here a separate process replaces the published
file as fast as it can with two files of different layouts while this process opens it again and
again through the product's reader.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from bloqr_dagster.settings import Paths
from bloqr_dagster.warehouse.query import connect_readonly

SECONDS = 10  # how long to keep opening (the old reader failed within about 3 s)
SWAPPER = """
import os, shutil, sys
from pathlib import Path
published, stop, sources = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:]
swaps = 0
while not stop.exists():
    temp = published.with_name(f".swap.{swaps}.tmp")
    shutil.copyfile(sources[swaps % 2], temp)
    os.replace(temp, published)
    swaps += 1
print(swaps)
"""


def _make(path: Path, rows: int, tables: int) -> None:
    con = duckdb.connect(str(path))
    for n in range(tables):
        con.execute(f"CREATE TABLE t{n} AS SELECT range AS i, md5(range::VARCHAR) AS h FROM range({rows})")
    con.execute(f"CREATE TABLE answer AS SELECT {rows} AS rows")
    con.execute("CHECKPOINT")
    con.close()


def test_opens_during_publishes_all_succeed(tmp_path: Path) -> None:
    paths = Paths(tmp_path / "home")
    paths.warehouse.parent.mkdir(parents=True)
    small, big = tmp_path / "small.duckdb", tmp_path / "big.duckdb"
    _make(small, 1_000, 1)
    _make(big, 100_000, 4)
    shutil.copyfile(small, paths.warehouse)
    stop = tmp_path / "stop"
    swapper = subprocess.Popen([sys.executable, "-c", SWAPPER, str(paths.warehouse), str(stop), str(small), str(big)],
                               stdout=subprocess.PIPE, text=True)
    seen: set[int] = set()
    opens = 0
    try:
        time.sleep(0.2)
        until = time.monotonic() + SECONDS
        while time.monotonic() < until:
            opens += 1
            con = connect_readonly(paths)
            try:
                seen.add(con.execute("SELECT rows FROM answer").fetchone()[0])
            finally:
                con.close()
    finally:
        stop.touch()
        swaps = int(swapper.communicate(timeout=60)[0])
    assert swapper.returncode == 0
    assert seen == {1_000, 100_000}  # both files were opened, each whole
    assert swaps > opens, f"only {swaps} publishes during {opens} opens: the race was not exercised"
