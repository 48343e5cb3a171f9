"""Where in a build a line is: the stage (clone, install, build, deploy) and the command running.

Platforms announce their stages (`Installing project dependencies: npm ci`, Vercel's
`Running "install" command`, Render's `==> Cloning from`, CodeBuild's `Entering phase BUILD`),
and shells, CI runners and package managers echo the commands they start (`$ npm ci`,
`##[group]Run npm run build`, `> vite build`, docker's `#8 [4/6] RUN npm ci`). A `Marker` is what
one such line says; the engine carries the latest stage and running tool forward, so that a
generic error (`Error: ...`, `ELIFECYCLE Command failed`) takes the category of the stage it is
in, and a line in a format several tools share (esbuild's `✘ [ERROR]`) is attributed to the tool
that was running when it was printed, not to any tool seen somewhere in the log.

Every command echo or stage marker also starts a new *segment* of the log: a segment followed by
another one finished (platforms and `set -e` scripts stop at the first failing step), which the
primary selection uses to prefer the first segment that failed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

STAGE_CATEGORY = {
    "clone": "clone_failed", "install": "dependency_install_failed", "build": "build_command_failed",
    "deploy": "deploy_command_failed",
}


@dataclass(frozen=True, slots=True)
class Marker:
    """What a stage marker, command echo or tool banner says. stage None = unchanged; tool None =
    unchanged, "" = no known tool is running (a package manager running a script, say)."""

    stage: str | None
    tool: str | None
    segment: bool  # a new step starts here



# Platform stage markers: (regex over the cleaned line, stage). Matched at the start of the line.
_STAGE_LINES: tuple[tuple[str, str], ...] = (
    (r"Cloning (?:repository|into |from |(?:github|gitlab|bitbucket)\.(?:com|org)/)|==> Cloning from "
     r"|Starting to prepare the repo for build|Preparing Git Reference|Getting source from Git repository"
     r"|Fetching changes(?: with git depth|\.\.\.)|(?:\[Container\] \S+ \S+ )?Entering phase DOWNLOAD_SOURCE", "clone"),
    (r"Installing project dependencies|Installing tools and dependencies|Installing (?:npm|NPM) (?:packages|modules)"
     r" using|Running \"install\" command|Installing dependencies(?:\.\.\.)?$|(?:\[Container\] \S+ \S+ )?Entering phase (?:INSTALL|PRE_BUILD)",
     "install"),
    (r"Executing user (?:build )?command|build\.command from netlify\.toml|Running \"(?:vercel )?build\""
     r"|Running build in |(?:\[Container\] \S+ \S+ )?Entering phase BUILD|Executing \"step_script\" stage|## Starting (?:Frontend|Backend) Build",
     "build"),
    (r"Executing user deploy command|Deploying your site to|Starting to deploy site|Deploying outputs"
     r"|==> (?:Uploading build|Deploying)|Deploy site$|(?:\[Container\] \S+ \S+ )?Entering phase POST_BUILD", "deploy"),
)

# Command echoes: the command is group `cmd`. `$ `, `+ ` and `> ` echoes count only when the command
# is a known program (pnpm's `+ react 18.2.0` lists packages; npm's `> pkg@1.0.0 build` names a script).
_COMMAND_LINES = re.compile(
    r"^(?:Executing user (?:build |deploy )?command: |##\[group\]Run |Run (?=[\w./@-]+(?: |$))(?!.*`)"
    r"|#\d+ \[[^\]]{1,60}\] RUN |Step \d+/\d+ : RUN |Running command |# Executing command: "
    r"|==> Running (?:build command )?'|Running \"install\" command: `|Running \"|(?P<echo>[$+>]) )"
    r"(?P<cmd>[^\n]{1,300})")

_BANNERS = re.compile(
    r"^(?:⛅\ufe0f?\s*(?P<wrangler>wrangler) \d|(?P<vite>vite) v\d+\.\d+\S* building|▲ (?P<next>Next)\.js \d"
    r"|(?P<hugo>hugo) v\d|(?P<gatsby>gatsby) (?:build|v\d))", re.I)

_RUNNERS = {"npx", "bunx", "pnpx", "exec", "dlx", "x"}
PACKAGE_MANAGERS = {"npm", "pnpm", "yarn", "bun", "pip", "pip3", "uv", "poetry", "pipenv", "bundle", "gem",
                    "composer", "corepack", "deno"}
_INSTALL_VERBS = {"install", "i", "ci", "clean-install", "add", "sync", "update", "restore", "lock"}
# Programs whose echo is a command line (first word after runners).
KNOWN_TOOLS = {
    "node", "python", "python3", "git", "docker", "make", "sh", "bash", "cd", "vite", "next", "astro", "nuxt",
    "nuxi", "svelte-kit", "remix", "react-router", "gatsby", "hugo", "jekyll", "eleventy", "webpack", "rollup",
    "esbuild", "tsc", "vue-tsc", "svelte-check", "eslint", "prettier", "stylelint", "biome", "turbo", "nx", "wrangler", "vercel",
    "netlify", "firebase", "react-scripts", "vue-cli-service", "ng", "parcel", "tsup", "vitest", "jest",
    "opennextjs-cloudflare", "next-on-pages", "mkdocs", "zola", "cargo", "go", "aws", "gcloud", "flyctl",
    "kubectl", "helm", "terraform", "surge", "gh-pages",
}
_DEPLOYERS = {"wrangler": ("deploy", "publish", "pages", "versions"), "vercel": ("deploy", "--prod"),
              "netlify": ("deploy",), "firebase": ("deploy",), "opennextjs-cloudflare": ("deploy", "upload"),
              "aws": ("s3", "cloudformation", "deploy", "lambda", "ecs", "amplify", "cloudfront"),
              "gcloud": ("deploy",), "flyctl": ("deploy",), "docker": ("push", "stack", "service"),
              "kubectl": ("apply", "rollout", "set", "create", "replace", "patch"), "helm": ("upgrade", "install"),
              "terraform": ("apply",)}
_ALWAYS_DEPLOY = {"surge", "gh-pages"}  # programs that only publish
_ACTIONS = {"actions/checkout": ("clone", ""), "cloudflare/wrangler-action": ("deploy", "wrangler"),
            "cloudflare/pages-action": ("deploy", "wrangler"), "actions/setup-node": ("install", ""),
            "actions/setup-python": ("install", ""), "pnpm/action-setup": ("install", "pnpm"),
            "oven-sh/setup-bun": ("install", "bun")}

# Lowercase keywords that find marker lines (merged into the engine's prefilter). Echoes (`$ x`, `+ x`,
# `> x`) are found by their program's name, so that pnpm's `+ react 18.2.0` costs nothing.
KEYWORDS = (
    "cloning", "prepare the repo", "preparing git", "source from git", "fetching changes", "entering phase",
    "installing project dependencies", "installing tools", "installing npm", "running \"", "installing dependencies",
    "executing user", "build.command", "running build", "executing \"step_script\"", "## starting", "deploying",
    "deploy site", "==> ", "run ", "running command", "executing command", "step ", "⛅", "building for production",
    "▲ next.js", "hugo v", "gatsby ",
    *(f"{echo} {program}" for echo in "$+>" for program in sorted(KNOWN_TOOLS | PACKAGE_MANAGERS | _RUNNERS)),
)

_STAGE_RE = re.compile("|".join(f"(?P<s{i}>{p})" for i, (p, _) in enumerate(_STAGE_LINES)))


# `a && b`, `a || b`, `a; b`: a script's chain of commands (a pipe `a | tee x` is one command).
_CHAIN = re.compile(r"&&|\|\||;")


# npm's and pnpm's header of a script they run: `> name@1.0.0 build`, `> @scope/name@0.1.0 netlify:build`.
# It names no program, so no keyword finds it (a `> ` keyword would also find every `->` arrow): SCRIPT_HEADER_RE
# finds it in the lowered log on its own (its literal head makes that a fast scan; joined to the keyword trie it
# would slow every position), and _SCRIPT_HEADER checks its `name@version` word.
SCRIPT_HEADER_RE = re.compile(r"> (?:@[\w.-]+/)?[\w.-]+@\d")
_SCRIPT_HEADER = re.compile(r"(?:@[\w.-]+/)?[\w.-]+@\d[\w.+-]*$")
_SCRIPT_PART = re.compile(r"[:_]")


def _header_marker(words: list[str]) -> Marker | None:
    """The marker of a script header's words (`pkg@1.0.0`, `build`), else None."""
    if len(words) > 1 and _SCRIPT_HEADER.match(words[0]):
        return Marker(script_stage(words[1]), "", True)
    return None


def script_header_marker(clean: str) -> Marker | None:
    """The marker of a cleaned line SCRIPT_HEADER_RE found, without the general marker's regexes."""
    return _header_marker(clean[2:].split()) if clean.startswith("> ") else None


def script_stage(script: str) -> str | None:
    """The stage a package.json script's name implies (`build`, `build:prod`, `netlify:build`, `deploy`,
    a dependency's `postinstall`); None for others (`start`, `test`, `lint`)."""
    for part in _SCRIPT_PART.split(script.lower()):
        if part.startswith(("deploy", "publish", "release")):
            return "deploy"
        if part.startswith(("build", "prebuild", "generate", "export", "compile")):
            return "build"
        if part in ("install", "preinstall", "postinstall", "prepare"):
            return "install"
    return None


def command_marker(cmd: str, echo: bool) -> Marker | None:
    """The stage and tool a command line implies; None when an echo does not look like a command.

    A chain (`npm install && vite build`) is where its last command with a stage is: the steps
    before it print their own errors (npm's, pip's), while what follows them is that last step's."""
    if ("&&" in cmd or "||" in cmd or ";" in cmd) and len(parts := _CHAIN.split(cmd.strip().strip("`'\""))) > 1:
        marks = [m for m in (_one_command(p, echo) for p in parts[:8]) if m is not None]
        staged = [m for m in marks if m.stage]
        return staged[-1] if staged else (marks[0] if marks else None)
    return _one_command(cmd, echo)


def _one_command(cmd: str, echo: bool) -> Marker | None:
    words = cmd.strip().strip("`'\"").split()
    if not words:
        return None
    if echo and (header := _header_marker(words)) is not None:  # npm's `> pkg@1.0.0 build` names the script
        return header
    if "@" in words[0] and "/" in words[0]:  # a GitHub Actions `uses:` step
        stage, tool = _ACTIONS.get(words[0].split("@", 1)[0].lower(), (None, ""))
        return Marker(stage, tool, True)
    rest = [w for w in words if not w.startswith("-")]
    while rest and (rest[0] in _RUNNERS or rest[0].startswith(("node_modules/.bin/", "./node_modules/.bin/"))):
        rest[0] = rest[0].rsplit("/", 1)[-1]
        if rest[0] in _RUNNERS:
            rest = rest[1:]
        else:
            break
    if not rest:
        return None
    first = rest[0].lower().rsplit("/", 1)[-1]
    second = rest[1].lower() if len(rest) > 1 else ""
    if first in PACKAGE_MANAGERS:
        if second in _RUNNERS and len(rest) > 2:  # `pnpm exec vite build`, `yarn dlx wrangler deploy`
            return command_marker(" ".join(rest[2:]), echo)
        if second in _INSTALL_VERBS or (first == "yarn" and not second) or (second == "-m" and "pip" in rest):
            return Marker("install", first, True)
        return Marker(script_stage(rest[2] if second == "run" and len(rest) > 2 else second), "", True)
    if first not in KNOWN_TOOLS:
        return None if echo else Marker(None, "", True)
    if first == "git":
        return Marker("clone" if second in ("clone", "fetch", "checkout", "submodule", "pull") else None, "git", True)
    if first in _DEPLOYERS and any(w in _DEPLOYERS[first] for w in (w.lower() for w in rest[1:])):
        return Marker("deploy", first if first != "opennextjs-cloudflare" else "wrangler", True)
    if first in _ALWAYS_DEPLOY:
        return Marker("deploy", "", True)
    if first in ("cd", "sh", "bash", "make", "node", "python", "python3", "docker", "cargo", "go", "aws", "gcloud", "flyctl",
                 "kubectl", "helm", "terraform"):
        return Marker(None, "" if first not in ("docker", "make") else first, True)
    if first == "next" and second == "lint":  # Next.js runs ESLint
        return Marker("build", "eslint", True)
    return Marker("build", "next" if first == "next-on-pages" else first, True)


def marker(clean: str) -> Marker | None:
    """The marker a cleaned line is, if any."""
    m = _STAGE_RE.match(clean)
    if m is not None:
        stage = _STAGE_LINES[int(m.lastgroup[1:])][1]
        c = _COMMAND_LINES.match(clean)
        tool = command_marker(c.group("cmd"), False).tool if c and stage in ("build", "deploy") else ""
        return Marker(stage, tool if tool is not None else "", True)
    c = _COMMAND_LINES.match(clean)
    if c is not None:
        return command_marker(c.group("cmd"), c.group("echo") is not None)
    b = _BANNERS.match(clean)
    if b is not None:
        return Marker(None, b.lastgroup, False)
    return None
