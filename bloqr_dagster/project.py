"""Where the project's own files are: a source checkout, or the copy an installed wheel carries.

Two files outside the package are needed at run time: pyproject.toml (its [tool.dg] section tells
Dagster's defs-folder loader which module holds the definitions) and the SQL models in
dbt_like_sql/. In a checkout both sit at the top of the repository. A wheel cannot put them beside
the package, so pyproject.toml installs them as data files under <prefix>/share/bloqr_dagster/, in
the same layout, and this module finds whichever copy exists. It also puts the instance config
(dagster.yaml) into DAGSTER_HOME for `bloqr demo` and `bloqr ui`. No Dagster import.
"""

from __future__ import annotations

import os
import shutil
import sysconfig
from pathlib import Path

from bloqr_dagster.errors import BloqrError

SQL_FOLDER = "dbt_like_sql"
# The Dagster instance config that `make ui`, `make demo` and the tests copy into DAGSTER_HOME, and the
# workspace `bloqr ui` serves.
INSTANCE_CONFIG = Path("dagster.yaml")
WORKSPACE = Path("workspace.yaml")
SHARE = Path("share", "bloqr_dagster")  # must match [tool.setuptools.data-files] in pyproject.toml


def _is_project(folder: Path) -> bool:
    return (folder / "pyproject.toml").is_file() and (folder / SQL_FOLDER).is_dir()


def project_dir() -> Path:
    """The checkout this package is imported from, else the data folder its wheel installed."""
    checkout = Path(__file__).resolve().parents[1]
    if _is_project(checkout):
        return checkout
    # A venv or system install puts data files under the "data" path, a `pip install --user` under
    # the user scheme's.
    candidates = [Path(sysconfig.get_path("data")) / SHARE]
    user_scheme = sysconfig.get_preferred_scheme("user")
    candidates.append(Path(sysconfig.get_path("data", user_scheme)) / SHARE)
    for folder in candidates:
        if _is_project(folder):
            return folder
    raise BloqrError(f"project files (pyproject.toml, {SQL_FOLDER}/) not found in {checkout} "
                     f"or {candidates[0]}: reinstall bloqr_dagster")


def prepare_dagster_home() -> Path:
    """DAGSTER_HOME, or .dagster_home here (as `make demo` and `make ui` use), with the project's dagster.yaml."""
    home = Path(os.environ.get("DAGSTER_HOME") or ".dagster_home").resolve()
    home.mkdir(parents=True, exist_ok=True)
    os.environ["DAGSTER_HOME"] = str(home)
    config = home / "dagster.yaml"
    repo_config = project_dir() / INSTANCE_CONFIG
    if not config.exists() and repo_config.is_file():
        shutil.copy(repo_config, config)
    return home
