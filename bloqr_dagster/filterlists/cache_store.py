"""The compiled-list cache: gzip objects addressed by the SHA-256 of their rules, and an index.

Layout under the cache directory (settings.Paths.cache_dir):

    objects/<aa>/<sha256>.txt.gz   the compiled rules (the lines after the main header), gzip
    index.sqlite                   one row per compile: configuration name and fingerprint, cache
                                   key, rule count, sizes, compiled_at, header, source versions

The rules alone are content-addressed, so configurations that produce the same rules share one
object; each index row keeps its own header, and `read_text` joins the two back into exactly what
the compiler returned. An entry is fresh for a configuration when the fingerprint (every nested
field, source URLs included) and the content hash of every source are unchanged.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from bloqr_dagster.errors import BloqrError
from bloqr_dagster.filterlists import statedb
from bloqr_dagster.filterlists.model import CompileConfig, CompileResult, LoadedSource

_SCHEMA = """
CREATE TABLE IF NOT EXISTS cache_entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    config_name TEXT NOT NULL, fingerprint TEXT NOT NULL, cache_key TEXT NOT NULL,
    rule_count INTEGER NOT NULL, raw_bytes INTEGER NOT NULL, compressed_bytes INTEGER NOT NULL,
    compiled_at TEXT NOT NULL, header TEXT NOT NULL, source_versions TEXT NOT NULL,
    hits INTEGER NOT NULL DEFAULT 0, last_hit_at TEXT);
CREATE INDEX IF NOT EXISTS cache_entries_by_name ON cache_entries (config_name, id);
"""


@dataclass(frozen=True)
class SourceVersion:
    """What identifies the content a source had when a list was compiled."""

    source: str
    content_sha256: str  # over the pre-processed lines (includes inlined)
    etag: str | None = None
    last_modified: str | None = None
    raw_sha256: str | None = None  # over the downloaded bytes, when they include nothing else
    rule_count: int | None = None  # rules in the pre-processed source (before transformations)

    @classmethod
    def of(cls, loaded: LoadedSource, raw_sha256: str | None = None,
           rule_count: int | None = None) -> SourceVersion:
        digest = hashlib.sha256("\n".join(loaded.lines).encode("utf-8", "surrogatepass")).hexdigest()
        return cls(loaded.source, digest, loaded.etag, loaded.last_modified, raw_sha256, rule_count)


def source_versions(loaded: Iterable[LoadedSource]) -> tuple[SourceVersion, ...]:
    return tuple(sorted((SourceVersion.of(x) for x in loaded), key=lambda v: v.source))


@dataclass(frozen=True)
class CacheEntry:
    id: int
    config_name: str
    fingerprint: str
    cache_key: str
    rule_count: int
    raw_bytes: int
    compressed_bytes: int
    compiled_at: datetime
    header: str
    source_versions: tuple[SourceVersion, ...]
    hits: int = 0
    last_hit_at: datetime | None = None

    def as_metadata(self) -> dict[str, object]:
        return {
            "config_name": self.config_name, "cache_key": self.cache_key, "fingerprint": self.fingerprint,
            "rule_count": self.rule_count, "raw_bytes": self.raw_bytes,
            "compressed_bytes": self.compressed_bytes, "compiled_at": self.compiled_at.isoformat(),
        }


def config_key(name: str) -> str:
    """The cache name of a configuration: its name lower-cased, other characters -> '_'."""
    return re.sub(r"[^a-z0-9_\-]+", "_", name.strip().lower()).strip("_") or "unnamed"


def rules_body(result: CompileResult) -> tuple[str, str]:
    """(header, body): the main header lines and the compiled rules the cache key is taken over."""
    return "\n".join(result.lines[: result.header_lines]), "\n".join(result.lines[result.header_lines:])


class CompiledCache:
    def __init__(self, cache_dir: Path, index_db: Path | None = None) -> None:
        self.cache_dir = Path(cache_dir)
        self.index_db = Path(index_db) if index_db else self.cache_dir / "index.sqlite"

    def object_path(self, cache_key: str) -> Path:
        return self.cache_dir / "objects" / cache_key[:2] / f"{cache_key}.txt.gz"

    # writing ---------------------------------------------------------------------------------
    def store_result(self, config: CompileConfig, result: CompileResult, config_name: str | None = None,
                     versions: Sequence[SourceVersion] = ()) -> CacheEntry:
        header, body = rules_body(result)
        return self.store(config_name or config.name, config.fingerprint(), result.cache_key,
                          result.rule_count, header, body, versions)

    def store(self, config_name: str, fingerprint: str, cache_key: str, rule_count: int, header: str,
              body: str, versions: Sequence[SourceVersion] = ()) -> CacheEntry:
        """Write the object (unless that key is already stored) and append an index row."""
        data = body.encode("utf-8", "surrogatepass")
        if hashlib.sha256(data).hexdigest() != cache_key:
            raise BloqrError(f"cache: key {cache_key[:12]}... is not the SHA-256 of the rules being stored")
        target = self.object_path(cache_key)
        if not target.exists():
            _atomic_write(target, gzip.compress(data, compresslevel=6, mtime=0))
        compiled_at = datetime.now(UTC)
        with statedb.connect(self.index_db, _SCHEMA) as conn:
            cur = conn.execute(
                "INSERT INTO cache_entries (config_name, fingerprint, cache_key, rule_count, raw_bytes, "
                "compressed_bytes, compiled_at, header, source_versions) VALUES (?,?,?,?,?,?,?,?,?)",
                (config_name, fingerprint, cache_key, rule_count, len(data), target.stat().st_size,
                 compiled_at.isoformat(), header, json.dumps([asdict(v) for v in versions])))
            row = conn.execute("SELECT * FROM cache_entries WHERE id=?", (cur.lastrowid,)).fetchone()
        return _entry(row)

    def record_hit(self, entry: CacheEntry) -> None:
        with statedb.connect(self.index_db, _SCHEMA) as conn:
            conn.execute("UPDATE cache_entries SET hits = hits + 1, last_hit_at = ? WHERE id = ?",
                         (datetime.now(UTC).isoformat(), entry.id))

    # reading ---------------------------------------------------------------------------------
    def latest(self, config_name: str) -> CacheEntry | None:
        with statedb.connect(self.index_db, _SCHEMA) as conn:
            row = conn.execute("SELECT * FROM cache_entries WHERE config_name=? ORDER BY id DESC LIMIT 1",
                               (config_name,)).fetchone()
        return _entry(row) if row else None

    def lookup(self, config_name: str, fingerprint: str,
               versions: Sequence[SourceVersion]) -> CacheEntry | None:
        """The latest entry still valid for this configuration and these source contents."""
        entry = self.latest(config_name)
        if entry is None or entry.fingerprint != fingerprint or not self.object_path(entry.cache_key).exists():
            return None
        wanted = {(v.source, v.content_sha256) for v in versions}
        have = {(v.source, v.content_sha256) for v in entry.source_versions}
        return entry if wanted == have else None

    def list_latest(self) -> list[CacheEntry]:
        """The latest entry of every configuration, by name."""
        with statedb.connect(self.index_db, _SCHEMA) as conn:
            rows = conn.execute(
                "SELECT * FROM cache_entries WHERE id IN (SELECT MAX(id) FROM cache_entries "
                "GROUP BY config_name) ORDER BY config_name").fetchall()
        return [_entry(r) for r in rows]

    def read_text(self, entry: CacheEntry) -> str:
        """The compiled list as the compiler returned it (header and rules)."""
        path = self.object_path(entry.cache_key)
        try:
            body = gzip.decompress(path.read_bytes()).decode("utf-8", "surrogatepass")
        except FileNotFoundError:
            raise BloqrError(f"cache: object {entry.cache_key[:12]}... of {entry.config_name!r} is missing "
                             f"({path})") from None
        return f"{entry.header}\n{body}" if entry.header else body

    def write_latest(self, config_name: str, out: Path) -> CacheEntry:
        """Write the latest compiled list of a configuration to `out` atomically."""
        entry = self.latest(config_name)
        if entry is None:
            known = ", ".join(e.config_name for e in self.list_latest()) or "none cached yet"
            raise BloqrError(f"no compiled list cached for configuration {config_name!r} (known: {known})")
        _atomic_write(Path(out), self.read_text(entry).encode("utf-8", "surrogatepass"))
        return entry


def _entry(row) -> CacheEntry:  # noqa: ANN001 - sqlite3.Row
    versions = tuple(SourceVersion(**v) for v in json.loads(row["source_versions"]))
    return CacheEntry(
        id=row["id"], config_name=row["config_name"], fingerprint=row["fingerprint"],
        cache_key=row["cache_key"], rule_count=row["rule_count"], raw_bytes=row["raw_bytes"],
        compressed_bytes=row["compressed_bytes"], compiled_at=datetime.fromisoformat(row["compiled_at"]),
        header=row["header"], source_versions=versions, hits=row["hits"],
        last_hit_at=datetime.fromisoformat(row["last_hit_at"]) if row["last_hit_at"] else None)


def _atomic_write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
