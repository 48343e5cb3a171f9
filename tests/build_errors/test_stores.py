"""Build stores: one interface, run against the embedded SQLite store and a real PostgreSQL."""

from __future__ import annotations

import multiprocessing
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bloqr_dagster.build_errors.stores import Build, LogLine, PackedLog, open_store
from bloqr_dagster.errors import BloqrError

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def make_build(build_id: int, status: str = "failure", stage: str | None = "build") -> Build:
    return Build(build_id, f"{build_id:032x}", f"proj-{build_id % 7}", status,
                 stage if status == "failure" else None, T0 + timedelta(minutes=build_id),
                 T0 + timedelta(minutes=build_id, seconds=90))


def make_log(build_id: int, n: int = 3) -> list[LogLine]:
    return [LogLine(i, T0 + timedelta(minutes=build_id, microseconds=1000 * i + 7), f"b{build_id} line {i}")
            for i in range(1, n + 1)]


def status_for(build_id: int) -> str:
    return ("failure", "success", "success", "canceled")[build_id % 4]


def seed(store, ids) -> None:
    builds = [make_build(i, status_for(i)) for i in ids]
    store.insert(builds, {i: make_log(i) for i in ids})


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'builds.sqlite'}"
    return request.getfixturevalue("postgres_dsn")


@pytest.fixture
def store(store_url: str):
    with open_store(store_url) as s:
        yield s


def test_schema_is_idempotent_and_keeps_data(store, store_url):
    seed(store, range(1, 6))
    store.ensure_schema()
    store.ensure_schema()
    assert store.has_schema()
    with open_store(store_url) as again:  # a second process/connection opening the same store
        again.ensure_schema()
        assert again.max_build_id() == 5


def test_max_build_id(store):
    assert store.max_build_id() is None
    seed(store, [3, 17, 9])
    assert store.max_build_id() == 17


def test_failed_builds_pages_are_ascending_and_inclusive(store):
    seed(store, range(1, 41))
    failed = [i for i in range(1, 41) if status_for(i) == "failure"]
    pages = list(store.failed_builds(failed[0], failed[-1], page_size=3))
    assert [len(p) for p in pages] == [3, 3, 3, 1]
    ids = [b.build_id for page in pages for b in page]
    assert ids == failed  # both ends included
    assert all(b.status == "failure" and b.failed_stage == "build" for page in pages for b in page)
    assert [b.build_id for p in store.failed_builds(5, 7) for b in p] == []
    assert [b.build_id for p in store.failed_builds(4, 8) for b in p] == [4, 8]
    first = pages[0][0]
    assert first == make_build(first.build_id, "failure")  # round trip, timestamps in UTC
    with pytest.raises(ValueError, match="page_size"):
        list(store.failed_builds(1, 40, page_size=0))


def test_builds_in_range_returns_every_status(store):
    seed(store, range(1, 21))
    builds = list(store.builds_in_range(5, 12))
    assert [b.build_id for b in builds] == list(range(5, 13))
    assert {b.status for b in builds} == {"failure", "success", "canceled"}
    assert all(b.failed_stage is None for b in builds if b.status != "failure")
    assert list(store.builds_in_range(100, 200)) == []
    with pytest.raises(ValueError):
        list(store.builds_in_range(9, 3))


def test_failed_build_ids_after_is_a_cursor(store):
    seed(store, range(1, 50))
    failed = [i for i in range(1, 50) if status_for(i) == "failure"]
    assert store.failed_build_ids_after(0, limit=4) == failed[:4]
    assert store.failed_build_ids_after(failed[3], limit=100) == failed[4:]
    assert store.failed_build_ids_after(49) == []
    with pytest.raises(ValueError, match="limit"):
        store.failed_build_ids_after(0, limit=0)


def test_stream_logs_order_filter_and_text(store):
    seed(store, range(1, 30))
    streamed = list(store.stream_logs(4, 20))
    assert [i for i, _ in streamed] == [i for i in range(4, 21) if status_for(i) == "failure"]
    assert streamed[0][1] == "b4 line 1\nb4 line 2\nb4 line 3"
    everything = list(store.stream_logs(4, 20, failed_only=False))
    assert [i for i, _ in everything] == list(range(4, 21))


def test_failed_log_line_counts_agree_with_the_logs(store):
    seed(store, range(1, 30))
    counts = store.failed_log_line_counts(4, 20)
    assert counts == {i: text.count("\n") + 1 for i, text in store.stream_logs(4, 20)}
    assert counts and all(status_for(i) == "failure" for i in counts)
    with pytest.raises(ValueError):
        store.failed_log_line_counts(20, 4)


def test_stream_logs_is_bulk(store, monkeypatch):
    """1,200 failed builds must not cost one round trip each."""
    ids = range(1, 1201)
    store.insert([make_build(i) for i in ids], {i: make_log(i, 2) for i in ids})
    calls = {"n": 0}
    if hasattr(store, "_psycopg2"):
        real_cursor = store._db.cursor

        class CountingCursor:
            def __init__(self, *a, **kw):
                self._c = real_cursor(*a, **kw)

            def __getattr__(self, name):
                return getattr(self._c, name)

            def __setattr__(self, name, value):
                if name == "_c":
                    object.__setattr__(self, name, value)
                else:
                    setattr(self._c, name, value)

            def execute(self, *a, **kw):
                calls["n"] += 1
                return self._c.execute(*a, **kw)

            def fetchmany(self, *a, **kw):
                calls["n"] += 1
                return self._c.fetchmany(*a, **kw)

        class Conn:
            def __getattr__(self, name):
                return getattr(real_db, name)

            def cursor(self, *a, **kw):
                return CountingCursor(*a, **kw)

        real_db = store._db
        monkeypatch.setattr(store, "_db", Conn())
    else:
        real_db = store._db

        class Conn:
            def __getattr__(self, name):
                return getattr(real_db, name)

            def execute(self, *a, **kw):
                calls["n"] += 1
                return real_db.execute(*a, **kw)

        monkeypatch.setattr(store, "_db", Conn())
    out = list(store.stream_logs(1, 1200))
    assert [i for i, _ in out] == list(ids)
    assert calls["n"] <= 6, f"{calls['n']} round trips for 1,200 logs"


def test_log_page_cursors(store):
    store.insert([make_build(7)], {7: make_log(7, 1234)})
    lines, cursor = store.log_page(7)
    assert [ln.line_no for ln in lines] == list(range(1, 501)) and cursor == 500
    lines, cursor = store.log_page(7, cursor)
    assert lines[0].line_no == 501 and cursor == 1000
    lines, cursor = store.log_page(7, cursor)
    assert len(lines) == 234 and cursor is None
    assert lines[-1] == make_log(7, 1234)[-1]  # message and timestamp (µs) round trip
    assert store.log_page(7, 1234) == ([], None)
    assert store.log_page(7, 1233, limit=1)[1] is None
    assert store.log_page(7, 0, limit=1234)[1] is None
    assert store.log_page(999) == ([], None)
    with pytest.raises(ValueError):
        store.log_page(7, -1)


def test_insert_is_idempotent_and_replaces(store):
    seed(store, range(1, 11))
    seed(store, range(1, 11))
    assert len(list(store.builds_in_range(1, 10))) == 10
    # Replace build 1 (a failure): now a success with a shorter log, build 2 loses its log.
    store.insert([make_build(1, "success"), make_build(2, "failure", "deploy")], {1: make_log(1, 1)})
    b1, b2 = list(store.builds_in_range(1, 2))
    assert (b1.status, b1.failed_stage, b2.status, b2.failed_stage) == ("success", None, "failure", "deploy")
    assert store.log_page(1) == (make_log(1, 1), None)
    assert store.log_page(2) == ([], None)
    assert 2 not in dict(store.stream_logs(1, 10))  # no log, nothing to stream


def test_insert_rejects_bad_batches_atomically(store):
    with pytest.raises(ValueError, match="not in the batch"):
        store.insert([make_build(1)], {2: make_log(2)})
    with pytest.raises(ValueError, match="status"):
        store.insert([make_build(1, "exploded")], {})
    with pytest.raises(ValueError, match="newline"):
        store.insert([make_build(1), make_build(2)],
                     {1: make_log(1), 2: [LogLine(1, T0, "two\nlines")]})
    assert store.max_build_id() is None


def test_messages_round_trip_exactly(store):
    messages = ["\ttab\\n-not-a-newline\\", "ünïcödé ✘ [ERROR] 🪵", "\x1b[31mred\x1b[0m", "", "carriage\rreturn"]
    log = PackedLog(messages, [1_800_000_000_000_000 + i for i in range(len(messages))])
    store.insert([make_build(5)], {5: log})
    assert dict(store.stream_logs(5, 5)) == {5: "\n".join(messages)}
    lines, _ = store.log_page(5)
    assert [ln.message for ln in lines] == messages
    assert lines[0].ts == datetime(2027, 1, 15, 8, 0, tzinfo=UTC)


# -- embedded store: concurrency, errors -------------------------------------------------------
def _writer(url: str, batches: int, per_batch: int) -> None:
    with open_store(url) as store:
        for b in range(batches):
            ids = range(b * per_batch + 1, (b + 1) * per_batch + 1)
            store.insert([make_build(i, "failure") for i in ids], {i: make_log(i, 40) for i in ids})


def _reader(url: str, total: int, queue) -> None:
    import time

    seen_max, reads, deadline = 0, 0, time.monotonic() + 90
    try:
        with open_store(url) as store:
            while seen_max < total:
                assert time.monotonic() < deadline, f"writer stalled at {seen_max}"
                top = store.max_build_id() or 0
                assert top >= seen_max, "max_build_id went backwards"
                seen_max = top
                if not top:
                    continue
                ids = []
                for build_id, text in store.stream_logs(1, top):
                    assert text == "\n".join(ln.message for ln in make_log(build_id, 40)), build_id
                    ids.append(build_id)
                assert ids == list(range(1, top + 1)), f"a gap or a half-written batch: top={top} n={len(ids)} first={ids[:3]} last={ids[-3:]}"
                reads += 1
        queue.put(("ok", reads))
    except BaseException as exc:  # report to the parent, which asserts
        queue.put(("error", repr(exc)))


def test_sqlite_one_writer_and_one_reader_process(tmp_path):
    url = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    open_store(url).close()
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    batches, per_batch = 60, 50
    reader = ctx.Process(target=_reader, args=(url, batches * per_batch, queue))
    writer = ctx.Process(target=_writer, args=(url, batches, per_batch))
    reader.start()
    writer.start()
    writer.join(120)
    reader.join(120)
    for proc in (reader, writer):
        if proc.is_alive():
            proc.terminate()
    assert writer.exitcode == 0
    status, detail = queue.get(timeout=5)
    assert status == "ok", detail
    assert detail >= 2  # the reader really read while the writer wrote


def test_bad_store_urls():
    with pytest.raises(BloqrError, match="unsupported URL scheme 'mysql'"):
        open_store("mysql://root@localhost/builds")
    with pytest.raises(BloqrError, match="unsupported URL scheme"):
        open_store("/just/a/path.sqlite")
    with pytest.raises(BloqrError, match="no file path"):
        open_store("sqlite:///")


def test_corrupt_sqlite_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "builds.sqlite"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(BloqrError) as err:
        open_store(f"sqlite:///{bad}")
    message = str(err.value)
    assert "build store sqlite:///" in message and "not a database" in message and "\n" not in message


def test_unreachable_postgres_is_a_clear_error():
    with pytest.raises(BloqrError) as err:
        open_store("postgresql://postgres:s3cret@127.0.0.1:1/nowhere")
    message = str(err.value)
    assert message.startswith("build store postgresql://postgres:***@127.0.0.1:1/nowhere: cannot connect")
    assert "s3cret" not in message and "\n" not in message


def test_sqlite_relative_and_absolute_urls(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with open_store("sqlite:///rel/builds.sqlite") as store:
        seed(store, [1])
    assert (tmp_path / "rel" / "builds.sqlite").exists()
    with open_store(f"sqlite:///{tmp_path}/rel/builds.sqlite") as store:  # four slashes: absolute
        assert store.max_build_id() == 1
    journal = sqlite3.connect(tmp_path / "rel" / "builds.sqlite").execute("PRAGMA journal_mode").fetchone()[0]
    assert journal == "wal"


# -- PostgreSQL schema ---------------------------------------------------------------------------
def test_postgres_schema_has_range_scan_indexes(postgres_dsn):
    import psycopg2

    with open_store(postgres_dsn) as store:
        store.ensure_schema()
        seed(store, range(1, 200))
    with psycopg2.connect(postgres_dsn) as conn, conn.cursor() as cur:
        cur.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN ('builds', 'build_log_lines')")
        defs = dict(cur.fetchall())
        assert "WHERE (status = 'failure'::text)" in defs["builds_failed_idx"]
        assert any("(build_id, line_no)" in d and "UNIQUE" in d for d in defs.values())
        assert any(d.endswith("USING btree (build_id)") and "UNIQUE" in d for d in defs.values())
        cur.execute("SET enable_seqscan = off")
        cur.execute("EXPLAIN SELECT build_id FROM builds WHERE status = 'failure' AND build_id BETWEEN 10 AND 90")
        plan = "\n".join(r[0] for r in cur.fetchall())
        assert "builds_failed_idx" in plan


def test_packed_log_is_a_sequence_of_log_lines():
    lines = make_log(3, 4)
    packed = PackedLog.from_lines(lines)
    assert len(packed) == 4 and packed[0] == lines[0] and packed[-1] == lines[-1] and packed[1:3] == lines[1:3]
    assert list(packed) == lines and packed.text() == "\n".join(ln.message for ln in lines)
    with pytest.raises(ValueError, match="numbered"):
        PackedLog.from_lines([lines[1]])
    with pytest.raises(ValueError, match="timestamps"):
        PackedLog(["a", "b"], [1])
