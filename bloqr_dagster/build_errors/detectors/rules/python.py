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
         masks=(mask(r"(Python )\d+(?:\.\d+)*", r"\1<VERSION>"), mask(r"(Package )'[^']*'", r"\1'<PACKAGE>'"),
                mask(r"(not in )'[^']*'", r"\1'<RANGE>'"), mask(r"(definition not found: )\S+", r"\1<VERSION>"))),
    rule("python-version-words", "python_version_error",
         r"(?i:python version)[^\n]{0,80}?(?:is not (?:supported|allowed|available|installed|recogni[sz]ed)"
         r"|isn't (?:supported|allowed|available|recogni[sz]ed)|has reached (?:its )?(?:upstream )?end-of-life"
         r"|could not be (?:found|determined))|(?:Invalid|No (?:suitable )?standalone build found for the requested)"
         r" Python version|(?:No|Multiple) (?:Python )?versions? (?:was|were) found in your \.python-version"
         r"|No Python versions? (?:was|were) specified"
         r"|Unable to read \.python-version|any supported Python versions|Could not find the python executable"
         r"|pyenv: no (?:installed|known|local) versions?|pyenv: \S+ version not found|requires Python [<>=~^!]\S*, so it"
         r"|\bruntime\.txt file isn't supported|(?:Invalid|Unsupported) Python version"
         r"|\bPython \d+(?:\.\d+)+ (?:has reached (?:its )?(?:upstream )?end-of-life|is (?:deprecated|no longer supported))",
         "python version", "python versions", "python-version", "python executable", "end-of-life",
         "is deprecated", "no longer supported",
         "pyenv: ", "requires python", "runtime.txt", priority=100, tool="python",
         masks=(mask(r"(Python version \(?)(?=[\w.{}]*[\d{])[\w.{}]+", r"\1<VERSION>"), mask(r"(prefix )`[^']*'", r"\1`<VERSION>'"),
                mask(r"(executable )python[\d.]*", r"\1<PYTHON>"))),
    # The interpreter a tool found or was asked for is not one the project (or a dependency) allows, or the
    # requested Python cannot be installed: uv, pipenv, Poetry, asdf, mise, Heroku's buildpack, Vercel's builder
    rule("python-version-catalogue", "python_version_error",
         # uv: the interpreter against requires-python (project, script or lockfile), and its resolver's explanation
         r"(?:resolved to Python|The resolved Python interpreter \(Python) [^\n]{1,80}?\bis incompatible with the"
         r" (?:project|script|workspace)'s Python requirement|is not compatible with the locked Python requirement"
         r"|\bthe (?:current|requested) Python version \([^)\n]{1,80}\) does not satisfy Python"
         r"|environment's Python version does not (?:satisfy the request|meet the Python requirement)"
         r"|\bNo download found for request: [\w.+<>=~!*,-]{0,80}?(?:python|\d)"
         r"|^(?:error: )?Python \d+(?:\.\d+)* is not supported\. Please use Python"
         # pipenv, Poetry
         r"|\bPython version '[^'\n]{1,40}' was not found on your system|Poetry was unable to find a compatible version"
         # asdf and mise shims / installs of Python
         r"|No (?:preset )?version (?:is )?(?:set|installed) for command (?:python|pip|pipenv|poetry)[\d.]*$"
         r"|\bmise (?:ERROR|error) (?:failed to install |no precompiled python found for )(?:core:)?python@"
         # setup-python's PyPy variant and the manifest pointer that follows a missing version
         r"|^PyPy version \S+ \([^)\n]{1,40}\) with arch \S+ not found"
         r"|^The list of all available versions can be found here: \S*python-versions"
         r"|The specified python version file at: [^\n]{1,300} doesn't exist"
         # Heroku's Python buildpack, old and new
         r"|\bRequested runtime [('\"]?python-[^\s'\")]{1,40}[)'\"]? is not available"
         r"|however, we couldn't find that version on S3|Your \.python-version file is spelled incorrectly"
         # Vercel's Python builder
         r"|\bPython version \"[^\"\n]{1,40}\"[^\n]{0,80}? is discontinued and must be upgraded"
         r"|\b(?i:python version) [^\n]{1,80}? has reached (?i:end-of-life)"
         # code written for a newer Python run by an older one: PEP 604 unions, PEP 585 generics, PEP 563
         r"|unsupported operand type\(s\) for \|: '(?:type|types\.GenericAlias|_GenericAlias|_SpecialForm|typing\.\w+"
         r"|dict)' and '(?:type|NoneType|types\.GenericAlias|_GenericAlias|_SpecialForm|typing\.\w+|dict)'"
         r"|TypeError: 'type' object is not subscriptable|future feature annotations is not defined"
         # uv and the test runners (tox, nox, PDM) that cannot find the interpreter they were asked for
         r"|\bNo interpreter found (?:in|at) |\bPython interpreter not found at |Failed to inspect Python interpreter from"
         r"|\bInterpreterNotFound\b|could not find python interpreter with spec"
         r"|^(?![^\n]{0,200}\bskipped\b)[^\n]{0,200}?\bPython interpreter \S+ not found\b"
         r"|No Python interpreter matching|\[NoPythonVersion\]"
         # pipenv with neither pyenv nor asdf to install the Python it needs; pyenv's python-build failing to build it
         r"|could be found to install Python|^BUILD FAILED \([^)\n]{1,120} using python-build"
         r"|^(?:ERROR: )?The Python \w+ extension was not compiled"
         # get-pip.py (and pip itself) on an interpreter it no longer supports
         r"|This script does not work on Python \d|The minimum supported Python version is \d"
         # a package's own setup.py / __init__ guard: `RuntimeError: Python version >= 3.9 required.`
         r"|\bPython (?:version )?(?:[<>=~^!]{1,2} ?)?\d+(?:\.\d+)*\+?(?: or (?:later|newer|higher|above))? (?:is )?required\b"
         r"|\brequires Python (?:version )?\d+(?:\.\d+)*(?:\+| or (?:later|newer|higher|above))",
         "resolved to python", "resolved python interpreter", "locked python requirement", "python version (",
         "environment's python version", "no download found for request", "is not supported. please use python",
         "was not found on your system", "unable to find a compatible version", "set for command",
         "installed for command", "mise error", "pypy version", "all available versions",
         "python version file", "requested runtime", "that version on s3", "python-version file",
         "is discontinued", "end-of-life", "unsupported operand", "is not subscriptable", "future feature annotations",
         "no interpreter found", "interpreter not found", "inspect python interpreter", "interpreternotfound",
         "could not find python interpreter", "python interpreter ", "nopythonversion", "to install python",
         "using python-build", "extension was not compiled", "does not work on python", "minimum supported python",
         "required", "requires python",
         priority=100, tool="python",
         masks=(mask(r"(Python(?: version)? )(?:\(\d[\w.+]*\)|\d[\w+]*(?:\.[\w+]+)*)(?=[,.: )]|$| is| was| does)",
                     lambda m: m.group(1) + ("(<VERSION>)" if m.group().endswith(")") else "<VERSION>")),
                mask(r"\bPython[<>=~!]{1,2}[\w.*]+", "Python<RANGE>"),
                mask(r"(?<![\w.-])(?!Python\b|requires-python\b)[A-Za-z][\w.-]{0,100}(?:\[[\w,-]{1,100}\])?(?:==|>=|<=|~=|!=)[\w.*+]+",
                     "<PACKAGE><RANGE>"),
                mask(r"\b(all versions of |depends? on |conclude that )(?!Python\b)[A-Za-z][\w.-]*", r"\1<PACKAGE>"),
                mask(r"(Python requirement: )`[^`]*`", r"\1`<RANGE>`"),
                mask(r"(does not satisfy Python)\S+", r"\1<RANGE>"),
                mask(r"(The Python request from )`[^`]*`", r"\1`<FILE>`"),
                mask(r"(request: )\S+", r"\1<VERSION>"), mask(r"(python@)\S+", r"\1<VERSION>"),
                mask(r"(python-)[\d.x]+", r"\1<VERSION>"),
                mask(r"(version file at: ).* (doesn't exist)", r"\1<PATH> \2"),
                mask(r"^(PyPy version )\S+ \([^)]*\)( with arch )\S+", r"\1<VERSION> (<VERSION>)\2<ARCH>"),
                mask(r"(found here: )\S+", r"\1<URL>"), mask(r"(for stack )\(?[\w-]+\)?", r"\1<STACK>"),
                mask(r"(this stack )\([\w-]+\)", r"\1(<STACK>)"),
                mask(r'(Python version )"[^"]*"( detected in )\S+', r'\1"<VERSION>"\2<FILE>'),
                mask(r"^of \S+, however", "of <VERSION>, however"),
                mask(r"(version )'[^']*'( was not found)", r"\1'<VERSION>'\2"),
                mask(r"(interpreter not found at |from [^`\n]{0,40}at |No interpreter found at )`[^`]*`", r"\1`<PATH>`"),
                mask(r"(Python interpreter )\S+( not found)", r"\1<VERSION>\2"),
                mask(r"(InterpreterNotFound: )\S+", r"\1<PYTHON>"), mask(r"(with spec\(s\): ).*", r"\1<SPEC>"),
                mask(r"^(BUILD FAILED )\(.*\)", r"\1(<OS> using python-build <VERSION>)"),
                mask(r"(requires-python)\S+", r"\1<RANGE>"))),
    # actions/setup-python (and setup-pypy): the requested version is not in the tool cache or the manifest
    rule("setup-python-version", "python_version_error",
         r"^Version \S+ with arch \S+ not found|The version '[^']+' with architecture '[^']+' was not found"
         r"|Python version \S+ was not found in the local cache",
         "with arch", "with architecture", "was not found in the local cache", priority=100, tool="setup-python",
         masks=(mask(r"^Version \S+", "Version <VERSION>"), mask(r"(The version )'[^']+'", r"\1'<VERSION>'"),
                mask(r"(Python version )\S+", r"\1<VERSION>"))),
    rule("pages-python-tool-spec", "python_version_error",
         r"Detected the following tools from environment:.*\bpython@(?!\d)|^Installing python (?=\S*\d)(?!\d)\S+$",
         "python", priority=100, tool="platform",
         masks=(mask(r"(environment: ).*", r"\1<TOOLS>"), mask(r"^(Installing python )\S+", r"\1<VERSION>"))),
    rule("python-activate-missing", "python_version_error",
         r"python[\w.-]*/bin/activate: No such file or directory", "activate", priority=100, tool="platform"),
    rule("python-see-current-versions", "python_version_error", r"Please see \S*build-image\S* for current versions",
         "current versions", priority=60, tool="platform"),
    rule("pip-no-distribution", "dependency_install_failed",
         # pip >= 10 prefixes `ERROR: `; pip <= 9 printed the same sentences bare; `a final version` when pre-releases
         # are excluded
         r"(?:ERROR: |^\s*)(?:No matching distribution found for|Could not find a (?:final )?version that satisfies the"
         r" requirement|Ignored the following yanked versions:)",
         "no matching distribution", "could not find a version", "could not find a final version", "yanked versions",
         priority=100,
         masks=(mask(r"(found for )\S+", r"\1<PACKAGE>"), mask(r"(the requirement )\S+", r"\1<REQUIREMENT>"),
                mask(r"\(from versions: [^)]*\)", "(from versions: <VERSIONS>)"),
                mask(r"\(from [\w.\[\]-]+==", "(from <PACKAGE>=="),
                mask(r"(yanked versions: ).*", r"\1<VERSIONS>"))),
    rule("pip-requirements-file", "missing_file",
         r"ERROR: Could not open requirements file|ERROR: (?:File:? |Directory )'[^']*' (?:does not exist|is not"
         r" installable)", "requirements file", "does not exist", "is not installable", priority=100,
         masks=(mask(r"((?:File:?|Directory) )'[^']*'", r"\1'<PATH>'"),)),
    # pip's HTTP errors (requests' `<code> Client Error: <reason> for url: ...`): a missing file or package is the
    # install's failure; the index answering 5xx is a network/registry outage
    rule("pip-http-4xx", "dependency_install_failed",
         r"ERROR: (?:HTTP error )?4\d\d Client Error|ERROR: HTTP error 4\d\d while getting", "client error",
         "http error", priority=90, masks=(mask(r"(for url: |while getting )\S+", r"\1<URL>"),)),
    rule("pip-http-5xx", "network_error",
         r"ERROR: (?:HTTP error )?5\d\d Server Error|ERROR: HTTP error 5\d\d while getting", "server error",
         "http error", priority=90, masks=(mask(r"(for url: |while getting )\S+", r"\1<URL>"),)),
    # old pip (<= 9): `Command "python setup.py egg_info" failed with error code 1 in /tmp/pip-build-x/`
    rule("pip-legacy-command", "dependency_install_failed",
         r"^Command \"[^\"\n]{1,600}\" failed with error code \d+ in ", "failed with error code", priority=70,
         masks=(mask(r'^Command "[^"]*"', 'Command "<COMMAND>"'), mask(r"( in )\S+$", r"\1<PATH>"))),
    # a Python tool's subprocess.CalledProcessError whose command is an installer (poetry, pipenv, nox, tox)
    rule("python-installer-subprocess", "dependency_install_failed",
         r"Command '\[(?=[^\]\n]{0,600}?(?:\b|/)(?:pip3?|uv|poetry|pipenv|conda|mamba)'|[^\]\n]{0,600}?'(?:install|sync)')"
         r"[^\]\n]{0,600}\]' returned non-zero exit status \d+", "returned non-zero exit status", priority=60,
         masks=(mask(r"(Command )'\[[^\]]*\]'", r"\1'<COMMAND>'"),)),
    # pip's ResolutionImpossible explanation: `  a 1.0 depends on b<2`, `  The user requested c==3`
    rule("pip-conflict-detail", "dependency_install_failed",
         r"^[A-Za-z][\w.\[\],-]{0,100} \d[\w.!+*]{0,40} depends on [A-Za-z][\w.\[\],-]{0,100}(?:[<>=!~]|$)"
         r"|^The user requested (?:\(constraint\) )?[A-Za-z][\w.\[\],-]{0,100}(?:[<>=!~@]|$)",
         "depends on", "the user requested", priority=60, rank=40,
         masks=(mask(r"^\S+ \S+ depends on [A-Za-z][\w.\[\]-]*(\S*).*",
                            lambda m: "<PACKAGE> <VERSION> depends on <PACKAGE>" + ("<RANGE>" if m.group(1) else "")),
                mask(r"(The user requested (?:\(constraint\) )?)[A-Za-z][\w.\[\]-]*(\S*)",
                     lambda m: m.group(1) + "<PACKAGE>" + ("<RANGE>" if m.group(2) else "")))),
    # an installer naming the requirement it could not install: `Failed to install poetry-core>=1.0.`
    rule("python-failed-install-requirement", "dependency_install_failed",
         r"^\s*Failed to install [A-Za-z][\w.\[\]-]{0,100}(?:[<>=!~]=?\d[\w.*]{0,40},?){1,4}\.?$", "failed to install",
         priority=60, masks=(mask(r"(install )[A-Za-z][\w.\[\]-]*\S*?(?=\.?$)", r"\1<PACKAGE><RANGE>"),)),
    rule("pip-build-failure", "dependency_install_failed",
         r"error: subprocess-exited-with-error|ERROR: Failed building wheel for|Failed to build (?:wheel|installable"
         r" wheels)|ResolutionImpossible|ERROR: Cannot install .+ conflicting dependencies"
         r"|ERROR: Could not install packages due to|ERROR: Invalid requirement|critical libmamba"
         r"|× No solution found when resolving|× Failed to (?:build|download|fetch|prepare)"
         r"|error: Failed to (?:prepare distributions|build|download|fetch|install|resolve)|PackagesNotFoundError"
         r"|ERROR: Could not build wheels for|error: (?:legacy-install-failure|metadata-generation-failed)"
         r"|Encountered error while generating package metadata|ERROR: Command errored out with exit status"
         r"|THESE PACKAGES DO NOT MATCH THE HASHES|ERROR: Cannot uninstall|\b(?:LibMamba)?UnsatisfiableError\b"
         r"|ResolvePackageNotFound|we can conclude that [^\n]{0,300}?(?:are|is) unsatisfiable"
         r"|(?:×|error:) No solution found when resolving|× Failed to (?:resolve|install)"
         r"|ChefBuildError|This error originates from the build backend|ERROR: Failed to build one or more wheels"
         # conda/mamba's solver, and conda handing pip's failure on
         r"|Could not solve for environment specs|The environment can't be solved|^Solving environment: failed"
         r"|\bnothing provides (?:requested )?[A-Za-z_][\w.-]{0,100}|CondaEnvException: Pip failed|^Pip subprocess error:$"
         # poetry: a downloaded file whose hash is not the locked one
         r"|did not match any known checksums in your lock file",
         "subprocess-exited", "failed building wheel", "failed to build", "resolutionimpossible",
         "cannot install", "could not install", "invalid requirement", "libmamba", "no solution found",
         "failed to", "packagesnotfound", "could not build wheels", "legacy-install-failure",
         "metadata-generation-failed", "generating package metadata", "command errored out", "do not match the hashes",
         "cannot uninstall", "unsatisfiable", "resolvepackagenotfound", "chefbuilderror", "build backend",
         "one or more wheels", "could not solve for environment", "can't be solved", "solving environment: failed",
         "nothing provides", "condaenvexception", "pip subprocess error", "known checksums", priority=70,
         masks=(mask(r"(nothing provides (?:requested )?)[A-Za-z_][\w.-]*(?: [<>=!~]\S*)?", r"\1<PACKAGE>"),
                mask(r"(distributions for )\S+ \([^)]*\)", r"\1<PACKAGE> (<VERSION>)"))),
    # uv's error chain (`├─▶`/`╰─▶`, cargo-style `Caused by:`) under a git dependency: the clone or fetch failed
    rule("uv-git-dependency", "clone_failed",
         r"^\s*(?:[├╰]─▶|Caused by:)\s*(?:failed to clone into|failed to fetch commit|Git operation failed"
         r"|process didn't exit successfully: `[^`\n]{0,300}?\bgit(?:\.exe)? )", "─▶", "caused by", priority=100,
         tool="uv", masks=(mask(r"(commit )`[0-9a-f]{7,40}`", r"\1`<SHA>`"), mask(r"(successfully: )`.*", r"\1`<COMMAND>`"))),
    rule("pip-step-error", "dependency_install_failed",
         r"^(?:Preparing (?:editable )?metadata|Getting requirements to build|Building (?:wheel|editable) for"
         r"|Installing (?:build|backend) dependencies|Running setup\.py (?:install|develop) for)"
         r"[^\n]{0,120} \.\.\. error$|^note: This error originates from a subprocess", "error",
         "error originates from a subprocess", priority=70, rank=40,
         masks=(mask(r"^((?:Building (?:wheel|editable)|Running setup\.py \w+) for )[A-Za-z0-9][\w.\[\],-]*", r"\1<PACKAGE>"),)),
    # What a package's native build needs and the runner lacks, as setuptools / setuptools-rust say it inside pip
    rule("python-native-build", "dependency_install_failed",
         r"\berror: Microsoft Visual C\+\+ [\d.]+ or greater is required|\berror: can't find Rust compiler",
         "microsoft visual c++", "can't find rust compiler", priority=70),
    # pip <= 22 closing a failed install with the distributions it could not build (`Failed to build a b`); a build
    # step's own `Failed to build app` stays the build's (the category follows the stage)
    rule("pip-failed-to-build-list", "dependency_install_failed",
         r"^(?:ERROR: )?Failed to build(?: [A-Za-z0-9][\w.-]{0,100}){1,20}$", "failed to build", priority=40,
         relative="stage", masks=(mask(r"^((?:ERROR: )?Failed to build) .*", r"\1 <PACKAGES>"),)),
    # uv: a local wheel or sdist named on the command line is not there
    rule("uv-distribution-missing", "dependency_install_failed", r"\berror: Distribution not found at: ",
         "distribution not found at", priority=70, masks=(mask(r"(found at: )\S+", r"\1<URL>"),)),
    # Poetry's installer: one operation failed (`• Installing psycopg2 (2.9.9): Failed`), or its configuration
    rule("poetry-operation-failed", "dependency_install_failed",
         r"^\s*[•-] (?:Installing|Updating|Downgrading|Removing) [A-Za-z0-9][\w.-]{0,100} \([^)\n]{1,80}\): Failed$"
         r"|^The Poetry configuration is invalid:", "failed", "poetry configuration is invalid", priority=70,
         tool="poetry", masks=(mask(r"((?:Installing|Updating|Downgrading|Removing) )\S+ \([^)]*\)", r"\1<PACKAGE> (<VERSION>)"),)),
    # conda's own exceptions (its HTTP and SSL errors are network failures, rules/network.py's)
    rule("conda-error", "dependency_install_failed",
         r"^(?:\w+\.)*Conda(?!HTTPError|SSLError)\w*(?:Error|Exception):", "conda", priority=60, tool="conda"),
    rule("conda-environment-file", "missing_file", r"^EnvironmentFileNotFound: ", "environmentfilenotfound",
         priority=70, tool="conda", masks=(mask(r"(NotFound: )'[^']*'", r"\1'<PATH>'"),)),
    # pipenv's exceptions, printed even when the message after them opens with `Warning:`
    rule("pipenv-exception", "dependency_install_failed",
         r"\bpipenv\.exceptions\.(?:ResolutionFailure|InstallError|UninstallError|PipenvCmdError|JSONParseError)\b"
         r"|^Your dependencies could not be resolved\. You likely have a mismatch",
         "pipenv.exceptions", "dependencies could not be resolved", priority=160, tool="pipenv"),
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
         r"|lockfile at .uv\.lock. needs to be updated|poetry\.lock (?:was )?not found"
         r"|Unable to find lockfile at .uv\.lock.|Failed to parse .uv\.lock."
         r"|has missing `source` field but has more than one matching package"
         # uv's --locked/--frozen/--check refusals, whatever the lockfile's path (workspaces, --directory)
         r"|The lockfile at `[^`\n]{1,300}` (?:needs to be updated|has non-canonical formatting at line \d+), but `--\w+`"
         r" was provided|The lockfile at `[^`\n]{1,300}` uses an unsupported schema version"
         # Poetry's lock file written by another Poetry
         r"|The lock file (?:is not compatible with the current version of Poetry|does not have a metadata entry"
         r"|might not be compatible with the current version of Poetry)"
         # pipenv --deploy / --locked: the Pipfile changed since Pipfile.lock was written (the bare `Pipfile.lock (x)
         # out of date, updating to (y)...` of a plain `pipenv install` re-locks and carries on)
         r"|Your Pipfile\.lock \(\w+\) is out of date|\bPipfile\.lock (?:\(\w+\) )?(?:is )?out of date(?!, updating)"
         r"|No .Pipfile\.lock. found!|(?:Can't|Unable to) parse Pipfile\.lock"
         # pip installing from a pylock.toml: the requirement is not the locked version
         r"|The requirement \S+ is not compatible with version \S+ specified in a provided lock file"
         # PDM (`pdm lock --check`, `pdm install` on a stale pdm.lock)
         r"|Lock file hash doesn't match pyproject\.toml",
         "pyproject.toml changed", "missing `source` field",
         "poetry.lock is not consistent", "poetry.lock not found", "poetry.lock was not found",
         "not up to date with the latest changes", "uv.lock", "the lockfile at", "lock file is not compatible",
         "lock file does not have", "lock file might not be", "pipfile.lock", "provided lock file", "lock file hash",
         priority=100,
         masks=(mask(r"(Dependency )`[^`]*`", r"\1`<PACKAGE>`"), mask(r"(The lockfile at )`[^`]*`", r"\1`<PATH>`"),
                mask(r"(Pipfile\.lock )\(\w+\)", r"\1(<HASH>)"), mask(r"((?:Expected: |update to |updating to ))\(\w+\)", r"\1(<HASH>)"),
                mask(r"(The requirement )\S+( is not compatible with version )\S+", r"\1<REQUIREMENT>\2<VERSION>"),
                mask(r"(workspace member )`[^`]*`", r"\1`<PACKAGE>`"))),
    # pipenv --deploy gives up after naming why (an out-of-date Pipfile.lock or the wrong Python): a summary
    rule("pipenv-aborting-deploy", "dependency_install_failed", r"^(?:ERROR:+ ?)?Aborting deploy\b", "aborting deploy",
         priority=60, tool="pipenv", summary=True),
    # Heroku's Python buildpack (and the platforms built on it): the app names several package managers
    rule("python-package-manager-files", "dependency_install_failed",
         r"Multiple Python package manager files were found", "package manager files", priority=70),
    rule("poetry-solver", "dependency_install_failed", r"version solving failed|SolverProblemError",
         "version solving failed", "solverproblemerror", priority=70, tool="poetry",
         # Poetry's explanation names packages and their constraints: `because app depends on foo (^1.0)`
         masks=(mask(r"(?<=[Bb]ecause )[A-Za-z][\w.-]*(?= depends on)", "<PACKAGE>"),
                mask(r"(?<![\w.<>-])[A-Za-z][\w.-]* \(([^()]*)\)", lambda m: "<PACKAGE> (" + (
                    "<VERSION>" if m.group(1).strip()[:1].isdigit() and " " not in m.group(1).strip() else "<RANGE>")
                    + ")"))),
    rule("python-project-missing", "missing_file",
         r"could not find a pyproject\.toml file|No [`'\"]?pyproject\.toml[`'\"]? found in current directory",
         "could not find a pyproject.toml", "found in current directory", priority=100),
    rule("poetry-python-range", "python_version_error",
         r"The current project's (?:supported )?Python (?:range|requirement) .{0,80} is not compatible"
         r"|loosen the python constraint specified in the pyproject\.toml", "current project's", "loosen the python", priority=100, tool="poetry"),
))
