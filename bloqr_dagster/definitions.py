"""The code location: the bloqr_dagster/defs folder loaded as one (a `dg` project; see [tool.dg] in
pyproject.toml). `dg dev`, `dg check defs`, `dg list defs`, `dg launch` and workspace.yaml load it.

The loader imports every module under defs/ and collects what it defines, so a new domain folder
(defs/<domain>/assets.py, jobs.py, resources.py with a @dg.definitions function, ...) needs no edit
here.
"""

import dagster as dg

from bloqr_dagster.project import project_dir


def load_defs() -> dg.Definitions:
    """Every domain's definitions, with resources resolved from the environment now."""
    return dg.load_from_defs_folder(path_within_project=project_dir())


@dg.definitions
def defs() -> dg.Definitions:
    return load_defs()
