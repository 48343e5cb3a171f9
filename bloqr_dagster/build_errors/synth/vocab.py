"""Word lists and small value makers for the synthetic logs (all invented or generic names)."""

from __future__ import annotations

NPM_PACKAGES = (
    "react-router-dom", "@tanstack/react-query", "zod", "date-fns", "lodash-es", "clsx", "axios",
    "@radix-ui/react-dialog", "@radix-ui/react-popover", "framer-motion", "tailwind-merge", "nanoid",
    "@headlessui/react", "react-hook-form", "@hookform/resolvers", "swr", "zustand", "jotai", "immer",
    "dayjs", "uuid", "marked", "dompurify", "sharp", "@sentry/nextjs", "@vercel/analytics", "hono",
    "itty-router", "drizzle-orm", "@prisma/client", "kysely", "@supabase/supabase-js", "stripe",
    "@clerk/nextjs", "next-auth", "lucide-react", "react-icons", "recharts", "chart.js", "three",
    "@react-three/fiber", "gsap", "swiper", "embla-carousel-react", "sonner", "cmdk", "vaul",
    "@mdx-js/react", "rehype-pretty-code", "remark-gfm", "shiki", "sanity", "@astrojs/react",
    "@astrojs/tailwind", "@sveltejs/adapter-cloudflare", "svelte-i18next", "vue-router", "pinia",
    "@nuxt/image", "postcss-nesting", "autoprefixer", "esbuild-plugin-polyfill-node", "jose",
    "@cloudflare/kv-asset-handler", "@aws-sdk/client-s3", "openai", "@anthropic-ai/sdk", "resend",
    "@upstash/redis", "graphql-request", "@apollo/client", "socket.io-client", "i18next",
    "react-i18next", "@fontsource/inter", "@emotion/react", "styled-components", "@mui/material",
)
NODE_BUILTINS = ("fs", "path", "crypto", "stream", "net", "tls", "child_process", "os", "zlib", "http",
                 "https", "url", "util", "events", "buffer", "worker_threads", "async_hooks", "dns")
PY_PACKAGES = ("mkdocs-material", "pelican", "sphinx-book-theme", "numpy", "pandas", "jinja2",
               "markdown-it-py", "pyyaml", "lektor", "nikola", "mkdocs-awesome-pages-plugin", "weasyprint")
SRC_DIRS = ("src", "src/components", "src/lib", "src/pages", "src/routes", "app", "app/(marketing)",
            "src/app/dashboard", "src/utils", "src/hooks", "src/features/billing", "functions/api",
            "src/content", "server", "packages/ui/src", "apps/web/src", "src/layouts", "src/store")
SRC_NAMES = ("Header", "Footer", "Navbar", "index", "utils", "api", "auth", "Checkout", "Pricing",
             "Dashboard", "Sidebar", "useSession", "useCart", "middleware", "layout", "page", "config",
             "ContactForm", "BlogPost", "Gallery", "client", "db", "schema", "i18n", "analytics", "Modal")
TS_TYPES = ("string", "number", "boolean", "undefined", "null", "User", "Session", "Props", "Product",
            "Order", "RouteParams", "ReactNode", "Promise<Response>", "Record<string, unknown>",
            "string[]", "Env", "Request", "CartItem", "Locale", "Post")
IDENTS = ("user", "session", "items", "handleSubmit", "config", "data", "props", "locale", "router",
          "fetchPosts", "isLoading", "setOpen", "cart", "env", "params", "theme", "total", "slug", "ctx")
ROUTES = ("blog/[slug]", "[lang]/about", "products/[id]", "docs/[...path]", "account/settings",
          "api/webhook", "dashboard", "pricing", "[locale]/contact", "tags/[tag]")
FIRST_NAMES = ("alice", "bob", "carol", "dmitri", "emma", "farid", "grace", "hiro", "ines", "jonas",
               "kofi", "lena", "mateo", "nadia", "oskar", "priya", "quentin", "rosa", "sven", "tomoko",
               "umar", "vera", "wen", "ximena", "yusuf", "zoe")
LAST_NAMES = ("nakamura", "okafor", "schmidt", "garcia", "kowalski", "lindqvist", "moreau", "patel",
              "rossi", "silva", "tanaka", "vasquez", "weber", "yilmaz", "zhang", "dubois", "hansen")
MAIL_DOMAINS = ("gmail.com", "outlook.com", "proton.me", "fastmail.com", "yahoo.com", "icloud.com",
                "hey.com", "example-studio.io", "acme-web.dev", "pixelfarm.co")
WORD_A = ("silent", "rapid", "amber", "lunar", "cobalt", "misty", "brave", "quiet", "golden", "tidy",
          "crimson", "frosty", "nimble", "solar", "velvet", "winter", "cosmic", "humble", "swift", "polar")
WORD_B = ("river", "falcon", "meadow", "pixel", "harbor", "forge", "lantern", "orchard", "comet", "atlas",
          "summit", "canvas", "beacon", "grove", "signal", "ember", "garden", "prairie", "studio", "portal")
SUFFIXES = ("", "", "", "-api", "-web", "-site", "-app", "-worker", "-blog", "-docs", "-landing", "-dev")
COMMIT_MSGS = ("fix: typo in header", "chore: bump dependencies", "feat: add pricing page", "Update README.md",
               "wip", "fix build", "refactor: move api client", "feat(blog): add rss feed", "Merge branch 'main'",
               "chore(deps): update dependency vite", "style: format", "fix: mobile nav", "add dark mode",
               "Update index.astro", "feat: checkout flow", "fix: env vars", "release v{v}")
FRAMEWORKS = ("vite", "next", "astro", "sveltekit", "react-router", "nuxt", "hono", "docusaurus")
PACKAGE_MANAGERS = ("npm", "pnpm", "yarn", "bun")
NODE_VERSIONS = ("22.16.0", "20.18.1", "20.19.5", "18.17.1", "22.11.0", "24.3.0")
LOCK_FILES = {"npm": "package-lock.json", "pnpm": "pnpm-lock.yaml", "yarn": "yarn.lock", "bun": "bun.lock"}
INSTALL_COMMANDS = {
    "npm": "npm clean-install --progress=false",
    "pnpm": "pnpm install --frozen-lockfile",
    "yarn": "yarn install --immutable",
    "bun": "bun install --frozen-lockfile",
}
PM_VERSIONS = {"npm": ("10.9.2", "10.8.2", "11.4.1"), "pnpm": ("9.15.9", "10.12.4", "8.15.6"),
               "yarn": ("4.9.2", "1.22.22", "3.8.7"), "bun": ("1.2.15", "1.1.38", "1.2.19")}
RUN_BUILD = {"npm": "npm run build", "pnpm": "pnpm run build", "yarn": "yarn build", "bun": "bun run build"}
BUILD_SCRIPTS = {"vite": "vite build", "next": "next build", "astro": "astro build",
                 "sveltekit": "vite build", "react-router": "react-router build", "nuxt": "nuxt build",
                 "hono": "wrangler deploy --dry-run --outdir dist", "docusaurus": "docusaurus build"}
OUTPUT_DIRS = {"vite": "dist", "next": ".vercel/output/static", "astro": "dist", "sveltekit": ".svelte-kit/cloudflare",
               "react-router": "build/client", "nuxt": "dist", "hono": "dist", "docusaurus": "build"}
HEX = "0123456789abcdef"
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
TOKEN_CHARS = ALNUM + "_-"

# Tools and messages that no general rule knows: a share of failures uses these so that the
# detectors' coverage on the corpus is honestly below 100%.
NOVEL_TOOLS = ("quarkpack", "zephyr-ssg", "kilnjs", "tessellate", "brisk-bundle", "orbitcss", "lumen-prerender",
               "driftwood", "sable-i18n", "mosaic-og")
NOVEL_MESSAGES = (
    "{tool} ▸ shard graph could not be sealed: {n} orphaned edges (trace: .{tool}/trace-{id}.json)",
    "[{tool}] E_SHARD_DRIFT manifest digest {hex} diverged from the pinned snapshot",
    "{tool}: refusing to emit chunk '{name}' — cyclic hoist detected across {n} islands",
    "[{tool}] glyph atlas overflow: {n} glyphs exceed the 4096px page budget",
    "{tool} ⨯ locale bundle '{name}' has {n} dangling plural keys; aborting emit",
    "[{tool}] prerender lane {n} stalled: hydration fingerprint {hex} mismatch",
    "{tool}: tessellation budget spent ({n} tiles) while flattening route tree '{name}'",
    "[{tool}] og-card renderer rejected template '{name}': palette depth {n} unsupported",
)


def version(r, major_hi: int = 9) -> str:
    return f"{int(r() * major_hi) + 1}.{int(r() * 30)}.{int(r() * 20)}"


def hex_string(rng, n: int) -> str:
    return f"{rng.getrandbits(4 * n):0{n}x}"


def token(rng, n: int = 40) -> str:
    bits = rng.getrandbits(6 * n)
    return "".join(TOKEN_CHARS[(bits >> (6 * i)) & 63] for i in range(n))
