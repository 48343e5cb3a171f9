"""The real build-log corpus (tests/data/buildlogs/): loading it and its fixed train/validation split.

Layout of a corpus folder:

* `lines/*.jsonl`: one labelled line per row: `id`, `line` (verbatim, prefixes included),
  `category` (TAXONOMY.md; `not_an_error` for negatives), `expected_group` (the masked form),
  `tool`, `platform`, `stage`, `source` (provenance).
* `logs/<shard>/*.log` with `logs/labels/<shard>.jsonl`: one row per log: `file` (relative to
  `logs/`), `category` (the primary error's category), `primary_line` (1-based), `tool`,
  `platform`, `source`.

A malformed row (bad JSON, a missing field, an unknown category, a missing log file, a source in a
reserved repository) fails loading with one line naming the file and row (CorpusError).

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
    primary_line: int  # 1-based; 0 when unknown (the development set labels the category only)
    tool: str
    platform: str
    source: str

    @property
    def split(self) -> Split:
        return split_of(self.source)

    def text(self) -> str:
        return self.path.read_text(encoding="utf-8", errors="replace")


class CorpusError(ValueError):
    """A malformed corpus row; the message is one line: `FILE:LINE: problem`."""


_LINE_FIELDS = ("id", "line", "category", "source")
_LOG_FIELDS = ("file", "category", "primary_line", "source")


def _rows(path: Path) -> Iterator[tuple[int, dict]]:
    with path.open(encoding="utf-8") as fh:
        for n, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            try:
                row = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise CorpusError(f"{path}:{n}: invalid JSON: {exc.msg}") from None
            if not isinstance(row, dict):
                raise CorpusError(f"{path}:{n}: expected a JSON object")
            yield n, row


def _check(row: dict, fields: tuple[str, ...], where: str) -> None:
    from bloqr_dagster.build_errors.detectors.model import CATEGORIES

    for field in fields:
        if field not in row:
            raise CorpusError(f"{where}: missing field {field!r}")
        if field != "primary_line" and (not isinstance(row[field], str) or not row[field]):
            raise CorpusError(f"{where}: {field}: expected a non-empty string")
    if row["category"] not in CATEGORIES and row["category"] != "not_an_error":
        raise CorpusError(f"{where}: category: unknown category {row['category']!r}")
    repository = repository_of(row["source"])
    if repository is not None and repository in RESERVED_REPOSITORIES:
        raise CorpusError(f"{where}: source: {repository} is reserved for independent evaluation")
    for field in ("expected_group", "tool", "platform", "stage"):
        if row.get(field) is not None and not isinstance(row[field], str):
            raise CorpusError(f"{where}: {field}: expected a string")


def load_lines(corpus: Path, split: Split | None = None) -> list[CorpusLine]:
    """Every labelled line, or only those of one split. A malformed row raises CorpusError."""
    out = []
    for path in sorted((corpus / "lines").glob("*.jsonl")):
        for n, row in _rows(path):
            _check(row, _LINE_FIELDS, f"{path}:{n}")
            item = CorpusLine(id=row["id"], line=row["line"], category=row["category"],
                              expected_group=row.get("expected_group") or "", tool=row.get("tool") or "",
                              platform=row.get("platform") or "", stage=row.get("stage"), source=row["source"])
            if split is None or item.split == split:
                out.append(item)
    return out


def load_logs(corpus: Path, split: Split | None = None) -> list[CorpusLog]:
    """Every labelled whole log, or only those of one split. A malformed row raises CorpusError."""
    out = []
    for labels in sorted((corpus / "logs" / "labels").glob("*.jsonl")):
        for n, row in _rows(labels):
            where = f"{labels}:{n}"
            _check(row, _LOG_FIELDS, where)
            line = row["primary_line"]
            if not isinstance(line, int) or isinstance(line, bool) or line < 1:
                raise CorpusError(f"{where}: primary_line: expected a line number >= 1, got {line!r}")
            path = corpus / "logs" / row["file"]
            if ".." in Path(row["file"]).parts or Path(row["file"]).is_absolute():
                raise CorpusError(f"{where}: file: must be a path inside logs/, got {row['file']!r}")
            if not path.is_file():
                raise CorpusError(f"{where}: file: {row['file']!r} not found under {corpus / 'logs'}")
            item = CorpusLog(path=path, category=row["category"], primary_line=line, tool=row.get("tool") or "",
                             platform=row.get("platform") or "", source=row["source"])
            if split is None or item.split == split:
                out.append(item)
    return out


def load_dev_lines(buildlogs: Path) -> list[CorpusLine]:
    """The development set's labelled lines (shared/buildlogs/dev_lines.jsonl) as corpus lines."""
    out = []
    path = buildlogs / "dev_lines.jsonl"
    for n, row in _rows(path):
        _check(row, _LINE_FIELDS, f"{path}:{n}")
        out.append(CorpusLine(id=row["id"], line=row["line"], category=row["category"],
                              expected_group=row.get("expected_group_hint") or "", tool=row.get("tool") or "",
                              platform="", stage=row.get("stage"), source=row["source"]))
    return out


def load_dev_logs(buildlogs: Path) -> list[CorpusLog]:
    """The development set's whole logs (shared/buildlogs/dev_logs/, primary category only: line 0)."""
    labels = json.loads((buildlogs / "dev_logs" / "labels.json").read_text(encoding="utf-8"))
    return [CorpusLog(path=buildlogs / "dev_logs" / name, category=category, primary_line=0, tool="", platform="",
                      source=f"shared/buildlogs/dev_logs/{name}") for name, category in sorted(labels.items())]
