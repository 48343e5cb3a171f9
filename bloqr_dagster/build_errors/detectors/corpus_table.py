"""The corpus table: what the real build-log corpus holds, per category, platform, tool and split.

`render(corpus)` gives the Markdown of `SOURCES.md` (written next to `lines/` by
`benchmarks/corpus_table.py`, checked up to date by a test): counts of labelled lines (error and
negative) and whole logs per category, per platform, per tool and per split, the provenance kinds
(a file of a repository, an issue or pull-request thread, another URL), and one row per source with
what it contributed. Only counts and source names appear, never an item's text, so the table can be
read without looking at the validation split's items.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

from bloqr_dagster.build_errors.detectors.corpus import (
    CorpusLine,
    CorpusLog,
    load_lines,
    load_logs,
    source_key,
)

NEGATIVE = "not_an_error"


def provenance_kind(source: str) -> str:
    """`repository file`, `issue/PR thread` or `web page` (the kind of place an item was copied from)."""
    key = source_key(source)
    parts = key.split("/")
    if len(parts) == 4 and parts[2] in ("issues", "pull", "discussions") and "." not in parts[0]:
        return "issue/PR thread"
    if len(parts) == 2 and "." not in parts[0]:
        return "repository file"
    return "web page"


def _table(header: tuple[str, ...], rows: Iterable[tuple]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return out


def _breakdown(title: str, lines: list[CorpusLine], logs: list[CorpusLog],
               key: Callable[[CorpusLine | CorpusLog], str]) -> list[str]:
    """Rows per key: error lines and negatives (train / validation) and logs, largest first."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for item in lines:
        kind = "neg" if item.category == NEGATIVE else "err"
        counts[key(item)][f"{kind}_{item.split}"] += 1
    for log in logs:
        counts[key(log)][f"log_{log.split}"] += 1

    def total(c: Counter, kind: str) -> int:
        return c[f"{kind}_train"] + c[f"{kind}_validation"]

    order = sorted(counts, key=lambda k: (-(total(counts[k], "err") + total(counts[k], "neg")), k))
    rows = [(f"`{k}`", total(c, "err"), f"{c['err_train']} / {c['err_validation']}", total(c, "neg"),
             f"{c['neg_train']} / {c['neg_validation']}", total(c, "log"), f"{c['log_train']} / {c['log_validation']}")
            for k in order for c in (counts[k],)]
    header = (title, "error lines", "train / validation", "negative lines", "train / validation", "logs",
              "train / validation")
    return _table(header, rows)


def summary(lines: list[CorpusLine], logs: list[CorpusLog]) -> list[str]:
    """The totals: items and sources per split and per provenance kind."""
    rows = []
    for split in ("train", "validation"):
        ls = [i for i in lines if i.split == split]
        gs = [g for g in logs if g.split == split]
        sources = {source_key(i.source) for i in ls} | {source_key(g.source) for g in gs}
        rows.append((split, sum(i.category != NEGATIVE for i in ls), sum(i.category == NEGATIVE for i in ls), len(gs),
                     len(sources)))
    all_sources = {source_key(i.source) for i in lines} | {source_key(g.source) for g in logs}
    rows.append(("**all**", sum(i.category != NEGATIVE for i in lines), sum(i.category == NEGATIVE for i in lines),
                 len(logs), len(all_sources)))
    out = _table(("split", "error lines", "negative lines", "logs", "sources"), rows)
    kinds: dict[str, Counter] = defaultdict(Counter)
    seen: set[str] = set()
    for item in [*lines, *logs]:
        kind = provenance_kind(item.source)
        kinds[kind]["items"] += 1
        if source_key(item.source) not in seen:
            seen.add(source_key(item.source))
            kinds[kind]["sources"] += 1
    out += ["", *_table(("provenance", "sources", "items (lines and logs)"),
                        [(k, kinds[k]["sources"], kinds[k]["items"]) for k in sorted(kinds)])]
    return out


def _sources(lines: list[CorpusLine], logs: list[CorpusLog]) -> list[str]:
    per: dict[str, Counter] = defaultdict(Counter)
    split: dict[str, str] = {}
    for item in lines:
        k = source_key(item.source)
        per[k]["neg" if item.category == NEGATIVE else "err"] += 1
        split[k] = item.split
    for log in logs:
        k = source_key(log.source)
        per[k]["log"] += 1
        split[k] = log.split
    rows = [(f"`{k}`", provenance_kind(k), split[k], per[k]["err"], per[k]["neg"], per[k]["log"]) for k in sorted(per)]
    return _table(("source", "kind", "split", "error lines", "negative lines", "logs"), rows)


def render(corpus: Path) -> str:
    """The Markdown of SOURCES.md for the corpus folder (a malformed row raises corpus.CorpusError)."""
    lines, logs = load_lines(corpus), load_logs(corpus)
    out = [
        "# Sources of the build-log corpus",
        "",
        "Generated by `benchmarks/corpus_table.py` from `lines/*.jsonl` and `logs/labels/*.jsonl` (do not edit; a",
        "test checks it is up to date). How each shard was collected and labelled: `sources/<shard>.md`. The split",
        "is decided by a SHA-256 of the source (`detectors/corpus.py`): `train` may be tuned against,",
        "`validation` is held out. Every item names its source (a repository file, an issue or pull-request",
        "thread, or a web page); the last table lists the sources with what each contributed.",
        "",
        "## Totals",
        "",
        *summary(lines, logs),
        "",
        "## Per category",
        "",
        *_breakdown("category", lines, logs, lambda i: i.category),
        "",
        "## Per platform",
        "",
        *_breakdown("platform", lines, logs, lambda i: i.platform or "unknown"),
        "",
        "## Per tool",
        "",
        *_breakdown("tool", lines, logs, lambda i: i.tool or "unknown"),
        "",
        "## Per source",
        "",
        *_sources(lines, logs),
        "",
    ]
    return "\n".join(out)
