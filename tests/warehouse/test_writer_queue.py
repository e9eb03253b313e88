"""Writers of the warehouse wait their turn, in order, across real processes; a killed holder's turn is
given up by the operating system; readers never queue."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from boroughhub.warehouse import Warehouse, WarehouseHeld, Work, WriterQueue

HOLDER = Path(__file__).with_name("turn_holder.py")
ROOT = Path(__file__).resolve().parents[2]
#: 13:02 UTC in June is 14:02 in London (British Summer Time).
STAMP = "2026-06-01T13:02:00+00:00"


def _start(warehouse: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")]))}
    return subprocess.Popen([sys.executable, str(HOLDER), str(warehouse), *args], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, env=env)


def _first_line(process: subprocess.Popen[str]) -> str:
    assert process.stdout is not None
    return process.stdout.readline().strip()


def _wait_for(predicate, timeout: float = 30) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


@pytest.fixture
def warehouse_path(tmp_path: Path) -> Path:
    return tmp_path / "warehouse.duckdb"


@pytest.fixture
def linkage_holding(warehouse_path: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the turn: linkage started by the GLA's analyst at 14:02."""
    holder = _start(warehouse_path, "linkage", "analyst@gla.example", "Greater London Authority", STAMP, "stdin")
    assert _first_line(holder) == "got 1"
    yield holder
    if holder.poll() is None:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.close()
        holder.wait(timeout=30)


def test_the_second_writer_waits_and_is_told_for_what(warehouse_path: Path, linkage_holding) -> None:
    heard: list[str] = []
    queue = WriterQueue(warehouse_path, poll_seconds=0.05)

    def release_once_waiting(message: str) -> None:
        heard.append(message)
        assert linkage_holding.stdin is not None
        linkage_holding.stdin.write("\n")
        linkage_holding.stdin.flush()

    turn = queue.take_turn(Work("an upload of CHAIN", "uploader@camden.example"), wait_seconds=30,
                           on_wait=release_once_waiting)
    assert _first_line(linkage_holding) == "left"
    assert heard == ["Waiting for the warehouse: linkage started by analyst@gla.example at 14:02"]
    assert [t.number for t in queue.tickets()] == [2]
    turn.release()
    assert queue.tickets() == []
    assert [(t["ticket"], t["what"]) for t in queue.turns()] == [(1, "linkage"), (2, "an upload of CHAIN")]


def test_pages_name_the_organisation_not_the_person(warehouse_path: Path, linkage_holding) -> None:
    with pytest.raises(WarehouseHeld) as held:
        WriterQueue(warehouse_path, poll_seconds=0.05).take_turn(Work("an upload"), wait_seconds=0.2,
                                                                 with_person=False)
    assert str(held.value) == "The warehouse is still in use: linkage started by Greater London Authority at 14:02."
    assert held.value.holder is not None and held.value.holder.work.person == "analyst@gla.example"


def test_a_writer_that_waits_too_long_gives_up_its_place(warehouse_path: Path, linkage_holding) -> None:
    heard: list[str] = []
    started = time.monotonic()
    with pytest.raises(WarehouseHeld):
        Warehouse(warehouse_path, work=Work("the insights refresh"), wait_seconds=0.5, on_wait=heard.append)
    assert 0.5 <= time.monotonic() - started < 10
    assert heard == ["Waiting for the warehouse: linkage started by analyst@gla.example at 14:02"]
    assert [t.work.what for t in WriterQueue(warehouse_path).tickets()] == ["linkage"]


def test_writers_go_in_the_order_they_asked_one_at_a_time(warehouse_path: Path) -> None:
    queue = WriterQueue(warehouse_path, poll_seconds=0.05)
    first = queue.take_turn(Work("first"))
    waiters = []
    for number, name in enumerate(("second", "third", "fourth"), start=2):
        waiters.append(_start(warehouse_path, name, "", "", "-", "0.3"))
        _wait_for(lambda n=number: len(queue.tickets()) == n)  # each has its ticket before the next starts
    first.release()
    for waiter in waiters:
        assert waiter.wait(timeout=60) == 0
    turns = queue.turns()
    assert [t["what"] for t in turns] == ["first", "second", "third", "fourth"]
    assert [t["ticket"] for t in turns] == [1, 2, 3, 4]
    for before, after in zip(turns, turns[1:], strict=False):
        assert after["got_at"] >= before["left_at"]  # nobody wrote while another held the warehouse
    assert queue.tickets() == []


def test_a_killed_holder_gives_the_warehouse_up(warehouse_path: Path) -> None:
    holder = _start(warehouse_path, "linkage", "", "", "-", "stdin")
    assert _first_line(holder) == "got 1"
    waiter_heard: list[str] = []
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait(timeout=30)
    started = time.monotonic()
    with Warehouse(warehouse_path, work=Work("an upload"), wait_seconds=30, on_wait=waiter_heard.append) as store:
        assert store.fetchall("SELECT 42") == [(42,)]
    assert time.monotonic() - started < 5
    # The dead holder's ticket was found unheld and removed; it never wrote a turn of its own.
    assert [t["what"] for t in WriterQueue(warehouse_path).turns()] == ["an upload"]


def test_one_process_may_open_the_warehouse_it_writes_again(warehouse_path: Path) -> None:
    with Warehouse(warehouse_path, work=Work("linkage")) as outer:
        with Warehouse(warehouse_path, wait_seconds=0) as inner:
            inner.execute("CREATE TABLE main.scratch AS SELECT 1 AS x")
        assert outer.fetchall("SELECT x FROM main.scratch") == [(1,)]
        assert len(WriterQueue(warehouse_path).tickets()) == 1
    assert WriterQueue(warehouse_path).tickets() == []
    assert [t["what"] for t in WriterQueue(warehouse_path).turns()] == ["linkage"]


def test_readers_do_not_queue(warehouse_path: Path) -> None:
    Warehouse(warehouse_path).close()
    holder = _start(warehouse_path, "linkage", "", "", "-", "stdin")  # holds the turn, not yet DuckDB's file
    assert _first_line(holder) == "got 2"
    try:
        started = time.monotonic()
        with Warehouse(warehouse_path, read_only=True) as reader:
            assert reader.fetchall("SELECT 1") == [(1,)]
        assert time.monotonic() - started < 2
        assert [t.work.what for t in WriterQueue(warehouse_path).tickets()] == ["linkage"]
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.close()
        holder.wait(timeout=30)


def test_a_writer_waits_for_a_reader_in_another_process(warehouse_path: Path) -> None:
    Warehouse(warehouse_path).close()
    reader = _start(warehouse_path, "", "", "", "-", "reader")
    assert _first_line(reader) == "reading"
    assert reader.stdin is not None
    reader.stdin.write("1.0\n")
    reader.stdin.flush()
    heard: list[str] = []
    with Warehouse(warehouse_path, work=Work("an upload"), wait_seconds=30, on_wait=heard.append) as store:
        assert store.fetchall("SELECT 1") == [(1,)]
    assert heard == ["Waiting for the warehouse: another process is reading it"]
    assert reader.wait(timeout=30) == 0


def test_a_writer_dropped_without_closing_gives_its_turn_up(warehouse_path: Path) -> None:
    Warehouse(warehouse_path, work=Work("forgotten"))  # never closed: collected at once
    with Warehouse(warehouse_path, work=Work("next"), wait_seconds=0) as store:
        assert store.fetchall("SELECT 1") == [(1,)]
    assert [t["what"] for t in WriterQueue(warehouse_path).turns()] == ["forgotten", "next"]


def test_a_forked_child_cannot_give_its_parents_turn_away(warehouse_path: Path) -> None:
    turn = WriterQueue(warehouse_path).take_turn(Work("linkage"))
    child = os.fork()
    if child == 0:  # the child gives up its copy of the turn, as a forked helper dropping it would
        turn.release()
        os._exit(0 if os.path.exists(turn.path) else 1)
    assert os.waitpid(child, 0)[1] == 0
    assert [t.work.what for t in WriterQueue(warehouse_path).tickets()] == ["linkage"]
    turn.release()
    assert WriterQueue(warehouse_path).tickets() == []
