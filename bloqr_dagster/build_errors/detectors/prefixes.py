"""Platform prefixes that `masking.clean_line` leaves on a line, and the one cleaning entry point.

`masking.clean_line` drops ANSI codes, ISO timestamps, `HH:MM:SS.mmm | `, docker's `#12 0.345`
and turbo's `pkg:build:`. Other platforms prefix their lines too, and a rule anchored at the start
of the message (ESLint's `12:5  error  ...`, `Error: ...`) must see the message, not the prefix:

* Vercel: `[21:44:33.218] ` and `21:44:33.218 ` (milliseconds, no pipe);
* gulp and other task runners: `[10:47:27] `;
* Render: `Jul 26 09:11:12 AM  `;
* CodeBuild: `[Container] 2019/02/25 23:08:29 `;
* oclif CLIs (netlify-cli, heroku): `›   `;
* lerna / nx / turbo package prefixes of scoped packages: `@scope/name: ` (an unscoped `name: ` is
  left alone: it cannot be told from `sh: ` or `error: `);
* a logger's `12:34:56 [ERROR] ` (masking strips the ISO form): an error or info level tag goes with
  its timestamp, and `annotation` lets the rule set fall back to `[ERROR] message` when the bare message
  matches nothing; a `[WARN]`/`[WARNING]` tag stays on the line: a warning is never an error;
* GitHub Actions error annotations: `##[error]` and the workflow command `::error file=a.ts,line=3::`.
  `##[warning]` and `::warning ...::` stay on the line so that the warning rule keeps it a warning;
  `annotation` lets the rule set fall back to the annotated form when the bare message matches
  nothing (GitHub marked the line as an error even if no rule knows its words);
* GitLab section markers `section_start:1700000000:step_script[collapsed=true]` / `section_end:...`
  (the `CR ESC[0K` around them is gone already: ANSI codes are dropped, and a carriage return keeps
  what was drawn last or splits the line);
* pnpm's recursive runs: `apps/web build: ` (the package folder and the script);
* docker BuildKit's step number before its verdict: `#12 ERROR: ...`, `#12 CANCELED` (`#12 0.345 `
  is `masking.clean_line`'s; `#12 [4/6] RUN x` stays: it is the step marker the context reads).

Every detector path cleans lines with `message()`, so the rules, the grouping and the look-ahead for
causes see the same text. The pattern is linear: fixed-width digit runs and one bounded name.
"""

from __future__ import annotations

import re

from bloqr_dagster.build_errors.detectors import masking

_MORE_PREFIX = re.compile(
    r"""^(?:(?:
        \[\d{1,2}:\d\d:\d\d(?:\.\d{1,6})?\]
      | \d{1,2}:\d\d:\d\d\.\d{3}(?=\ )
      | (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\ [\d ]\d\ \d\d:\d\d:\d\d(?:\ [AP]M)?(?=\ )
      | \[Container\]\ \d{4}/\d\d/\d\d\ \d\d:\d\d:\d\d(?:\.\d+)?
      | ›
      | @[\w.-]{1,60}/[\w.-]{1,80}:(?=\ )
      | \d{1,2}:\d\d:\d\d(?:[.,]\d{1,6})?(?:\ \[(?:ERROR|FATAL|INFO|DEBUG|NOTICE|TRACE)\]|(?=\ \[WARN(?:ING)?\]))
      | \#\d{1,6}(?=\ (?:ERROR|CANCELED)\b)
    )[ \t]+
    | (?:
        \#\#\[error\]
      | ::error(?:\ (?:[^:\n]|:(?!:)){0,500}+)?::
      | section_(?:start|end):\d{1,12}:[\w.-]{1,100}+(?:\[[\w=,.-]{0,100}+\])?
    )[ \t]*)+""",
    re.X,
)


# pnpm's recursive runs (`pnpm -r build`, `pnpm --filter ... build`) put the package's folder and the script
# before every line of its output: `apps/web build: Failed to type check.` (a folder with at least one `/`).
# Its own verdict on a script, `<folder> <script>: Failed`, keeps the prefix: the folder says whose script.
_PNPM_RECURSIVE = re.compile(r"(?:[\w.@-]{1,80}/){1,8}[\w.@-]{1,80} [\w:.-]{1,60}: (?=\S)(?!Failed$)")


def message(raw: str) -> str:
    """The message part of one raw log line: `masking.clean_line`, then the prefixes above."""
    clean = masking.clean_line(raw)
    if clean[:1] in "[0123456789JFMASOND›@#:s":
        m = _MORE_PREFIX.match(clean)
        if m is not None:
            return clean[m.end():]
    if "/" in clean[:90] and ": " in clean[:300]:
        m = _PNPM_RECURSIVE.match(clean)
        if m is not None:
            return clean[m.end():]
    return clean


def annotation(raw: str) -> str | None:
    """The severity marker a platform or logger put before this raw line's message, when it says error:
    `##[error]` for GitHub's annotations, `[ERROR] ` for a timestamped logger level; else None."""
    if "##[error]" in raw or "::error" in raw:
        if _GITHUB_ERROR.match(masking.clean_line(raw)) is not None:
            return "##[error]"
    elif ("[ERROR]" in raw or "[FATAL]" in raw) and _LEVEL_ERROR.match(raw) is not None:
        return "[ERROR] "
    return None


_GITHUB_ERROR = re.compile(r"##\[error\]|::error[ :]")
_LEVEL_ERROR = re.compile(
    r"[ \t]*(?:\d{4}-\d\d-\d\d[T ])?\d{1,2}:\d\d:\d\d(?:[.,]\d{1,9})?(?:Z|[+-]\d\d:?\d\d)?[ \t]+\[(?:ERROR|FATAL)\]")
