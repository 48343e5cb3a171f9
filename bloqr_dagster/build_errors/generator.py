"""Synthetic Workers Builds / Pages build logs, with planted private values, for demos and benchmarks.

`iter_builds` yields builds one by one (deterministic for a seed and start id); `generate` writes
them into a build store in batches of one transaction each and returns a GenerationReport.

Every log follows the platform's steps (initialise, clone, detect tools, install, build, deploy)
and ends with the platform's closing `Success:` / `Failed:` lines. Failures are spread over every
category of the build-failure taxonomy with the failed stage that category implies; about a tenth
use invented tools and messages that no rule knows. Private values (account ids, emails, API
tokens, IPv4/IPv6 addresses, home-directory paths, Worker names) are placed where real logs leak
them, including inside error lines, and each placement is recorded as a `Planted`.
"""

from __future__ import annotations

import bisect
import json
import math
import os
import random
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bloqr_dagster.build_errors.stores.base import Build, BuildStore, PackedLog, from_us, to_us
from bloqr_dagster.build_errors.synth import steps
from bloqr_dagster.build_errors.synth import vocab as V
from bloqr_dagster.build_errors.synth.failures import CATEGORIES, Category
from bloqr_dagster.build_errors.synth.log import LogWriter, Project

DEFAULT_START = datetime(2026, 10, 1, tzinfo=UTC)
PROJECTS = 3000  # size of the simulated customer base; popular projects build more often
CANCEL_RATE = 0.03
FAILURE_RATE = 0.27  # mean share of failed builds; it swings by weekday so per-day trends show
PRIVATE_KINDS = ("account_id", "email", "api_token", "ipv4", "ipv6", "user_path", "worker_name")


@dataclass(frozen=True, slots=True)
class Planted:
    build_id: int
    line_no: int
    kind: str  # one of PRIVATE_KINDS
    value: str


@dataclass(slots=True)
class GeneratedBuild:
    build: Build
    log: PackedLog
    planted: list[Planted]
    category: str | None  # the root cause written into the log ("novel" for invented tools)


@dataclass
class GenerationReport:
    builds: int = 0
    failed: int = 0
    canceled: int = 0
    lines: int = 0
    planted: list[Planted] = field(default_factory=list)
    seconds: float = 0.0
    first_id: int | None = None
    last_id: int | None = None
    categories: dict[str, int] = field(default_factory=dict)

    @property
    def builds_per_second(self) -> float:
        return self.builds / self.seconds if self.seconds > 0 else 0.0


class _Population:
    """Projects made on first use from their own seed, so a project looks the same in every batch."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.projects: dict[int, Project] = {}

    def get(self, index: int) -> Project:
        project = self.projects.get(index)
        if project is None:
            project = self.projects[index] = self._make(index)
        return project

    def _make(self, index: int) -> Project:
        account = index * 5 // 8  # about 1.6 projects per account
        arng = random.Random(f"account:{self.seed}:{account}")
        first, last = arng.choice(V.FIRST_NAMES), arng.choice(V.LAST_NAMES)
        email = f"{first}.{last}{arng.randint(1, 99)}@{arng.choice(V.MAIL_DOMAINS)}"
        user = arng.choice((first, f"{first}{last[0]}", f"{first[0]}{last}"))
        subdomain = f"{first}-{last}" if arng.random() < 0.5 else f"{arng.choice(V.WORD_A)}{arng.randint(1, 999)}"
        account_id = f"{arng.getrandbits(128):032x}"
        ansi = arng.random() < 0.2
        rng = random.Random(f"project:{self.seed}:{index}")
        worker = f"{rng.choice(V.WORD_A)}-{rng.choice(V.WORD_B)}{rng.choice(V.SUFFIXES)}"
        pm = rng.choices(V.PACKAGE_MANAGERS, weights=(55, 25, 10, 10))[0]
        return Project(
            account_id=account_id,
            project_id=str(_uuid(rng)),
            platform="workers" if rng.random() < 0.6 else "pages",
            worker=worker,
            subdomain=subdomain,
            owner=f"{first}{last[:3]}" if rng.random() < 0.7 else f"{rng.choice(V.WORD_A)}-labs",
            repo=worker,
            pm=pm,
            pm_version=rng.choice(V.PM_VERSIONS[pm]),
            framework=rng.choices(V.FRAMEWORKS, weights=(30, 25, 15, 8, 8, 5, 6, 3))[0],
            node=rng.choices(V.NODE_VERSIONS, weights=(60, 12, 8, 8, 7, 5))[0],
            user=user,
            email=email,
            ansi=ansi,
        )


def _uuid(rng: random.Random) -> str:
    h = f"{rng.getrandbits(128):032x}"
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{h[16:20]}-{h[20:]}"


def _cumulative(categories: tuple[Category, ...], boost: dict[str, float]) -> list[float]:
    total, out = 0.0, []
    for c in categories:
        total += c.weight * boost.get(c.name, 1.0)
        out.append(total)
    return [x / total for x in out]


_NORMAL = _cumulative(CATEGORIES, {})
# Some days a registry or toolchain change makes one kind of failure spike.
_SPIKES = [_cumulative(CATEGORIES, {"lockfile_out_of_sync": 3.0}),
           _cumulative(CATEGORIES, {"node_version_mismatch": 4.0}),
           _cumulative(CATEGORIES, {"auth_error": 5.0, "wrangler_error": 1.5})]


def _pick_stage(rng: random.Random, category: Category) -> str:
    if len(category.stages) == 1:
        return category.stages[0][0]
    roll, acc = rng.random() * sum(w for _, w in category.stages), 0.0
    for stage, weight in category.stages:
        acc += weight
        if roll < acc:
            return stage
    return category.stages[-1][0]


def _close_failure(w: LogWriter, stage: str, category: str, code: int) -> None:
    pages = w.p.platform == "pages"
    w.wait(0.05, 1.5)
    if category == "platform_internal_error":
        w.add("Failed: an internal error occurred")
        w.add(f"If this continues, contact support: https://cfl.re/{V.token(w.rng, 7)}")
    elif stage == "timeout":
        w.add("Failed: build exceeded the time limit of 20 minutes" if not pages
              else "Failed: build timed out after 20 minutes")
    elif stage == "clone":
        w.add("Failed: error occurred while cloning repository")
    elif stage == "install" and not pages:
        w.add("Failed: error occurred while installing tools or dependencies")
    elif stage in ("install", "build") and pages:
        if stage == "install":
            w.block([f"Error: Exit with error code: {code}", "    at ChildProcess.<anonymous> (/snapshot/dist/run-build.js)",
                     "    at Object.onceWrapper (node:events:652:26)", "    at ChildProcess.emit (node:events:537:28)",
                     "    at ChildProcess._handle.onexit (node:internal/child_process:291:12)"])
        else:
            w.add(f"Failed: Error while executing user command. Exited with error code: {code}")
        w.add(f"Failed: build command exited with code: {code if stage == 'build' else 1}")
        w.wait(0.5, 2)
        w.add("Failed: error occurred while running build command")
    elif stage == "build":
        w.add("Failed: error occurred while running build command")
    else:
        w.add("Failed: error occurred while publishing your site" if pages
              else "Failed: error occurred while running deploy command")


def _write_log(w: LogWriter, status: str, category: Category | None, stage: str | None) -> None:
    """Walk the platform steps; stop where the build fails (or is canceled at `stage`)."""
    name = category.name if category else None
    steps.initialize(w)
    if stage == "initialization":
        _close_failure(w, stage, name or "", 1)
        return
    order = ("clone", "install", "build", "deploy")
    for step in order:
        if status == "canceled" and step == stage:
            w.wait(1, 60)
            w.add("Canceled: build was canceled")
            return
        if step == "clone":
            steps.clone_start(w)
            if stage == "clone" and category:
                _close_failure(w, stage, name, category.write(w, stage))
                return
            steps.clone_rest(w)
            steps.wrangler_config(w)
            steps.tools(w)
        elif step == "install":
            if stage == "install" and name == "python_version_error":
                _close_failure(w, stage, name, category.write(w, stage))
                return
            steps.install_start(w)
            if stage == "install" and category:
                _close_failure(w, stage, name, category.write(w, stage))
                return
            steps.install_rest(w)
        elif step == "build":
            steps.build_start(w)
            if stage in ("build", "timeout") and category:
                _close_failure(w, stage, name, category.write(w, stage))
                return
            steps.build_rest(w)
        else:
            steps.deploy_start(w)
            if stage == "deploy" and category:
                _close_failure(w, stage, name, category.write(w, stage))
                return
            steps.deploy_rest(w)
    if stage == "health_check" and category:
        w.wait(5, 30)
        _close_failure(w, stage, name, 1)


CHUNK = 1000  # builds drawn from one random stream; chunks are independent of each other


def iter_builds(n_builds: int | None, *, seed: int = 0, start_id: int = 1, start_time: datetime | None = None,
                days: float = 30.0, n_projects: int = PROJECTS, spikes: bool = True) -> Iterator[GeneratedBuild]:
    """Yield `n_builds` builds (endlessly when None) with ids start_id, start_id+1, ...

    With spikes (the default) every ninth day one failure category spikes (see _SPIKES); without,
    every day draws from the same mix: a quiet corpus, on which the regression radar must stay silent.

    created_at grows with the build id: n_builds spread over `days` (when n_builds is None, 10,000
    builds per `days`). The same arguments always yield the same builds. Each chunk of CHUNK
    builds has its own random stream keyed by (seed, its first id), so chunks can be made apart.
    """
    if n_builds is not None and n_builds < 0:
        raise ValueError(f"n_builds must not be negative, got {n_builds}")
    if start_id < 0:
        raise ValueError(f"start_id must not be negative, got {start_id}")
    if days <= 0:
        raise ValueError(f"days must be positive, got {days}")
    for spec in _chunk_specs(n_builds, seed, start_id, start_time, days, n_projects, spikes):
        yield from _chunk(_population(seed), *spec)


def _chunk_specs(n_builds: int | None, seed: int, start_id: int, start_time: datetime | None, days: float,
                 n_projects: int, spikes: bool = True) -> Iterator[tuple]:
    start_us = to_us(start_time or DEFAULT_START)
    step_us = days * 86_400e6 / (n_builds or 10_000)
    offset = 0
    while n_builds is None or offset < n_builds:
        count = CHUNK if n_builds is None else min(CHUNK, n_builds - offset)
        yield (seed, start_id, offset, count, start_us, step_us, n_projects, spikes)
        offset += count


_POPULATIONS: dict[int, _Population] = {}


def _population(seed: int) -> _Population:
    population = _POPULATIONS.get(seed)
    if population is None:
        _POPULATIONS.clear()  # one seed at a time is plenty; keeps memory bounded
        population = _POPULATIONS[seed] = _Population(seed)
    return population


def _chunk_list(spec: tuple) -> list[GeneratedBuild]:
    """One chunk, materialised: the unit of work of a generator worker process."""
    return list(_chunk(_population(spec[0]), *spec))


def _chunk(population: _Population, seed: int, start_id: int, offset: int, count: int, start_us: int,
           step_us: float, n_projects: int, spikes: bool = True) -> Iterator[GeneratedBuild]:
    rng = random.Random(f"builds:{seed}:{start_id + offset}")
    r = rng.random
    for i in range(offset, offset + count):
        build_id = start_id + i
        created_us = start_us + int((i + r()) * step_us)
        day = int((created_us - start_us) // 86_400_000_000)
        project = population.get(int(n_projects * r() ** 2.2))
        fail_rate = FAILURE_RATE + 0.06 * math.sin(day * 2 * math.pi / 7)
        roll = r()
        category: Category | None = None
        stage: str | None = None
        if roll < CANCEL_RATE:
            status = "canceled"
            stage = rng.choice(("clone", "install", "install", "build", "build", "build", "deploy"))
        elif roll < CANCEL_RATE + fail_rate:
            status = "failure"
            table = _SPIKES[(day // 9) % len(_SPIKES)] if spikes and day % 9 == 4 else _NORMAL
            category = CATEGORIES[bisect.bisect_right(table, r())]
            stage = _pick_stage(rng, category)
        else:
            status = "success"
        w = LogWriter(rng, project, created_us + int(r() * 20_000_000) + 300_000)
        _write_log(w, status, category, stage)
        if category is not None and category.name == "platform_internal_error" and r() < 0.5:
            stopped = None  # the platform lost the build: never marked stopped
        else:
            stopped = from_us(w.t + int(r() * 2_000_000))
        build = Build(build_id, project.account_id, project.project_id, status,
                      stage if status == "failure" else None, from_us(created_us), stopped)
        planted = [Planted(build_id, ln, kind, value) for ln, kind, value in w.planted]
        yield GeneratedBuild(build, PackedLog(w.msgs, w.ts), planted, category.name if category else None)


def last_created_at(store: BuildStore) -> tuple[int | None, datetime | None]:
    max_id = store.max_build_id()
    if max_id is None:
        return None, None
    latest = next(iter(store.builds_in_range(max_id, max_id)), None)
    return max_id, latest.created_at if latest else None


def generate(store: BuildStore, n_builds: int, *, seed: int = 0, start_id: int | None = None, days: float = 30.0,
             start_time: datetime | None = None, batch_size: int = 2000, keep_planted: bool = True,
             planted_out: str | Path | None = None, processes: int = 1,
             on_batch: Callable[[int], None] | None = None, spikes: bool = True) -> GenerationReport:
    """Generate `n_builds` builds into `store`, one transaction per batch.

    With processes > 1, worker processes make the logs while this process writes them; the
    corpus is the same for any number of processes.

    start_id defaults to max_build_id + 1 (1 for an empty store); start_time defaults to just after
    the newest stored build (DEFAULT_START for an empty store), so appended builds continue the
    timeline. Planted values are kept in the report (keep_planted) and/or written as JSON lines to
    `planted_out` (atomically, when generation finishes).
    """
    if n_builds < 0:
        raise ValueError(f"n_builds must not be negative, got {n_builds}")
    store.ensure_schema()
    max_id, newest = last_created_at(store)
    if start_id is None:
        start_id = (max_id or 0) + 1
    if start_time is None:
        start_time = (from_us(to_us(newest) + 60_000_000) if newest and newest >= DEFAULT_START
                      else DEFAULT_START)
    report = GenerationReport()
    out_tmp = None
    out_fh = None
    if planted_out is not None:
        target = Path(planted_out)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, out_tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        out_fh = os.fdopen(fd, "w", encoding="utf-8")
    started = time.perf_counter()
    try:
        batch: list[GeneratedBuild] = []
        for chunk in _generated_chunks(n_builds, seed, start_id, start_time, days, processes, spikes):
            batch.extend(chunk)
            if len(batch) >= batch_size:
                _flush(store, batch, report, keep_planted, out_fh, on_batch)
        if batch:
            _flush(store, batch, report, keep_planted, out_fh, on_batch)
        if out_fh is not None:
            out_fh.close()
            os.replace(out_tmp, planted_out)
            out_fh = None
    finally:
        if out_fh is not None:
            out_fh.close()
            Path(out_tmp).unlink(missing_ok=True)
    report.seconds = time.perf_counter() - started
    return report


def _generated_chunks(n_builds: int, seed: int, start_id: int, start_time: datetime, days: float,
                      processes: int, spikes: bool = True) -> Iterator[list[GeneratedBuild]]:
    specs = _chunk_specs(n_builds, seed, start_id, start_time, days, PROJECTS, spikes)
    if processes <= 1 or n_builds <= CHUNK:
        for spec in specs:
            yield _chunk_list(spec)
        return
    import multiprocessing

    # Never a bare fork: the caller may have threads (Dagster's, a test run's), and a child forked while
    # another thread holds a lock waits for it forever. forkserver forks from a fresh single-threaded server.
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    with multiprocessing.get_context(method).Pool(processes) as pool:
        yield from pool.imap(_chunk_list, specs)


def _flush(store: BuildStore, batch: list[GeneratedBuild], report: GenerationReport, keep_planted: bool,
           out_fh, on_batch: Callable[[int], None] | None) -> None:
    store.insert([g.build for g in batch], {g.build.build_id: g.log for g in batch})
    for g in batch:
        report.lines += len(g.log)
        if g.build.status == "failure":
            report.failed += 1
        elif g.build.status == "canceled":
            report.canceled += 1
        if g.category:
            report.categories[g.category] = report.categories.get(g.category, 0) + 1
        if keep_planted:
            report.planted.extend(g.planted)
        if out_fh is not None:
            for p in g.planted:
                out_fh.write(json.dumps({"build_id": p.build_id, "line_no": p.line_no, "kind": p.kind,
                                         "value": p.value}) + "\n")
    if report.first_id is None:
        report.first_id = batch[0].build.build_id
    report.last_id = batch[-1].build.build_id
    report.builds += len(batch)
    if on_batch:
        on_batch(len(batch))
    batch.clear()


def incident(store: BuildStore, n_builds: int, message: str, *, seed: int = 0, start_id: int | None = None,
             start_time: datetime | None = None, spread_seconds: float = 600.0) -> GenerationReport:
    """Plant an incident: `n_builds` builds that all fail in the build step on `message`.

    Like a broken build image or a registry outage: one error line the corpus has never seen,
    in many projects within `spread_seconds`. Ids and start time default to just after the newest
    stored build, as in `generate`. The regression radar's tests and latency benchmark use it.
    """
    if n_builds <= 0:
        raise ValueError(f"n_builds must be positive, got {n_builds}")
    if not message.strip() or "\n" in message:
        raise ValueError("message must be one non-empty line")
    store.ensure_schema()
    max_id, newest = last_created_at(store)
    first_id = (max_id or 0) + 1 if start_id is None else start_id
    start = start_time or (from_us(to_us(newest) + 1_000_000) if newest else DEFAULT_START)
    rng = random.Random(f"incident:{seed}:{first_id}")
    population = _population(seed)
    batch: list[GeneratedBuild] = []
    for i in range(n_builds):
        created_us = to_us(start) + int(spread_seconds * 1e6 * i / n_builds)
        project = population.get(int(PROJECTS * rng.random() ** 2.2))
        w = LogWriter(rng, project, created_us + 300_000)
        steps.initialize(w)
        steps.clone_start(w)
        steps.clone_rest(w)
        steps.tools(w)
        steps.install_start(w)
        steps.install_rest(w)
        steps.build_start(w)
        w.add(message)
        _close_failure(w, "build", "incident", 1)
        build = Build(first_id + i, project.account_id, project.project_id, "failure", "build",
                      from_us(created_us), from_us(w.t + 1_000_000))
        batch.append(GeneratedBuild(build, PackedLog(w.msgs, w.ts), [], "incident"))
    report = GenerationReport()
    started = time.perf_counter()
    _flush(store, batch, report, False, None, None)
    report.seconds = time.perf_counter() - started
    return report
