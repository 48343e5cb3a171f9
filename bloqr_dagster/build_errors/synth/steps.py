"""The ordinary steps of a Workers Builds / Pages log: init, clone, tools, install, build, deploy."""

from __future__ import annotations

from bloqr_dagster.build_errors.synth import vocab as V
from bloqr_dagster.build_errors.synth.log import LogWriter


def initialize(w: LogWriter) -> None:
    if w.p.platform != "workers":
        return
    w.add("Initializing build environment...")
    if w.chance(0.04):
        w.add("Initializing build environment...")  # the platform repeats it after a slow start
    w.wait(1, 6)
    w.add("Success: Finished initializing build environment")


def clone_start(w: LogWriter) -> None:
    w.wait(0.2, 1.5)
    w.add("Cloning repository...")


def clone_rest(w: LogWriter) -> None:
    p = w.p
    w.wait(0.5, 4)
    if p.platform == "pages":
        sha = V.hex_string(w.rng, 40)
        msg = w.pick(V.COMMIT_MSGS).replace("{v}", V.version(w.r, 4))
        w.block([f"From https://github.com/{p.owner}/{p.repo}",
                 f" * branch            {sha} -> FETCH_HEAD", "", f"HEAD is now at {sha[:7]} {msg}", "", "",
                 "Using v2 root directory strategy", "Success: Finished cloning repository files"])
        return
    if w.chance(0.7):
        w.add("Restoring from dependencies cache")
        w.add("Restoring from build output cache")
        if w.chance(0.5):
            w.add("Success: Dependencies restored from build cache.")
            w.add("Success: Build output restored from build cache.")


def wrangler_config(w: LogWriter) -> None:
    p = w.p
    if p.platform != "pages":
        return
    w.wait(1, 3)
    w.block(["Checking for configuration in a Wrangler configuration file (BETA)", ""])
    if w.chance(0.5):
        w.add("No wrangler.toml file found. Continuing.")
        return
    w.add("Found wrangler.toml file. Reading build configuration...")
    w.add(f"pages_build_output_dir: {V.OUTPUT_DIRS[p.framework]}")
    roll = w.r()
    if roll < 0.8:
        w.add("Build environment variables: (none found)")
    else:
        # Secrets pasted into plain [vars] end up printed here.
        w.add("Build environment variables: ")
        w.add(f"  - NODE_VERSION: {p.node.split('.')[0]}")
        if roll < 0.9:
            w.private(f"  - CONTACT_EMAIL: {p.email}", ("email", p.email))
        else:
            secret = V.token(w.rng, 40)
            w.private(f"  - CLOUDFLARE_API_TOKEN: {secret}", ("api_token", secret))
    w.add("Successfully read wrangler.toml file.")


def tools(w: LogWriter, *, node: str | None = None) -> None:
    p = w.p
    node = node or p.node
    w.wait(0.5, 2)
    if p.pm == "npm":
        w.add(f"Detected the following tools from environment: npm@{p.pm_version}, nodejs@{node}")
    else:
        w.add(f"Detected the following tools from environment: {p.pm}@{p.pm_version}, nodejs@{node}")
    if node != "22.16.0":
        w.add(f"Installing nodejs {node}")
        w.add("Trying to update node-build... ok")
        w.add(f"To follow progress, use 'tail -f /tmp/node-build.{w.n(10**13, 10**14 - 1)}.log' or pass --verbose")
        w.add(f"Downloading node-v{node}-linux-x64.tar.gz...")
        w.add(f"-> https://nodejs.org/dist/v{node}/node-v{node}-linux-x64.tar.gz")
        w.wait(1, 3)
        if node.startswith(("18.", "20.")):
            w.block(["", f"WARNING: node-v{node}-linux-x64 is in LTS Maintenance mode and nearing its end of life.",
                     "It only receives *critical* security updates, *critical* bug fixes and documentation "
                     "updates.", ""])
        w.add(f"Installing node-v{node}-linux-x64...")
        w.add(f"Installed node-v{node}-linux-x64 to /opt/buildhome/.asdf/installs/nodejs/{node}")
        w.add("")


def install_start(w: LogWriter) -> None:
    w.wait(0.2, 1)
    w.add(f"Installing project dependencies: {V.INSTALL_COMMANDS[w.p.pm]}")
    w.wait(2, 40)


def install_rest(w: LogWriter) -> None:
    pm = w.p.pm
    r = w.r
    added = w.n(90, 1400)
    if pm == "npm":
        for _ in range(w.longtail(0, 8)):
            w.add(f"npm warn deprecated {w.pick(V.NPM_PACKAGES)}@{V.version(r)}: This package is no longer "
                  "supported.")
        funding = w.n(10, added // 3)
        w.block(["", f"added {added} packages, and audited {added + 1} packages in {w.n(3, 90)}s", "",
                 f"{funding} packages are looking for funding", "  run `npm fund` for details", ""])
        if w.chance(0.5):
            w.add("found 0 vulnerabilities")
        else:
            k = w.n(1, 30)
            w.block([f"{k} vulnerabilities ({k // 2} moderate, {k - k // 2} high)", "",
                     "To address issues that do not require attention, run:", "  npm audit fix", "",
                     "To address all issues (including breaking changes), run:", "  npm audit fix --force", "",
                     "Run `npm audit` for details."])
    elif pm == "pnpm":
        deps = [f"+ {w.pick(V.NPM_PACKAGES)} {V.version(r)}" for _ in range(w.longtail(2, 30))]
        w.block(["Lockfile is up to date, resolution step is skipped",
                 "Progress: resolved 1, reused 0, downloaded 0, added 0", f"Packages: +{added}",
                 "+" * min(added // 10, 120),
                 f"Progress: resolved {added}, reused 0, downloaded {added}, added {added}, done", "",
                 "dependencies:", *deps, "", f"Done in {w.n(2, 60)}.{w.n(1, 9)}s"])
    elif pm == "yarn":
        w.block([f"➤ YN0000: · Yarn {w.p.pm_version}", "➤ YN0000: ┌ Resolution step",
                 f"➤ YN0000: └ Completed in {w.n(0, 3)}s {w.n(1, 999)}ms", "➤ YN0000: ┌ Fetch step",
                 f"➤ YN0013: │ {added} packages were added to the project (+ {w.n(20, 400)}.{w.n(1, 99)} MiB).",
                 f"➤ YN0000: └ Completed in {w.n(2, 40)}s {w.n(1, 999)}ms", "➤ YN0000: ┌ Link step",
                 f"➤ YN0000: └ Completed in {w.n(1, 9)}s {w.n(1, 999)}ms",
                 f"➤ YN0000: · Done in {w.n(5, 60)}s {w.n(1, 999)}ms"])
    else:
        deps = [f"+ {w.pick(V.NPM_PACKAGES)}@{V.version(r)}" for _ in range(w.longtail(2, 25))]
        w.block([f"bun install v{w.p.pm_version} ({V.hex_string(w.rng, 8)})", "", *deps, "",
                 f"{added} packages installed [{w.n(1, 30)}.{w.n(10, 99)}s]"])


def build_start(w: LogWriter) -> None:
    p = w.p
    w.wait(0.2, 2)
    label = "Executing user build command" if p.platform == "workers" else "Executing user command"
    w.add(f"{label}: {V.RUN_BUILD[p.pm]}")
    w.block(["", f"> {p.repo}@{V.version(w.r, 2)} build", f"> {V.BUILD_SCRIPTS[p.framework]}", ""])
    fw = p.framework
    if fw in ("vite", "sveltekit", "react-router"):
        w.add(f"vite v{w.pick(('5.4.8', '6.3.5', '7.0.4', '7.3.1'))} building for production...")
        w.add("transforming...")
    elif fw == "next":
        w.block([f"   ▲ Next.js {w.pick(('14.2.30', '15.3.4', '15.5.2', '16.0.1'))}", "",
                 "   Creating an optimized production build ..."])
    elif fw == "astro":
        w.add(f"{_clock(w)} [types] Generated {w.n(40, 900)}ms")
        w.add(f"{_clock(w)} [build] output: \"{w.pick(('static', 'server'))}\"")
        w.add(f"{_clock(w)} [build] Collecting build info...")
    elif fw == "nuxt":
        w.add(f"Nuxt {w.pick(('3.17.5', '3.13.2', '4.0.1'))} with Nitro {w.pick(('2.11.12', '2.10.4'))}")
        w.add("ℹ Building client...")
    elif fw == "docusaurus":
        w.add("[INFO] [en] Creating an optimized production build...")
    else:
        w.add(f" ⛅️ wrangler {_wrangler_version(w)}")
    if w.chance(0.08):
        w.block(["Browserslist: browsers data (caniuse-lite) is 9 months old. Please run:",
                 "  npx update-browserslist-db@latest",
                 "  Why you should do it regularly: https://github.com/browserslist/update-db#readme"])
    if w.chance(0.03):
        path = f"/Users/{p.user}/dev/{p.repo}/tsconfig.base.json"
        w.private(w.esbuild_warning(f'Cannot find base config file "{path}" [tsconfig.json]'), ("user_path", path))
    w.wait(2, 30)


def build_rest(w: LogWriter) -> None:
    p = w.p
    fw = p.framework
    if fw in ("vite", "sveltekit", "react-router"):
        _vite_output(w, V.OUTPUT_DIRS[fw])
        if fw == "react-router":
            w.add("vite v7.3.1 building ssr environment for production...")
            _vite_output(w, "build/server")
        if fw == "sveltekit":
            w.block(["", "> Using @sveltejs/adapter-cloudflare", "  ✔ done"])
    elif fw == "next":
        pages = w.n(3, 60)
        routes = [f"├ ○ /{w.pick(V.ROUTES)}{' ' * 20}{w.n(1, 30)}.{w.n(1, 9)} kB  {w.n(90, 250)} kB"
                  for _ in range(w.longtail(2, 40))]
        w.block([f" ✓ Compiled successfully in {w.n(3, 90)}.{w.n(0, 9)}s", "   Linting and checking validity of types ...",
                 "   Collecting page data ...", f"   Generating static pages (0/{pages}) ...",
                 f" ✓ Generating static pages ({pages}/{pages})", "   Finalizing page optimization ...", "",
                 "Route (app)                                 Size  First Load JS", *routes,
                 f"+ First Load JS shared by all            {w.n(90, 120)} kB", "",
                 "○  (Static)   prerendered as static content"])
    elif fw == "astro":
        n_pages = w.longtail(1, 120)
        for _ in range(min(n_pages, 40)):
            w.add(f"{_clock(w)}   ├─ /{w.pick(V.ROUTES).replace('[', '').replace(']', '')}/index.html (+{w.n(2, 90)}ms)")
        w.add(f"{_clock(w)} ✓ Completed in {w.n(1, 40)}.{w.n(10, 99)}s.")
        w.add(f"{_clock(w)} [build] {n_pages} page(s) built in {w.n(2, 90)}.{w.n(10, 99)}s")
        w.add(f"{_clock(w)} [build] Complete!")
    elif fw == "nuxt":
        w.block([f"✔ Client built in {w.n(900, 20000)}ms", "ℹ Building server...",
                 f"✔ Server built in {w.n(500, 9000)}ms", "[nitro] ✔ Generated public dist",
                 "[nitro] ✔ You can deploy this build using `npx wrangler deploy`"])
    elif fw == "docusaurus":
        w.block(["[SUCCESS] Generated static files in \"build\".",
                 "[INFO] Use `npm run serve` command to test your build locally."])
    else:
        w.block([f"Total Upload: {w.n(20, 900)}.{w.n(10, 99)} KiB / gzip: {w.n(5, 200)}.{w.n(10, 99)} KiB",
                 "--dry-run: exiting now."])
    w.wait(0.2, 2)
    w.add("Success: Build command completed" if p.platform == "workers" else "Finished")


def _vite_output(w: LogWriter, outdir: str) -> None:
    w.add(w.color("32", "✓") + f" {w.n(20, 3000)} modules transformed.")
    w.block(["rendering chunks...", "computing gzip size..."])
    getrandbits = w.rng.getrandbits
    names, kinds = V.SRC_NAMES, ("js", "js", "css", "svg", "woff2", "png")
    assets = []
    for _ in range(w.longtail(3, 70)):
        bits = getrandbits(64)  # one draw for the name, hash, kind and sizes of an asset
        kind = kinds[bits % 6]
        line = f"{outdir}/assets/{names[(bits >> 3) % len(names)]}-{(bits >> 8) & 0xFFFFFFFF:08x}.{kind}".ljust(52)
        line += f"{(bits >> 40) % 600}.{(bits >> 50) % 90 + 10} kB".rjust(10)
        if kind in ("js", "css"):
            line += f" │ gzip: {(bits >> 20) % 200}.{(bits >> 30) % 90 + 10} kB"
        assets.append(line)
    w.block(assets)
    w.add(w.color("32", "✓") + f" built in {w.n(1, 40)}.{w.n(10, 99)}s")


def deploy_start(w: LogWriter) -> None:
    p = w.p
    w.wait(0.5, 3)
    if p.platform == "pages":
        w.block(["Checking for configuration in a Wrangler configuration file (BETA)", "",
                 "No wrangler.toml file found. Continuing."])
        if p.framework != "next":
            w.add("Note: No functions dir at /functions found. Skipping.")
        w.add("Validating asset output directory")
        w.add("Deploying your site to Cloudflare's global network...")
        return
    cmd = w.pick(("npx wrangler deploy", "npx wrangler deploy", "npx wrangler versions upload", "npm run deploy"))
    w.add(f"Executing user deploy command: {cmd}")
    if cmd == "npm run deploy":
        w.block(["", "> deploy", "> wrangler deploy", ""])
    w.wait(1, 3)
    w.block(["", f" ⛅️ wrangler {_wrangler_version(w)}", "─" * 45])
    if w.chance(0.05):
        local = f"{p.worker}-dev"
        w.private(f'Failed to match Worker name. Your config file is using the Worker name "{local}", but the CI '
                  f'system expected "{p.worker}". Overriding using the CI provided Worker name.',
                  ("worker_name", local), ("worker_name", p.worker))


def deploy_rest(w: LogWriter) -> None:
    p = w.p
    if p.platform == "pages":
        total = w.n(3, 400)
        new = w.n(1, total)
        w.add(f"Uploading... ({total - new}/{total})")
        w.wait(0.5, 8)
        w.add(f"Uploading... ({total}/{total})")
        w.block([f"✨ Success! Uploaded {new} files ({total - new} already uploaded) ({w.n(0, 9)}.{w.n(10, 99)} sec)",
                 "", "✨ Upload complete!"])
        w.wait(1, 6)
        w.add("Success: Assets published!")
        w.add("Success: Your site was deployed!")
        return
    if w.chance(0.6):
        n_assets = w.longtail(1, 80)
        w.add(f"🌀 Found {n_assets} new or modified static assets to upload. Proceeding with upload...")
        w.block([f"+ /{w.pick(V.SRC_NAMES).lower()}-{V.hex_string(w.rng, 8)}.js" for _ in range(min(n_assets, 30))])
        w.add(f"Uploaded {n_assets} of {n_assets} assets")
        w.add(f"✨ Success! Uploaded {n_assets} files ({w.n(0, 40)} already uploaded) ({w.n(0, 5)}.{w.n(10, 99)} sec)")
        w.add("")
    w.block([f"Total Upload: {w.n(20, 2900)}.{w.n(10, 99)} KiB / gzip: {w.n(5, 700)}.{w.n(10, 99)} KiB",
             f"Worker Startup Time: {w.n(1, 60)} ms"])
    if w.chance(0.6):
        w.block(["Your Worker has access to the following bindings:", "Binding            Resource",
                 "env.ASSETS         Assets", f"env.{w.pick(('CACHE', 'SESSIONS', 'KV'))}              KV Namespace"])
    w.wait(1, 6)
    w.private(f"Uploaded {p.worker} ({w.n(1, 9)}.{w.n(10, 99)} sec)", ("worker_name", p.worker))
    w.private(f"Deployed {p.worker} triggers ({w.n(0, 3)}.{w.n(10, 99)} sec)", ("worker_name", p.worker))
    w.private(f"  https://{p.worker}.{p.subdomain}.workers.dev", ("worker_name", p.worker))
    w.add(f"Current Version ID: {_uuid(w)}")
    w.wait(0.2, 1)
    w.add("Success: Deploy command completed")


def _clock(w: LogWriter) -> str:
    """HH:MM:SS (UTC) of the writer's current time, as tools that print their own clock do."""
    seconds = (w.t // 1_000_000) % 86_400
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def _wrangler_version(w: LogWriter) -> str:
    return w.pick(("3.114.9", "4.21.2", "4.45.0", "4.72.0 (update available 4.81.0)", "4.26.1"))


def _uuid(w: LogWriter) -> str:
    h = V.hex_string(w.rng, 32)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
