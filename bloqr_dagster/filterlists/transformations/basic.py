"""The line-level transformations: RemoveComments, TrimLines, RemoveEmptyLines, InsertFinalNewLine,
Deduplicate, InvertAllow, RemoveModifiers (hostlist-compiler 2.1.1 semantics, linear time)."""

from __future__ import annotations

from itertools import compress, repeat

from bloqr_dagster.filterlists import rule_syntax as r

_COMMENT = r.COMMENT_PREFIXES
_JS_WS = r.JS_WHITESPACE


def remove_comments(lines: list[str]) -> list[str]:
    return [line for line in lines if not (line.startswith(_COMMENT) or line == "#")]


def trim_lines(lines: list[str]) -> list[str]:
    return list(map(str.strip, lines, repeat(" \t")))


def remove_empty_lines(lines: list[str]) -> list[str]:
    return list(compress(lines, map(str.strip, lines, repeat(_JS_WS))))


def insert_final_new_line(lines: list[str]) -> list[str]:
    if not lines or lines[-1].strip(_JS_WS):
        return [*lines, ""]
    return lines


def count_compiled_rules(lines: list[str]) -> int:
    """A compile's rule count: lines that are neither blank nor comments in hostlist-compiler's sense
    (`!`, `# `, `####`, a lone `#`). Compare health.count_raw_rules, which judges a downloaded list."""
    return sum(1 for line in lines if line.strip(_JS_WS) and not (line.startswith(_COMMENT) or line == "#"))


def deduplicate(lines: list[str]) -> list[str]:
    """Keep the last occurrence of each rule; drop the comments/empty lines right above a dropped one."""
    seen: set[str] = set()
    kept: list[str] = []
    dropping = False
    for line in reversed(lines):
        if line in seen:
            if line and not (line.startswith(_COMMENT) or line == "#"):
                dropping = True
                continue
        else:
            seen.add(line)
        if dropping and (not line or line.startswith(_COMMENT) or line == "#"):
            continue
        dropping = False
        kept.append(line)
    kept.reverse()
    return kept


def invert_allow(lines: list[str]) -> list[str]:
    out = []
    for line in lines:
        if (
            line
            and not (line.startswith(_COMMENT) or line == "#")
            and not line.startswith("@@")
            and not r.is_etc_hosts_rule(line)
        ):
            line = "@@" + line
        out.append(line)
    return out


_REMOVED_MODIFIERS = frozenset({"third-party", "3p", "all", "document", "doc", "popup", "network"})


def remove_modifiers(lines: list[str]) -> list[str]:
    out = []
    for raw in lines:
        line = raw.strip(_JS_WS)
        if not line or line.startswith(_COMMENT) or line == "#":
            out.append(line)
            continue
        if "$" not in line:
            out.append(line)  # nothing to remove; re-serialising would give the same text
            continue
        try:
            rule = r.parse_adblock(line)
        except r.RuleParseError:
            out.append(line)  # the reference crashes on `@@` here; keeping the line is the useful choice
            continue
        rule.remove_options(_REMOVED_MODIFIERS)
        out.append(rule.to_text())
    return out
