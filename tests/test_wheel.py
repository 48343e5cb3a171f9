"""The code location installs from a wheel: built from a copy of the checkout, installed into a fresh
venv outside it, it loads its definitions and builds a warehouse model with cwd outside the checkout.

Slow (a venv and the dependencies from pip's cache or PyPI, about a minute or two) but never
skipped: a wheel without its SQL models or its pyproject.toml only fails at load time.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# What a clean checkout holds; .venv, build state and caches stay behind.
IGNORE = shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache",
                                ".ruff_cache", ".dagster_home", ".bloqr", ".reference", ".work")

LOAD_AND_BUILD = """
import dagster as dg
import bloqr_dagster
from bloqr_dagster.definitions import load_defs
from bloqr_dagster.project import INSTANCE_CONFIG, WORKSPACE, project_dir
from bloqr_dagster.warehouse.models import load_project

assert "site-packages" in bloqr_dagster.__file__, bloqr_dagster.__file__
assert (project_dir() / INSTANCE_CONFIG).is_file() and (project_dir() / WORKSPACE).is_file(), project_dir()
defs = load_defs()
keys = {k.to_user_string() for k in defs.resolve_asset_graph().get_all_asset_keys()}
project = load_project()
assert {f"warehouse/{name}" for name in project.models} <= keys, sorted(keys)
key = dg.AssetKey(["warehouse", "stg_build_errors"])
result = defs.resolve_implicit_global_asset_job_def().execute_in_process(
    asset_selection=[key], instance=dg.DagsterInstance.ephemeral())
assert result.success
[event] = result.get_asset_materialization_events()
print("models", len(project.models), "sql_dir", project.sql_dir)
print("built", event.asset_key.to_user_string(), "rows", event.materialization.metadata["dagster/row_count"].value)
"""


def _run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, f"{cmd[:3]} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc.stdout


@pytest.mark.slow
def test_wheel_installs_and_loads_outside_the_checkout(tmp_path: Path) -> None:
    source = tmp_path / "src"
    shutil.copytree(ROOT, source, ignore=IGNORE, symlinks=True)
    dist = tmp_path / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), "."], cwd=source)
    (wheel,) = dist.glob("bloqr_dagster-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert any(n.endswith(".data/data/share/bloqr_dagster/dbt_like_sql/stg_build_errors.sql") for n in names)
    for name in ("pyproject.toml", "workspace.yaml", "dagster.yaml", "dagster.postgres.yaml"):
        assert any(n.endswith(f".data/data/share/bloqr_dagster/{name}") for n in names), name

    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], cwd=tmp_path)
    python = venv / "bin" / "python"
    _run([str(python), "-m", "pip", "install", "-q", str(wheel)], cwd=tmp_path)

    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BLOQR_", "DAGSTER_", "PYTHON"))}
    env |= {"BLOQR_HOME": str(work / "home"), "DAGSTER_HOME": str(work / "dagster_home")}
    (work / "dagster_home").mkdir()
    out = _run([str(python), "-c", LOAD_AND_BUILD], cwd=work, env=env)
    assert f"sql_dir {venv}" in out and "built warehouse/stg_build_errors rows 0" in out
    assert (work / "home" / "warehouse.duckdb").is_file()
