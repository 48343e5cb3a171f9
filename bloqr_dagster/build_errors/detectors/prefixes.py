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
  left alone: it cannot be told from `sh: ` or `error: `).

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
    )[ \t]+)+""",
    re.X,
)


def message(raw: str) -> str:
    """The message part of one raw log line: `masking.clean_line`, then the prefixes above."""
    clean = masking.clean_line(raw)
    if clean[:1] in "[0123456789JFMASOND›@":
        m = _MORE_PREFIX.match(clean)
        if m is not None:
            return clean[m.end():]
    return clean
