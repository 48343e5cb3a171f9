"""The work done for one build-ID range, as plain functions (no Dagster import).

The assets call these per range; benchmarks/backfill.py calls them directly to measure what the
same scan costs without Dagster.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.parquet as pq

from bloqr_dagster.build_errors import privacy
from bloqr_dagster.build_errors.ranges import BuildIdRange
from bloqr_dagster.build_errors.stores.base import Build, BuildStore
from bloqr_dagster.warehouse import lake

if TYPE_CHECKING:
    from bloqr_dagster.build_errors.detectors import RuleSet

UNCATEGORISED = "uncategorised"

# How far a build got, from where it failed. A timeout can strike in any step after the clone,
# so it counts as having reached install but not as having reached build or deploy.
_REACHED_INSTALL = {"install", "build", "deploy", "health_check", "timeout"}
_REACHED_BUILD_OR_DEPLOY = {"build", "deploy", "health_check"}


@dataclass
class DayStats:
    builds_started: int = 0
    attempted_install: int = 0
    attempted_build_or_deploy: int = 0
    marked_stopped: int = 0
    succeeded: int = 0
    failed: int = 0
    canceled: int = 0

    def add(self, build: Build) -> None:
        self.builds_started += 1
        self.marked_stopped += build.stopped_at is not None
        if build.status == "success":
            self.succeeded += 1
            self.attempted_install += 1
            self.attempted_build_or_deploy += 1
        elif build.status == "failure":
            self.failed += 1
            self.attempted_install += build.failed_stage in _REACHED_INSTALL
            self.attempted_build_or_deploy += build.failed_stage in _REACHED_BUILD_OR_DEPLOY
        else:  # canceled: we do not know how far it got
            self.canceled += 1


@dataclass
class FailedBuildsResult:
    failed_builds: int
    builds: int
    days: int
    by_stage: dict[str, int]


def write_failed_builds(store: BuildStore, rng: BuildIdRange, lake_dir: Path) -> FailedBuildsResult:
    """Write the range's `failed_builds` and `build_stats` lake files (each replaced whole).

    One pass over the range's builds feeds both files; the store counts log lines without
    reading the logs (categorize_range is the one pass that reads them).
    """
    line_counts = store.failed_log_line_counts(rng.start, rng.end)
    cols: dict[str, list] = {name: [] for name in lake.TABLES["failed_builds"].schema.names}
    stages: Counter[str] = Counter()
    per_day: dict[date, DayStats] = {}
    total = 0
    for b in store.builds_in_range(rng.start, rng.end):
        total += 1
        per_day.setdefault(b.created_at.date(), DayStats()).add(b)
        if b.status != "failure":
            continue
        cols["build_id"].append(b.build_id)
        cols["project_id"].append(b.project_id)
        cols["failed_stage"].append(b.failed_stage)
        cols["created_at"].append(b.created_at)
        cols["stopped_at"].append(b.stopped_at)
        cols["log_lines"].append(line_counts.get(b.build_id, 0))
        stages[b.failed_stage or "unknown"] += 1
    stats = [{"day": day, **vars(day_stats)} for day, day_stats in sorted(per_day.items())]
    lake.write_file(lake_dir, "failed_builds", rng.key,
                    pa.table(cols, schema=lake.TABLES["failed_builds"].schema))
    lake.write_file(lake_dir, "build_stats", rng.key, stats)
    return FailedBuildsResult(len(cols["build_id"]), total, len(stats), dict(stages.most_common()))


def read_failed_builds(lake_dir: Path, rng: BuildIdRange) -> dict[int, datetime]:
    """build_id -> created_at from the range's failed_builds lake file (empty when missing)."""
    path = lake.table_dir(lake_dir, "failed_builds") / f"{rng.key}.parquet"
    if not path.exists():
        return {}
    table = pq.read_table(path, columns=["build_id", "created_at"])
    return dict(zip(table.column("build_id").to_pylist(), table.column("created_at").to_pylist(),
                    strict=True))


@dataclass
class CategorizeResult:
    failed_builds: int
    errors: int
    categorised: int
    rules_version: str
    top_groups: list[tuple[str, str, int]] = field(default_factory=list)  # code, group, builds

    @property
    def coverage(self) -> float:
        return self.categorised / self.failed_builds if self.failed_builds else 1.0


def categorize_range(store: BuildStore, rng: BuildIdRange, failed: dict[int, datetime],
                     lake_dir: Path, rules: RuleSet | None = None) -> CategorizeResult:
    """Diagnose every failed build of `failed` and replace the range's `build_errors` file.

    Rows: one per detected error (is_primary false) and exactly one is_primary row per failed
    build, holding its primary error or `uncategorised`. Logs of builds not in `failed` (they
    failed after the failed_builds file was written) are skipped, so the two files agree.
    """
    from bloqr_dagster.build_errors.detectors import default_rules, diagnose

    rules = rules or default_rules()  # its version (built-in + user-rules hash) goes on every row

    schema = lake.TABLES["build_errors"].schema
    cols: dict[str, list] = {name: [] for name in schema.names}
    build_id_c, created_c, line_c = cols["build_id"], cols["created_at"], cols["line_no"]
    code_c, group_c, tool_c = cols["error_code"], cols["error_group"], cols["tool"]
    sample_c, primary_c = cols["sample_line"], cols["is_primary"]

    def add(build_id: int, created: datetime, hit, is_primary: bool) -> None:
        build_id_c.append(build_id)
        created_c.append(created)
        primary_c.append(is_primary)
        if hit is None:
            line_c.append(None)
            code_c.append(UNCATEGORISED)
            group_c.append(None)
            tool_c.append(None)
            sample_c.append(None)
        else:
            line_c.append(hit.line_no)
            code_c.append(hit.error_code)
            group_c.append(hit.error_group)
            tool_c.append(hit.tool)
            sample_c.append(hit.sample_line)

    groups: Counter[tuple[str, str]] = Counter()
    errors = categorised = 0
    seen: set[int] = set()
    for build_id, text in store.stream_logs(rng.start, rng.end):
        created = failed.get(build_id)
        if created is None:
            continue
        seen.add(build_id)
        diagnosis = diagnose(text, rules)
        hits = {(h.line_no, h.error_code): h for h in diagnosis.errors}  # one row per line and code
        for hit in hits.values():
            add(build_id, created, hit, False)
        errors += len(hits)
        add(build_id, created, diagnosis.primary, True)
        if diagnosis.primary is not None:
            categorised += 1
            groups[(diagnosis.primary.error_code, diagnosis.primary.error_group)] += 1
    for build_id in sorted(failed.keys() - seen):  # failed builds without a log
        add(build_id, failed[build_id], None, True)
    cols["rules_version"] = [rules.version] * len(build_id_c)
    refuse_private_rows(rng.key, build_id_c, group_c, sample_c)
    table = pa.table(cols, schema=schema).sort_by([("build_id", "ascending")])
    lake.write_file(lake_dir, "build_errors", rng.key, table)
    top = [(code, group, n) for (code, group), n in groups.most_common(10)]
    return CategorizeResult(len(failed), errors, categorised, rules.version, top)


def refuse_private_rows(key: str, build_ids: list[int], groups: list[str | None],
                        samples: list[str | None]) -> None:
    """Raise PrivateValueError, naming the build, the column and the kind of value (never the value),
    when a row about to be written holds a private value the masking missed: the range is then not
    published at all (its previous file, if any, stays)."""
    rows = ((b, column, v) for column, values in (("error_group", groups), ("sample_line", samples))
            for b, v in zip(build_ids, values, strict=True))
    found = privacy.first_private(rows)
    if found is not None:
        build_id, column, kind = found
        raise privacy.PrivateValueError(f"range {key}: build {build_id}: {column} holds a private value "
                                        f"({kind}); the range was not published")


def failed_builds_from_store(store: BuildStore, rng: BuildIdRange) -> dict[int, datetime]:
    """build_id -> created_at straight from the store (the library-only path)."""
    return {b.build_id: b.created_at for page in store.failed_builds(rng.start, rng.end) for b in page}
