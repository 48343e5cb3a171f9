"""Python toolchain: pip, uv, mamba/conda, pyenv, and the platforms' Python version selection."""

from __future__ import annotations

from bloqr_dagster.build_errors.detectors.model import Detector
from bloqr_dagster.build_errors.detectors.rules._dsl import mask, rule

DETECTOR = Detector("python", "pip", (
    rule("python-version-missing", "python_version_error",
         r"No (?:virtual environment|(?:Python )?interpreter|matching interpreter) found for Python"
         r"|pyenv: version .+ (?:is )?not installed|requires a different Python"
         r"|The currently activated Python version .+ is not supported|Error setting python version"
         r"|(?:Python|python) (?:version )?\S+ (?:is not available|is not installed|not found)"
         r"|Unable to find (?:a )?(?:suitable )?Python|Could not find (?:a )?(?:suitable )?Python"
         r"|version .* of python not found|Requires-Python|python_requires|python-build: definition not found",
         "python", "interpreter", "pyenv", priority=100, tool="uv",
         masks=(mask(r"(Python )\d+(?:\.\d+)*", r"\1<VERSION>"),)),
    rule("python-version-words", "python_version_error",
         r"(?i:python version)[^\n]{0,80}?(?:is not (?:supported|allowed|available|installed|recogni[sz]ed)"
         r"|isn't (?:supported|allowed|available|recogni[sz]ed)|has reached (?:its )?(?:upstream )?end-of-life"
         r"|could not be (?:found|determined))|(?:Invalid|No (?:suitable )?standalone build found for the requested)"
         r" Python version|(?:No|Multiple) (?:Python )?versions? (?:was|were) found in your \.python-version"
         r"|No Python versions? (?:was|were) specified"
         r"|Unable to read \.python-version|any supported Python versions|Could not find the python executable"
         r"|pyenv: no (?:installed|known|local) versions?|pyenv: \S+ version not found|requires Python [<>=~^!]\S*, so it"
         r"|\bruntime\.txt file isn't supported|(?:Invalid|Unsupported) Python version",
         "python version", "python versions", "python-version", "python executable",
         "pyenv: ", "requires python", "runtime.txt", priority=100, tool="python",
         masks=(mask(r"(Python version )\(?[\w.{}]+\)?", r"\1<VERSION>"), mask(r"(prefix )`[^']*'", r"\1`<VERSION>'"),
                mask(r"(executable )python[\d.]*", r"\1<PYTHON>"))),
    rule("pages-python-tool-spec", "python_version_error",
         r"Detected the following tools from environment:.*\bpython@(?!\d)|^Installing python (?=\S*\d)(?!\d)\S+$",
         "python", priority=100, tool="platform",
         masks=(mask(r"(environment: ).*", r"\1<TOOLS>"), mask(r"^(Installing python )\S+", r"\1<VERSION>"))),
    rule("python-activate-missing", "python_version_error",
         r"python[\w.-]*/bin/activate: No such file or directory", "activate", priority=100, tool="platform"),
    rule("python-see-current-versions", "python_version_error", r"Please see \S*build-image\S* for current versions",
         "current versions", priority=60, tool="platform"),
    rule("pip-no-distribution", "dependency_install_failed",
         r"ERROR: (?:No matching distribution found for|Could not find a version that satisfies the requirement)",
         "no matching distribution", "could not find a version", priority=100,
         masks=(mask(r"(found for )\S+", r"\1<PACKAGE>"), mask(r"(the requirement )\S+", r"\1<REQUIREMENT>"),
                mask(r"\(from versions: [^)]*\)", "(from versions: <VERSIONS>)"),
                mask(r"\(from [\w.\[\]-]+==", "(from <PACKAGE>=="))),
    rule("pip-requirements-file", "missing_file", r"ERROR: Could not open requirements file", "requirements file",
         priority=100),
    rule("pip-build-failure", "dependency_install_failed",
         r"error: subprocess-exited-with-error|ERROR: Failed building wheel for|Failed to build (?:wheel|installable"
         r" wheels)|ResolutionImpossible|ERROR: Cannot install .+ conflicting dependencies"
         r"|ERROR: Could not install packages due to|ERROR: Invalid requirement|critical libmamba"
         r"|× No solution found when resolving|× Failed to (?:build|download|fetch|prepare)"
         r"|error: Failed to (?:prepare distributions|build|download|fetch)|PackagesNotFoundError",
         "subprocess-exited", "failed building wheel", "failed to build", "resolutionimpossible",
         "cannot install", "could not install", "invalid requirement", "libmamba", "no solution found",
         "failed to", "packagesnotfound", priority=70),
    rule("pip-step-error", "dependency_install_failed",
         r"^(?:Preparing metadata|Getting requirements to build|Building wheel for|Installing build dependencies)"
         r"[^\n]{0,120} \.\.\. error$|^note: This error originates from a subprocess", "... error",
         "error originates from a subprocess", priority=70, rank=40),
    rule("python-resolver", "dependency_install_failed",
         r"^(?:SolveFailureError|SolverProblemError)$|PEP ?517 build of a dependency failed|Could not find a matching"
         r" version of package|Cannot resolve build-system\.requires|^The conflict is caused by:$",
         "solvefailureerror", "solverproblemerror", "build of a dependency failed", "matching version of package",
         "build-system.requires", "conflict is caused by", priority=70, tool="poetry",
         masks=(mask(r"(of package )\S+", r"\1<PACKAGE>"), mask(r"(requires for )\S+", r"\1<PACKAGE>"))),
    rule("pip-externally-managed", "dependency_install_failed", r"\berror: externally-managed-environment",
         "externally-managed", priority=70),
    # Poetry and uv refuse a lockfile that no longer matches pyproject.toml
    rule("python-lockfile", "lockfile_out_of_sync",
         r"pyproject\.toml changed significantly since poetry\.lock|poetry\.lock is not consistent with pyproject"
         r"|lock file is not up to date with the latest changes in pyproject\.toml"
         r"|lockfile at .uv\.lock. needs to be updated|poetry\.lock (?:was )?not found", "pyproject.toml changed",
         "poetry.lock is not consistent", "poetry.lock not found", "poetry.lock was not found",
         "not up to date with the latest changes", "uv.lock", priority=100),
    rule("poetry-solver", "dependency_install_failed", r"version solving failed|SolverProblemError",
         "version solving failed", "solverproblemerror", priority=70, tool="poetry"),
    rule("python-project-missing", "missing_file",
         r"could not find a pyproject\.toml file|No [`'\"]?pyproject\.toml[`'\"]? found in current directory",
         "could not find a pyproject.toml", "found in current directory", priority=100),
    rule("poetry-python-range", "python_version_error",
         r"The current project's (?:supported )?Python (?:range|requirement) .{0,80} is not compatible",
         "current project's", priority=100, tool="poetry"),
))
