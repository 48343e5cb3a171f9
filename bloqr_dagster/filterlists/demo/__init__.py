"""A small offline demo: two hand-written lists and a configuration that combines them.

Used by `bloqr demo` / `make demo` (bloqr_dagster.defs.filterlists.demo) so the filter-list
workflows can be shown without network access or ../shared.
"""

from pathlib import Path

DEMO_DIR = Path(__file__).resolve().parent
DEMO_CONFIG = DEMO_DIR / "demo_config.json"
