"""The real build-log corpus (tests/data/buildlogs/): loading it and its fixed train/validation split.

Layout of a corpus folder:

* `lines/*.jsonl`: one labelled line per row: `id`, `line` (verbatim, prefixes included),
  `category` (TAXONOMY.md; `not_an_error` for negatives), `expected_group` (the masked form),
  `tool`, `platform`, `stage`, `source` (provenance).
* `logs/<shard>/*.log` with `logs/labels/<shard>.jsonl`: one row per log: `file` (relative to
  `logs/`), `category` (the primary error's category), `primary_line` (1-based), `tool`,
  `platform`, `source`.

The split is decided by the source alone, before anyone reads an item: about 30% of the sources
(by a SHA-256 of their key, `source_key`) are validation. Rules are written and tuned against
`train` only; accuracy is reported for both, separately.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Split = Literal["train", "validation"]
VALIDATION_PERCENT = 30

# Kept for an independent evaluation of the detectors: nothing may be collected from these.
RESERVED_REPOSITORIES = frozenset(r.lower() for r in (
    "ahmedmmkms/b2b-marketplace", "dj-pearson/craft-chicago-finds", "dj-pearson/gym-unity-suite",
    "dj-pearson/project-profit-radar", "mathwaksu-byte/MATHWAV4", "futurexaai1-alt/Futurexa.ai",
    "daniswastaken/hackathon", "robinmin/tinyauth", "zunda/zunda.github.io", "minsun1231/svgconverter",
    "7Sageer/sublink-worker", "InterstellarNetwork/Interstellar-Astro", "MoonWeSif/DuckMail",
    "Vattams-admin/vattams-home-services-website", "du2333/flare-stack-blog", "jonssonyan/cf-workers-proxy",
    "ling-drag0n/CloudPaste", "sslnyx/qualitour-fe", "t2vee/Logto-USS",
))

_GITHUB_THREAD = re.compile(
    r"^(?:https?://)?(?:www\.)?github\.com/([\w.-]+)/([\w.-]+)/(issues|pull|pulls|discussions)/(\d+)", re.I)
_GITHUB_URL = re.compile(r"^(?:https?://)?(?:www\.)?github\.com/([\w.-]+)/([\w.-]+)", re.I)
_RAW_URL = re.compile(r"^(?:https?://)?raw\.githubusercontent\.com/([\w.-]+)/([\w.-]+)", re.I)
_REPO_PATH = re.compile(r"^(?:github:)?([\w.-]+)/([\w.-]+?)(?::|@|$)")


def source_key(source: str) -> str:
    """The part of a provenance string that decides the split.

    A file of a repository (`github:owner/name:path`, `owner/name:path@commit`,
    `https://github.com/owner/name/blob/...`, `https://raw.githubusercontent.com/owner/name/...`)
    gives `owner/name`: a repository's files share formats, so they fall on one side. An issue,
    pull request or discussion thread (`https://github.com/owner/name/issues/1`) gives
    `owner/name/issues/1`: each thread is a different user's build. Other URLs give `host/path`
    without scheme, query or fragment."""
    text = source.strip()
    if m := _GITHUB_THREAD.match(text):
        kind = "pull" if m.group(3).lower() == "pulls" else m.group(3).lower()
        return f"{m.group(1)}/{m.group(2)}/{kind}/{m.group(4)}".lower()
    for pattern in (_GITHUB_URL, _RAW_URL):
        if m := pattern.match(text):
            return f"{m.group(1)}/{m.group(2).removesuffix('.git')}".lower()
    if "://" not in text and (m := _REPO_PATH.match(text)):
        return f"{m.group(1)}/{m.group(2)}".lower()
    text = re.sub(r"^[a-z][a-z0-9+.-]*://", "", text, flags=re.I)
    return re.split(r"[?#]", text, maxsplit=1)[0].rstrip("/").lower()


def repository_of(source: str) -> str | None:
    """`owner/name` of a GitHub provenance string, None for other URLs."""
    key = source_key(source)
    parts = key.split("/")
    return "/".join(parts[:2]) if "." not in parts[0] and len(parts) in (2, 4) else None


def split_of(source: str) -> Split:
    digest = hashlib.sha256(source_key(source).encode()).digest()
    return "validation" if int.from_bytes(digest[:4], "big") % 100 < VALIDATION_PERCENT else "train"


@dataclass(frozen=True)
class CorpusLine:
    id: str
    line: str
    category: str
    expected_group: str
    tool: str
    platform: str
    stage: str | None
    source: str

    @property
    def split(self) -> Split:
        return split_of(self.source)


@dataclass(frozen=True)
class CorpusLog:
    path: Path
    category: str
    primary_line: int
    tool: str
    platform: str
    source: str

    @property
    def split(self) -> Split:
        return split_of(self.source)

    def text(self) -> str:
        return self.path.read_text(encoding="utf-8", errors="replace")


def _rows(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as fh:
        for n, raw in enumerate(fh, 1):
            if raw.strip():
                try:
                    yield json.loads(raw)
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{path}:{n}: invalid JSON: {exc.msg}") from None


def load_lines(corpus: Path, split: Split | None = None) -> list[CorpusLine]:
    """Every labelled line, or only those of one split."""
    out = []
    for path in sorted((corpus / "lines").glob("*.jsonl")):
        for row in _rows(path):
            item = CorpusLine(id=row["id"], line=row["line"], category=row["category"],
                              expected_group=row.get("expected_group", ""), tool=row.get("tool", ""),
                              platform=row.get("platform", ""), stage=row.get("stage"), source=row["source"])
            if split is None or item.split == split:
                out.append(item)
    return out


def load_logs(corpus: Path, split: Split | None = None) -> list[CorpusLog]:
    """Every labelled whole log, or only those of one split."""
    out = []
    for labels in sorted((corpus / "logs" / "labels").glob("*.jsonl")):
        for row in _rows(labels):
            item = CorpusLog(path=corpus / "logs" / row["file"], category=row["category"],
                             primary_line=int(row["primary_line"]), tool=row.get("tool", ""),
                             platform=row.get("platform", ""), source=row["source"])
            if split is None or item.split == split:
                out.append(item)
    return out
