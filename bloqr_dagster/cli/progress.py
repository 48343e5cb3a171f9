"""A progress bar on stderr for long CLI commands (quiet when stderr is not a terminal)."""

from __future__ import annotations

import sys
from typing import Any


def progress(total: int | None, desc: str, unit: str = "it") -> Any:
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, dynamic_ncols=True,
                disable=None, mininterval=0.5)
