"""The real build-log corpus: its fixed split by source, its loader, and the reserved repositories."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bloqr_dagster.build_errors.detectors.corpus import (
    RESERVED_REPOSITORIES,
    VALIDATION_PERCENT,
    CorpusError,
    load_lines,
    load_logs,
    repository_of,
    source_key,
    split_of,
)

PROJECT_CORPUS = Path(__file__).resolve().parents[1] / "data" / "buildlogs"


def test_split_is_deterministic_and_about_thirty_percent_by_source() -> None:
    sources = [f"github:owner{i}/repo{i}:logs/build.log" for i in range(20_000)]
    splits = [split_of(s) for s in sources]
    assert splits == [split_of(s) for s in sources]
    share = splits.count("validation") / len(splits)
    assert abs(share - VALIDATION_PERCENT / 100) < 0.015, share
    # known answers: the split of a source never changes between versions of the code
    assert {s: split_of(s) for s in ("github:cloudflare/workers-sdk:x", "github:vercel/next.js:y")} == {
        "github:cloudflare/workers-sdk:x": split_of("https://github.com/cloudflare/workers-sdk/blob/main/z"),
        "github:vercel/next.js:y": split_of("vercel/next.js:other/path@abc123"),
    }


def test_files_of_a_repository_share_a_side_and_threads_are_their_own_sources() -> None:
    assert source_key("github:Owner/Repo:a/b.log") == source_key("https://github.com/owner/repo/blob/x/c") == "owner/repo"
    assert source_key("https://raw.githubusercontent.com/owner/repo.git/main/x") == "owner/repo"
    assert source_key("https://github.com/o/r/issues/12#issuecomment-1") == "o/r/issues/12"
    assert source_key("https://github.com/o/r/pulls/3") == "o/r/pull/3"
    assert source_key("https://docs.example.com/errors/?q=1#x") == "docs.example.com/errors"
    assert repository_of("https://github.com/o/r/issues/12") == "o/r"
    assert repository_of("https://docs.example.com/x") is None


def _write_corpus(root: Path, lines: list, logs: list, files: dict[str, str]) -> Path:
    """A corpus folder; a row given as a string is written as it is (to write bad JSON)."""
    (root / "lines").mkdir(parents=True)
    (root / "logs" / "labels").mkdir(parents=True)
    for path, rows in ((root / "lines" / "a.jsonl", lines), (root / "logs" / "labels" / "a.jsonl", logs)):
        path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows))
    for name, text in files.items():
        (root / "logs" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "logs" / name).write_text(text)
    return root


LINE = {"id": "c1", "line": "npm error code ERESOLVE", "category": "dependency_install_failed",
        "expected_group": "npm error code ERESOLVE", "tool": "npm", "platform": "github-actions", "stage": "install",
        "source": "github:someone/somewhere:ci.log"}
LOG = {"file": "a/one.log", "category": "dependency_install_failed", "primary_line": 1, "tool": "npm",
       "platform": "github-actions", "source": "github:someone/somewhere:ci.log"}


def test_loader_reads_both_splits_and_works_on_empty_or_partial_corpora(tmp_path: Path) -> None:
    assert load_lines(tmp_path) == [] and load_logs(tmp_path) == []
    root = _write_corpus(tmp_path / "c", [LINE], [LOG], {"a/one.log": "npm error code ERESOLVE\n"})
    (line,), (log,) = load_lines(root), load_logs(root)
    assert line.id == "c1" and line.split == split_of(LINE["source"])
    assert log.path == root / "logs" / "a" / "one.log" and log.primary_line == 1
    assert load_lines(root, line.split) == [line] and load_lines(root, "train" if line.split != "train" else
                                                                   "validation") == []


@pytest.mark.parametrize(("lines", "logs", "files", "message"), [
    (["{not json"], [], {}, r"lines/a.jsonl:1: invalid JSON"),
    ([{**LINE, "category": "exploded"}], [], {}, r"lines/a.jsonl:1: category: unknown category 'exploded'"),
    ([{k: v for k, v in LINE.items() if k != "source"}], [], {}, r"lines/a.jsonl:1: missing field 'source'"),
    ([LINE, {**LINE, "line": 42}], [], {}, r"lines/a.jsonl:2: line: expected a non-empty string"),
    ([], [{**LOG, "primary_line": 0}], {"a/one.log": "x"}, r"labels/a.jsonl:1: primary_line: expected a line number"),
    ([], [LOG], {}, r"labels/a.jsonl:1: file: 'a/one.log' not found"),
    ([], [{**LOG, "file": "../../etc/passwd"}], {}, r"labels/a.jsonl:1: file: must be a path inside logs/"),
    ([{**LINE, "source": "https://github.com/daniswastaken/hackathon/issues/1"}], [], {},
     r"lines/a.jsonl:1: source: daniswastaken/hackathon is reserved"),
])
def test_loader_rejects_malformed_rows_with_one_line(tmp_path: Path, lines, logs, files, message: str) -> None:
    root = _write_corpus(tmp_path / "c", lines, logs, files)
    with pytest.raises(CorpusError, match=message) as err:
        load_lines(root)
        load_logs(root)
    assert "\n" not in str(err.value)


def test_reserved_repositories_are_never_a_source_of_the_project_corpus() -> None:
    """The project's corpus (tests/data/buildlogs, when it is there) loads, so no row comes from a reserved
    repository (the loader rejects them); this also checks every source string directly."""
    assert len(RESERVED_REPOSITORIES) == 19
    if not PROJECT_CORPUS.is_dir():
        return  # nothing collected yet: nothing can come from a reserved repository
    sources = [x.source for x in load_lines(PROJECT_CORPUS)] + [x.source for x in load_logs(PROJECT_CORPUS)]
    texts = [p.read_text(encoding="utf-8", errors="replace").lower()
             for p in [PROJECT_CORPUS / "SOURCES.md", *sorted((PROJECT_CORPUS / "sources").glob("*.md"))] if p.is_file()]
    for source in sources:
        assert repository_of(source) not in RESERVED_REPOSITORIES, source
    for reserved in RESERVED_REPOSITORIES:
        assert all(f"github.com/{reserved}" not in text for text in texts), reserved


def test_groups_compare_with_blank_runs_as_one_and_nothing_else_loosened() -> None:
    from bloqr_dagster.build_errors.detectors.accuracy import same_group

    assert same_group("<LINE>:<COL> error '<IDENTIFIER>' is defined no-unused-vars",
                      "<LINE>:<COL>   error    '<IDENTIFIER>' is defined        no-unused-vars")
    assert not same_group("error TS1005: ';' expected.", "error TS1005: '<TOKEN>' expected.")
    assert not same_group("exit code <CODE>", "exit code 127")
    assert not same_group("a b", "ab")


def test_group_shapes_set_placeholder_names_aside_only() -> None:
    from bloqr_dagster.build_errors.detectors.accuracy import same_group, same_shape

    assert same_shape("Cannot find module '<MODULE>'", "Cannot find module '<PATH>'")
    assert not same_group("Cannot find module '<MODULE>'", "Cannot find module '<PATH>'")
    assert not same_shape("error TS1005: ';' expected.", "error TS1005: '<TOKEN>' expected.")  # a value left
    assert not same_shape("exit code <CODE>", "exit code 127")
    assert same_shape("<LINE>:<COL>  a", "<LINE>:<COL> a")
