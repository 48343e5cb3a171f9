"""One writer per failure category of TAXONOMY.md, plus novel failures no rule knows.

A writer is called after the ordinary lines of the failing step have been written; it adds the
error lines and returns the exit code the platform reports. The generator adds the closing
`Failed: ...` lines. Private values placed in error lines are recorded with `w.private`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bloqr_dagster.build_errors.synth import vocab as V
from bloqr_dagster.build_errors.synth.log import LogWriter

REPO = "/opt/buildhome/repo"


def _src(w: LogWriter, exts: tuple[str, ...] = (".ts", ".tsx", ".js", ".jsx")) -> str:
    return f"{w.pick(V.SRC_DIRS)}/{w.pick(V.SRC_NAMES)}{w.pick(exts)}"


def _pkg(w: LogWriter) -> str:
    return w.pick(V.NPM_PACKAGES)


def _ipv4(w: LogWriter) -> str:
    first = w.pick((104, 172, 151, 185, 45, 203, 10, 192))
    return f"{first}.{w.n(0, 255)}.{w.n(0, 255)}.{w.n(1, 254)}"


def _ipv6(w: LogWriter) -> str:
    groups = [f"{w.rng.getrandbits(16):x}" for _ in range(5)]
    return f"2606:4700:{groups[0]}::{groups[1]}:{groups[2]}"


def _user_path(w: LogWriter, tail: str) -> str:
    if w.chance(0.5):
        return f"/Users/{w.p.user}/{w.pick(('Projects', 'dev', 'code', 'Documents/GitHub'))}/{w.p.repo}/{tail}"
    return f"/home/{w.p.user}/{w.pick(('projects', 'src', 'work'))}/{w.p.repo}/{tail}"


def _npm_log_tail(w: LogWriter) -> None:
    stamp = f"{w.n(2024, 2026)}-{w.n(1, 12):02d}-{w.n(1, 28):02d}T{w.n(0, 23):02d}_{w.n(0, 59):02d}_{w.n(0, 59):02d}_" \
            f"{w.n(0, 999):03d}Z"
    w.add(f"npm error A complete log of this run can be found in: /opt/buildhome/.npm/_logs/{stamp}-debug-0.log")


# -- install ---------------------------------------------------------------------------------
def lockfile_out_of_sync(w: LogWriter, stage: str) -> int:
    pm, r = w.p.pm, w.r
    if pm == "npm":
        w.block(["npm error code EUSAGE", "npm error",
                 "npm error `npm ci` can only install packages when your package.json and package-lock.json or "
                 "npm-shrinkwrap.json are in sync. Please update your lock file with `npm install` before continuing.",
                 "npm error"])
        for _ in range(w.longtail(1, 24)):
            pkg = _pkg(w)
            if w.chance(0.75):
                w.add(f"npm error Missing: {pkg}@{V.version(r)} from lock file")
            else:
                w.add(f"npm error Invalid: lock file's {pkg}@{V.version(r)} does not satisfy {pkg}@^{V.version(r)}")
        w.block(["npm error", "npm error Clean install a project", "npm error", "npm error Usage:", "npm error npm ci",
                 "npm error", "npm error Options:",
                 "npm error [--install-strategy <hoisted|nested|shallow|linked>] [--legacy-bundling]",
                 "npm error", 'npm error Run "npm help ci" for more info'])
        _npm_log_tail(w)
    elif pm == "pnpm":
        if w.chance(0.8):
            where = "package.json" if w.chance(0.6) else f"{REPO}/packages/{w.pick(V.WORD_B)}/package.json"
            pkg = _pkg(w)
            w.add(w.pnpm_err("ERR_PNPM_OUTDATED_LOCKFILE", f'Cannot install with "frozen-lockfile" because '
                             f"pnpm-lock.yaml is not up to date with {where}"))
            w.block(["", "Note that in CI environments this setting is true by default. If you still need to run "
                     'install in such cases, use "pnpm install --no-frozen-lockfile"', "", "  Failure reason:",
                     f"  specifiers in the lockfile ({{}}) don't match specs in package.json "
                     f'({{"{pkg}":"^{V.version(r)}"}})'])
        else:
            w.add(w.pnpm_err("ERR_PNPM_LOCKFILE_CONFIG_MISMATCH", "Cannot proceed with the frozen installation. "
                             'The current "overrides" configuration doesn\'t match the value found in the lockfile'))
    elif pm == "yarn":
        if w.p.pm_version.startswith("1."):
            w.add("error Your lockfile needs to be updated, but yarn was run with `--frozen-lockfile`.")
            w.add("info Visit https://yarnpkg.com/en/docs/cli/install for documentation about this command.")
        else:
            pkg, ver = _pkg(w), V.version(r)
            w.add("➤ YN0000: ┌ Resolution step")
            w.block([f"➤ YN0028: │ -{pkg}@npm:^{ver}:", f"➤ YN0028: │ -  version: {ver}",
                     f'➤ YN0028: │ +"{pkg}@npm:^{V.version(r)}":', f"➤ YN0028: │ +  version: {V.version(r)}",
                     f"➤ YN0028: │ +  resolution: \"{pkg}@npm:{V.version(r)}\"", "➤ YN0028: │ +  languageName: node",
                     "➤ YN0028: │ +  linkType: hard"])
            w.block(["➤ YN0028: │ The lockfile would have been modified by this install, which is explicitly forbidden.",
                     f"➤ YN0000: └ Completed in {w.n(0, 4)}s {w.n(1, 999)}ms",
                     f"➤ YN0000: · Failed with errors in {w.n(0, 4)}s {w.n(1, 999)}ms"])
    else:
        if w.chance(0.7):
            w.block(["error: lockfile had changes, but lockfile is frozen",
                     "note: try re-running without --frozen-lockfile and commit the updated lockfile"])
        else:
            w.block([f"error: failed to parse lockfile: '{V.LOCK_FILES['bun']}'", "",
                     "warn: Ignoring lockfile", "error: Unknown lockfile version",
                     f"note: this lockfile was written by a newer bun; this environment runs bun {w.p.pm_version}"])
    return 1


def dependency_install_failed(w: LogWriter, stage: str) -> int:
    r = w.r
    roll = w.r()
    if roll < 0.35:
        pkg, other = _pkg(w), _pkg(w)
        w.block(["npm error code ERESOLVE", "npm error ERESOLVE unable to resolve dependency tree", "npm error",
                 f"npm error While resolving: {w.p.repo}@{V.version(r, 2)}", f"npm error Found: {pkg}@{V.version(r)}",
                 f"npm error node_modules/{pkg}", f'npm error   {pkg}@"^{V.version(r)}" from the root project',
                 "npm error", "npm error Could not resolve dependency:",
                 f'npm error peer {pkg}@"^{V.version(r)}" from {other}@{V.version(r)}',
                 f"npm error node_modules/{other}", f'npm error   {other}@"^{V.version(r)}" from the root project',
                 "npm error", "npm error Fix the upstream dependency conflict, or retry",
                 "npm error this command with --force or --legacy-peer-deps",
                 "npm error to accept an incorrect (and potentially broken) dependency resolution."])
        _npm_log_tail(w)
    elif roll < 0.55:
        pkg, ver = _pkg(w), V.version(r)
        w.block(["npm error code ETARGET", f"npm error notarget No matching version found for {pkg}@{ver}.",
                 "npm error notarget In most cases you or one of your dependencies are requesting",
                 "npm error notarget a package version that doesn't exist."])
        _npm_log_tail(w)
    elif roll < 0.7:
        py, ver = w.pick(V.PY_PACKAGES), V.version(r)
        w.block([f"ERROR: Could not find a version that satisfies the requirement {py}=={ver} (from -r "
                 f"requirements.txt (line {w.n(1, 40)})) (from versions: {V.version(r)}, {V.version(r)})",
                 f"ERROR: No matching distribution found for {py}=={ver}"])
    elif roll < 0.85:
        scope, name = w.pick(V.WORD_A), w.pick(V.WORD_B)
        w.add(w.pnpm_err("ERR_PNPM_WORKSPACE_PKG_NOT_FOUND", f'In packages/{w.pick(V.WORD_B)}: "@{scope}/{name}@'
                         f'workspace:*" is in the dependencies but no package named "@{scope}/{name}" is present in '
                         "the workspace"))
        w.block(["", "This error happened while installing a direct dependency of "
                 f"{REPO}/packages/{w.pick(V.WORD_B)}", "",
                 "Packages found in the workspace: "])
    else:
        native = w.pick(("better-sqlite3", "canvas", "bcrypt", "node-sass", "sharp", "re2"))
        w.block(["npm error code 1", f"npm error path {REPO}/node_modules/{native}", "npm error command failed",
                 "npm error command sh -c node-gyp rebuild",
                 f"npm error gyp info using node-gyp@{V.version(r)} | linux | x64",
                 "npm error gyp ERR! stack Error: `make` failed with exit code: 2",
                 "npm error gyp ERR! not ok"])
        _npm_log_tail(w)
    return 1


def node_version_mismatch(w: LogWriter, stage: str) -> int:
    r = w.r
    old = w.pick(("18.17.1", "18.20.4", "16.20.2", "20.5.1"))
    if stage == "install":
        pkg = _pkg(w)
        if w.p.pm == "yarn":
            w.add(f'error {pkg}@{V.version(r)}: The engine "node" is incompatible with this module. '
                  f'Expected version ">=20.{w.n(0, 12)}.0". Got "{old}"')
            w.add("error Found incompatible module.")
        else:
            w.block(["npm error code EBADENGINE", "npm error engine Unsupported engine",
                     f"npm error engine Not compatible with your version of node/npm: {pkg}@{V.version(r)}",
                     f'npm error notsup Required: {{"node":">=20.{w.n(0, 12)}.0"}}',
                     f'npm error notsup Actual:   {{"npm":"10.8.2","node":"v{old}"}}'])
            _npm_log_tail(w)
        return 1
    roll = w.r()
    if roll < 0.4:
        w.add(f'You are using Node.js {old}. For Next.js, Node.js version ">=20.9.0" is required.')
    elif roll < 0.7:
        w.block([f"Node.js v{old} is not supported by Astro!",
                 'Please upgrade Node.js to a supported version: ">=18.20.8"'])
    elif roll < 0.85:
        w.add(f"Wrangler requires at least Node.js v20.0.0. You are using v{old}. "
              "Please update your version of Node.js.")
    else:
        f = f"{REPO}/node_modules/{_pkg(w)}/dist/index.js"
        w.block([f"{f}:{w.n(1, 400)}", f"    const value = options?.{w.pick(V.IDENTS)} ?? {{}};",
                 "                         ^", "", "SyntaxError: Unexpected token '.'",
                 "    at wrapSafe (internal/modules/cjs/loader.js:915:16)"])
    return 1


def python_version_error(w: LogWriter, stage: str) -> int:
    bad = w.pick(("3.7", "2.7.18", "3.13.9", "node-22.x", "3.10.0rc1", "3.14", "lts"))
    if w.chance(0.5):
        w.block([f"Installing python {bad}", f"python-build: definition not found: {bad}", "",
                 "See all available versions with `pyenv install --list`.",
                 "If the version you need is missing, try upgrading pyenv."])
    else:
        w.add(f"error: No interpreter found for Python {bad} in managed installations or search path")
    return 1


def missing_file(w: LogWriter, stage: str) -> int:
    if stage == "install" or w.chance(0.4):
        sub = w.pick(("", "", "frontend/", "web/", "apps/site/"))
        w.block(["npm error code ENOENT", "npm error syscall open", f"npm error path {REPO}/{sub}package.json",
                 "npm error errno -2",
                 f"npm error enoent Could not read package.json: Error: ENOENT: no such file or directory, open "
                 f"'{REPO}/{sub}package.json'",
                 "npm error enoent This is related to npm not being able to find a file.", "npm error enoent"])
        _npm_log_tail(w)
        return 254
    path = _user_path(w, w.pick((".env.production", "config/site.json", "content/posts/index.json")))
    w.private(f"Error: ENOENT: no such file or directory, open '{path}'", ("user_path", path))
    w.block([f"    at Object.openSync (node:fs:{w.n(500, 600)}:3)",
             f"    at Object.readFileSync (node:fs:{w.n(400, 460)}:35)"])
    return 1


def network_error(w: LogWriter, stage: str) -> int:
    if stage == "clone":
        if w.chance(0.6):
            w.add(f"fatal: unable to access 'https://github.com/{w.p.owner}/{w.p.repo}/': "
                  "Could not resolve host: github.com")
        else:
            ip = _ipv4(w)
            w.private(f"fatal: unable to access 'https://github.com/{w.p.owner}/{w.p.repo}/': Failed to connect to "
                      f"github.com port 443 after {w.n(100, 130000)} ms: Couldn't connect to server ({ip})",
                      ("ipv4", ip))
        return 128
    pkg = _pkg(w)
    roll = w.r()
    if roll < 0.35:
        ip = _ipv4(w)
        w.block(["npm error code ETIMEDOUT", "npm error syscall connect", "npm error errno ETIMEDOUT"])
        w.private(f"npm error network request to https://registry.npmjs.org/{pkg} failed, reason: connect ETIMEDOUT "
                  f"{ip}:443", ("ipv4", ip))
        w.block(["npm error network This is a problem related to network connectivity.",
                 "npm error network In most cases you are behind a proxy or have bad network settings."])
        _npm_log_tail(w)
    elif roll < 0.6:
        ip6 = _ipv6(w)
        w.add(f" WARN  GET https://registry.npmjs.org/{pkg} error (ECONNRESET). Will retry in 10 seconds. "
              "2 retries left.")
        w.private(w.pnpm_err("ERR_PNPM_META_FETCH_FAIL", f"GET https://registry.npmjs.org/{pkg}: request to "
                             f"https://registry.npmjs.org/{pkg} failed, reason: connect ECONNREFUSED [{ip6}]:443"),
                  ("ipv6", ip6))
    elif roll < 0.8:
        w.block(["npm error code EAI_AGAIN", "npm error syscall getaddrinfo", "npm error errno EAI_AGAIN",
                 f"npm error request to https://registry.npmjs.org/{pkg} failed, reason: getaddrinfo EAI_AGAIN "
                 "registry.npmjs.org"])
        _npm_log_tail(w)
    else:
        ip = _ipv4(w)
        host = f"api.{w.pick(V.WORD_B)}cms.io"
        w.private(f"FetchError: request to https://{host}/v1/entries failed, reason: connect ETIMEDOUT {ip}:443",
                  ("ipv4", ip))
        w.block([f"    at ClientRequest.<anonymous> ({REPO}/node_modules/node-fetch/lib/index.js:1501:11)",
                 "    at ClientRequest.emit (node:events:518:28)"])
    return 1


# -- build -----------------------------------------------------------------------------------
def module_not_found(w: LogWriter, stage: str) -> int:
    fw = w.p.framework
    mod = _pkg(w) if w.chance(0.6) else f"./{w.pick(V.SRC_NAMES)}"
    if stage == "deploy" or (fw == "hono" and w.chance(0.8)):
        errors = w.n(1, 4)
        w.add(w.esbuild_error(f"Build failed with {errors} error{'s' if errors > 1 else ''}:"))
        for _ in range(errors):
            if w.chance(0.5):
                builtin = w.pick(V.NODE_BUILTINS)
                w.block(["", w.esbuild_error(f'Could not resolve "{builtin}"'), "",
                         f"    {_src(w, ('.js', '.ts'))}:{w.n(1, 60)}:{w.n(0, 40)}:",
                         f'      {w.n(1, 60)} │ import {w.pick(V.IDENTS)} from "{builtin}";', "        ╵ ~~~~~~", "",
                         f'  The package "{builtin}" wasn\'t found on the file system but is built into node.',
                         '  - Add the "nodejs_compat" compatibility flag to your project.'])
            else:
                pkg = _pkg(w)
                w.block(["", w.esbuild_error(f'Could not resolve "{pkg}"'), "",
                         f"    {_src(w, ('.js', '.ts'))}:{w.n(1, 60)}:{w.n(0, 40)}:",
                         f'      {w.n(1, 60)} │ import {w.pick(V.IDENTS)} from "{pkg}";', "        ╵ ~~~~~~~~", "",
                         f'  You can mark the path "{pkg}" as external to exclude it from the bundle, which will '
                         "remove this error and leave the unresolved path in the bundle."])
        return 1
    roll = w.r()
    if fw in ("vite", "sveltekit", "react-router", "astro", "nuxt") and roll < 0.5:
        w.block([w.color("31", "x") + f" Build failed in {w.n(0, 20)}.{w.n(10, 99)}s", "error during build:",
                 f'[vite]: Rollup failed to resolve import "{mod}" from "{REPO}/{_src(w)}".',
                 "This is most likely unintended because it can break your application at runtime.",
                 "If you do want to externalize this module explicitly add it to",
                 "`build.rollupOptions.external`"])
    elif fw == "next" and roll < 0.6:
        f = _src(w)
        w.block(["Failed to compile.", "", f"./{f}", f"Module not found: Can't resolve '{mod}'", "",
                 "https://nextjs.org/docs/messages/module-not-found", "", "Import trace for requested module:",
                 f"./{_src(w)}", "", "", "> Build failed because of webpack errors"])
    elif roll < 0.75:
        w.add(w.tsc(_src(w, (".ts", ".tsx")), w.n(1, 300), w.n(1, 60), "TS2307",
                    f"Cannot find module '{mod}' or its corresponding type declarations.", w.chance(0.5)))
    elif roll < 0.88:
        path = _user_path(w, f"node_modules/{_pkg(w)}/dist/index.js")
        w.private(f"Error: Cannot find module '{path}'", ("user_path", path))
        w.block(["Require stack:", f"- {REPO}/scripts/{w.pick(('build', 'prebuild', 'generate'))}.js",
                 "    at Module._resolveFilename (node:internal/modules/cjs/loader:1225:15)"])
    else:
        w.add(w.esbuild_error(f'No matching export in "{_src(w)}" for import "{w.pick(V.IDENTS)}"'))
    return 1


def build_command_failed(w: LogWriter, stage: str) -> int:
    fw = w.p.framework
    roll = w.r()
    f = _src(w)
    line, col = w.n(2, 400), w.n(1, 60)
    if fw in ("vite", "sveltekit", "react-router") and roll < 0.5:
        tok = w.pick(('":"', '";"', '")"', '"}"', '"=>"'))
        w.block([w.color("31", "x") + f" Build failed in {w.n(0, 9)}.{w.n(10, 99)}s", "error during build:",
                 "[vite:esbuild] Transform failed with 1 error:",
                 f"{REPO}/{f}:{line}:{col}: ERROR: Expected {tok} but found \"{w.pick(V.IDENTS)}\"",
                 f"file: {REPO}/{f}:{line}:{col}", "",
                 f"{line - 1}|    const {w.pick(V.IDENTS)} = {{", f"{line}|      {w.pick(V.IDENTS)} {w.pick(V.IDENTS)}",
                 "   |         ^",
                 f"    at failureErrorWithLog ({REPO}/node_modules/esbuild/lib/main.js:1472:15)",
                 f"    at {REPO}/node_modules/esbuild/lib/main.js:755:50"])
    elif fw == "next" and roll < 0.5:
        route = w.pick(V.ROUTES)
        w.block(["", "> Build error occurred"])
        if w.chance(0.5):
            w.add(f'Error: Page "/{route}" is missing "generateStaticParams()" so it cannot be used with '
                  '"output: export" config.')
        else:
            w.block([f'Error occurred prerendering page "/{route}". Read more: '
                     "https://nextjs.org/docs/messages/prerender-error",
                     f"TypeError: Cannot read properties of undefined (reading '{w.pick(V.IDENTS)}')"])
            if w.chance(0.4):
                ip = _ipv4(w)
                w.private(f"Error: connect ECONNREFUSED {ip}:5432", ("ipv4", ip))
        w.add("Next.js build worker exited with code: 1 and signal: null")
    elif fw == "astro" and roll < 0.6:
        w.block([f"{w.color('31', '[ERROR]')} [GetStaticPathsRequired] `getStaticPaths()` function is required for "
                 "dynamic routes. Make sure that you `export` a `getStaticPaths` function from your dynamic route.",
                 "  Hint:", "    See https://docs.astro.build/en/guides/routing/#dynamic-routes for more information.",
                 "  Location:", f"    {REPO}/src/pages/{w.pick(V.ROUTES)}.astro:0:0"])
    else:
        w.block(["Error: Turbopack build failed with 1 error:" if fw == "next" else "error during build:",
                 f"./{f}:{line}:{col}", "Parsing ecmascript source code failed",
                 f"  {line} | {w.pick(V.IDENTS)}({w.pick(V.IDENTS)}", "     | ^", "", "Expected ',', got '{'"])
    _lifecycle(w, "build")
    return 1


def _lifecycle(w: LogWriter, script: str) -> None:
    pm = w.p.pm
    if pm == "pnpm":
        w.add(w.color("31", " ELIFECYCLE ") + " Command failed with exit code 1.")
    elif pm == "yarn":
        w.add("error Command failed with exit code 1.")
    elif pm == "npm" and w.chance(0.5):
        w.block([f"npm error Lifecycle script `{script}` failed with error:", "npm error code 1",
                 f"npm error path {REPO}", "npm error workspace ", "npm error command failed"])


def typescript_error(w: LogWriter, stage: str) -> int:
    if w.p.framework == "next" and w.chance(0.6):
        f = _src(w, (".ts", ".tsx"))
        t1, t2 = w.pick(V.TS_TYPES), w.pick(V.TS_TYPES)
        w.block(["Failed to compile.", "", f"./{f}:{w.n(1, 300)}:{w.n(1, 60)}",
                 f"Type error: Type '{t1}' is not assignable to type '{t2}'.", "",
                 f"  {w.n(1, 300)} |   const {w.pick(V.IDENTS)}: {t2} = {w.pick(V.IDENTS)};", "     |         ^", "",
                 "Next.js build worker exited with code: 1 and signal: null"])
        return 1
    pretty = w.chance(0.5)
    files = set()
    for _ in range(w.longtail(1, 30)):
        f = _src(w, (".ts", ".tsx"))
        files.add(f)
        code, text = w.pick((
            ("TS2322", f"Type '{w.pick(V.TS_TYPES)}' is not assignable to type '{w.pick(V.TS_TYPES)}'."),
            ("TS2345", f"Argument of type '{w.pick(V.TS_TYPES)}' is not assignable to parameter of type "
                       f"'{w.pick(V.TS_TYPES)}'."),
            ("TS2339", f"Property '{w.pick(V.IDENTS)}' does not exist on type '{w.pick(V.TS_TYPES)}'."),
            ("TS7006", f"Parameter '{w.pick(V.IDENTS)}' implicitly has an 'any' type."),
            ("TS18048", f"'{w.pick(V.IDENTS)}' is possibly 'undefined'."),
            ("TS2304", f"Cannot find name '{w.pick(V.IDENTS)}'."),
        ))
        w.add(w.tsc(f, w.n(1, 500), w.n(1, 80), code, text, pretty))
    if w.chance(0.08):
        path = _user_path(w, "tsconfig.base.json")
        w.private(f"error TS6053: File '{path}' not found.", ("user_path", path))
    n = len(files)
    w.add(f"Found {n} error{'s' if n > 1 else ''} in {n} file{'s' if n > 1 else ''}." if pretty
          else f"Found {n} error{'s' if n > 1 else ''}.")
    _lifecycle(w, "build")
    return 2 if w.chance(0.4) else 1


def lint_error(w: LogWriter, stage: str) -> int:
    if w.p.framework == "next":
        for _ in range(w.longtail(1, 8)):
            w.block(["", f"./{_src(w)}",
                     f"{w.n(1, 300)}:{w.n(1, 60)}  Error: '{w.pick(V.IDENTS)}' is defined but never used.  "
                     "@typescript-eslint/no-unused-vars"])
        w.add("info  - Need to disable some ESLint rules? Learn more here: "
              "https://nextjs.org/docs/app/api-reference/config/eslint#disabling-rules")
    elif w.chance(0.5):
        w.block(["Treating warnings as errors because process.env.CI = true.", "Most CI servers set it automatically.",
                 "", "Failed to compile.", "", "[eslint] ", _src(w, (".js", ".jsx")),
                 f"  Line {w.n(1, 300)}:{w.n(1, 40)}:  React Hook useEffect has a missing dependency: "
                 f"'{w.pick(V.IDENTS)}'. Either include it or remove the dependency array  react-hooks/exhaustive-deps"])
    else:
        problems = w.longtail(1, 20)
        w.add(f"{REPO}/{_src(w)}")
        for _ in range(problems):
            w.add(f"  {w.n(1, 300)}:{w.n(1, 60)}  error  '{w.pick(V.IDENTS)}' is assigned a value but never used  "
                  "no-unused-vars")
        w.block(["", f"✖ {problems} problem{'s' if problems > 1 else ''} ({problems} error"
                 f"{'s' if problems > 1 else ''}, 0 warnings)"])
    _lifecycle(w, "build")
    return 1


def out_of_memory(w: LogWriter, stage: str) -> int:
    pid = w.n(200, 9000)
    addr = V.hex_string(w.rng, 8)
    heap = w.pick((2048, 4096, 1536))
    gcs = [f"[{pid}:0x{addr}]   {w.n(30000, 300000)} ms: {w.pick(('Mark-Compact', 'Mark-sweep', 'Scavenge'))} "
           f"{heap - w.n(5, 60)}.{w.n(0, 9)} ({heap + w.n(20, 90)}.{w.n(0, 9)}) -> {heap - w.n(10, 80)}.{w.n(0, 9)} "
           f"({heap + w.n(20, 90)}.{w.n(0, 9)}) MB, {w.n(100, 3000)}.{w.n(0, 9)} / 0.0 ms  (average mu = 0.{w.n(10, 99)}"
           f", current mu = 0.0{w.n(1, 9)}) allocation failure;" for _ in range(w.n(1, 3))]
    w.block(["", "<--- Last few GCs --->", "", *gcs, "", "", "<--- JS stacktrace --->", "",
             "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory",
             f" 1: 0x{V.hex_string(w.rng, 6)} node::Abort() [node]",
             f" 2: 0x{V.hex_string(w.rng, 6)} node::OOMErrorHandler(char const*, v8::OOMDetails const&) [node]",
             "Aborted (core dumped)"])
    return 134


def command_not_found(w: LogWriter, stage: str) -> int:
    cmd = w.pick(("vite", "next", "astro", "react-scripts", "tsc", "hugo", "wrangler", "turbo", "nuxt", "eleventy"))
    w.add(w.pick((f"sh: 1: {cmd}: not found", f"/bin/sh: 1: {cmd}: not found",
                  f"/usr/bin/bash: line 1: {cmd}: command not found")))
    if w.p.pm == "pnpm":
        w.add(" ELIFECYCLE  Command failed.")
    return 127


def build_output_missing(w: LogWriter, stage: str) -> int:
    out = w.pick(("dist", "build", "out", "public", "dist/client", ".output/public"))
    if stage == "deploy" and w.p.platform == "workers":
        w.block([w.esbuild_error('The directory specified by the "assets.directory" field in your configuration '
                                 "file does not exist:"), f"  {REPO}/{out}"])
    else:
        w.add(f'Error: Output directory "{out}" not found.')
    return 1


# -- deploy ----------------------------------------------------------------------------------
def _api_path(w: LogWriter, suffix: str) -> str:
    return f"/accounts/{w.p.account_id}/{suffix}"


def wrangler_error(w: LogWriter, stage: str) -> int:
    p = w.p
    roll = w.r()
    if roll < 0.2:
        w.add(w.esbuild_error("Missing entry-point to Worker script or to assets directory"))
        w.block(["", "If there is code to deploy, you can either:",
                 "- Specify an entry-point to your Worker script via the command line (ex: `npx wrangler deploy "
                 "src/index.ts`)", "- Or add the following to your \"wrangler.jsonc\" file:"])
    elif roll < 0.4:
        w.block([w.esbuild_error("Processing wrangler.toml configuration:"), "",
                 f'    - "kv_namespaces[0]" bindings should have a string "id" field but got '
                 f'{{"binding":"{w.pick(("CACHE", "SESSIONS", "KV"))}"}}.', ""])
    elif roll < 0.55:
        w.add(w.esbuild_error("Your Worker exceeded the size limit of 3 MiB. Please upgrade to a paid plan to "
                              "deploy Workers up to 10 MiB. [code: 10027]"))
    elif roll < 0.75:
        api = _api_path(w, f"workers/scripts/{p.worker}/versions")
        w.private(w.esbuild_error(f"A request to the Cloudflare API ({api}) failed."),
                  ("account_id", p.account_id), ("worker_name", p.worker))
        w.block([f"  Uncaught Error: No such module \"node:{w.pick(V.NODE_BUILTINS)}\".",
                 '    imported from "worker.js"', "   [code: 10021]"])
    elif roll < 0.88:
        api = _api_path(w, "storage/kv/namespaces")
        w.private(w.esbuild_error(f"A request to the Cloudflare API ({api}) failed."), ("account_id", p.account_id))
        w.add("  a namespace with this account ID and title already exists [code: 10014]")
    else:
        cfg = w.pick(("build/server/wrangler.json", "dist/server/wrangler.json", "wrangler.jsonc"))
        w.block([w.esbuild_error(f"Could not read file: {cfg}"), "",
                 f"  ENOENT: no such file or directory, open '{REPO}/{cfg}'"])
    w.add("🪵  Logs were written to \"/opt/buildhome/.config/.wrangler/logs/wrangler-"
          f"{w.n(2025, 2026)}-{w.n(1, 12):02d}-{w.n(1, 28):02d}_{w.n(0, 23):02d}-{w.n(0, 59):02d}-{w.n(0, 59):02d}_"
          f"{w.n(0, 999)}.log\"")
    return 1


def auth_error(w: LogWriter, stage: str) -> int:
    p = w.p
    roll = w.r()
    if roll < 0.45:
        api = _api_path(w, f"workers/scripts/{p.worker}")
        w.private(w.esbuild_error(f"A request to the Cloudflare API ({api}) failed."),
                  ("account_id", p.account_id), ("worker_name", p.worker))
        w.block(["", "  Authentication error [code: 10000]", "",
                 "📎 It looks like you are authenticating Wrangler via a custom API token set in an environment "
                 "variable.", "Please ensure it has the correct permissions for this operation.", "",
                 "Getting User settings..."])
        w.private(f"👋 You are logged in with an API Token, associated with the email {p.email}.", ("email", p.email))
        w.block(["┌────────────────────────┬──────────────────────────────────┐",
                 "│ Account Name           │ Account ID                       │",
                 "├────────────────────────┼──────────────────────────────────┤"])
        w.private(f"│ {p.email.split('@')[0]}'s Account │ {p.account_id} │", ("account_id", p.account_id))
        w.add("└────────────────────────┴──────────────────────────────────┘")
    elif roll < 0.75:
        w.add(w.esbuild_error("In a non-interactive environment, it's necessary to set a CLOUDFLARE_API_TOKEN "
                              "environment variable for wrangler to work. Please go to https://developers.cloudflare"
                              ".com/fundamentals/api/get-started/create-token/ for instructions on how to create an "
                              "api token, and assign its value to CLOUDFLARE_API_TOKEN."))
    else:
        secret = V.token(w.rng, 40)
        api = f"https://api.cloudflare.com/client/v4{_api_path(w, 'workers/scripts')}"
        w.private(f"+ curl -fsS -H 'Authorization: Bearer {secret}' {api}",
                  ("api_token", secret), ("account_id", p.account_id))
        w.add("curl: (22) The requested URL returned error: 403")
        w.add('{"success":false,"errors":[{"code":10000,"message":"Authentication error"}]}')
    return 1


def deploy_command_failed(w: LogWriter, stage: str) -> int:
    if w.p.platform == "pages":
        ident = w.pick(("require", "process", "__dirname", "Buffer", "window"))
        w.block([f"Error: Failed to publish your Function. Got error: Uncaught ReferenceError: {ident} is not defined",
                 f"  at functions/{w.pick(('api', '_middleware', '[[path]]'))}.js:{w.n(1, 90)}:{w.n(1, 40)}"])
        return 1
    w.block(["", "> deploy", f"> node scripts/deploy.mjs --env {w.pick(('production', 'staging'))}", ""])
    w.add(f"Error: deploy script exited early: {w.pick(('upload step returned 1', 'purge step rejected'))}")
    _lifecycle(w, "deploy")
    return 1


def clone_failed(w: LogWriter, stage: str) -> int:
    p = w.p
    roll = w.r()
    if roll < 0.35:
        w.block(["remote: Repository not found.",
                 f"fatal: repository 'https://github.com/{p.owner}/{p.repo}/' not found"])
    elif roll < 0.6:
        w.add("fatal: could not read Username for 'https://github.com': terminal prompts disabled")
    elif roll < 0.85:
        sub = w.pick(("themes/hugo-theme", "vendor/shared-ui", "content", "packages/design-tokens"))
        w.block([f"Submodule '{sub}' (git@github.com:{p.owner}/{w.pick(V.WORD_B)}.git) registered for path '{sub}'",
                 f"Cloning into '{REPO}/{sub}'...", "git@github.com: Permission denied (publickey).",
                 "fatal: Could not read from remote repository.", "",
                 "Please make sure you have the correct access rights", "and the repository exists."])
    else:
        sha = V.hex_string(w.rng, 40)
        w.add(f"error: Server does not allow request for unadvertised object {sha}")
    return 128


def novel_failure(w: LogWriter, stage: str) -> int:
    tool = w.pick(V.NOVEL_TOOLS)
    template = w.pick(V.NOVEL_MESSAGES)
    w.add(f"{tool} v{V.version(w.r, 3)}")
    for _ in range(w.n(0, 3)):
        w.add(f"[{tool}] {w.pick(('indexing routes', 'warming shards', 'collecting islands'))} ... {w.n(1, 99)}%")
    w.add(template.format(tool=tool, n=w.n(2, 999), id=w.n(1000, 9999), hex=V.hex_string(w.rng, 12),
                          name=w.pick(V.IDENTS)))
    if w.chance(0.5):
        w.add(f"[{tool}] run with {tool.upper().replace('-', '_')}_TRACE=1 for the full lane dump")
    return w.pick((1, 3, 70))


def timeout(w: LogWriter, stage: str) -> int:
    limit_us = w.ts[0] + 20 * 60 * 1_000_000  # the platform's 20-minute build limit
    for i in range(w.n(2, 12)):
        w.wait(60, 200)
        if w.t >= limit_us:
            break
        w.add(w.pick((f"Still building... ({i + 1})", f"[{w.n(1, 99)}/{w.n(100, 400)}] rendering pages",
                      "Generating static pages ...")))
    w.t = max(w.t, limit_us) + w.n(0, 3_000_000)
    return 0


def platform_internal_error(w: LogWriter, stage: str) -> int:
    return 0


@dataclass(frozen=True)
class Category:
    name: str
    weight: float  # share among failed builds (normalised)
    stages: tuple[tuple[str, float], ...]  # failed_stage -> weight
    write: Callable[[LogWriter, str], int]


CATEGORIES: tuple[Category, ...] = (
    Category("lockfile_out_of_sync", 15, (("install", 1),), lockfile_out_of_sync),
    Category("module_not_found", 13, (("build", 0.75), ("deploy", 0.25)), module_not_found),
    Category("build_command_failed", 13, (("build", 1),), build_command_failed),
    Category("typescript_error", 8, (("build", 1),), typescript_error),
    Category("wrangler_error", 7, (("deploy", 1),), wrangler_error),
    Category("dependency_install_failed", 6, (("install", 1),), dependency_install_failed),
    Category("node_version_mismatch", 4, (("install", 0.4), ("build", 0.6)), node_version_mismatch),
    Category("auth_error", 3, (("deploy", 1),), auth_error),
    Category("deploy_command_failed", 3, (("deploy", 1),), deploy_command_failed),
    Category("build_output_missing", 3, (("build", 0.4), ("deploy", 0.6)), build_output_missing),
    Category("missing_file", 3, (("install", 0.6), ("build", 0.4)), missing_file),
    Category("command_not_found", 3, (("build", 0.8), ("deploy", 0.2)), command_not_found),
    Category("lint_error", 2.5, (("build", 1),), lint_error),
    Category("network_error", 2.5, (("install", 0.6), ("clone", 0.25), ("build", 0.15)), network_error),
    Category("clone_failed", 2, (("clone", 1),), clone_failed),
    Category("out_of_memory", 2, (("build", 1),), out_of_memory),
    Category("timeout", 1.5, (("timeout", 1),), timeout),
    Category("python_version_error", 1, (("install", 1),), python_version_error),
    Category("platform_internal_error", 0.6, (("initialization", 0.7), ("health_check", 0.3)),
             platform_internal_error),
    Category("novel", 10.5, (("build", 0.8), ("deploy", 0.2)), novel_failure),
)
