"""The sources and named configurations the workflows know, kept in the state database.

Each source is a `raw_filter_lists` partition and each configuration a `compiled_filter_lists`
partition; the partition key maps to the URL (or path) and the configuration JSON here. The
defaults (defaults.py) are seeded on first use; more can be added at run time.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bloqr_dagster.errors import BloqrError
from bloqr_dagster.filterlists import statedb
from bloqr_dagster.filterlists.defaults import DEFAULT_SOURCES, POPULAR_CONFIGS, SourceSpec

_SCHEMA = """
CREATE TABLE IF NOT EXISTS filter_sources (
    key TEXT PRIMARY KEY, name TEXT NOT NULL, url TEXT NOT NULL, type TEXT NOT NULL,
    min_rules INTEGER NOT NULL, added_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS filter_configs (
    name TEXT PRIMARY KEY, config_json TEXT NOT NULL, added_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS registry_seeded (what TEXT PRIMARY KEY);
"""
KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_\-]{0,63}$")


def check_key(key: str, what: str) -> str:
    if not KEY_PATTERN.match(key):
        raise BloqrError(f"{what} {key!r}: use 1-64 lowercase letters, digits, '_' or '-'")
    return key


@dataclass(frozen=True)
class Registry:
    db: Path

    def _conn(self):  # noqa: ANN202 - a context manager
        return statedb.connect(self.db, _SCHEMA)

    def seed_defaults(self) -> None:
        """Insert the default sources and popular configurations once; later removals stick."""
        now = _now()
        with self._conn() as conn:
            if not conn.execute("SELECT 1 FROM registry_seeded WHERE what='defaults'").fetchone():
                conn.executemany(
                    "INSERT OR IGNORE INTO filter_sources VALUES (?,?,?,?,?,?)",
                    [(s.key, s.name, s.url, s.type, s.min_rules, now) for s in DEFAULT_SOURCES])
                conn.executemany(
                    "INSERT OR IGNORE INTO filter_configs VALUES (?,?,?)",
                    [(k, json.dumps(v), now) for k, v in POPULAR_CONFIGS.items()])
                conn.execute("INSERT INTO registry_seeded VALUES ('defaults')")

    # sources -----------------------------------------------------------------------------
    def add_source(self, spec: SourceSpec) -> None:
        check_key(spec.key, "source key")
        if spec.type not in ("adblock", "hosts"):
            raise BloqrError(f"source {spec.key!r}: type must be 'adblock' or 'hosts', got {spec.type!r}")
        if not spec.url:
            raise BloqrError(f"source {spec.key!r}: url is empty")
        with self._conn() as conn:
            conn.execute(
                "INSERT INTO filter_sources VALUES (?,?,?,?,?,?) ON CONFLICT(key) DO UPDATE SET "
                "name=excluded.name, url=excluded.url, type=excluded.type, min_rules=excluded.min_rules",
                (spec.key, spec.name, spec.url, spec.type, spec.min_rules, _now()))

    def remove_source(self, key: str) -> bool:
        with self._conn() as conn:
            return conn.execute("DELETE FROM filter_sources WHERE key=?", (key,)).rowcount > 0

    def sources(self) -> list[SourceSpec]:
        with self._conn() as conn:
            rows = conn.execute("SELECT * FROM filter_sources ORDER BY rowid").fetchall()
        return [SourceSpec(r["key"], r["name"], r["url"], r["type"], r["min_rules"]) for r in rows]

    def source(self, key: str) -> SourceSpec:
        for spec in self.sources():
            if spec.key == key:
                return spec
        raise BloqrError(f"unknown source {key!r} (known: {', '.join(s.key for s in self.sources())})")

    # configurations ------------------------------------------------------------------------
    def add_config(self, name: str, config: dict[str, Any]) -> None:
        """Register a configuration under a partition key (validated by the caller)."""
        check_key(name, "configuration key")
        with self._conn() as conn:
            conn.execute(
                "INSERT INTO filter_configs VALUES (?,?,?) ON CONFLICT(name) DO UPDATE SET "
                "config_json=excluded.config_json", (name, json.dumps(config), _now()))

    def remove_config(self, name: str) -> bool:
        with self._conn() as conn:
            return conn.execute("DELETE FROM filter_configs WHERE name=?", (name,)).rowcount > 0

    def configs(self) -> dict[str, dict[str, Any]]:
        with self._conn() as conn:
            rows = conn.execute("SELECT name, config_json FROM filter_configs ORDER BY rowid")
            return {r["name"]: json.loads(r["config_json"]) for r in rows.fetchall()}

    def config(self, name: str) -> dict[str, Any]:
        configs = self.configs()
        if name not in configs:
            raise BloqrError(f"unknown configuration {name!r} (known: {', '.join(configs) or 'none'})")
        return configs[name]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
