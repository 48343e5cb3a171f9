"""The synthetic build-log generator: realism of the corpus, determinism, planted private values."""

from __future__ import annotations

import json
import re
import statistics
from collections import Counter, defaultdict
from datetime import timedelta
from pathlib import Path

import pytest

from bloqr_dagster.build_errors.generator import PRIVATE_KINDS, generate, iter_builds
from bloqr_dagster.build_errors.stores import open_store
from bloqr_dagster.build_errors.synth.vocab import NOVEL_TOOLS

N = 8000

# Which failed_stage each category may have (from TAXONOMY.md's stage hints).
ALLOWED_STAGES = {
    "lockfile_out_of_sync": {"install"},
    "dependency_install_failed": {"install"},
    "python_version_error": {"install"},
    "node_version_mismatch": {"install", "build"},
    "missing_file": {"install", "build"},
    "module_not_found": {"build", "deploy"},
    "build_command_failed": {"build"},
    "typescript_error": {"build"},
    "lint_error": {"build"},
    "out_of_memory": {"build"},
    "command_not_found": {"build", "deploy"},
    "build_output_missing": {"build", "deploy"},
    "wrangler_error": {"deploy"},
    "auth_error": {"deploy"},
    "deploy_command_failed": {"deploy"},
    "clone_failed": {"clone"},
    "network_error": {"clone", "install", "build"},
    "timeout": {"timeout"},
    "platform_internal_error": {"initialization", "health_check"},
    "novel": {"build", "deploy"},
}


@pytest.fixture(scope="module")
def corpus():
    return list(iter_builds(N, seed=11))


def _failures(corpus):
    return [g for g in corpus if g.build.status == "failure"]


def test_same_seed_same_corpus_other_seed_other_corpus():
    def fingerprint(seed):
        return [(g.build, g.log.messages, g.log.ts_us, g.planted, g.category)
                for g in iter_builds(1500, seed=seed)]

    assert fingerprint(3) == fingerprint(3)
    assert fingerprint(3) != fingerprint(4)


def test_worker_processes_make_the_same_corpus(tmp_path):
    dumps = []
    for procs in (1, 2):
        with open_store(f"sqlite:///{tmp_path / f'{procs}.sqlite'}") as store:
            report = generate(store, 2500, seed=5, processes=procs)
            dumps.append((list(store.builds_in_range(0, 10**9)), list(store.stream_logs(0, 10**9, failed_only=False)),
                          report.planted))
    assert dumps[0] == dumps[1]


def test_statuses_have_realistic_shares(corpus):
    shares = Counter(g.build.status for g in corpus)
    assert 0.65 <= shares["success"] / N <= 0.76
    assert 0.01 <= shares["canceled"] / N <= 0.06
    assert 0.2 <= shares["failure"] / N <= 0.33
    for g in corpus:
        g.build.validate()
        assert (g.category is None) == (g.build.status != "failure")


def test_every_taxonomy_category_with_enough_builds(corpus, buildlogs_dir):
    taxonomy = (buildlogs_dir / "TAXONOMY.md").read_text()
    names = set(re.findall(r"^\| ([a-z_]+) \|", taxonomy, flags=re.M)) - {"category", "not_an_error"}
    assert len(names) == 19
    counts = Counter(g.category for g in _failures(corpus))
    assert names <= set(counts), names - set(counts)
    assert all(counts[name] >= 5 for name in names), counts
    top = [name for name, _ in counts.most_common(5)]
    for common in ("lockfile_out_of_sync", "module_not_found", "build_command_failed"):
        assert common in top, counts
    assert counts["platform_internal_error"] < counts["lockfile_out_of_sync"] / 10


def test_failed_stage_matches_category(corpus):
    seen = defaultdict(set)
    for g in _failures(corpus):
        seen[g.category].add(g.build.failed_stage)
    for category, stages in seen.items():
        assert stages <= ALLOWED_STAGES[category], (category, stages)


def test_logs_close_like_the_platform(corpus):
    for g in corpus:
        last = g.log.messages[-1]
        if g.build.status == "failure":
            assert any(m.startswith("Failed: ") for m in g.log.messages[-9:]), (g.build, last)
        elif g.build.status == "success":
            assert last.startswith("Success: "), (g.build, last)
        else:
            assert last.startswith("Canceled"), (g.build, last)


def test_novel_failures_are_about_a_tenth(corpus):
    failures = _failures(corpus)
    novel = [g for g in failures if g.category == "novel"]
    assert 0.07 <= len(novel) / len(failures) <= 0.14
    for g in novel:
        assert any(tool in "\n".join(g.log.messages) for tool in NOVEL_TOOLS)


def test_some_logs_have_ansi_colour(corpus):
    coloured = sum(1 for g in corpus if any("\x1b[" in m for m in g.log.messages))
    assert 0.05 <= coloured / N <= 0.4


def test_line_counts_are_realistic_and_long_tailed(corpus):
    counts = sorted(len(g.log) for g in corpus)
    assert 40 <= statistics.median(counts) <= 150
    assert counts[int(0.99 * N)] >= 1.8 * statistics.median(counts)
    assert counts[-1] < 5000 and counts[0] >= 1
    assert sum(1 for c in counts if c >= 10) / N > 0.95


def test_timestamps_grow_with_build_id_over_the_span(corpus):
    created = [g.build.created_at for g in corpus]
    assert created == sorted(created)
    assert timedelta(days=28) <= created[-1] - created[0] <= timedelta(days=30)
    for g in corpus[:2000]:
        ts = g.log.ts_us
        assert ts == sorted(ts)
        assert g.log[0].ts >= g.build.created_at
        if g.build.stopped_at:
            assert g.build.stopped_at >= g.log[-1].ts


def test_planted_values_are_where_they_were_recorded(tmp_path):
    out = tmp_path / "planted.jsonl"
    with open_store(f"sqlite:///{tmp_path / 'b.sqlite'}") as store:
        report = generate(store, 4000, seed=2, planted_out=out)
        assert report.builds == 4000 and report.first_id == 1 and report.last_id == 4000
        kinds = Counter(p.kind for p in report.planted)
        assert set(kinds) == set(PRIVATE_KINDS), kinds
        logs: dict[int, list] = {}
        accounts = {b.build_id: b.account_id for b in store.builds_in_range(1, 4000)}
        for p in report.planted:
            if p.build_id not in logs:
                logs[p.build_id], _ = store.log_page(p.build_id, 0, 5000)
            message = logs[p.build_id][p.line_no - 1].message
            assert p.value in message, p
            if p.kind == "account_id":
                assert p.value == accounts[p.build_id] and re.fullmatch(r"[0-9a-f]{32}", p.value)
    written = [json.loads(line) for line in out.read_text().splitlines()]
    assert written == [{"build_id": p.build_id, "line_no": p.line_no, "kind": p.kind, "value": p.value}
                       for p in report.planted]


def test_private_values_sit_inside_error_lines(corpus):
    error_line = re.compile(r"ERROR|[Ee]rror|fatal|ETIMEDOUT|ECONNREFUSED|ENOENT")
    in_errors = Counter()
    for g in _failures(corpus):
        for p in g.planted:
            if error_line.search(g.log.messages[p.line_no - 1]):
                in_errors[p.kind] += 1
    for kind in ("account_id", "ipv4", "ipv6", "user_path", "worker_name"):
        assert in_errors[kind] >= 3, in_errors


def test_appending_continues_ids_and_time(tmp_path):
    with open_store(f"sqlite:///{tmp_path / 'b.sqlite'}") as store:
        first = generate(store, 1200, seed=1)
        second = generate(store, 800, seed=1)
        assert (second.first_id, second.last_id) == (1201, 2000)
        builds = list(store.builds_in_range(1, 2000))
        assert [b.build_id for b in builds] == list(range(1, 2001))
        assert builds[1200].created_at > builds[1199].created_at
        assert first.planted and second.planted


def test_dev_lines_are_not_copied_verbatim(corpus, buildlogs_dir: Path):
    """Dev lines with variable parts must not be reused as templates: detectors are judged on them.

    Short tool lines whose variables happen to coincide (`sh: 1: vite: not found`, exit code 1)
    may match; lines carrying paths, URLs or versions from the dev sources must not.
    """
    variable = set()
    for row in map(json.loads, (buildlogs_dir / "dev_lines.jsonl").read_text().splitlines()):
        if "<" in row["expected_group_hint"]:
            line = row["line"].split("\t", 1)[-1]
            line = re.sub(r"^\d\d:\d\d:\d\d\.\d+ \| ", "", line)
            variable.add(line.strip())
    generated = {m.strip() for g in corpus for m in g.log.messages}
    same = variable & generated
    assert len(same) <= 0.2 * len(variable), sorted(same)
    distinctive = re.compile(r"https?://|/opt/|/home/|/Users/|\d+\.\d+\.\d+|[0-9a-f]{12}")
    assert not [line for line in same if distinctive.search(line)]


def test_bad_arguments():
    with pytest.raises(ValueError, match="n_builds"):
        list(iter_builds(-1))
    with pytest.raises(ValueError, match="days"):
        list(iter_builds(3, days=0))


def test_timeouts_last_past_the_limit(corpus):
    timeouts = [g for g in _failures(corpus) if g.category == "timeout"]
    assert timeouts
    for g in timeouts:
        assert g.log[-1].ts - g.log[0].ts >= timedelta(minutes=20)
        assert g.log[-2].ts - g.log[0].ts < timedelta(minutes=20)


def test_worker_processes_are_never_forked_from_the_caller(tmp_path, monkeypatch):
    """A child forked while another thread of the caller (Dagster's, a test run's) holds a lock waits for
    it forever: the pool starts its workers from a fresh process (forkserver, else spawn)."""
    import multiprocessing
    import threading

    methods = []
    real = multiprocessing.get_context
    monkeypatch.setattr(multiprocessing, "get_context", lambda method=None: methods.append(method) or real(method))
    busy = threading.Event()
    worker = threading.Thread(target=busy.wait, daemon=True)  # the caller has another thread running
    worker.start()
    try:
        with open_store(f"sqlite:///{tmp_path / 'b.sqlite'}") as store:
            report = generate(store, 2500, seed=5, processes=2)
    finally:
        busy.set()
    assert report.builds == 2500
    assert methods and "fork" not in methods
