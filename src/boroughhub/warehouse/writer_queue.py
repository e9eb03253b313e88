"""Writers of the warehouse take turns, in the order they asked, across processes.

DuckDB lets one process at a time open a database file for writing (decision 0008). Loads, linkage runs
and insights refreshes run in several worker processes and from the command line, so the second one to
arrive must wait for the first, not fail. Each writer takes a numbered ticket and goes when every
earlier ticket is gone (decision 0090):

- ``<warehouse>.writers/ticket-<number>.json`` says what the work is, who started it and when. Its owner
  holds an exclusive ``flock`` on it for as long as it waits or writes, and the operating system drops
  that lock when the process ends, however it ends. A ticket nobody holds is a writer that died: the
  next waiter removes it and goes on. Nothing to time out, no process id to trust.
- Numbers come from ``last-ticket``, read and written under ``queue.lock``, so they are strictly in the
  order writers asked. ``flock`` alone wakes every waiter at once and the fastest wins, which would let
  a burst of uploads keep a linkage run waiting.
- The holder appends one line per turn to ``turns.jsonl`` (what, who, asked, got, left), so an operator
  can see who held the warehouse when.

A process that already holds the turn for a warehouse may open it again (nested or from another
thread): DuckDB coordinates writers within one process itself.

Plain Python, no Django: the callers say who they are (:class:`Work`) and what to do with the wait
messages (a status page, a progress bar).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

#: How long a writer waits for its turn unless told otherwise: longer than a London-wide monthly cycle.
DEFAULT_WAIT_SECONDS = 3600.0
LONDON = ZoneInfo("Europe/London")
#: How every wait message starts, so a caller can tell a wait from a step of its own work.
WAITING_FOR_THE_WAREHOUSE = "Waiting for the warehouse"

WaitReport = Callable[[str], None]
Clock = Callable[[], datetime]


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Work:
    """What a writer is doing, as the people waiting behind it are told."""

    what: str  # "linkage", "an upload of CHAIN", "the insights refresh"
    person: str = ""  # the email of who started it: shown on the command line
    organisation: str = ""  # shown on pages, where an email of another organisation would not be


@dataclass(frozen=True)
class Ticket:
    """A writer's place in the queue, as read from its file."""

    number: int
    work: Work
    host: str = ""
    pid: int = 0
    asked_at: datetime | None = None
    got_at: datetime | None = None

    def describe(self, *, with_person: bool = True, zone: tzinfo = LONDON) -> str:
        """"linkage started by analyst@gla.example at 14:02", or "... waiting since 14:02" before its turn."""
        who = self.work.person if with_person and self.work.person else self.work.organisation
        text = self.work.what + (f" started by {who}" if who else "")
        if self.got_at is not None:
            return f"{text} at {self.got_at.astimezone(zone):%H:%M}"
        if self.asked_at is not None:
            return f"{text}, waiting since {self.asked_at.astimezone(zone):%H:%M}"
        return text


class WarehouseHeld(Exception):
    """The wait for the warehouse ran out; ``holder`` is the work that held it (when known)."""

    def __init__(self, message: str, holder: Ticket | None = None) -> None:
        super().__init__(message)
        self.holder = holder


def _read_ticket(path: Path) -> Ticket | None:
    """The ticket in ``path``; ``None`` if it is gone. A file caught half-rewritten reads as unknown work."""
    number = int(path.stem.split("-", 1)[1])
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return Ticket(number, Work("other work on the warehouse"))
    stamps = {key: datetime.fromisoformat(data[key]) if data.get(key) else None for key in ("asked_at", "got_at")}
    return Ticket(number, Work(str(data.get("what", "")), str(data.get("person", "")),
                               str(data.get("organisation", ""))),
                  host=str(data.get("host", "")), pid=int(data.get("pid", 0)), **stamps)


def _is_held(path: Path) -> bool:
    """True while a live process holds the ticket; a ticket nobody holds is removed (its writer died)."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        return False
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        path.unlink(missing_ok=True)
        return False
    finally:
        os.close(descriptor)


@dataclass
class Turn:
    """A ticket this process holds; :meth:`release` gives the warehouse to the next writer."""

    queue: WriterQueue
    ticket: Ticket
    descriptor: int
    #: ``time.monotonic()`` after which waiting (for the queue, then for DuckDB's own lock) stops.
    deadline: float
    holders: int = 1
    #: A forked child inherits the object, never the turn: only this process may give it up.
    pid: int = field(default_factory=os.getpid)

    @property
    def path(self) -> Path:
        return self.queue.ticket_path(self.ticket.number)

    def release(self) -> None:
        if self.pid != os.getpid():
            return
        with _HELD_LOCK:
            self.holders -= 1
            if self.holders > 0:
                return
            _HELD.pop(self.queue.key, None)
        self.queue.record_turn(self.ticket)
        self.path.unlink(missing_ok=True)  # before the lock goes, so nobody reads a finished ticket
        os.close(self.descriptor)


# The turns this process holds, by warehouse: a nested open shares the turn instead of waiting on itself.
_HELD: dict[str, Turn] = {}
# Re-entrant: a writer collected by the garbage collector gives its turn up (``Warehouse.__del__``), and
# the collector may run while this thread holds the lock.
_HELD_LOCK = threading.RLock()


def _forget_turns_in_child() -> None:
    """A forked child does not hold its parent's turn: closing its copies leaves the parent's lock alone."""
    global _HELD_LOCK
    _HELD_LOCK = threading.RLock()  # another thread of the parent may have held it at the fork
    for turn in _HELD.values():
        os.close(turn.descriptor)
    _HELD.clear()


os.register_at_fork(after_in_child=_forget_turns_in_child)


class WriterQueue:
    """The queue of writers of the warehouse file at ``warehouse_path``."""

    def __init__(self, warehouse_path: str | Path, *, poll_seconds: float = 0.2, clock: Clock = _utc_now,
                 zone: tzinfo = LONDON) -> None:
        path = Path(warehouse_path).resolve()
        self.key = str(path)
        self.directory = path.with_name(path.name + ".writers")
        self.poll_seconds = poll_seconds
        self.clock = clock
        self.zone = zone

    def ticket_path(self, number: int) -> Path:
        return self.directory / f"ticket-{number:012d}.json"

    def tickets(self) -> list[Ticket]:
        """The live tickets, first in the queue first (the first one holds the warehouse or is about to)."""
        if not self.directory.exists():
            return []
        found = []
        for path in sorted(self.directory.glob("ticket-*.json")):
            ticket = _read_ticket(path)
            if ticket is not None and _is_held(path):
                found.append(ticket)
        return found

    def turns(self) -> list[dict[str, Any]]:
        """Every turn taken so far, in the order they ended (``turns.jsonl``)."""
        log = self.directory / "turns.jsonl"
        if not log.exists():
            return []
        return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]

    def take_turn(self, work: Work, *, wait_seconds: float = DEFAULT_WAIT_SECONDS,
                  on_wait: WaitReport | None = None, with_person: bool = True) -> Turn:
        """Wait for the warehouse, in order, for at most ``wait_seconds``; ``on_wait`` hears each change
        of what the wait is for ("Waiting for the warehouse: linkage started by X at 14:02"). Raises
        :class:`WarehouseHeld` when the time runs out (the ticket is then given up)."""
        deadline = time.monotonic() + max(0.0, wait_seconds)
        with _HELD_LOCK:
            held = _HELD.get(self.key)
            if held is not None:
                held.holders += 1
                return held
        descriptor, ticket = self._new_ticket(work)
        turn = Turn(self, ticket, descriptor, deadline)
        try:
            self._wait_until_first(turn, on_wait, with_person)
        except BaseException:
            self.ticket_path(ticket.number).unlink(missing_ok=True)
            os.close(descriptor)
            raise
        got = Ticket(ticket.number, ticket.work, ticket.host, ticket.pid, ticket.asked_at, self.clock())
        turn.ticket = got
        self._write(descriptor, got)
        with _HELD_LOCK:
            _HELD[self.key] = turn
        return turn

    def _wait_until_first(self, turn: Turn, on_wait: WaitReport | None, with_person: bool) -> None:
        said = ""
        while True:
            ahead = [t for t in self.tickets() if t.number < turn.ticket.number]
            if not ahead:
                return
            reason = ahead[0].describe(with_person=with_person, zone=self.zone)
            if len(ahead) > 1:
                reason += f" ({len(ahead) - 1} more ahead of this)"
            if time.monotonic() >= turn.deadline:
                raise WarehouseHeld(f"The warehouse is still in use: {reason}.", ahead[0])
            if reason != said and on_wait is not None:
                on_wait(f"{WAITING_FOR_THE_WAREHOUSE}: {reason}")
            said = reason
            time.sleep(self.poll_seconds)

    def _new_ticket(self, work: Work) -> tuple[int, Ticket]:
        self.directory.mkdir(parents=True, exist_ok=True)
        numbering = os.open(self.directory / "queue.lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(numbering, fcntl.LOCK_EX)  # held for a few file operations only
            counter = self.directory / "last-ticket"
            number = int(counter.read_text() or 0) + 1 if counter.exists() else 1
            _replace(counter, str(number))
            ticket = Ticket(number, work, socket.gethostname(), os.getpid(), self.clock())
            # Locked before it has its name, so no waiter ever finds it unheld and takes it for dead.
            draft = self.directory / f".draft-{number}-{os.getpid()}"
            descriptor = os.open(draft, os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            self._write(descriptor, ticket)
            draft.rename(self.ticket_path(number))
            return descriptor, ticket
        finally:
            os.close(numbering)

    @staticmethod
    def _write(descriptor: int, ticket: Ticket) -> None:
        data = {"ticket": ticket.number, "what": ticket.work.what, "person": ticket.work.person,
                "organisation": ticket.work.organisation, "host": ticket.host, "pid": ticket.pid,
                "asked_at": ticket.asked_at.isoformat() if ticket.asked_at else None,
                "got_at": ticket.got_at.isoformat() if ticket.got_at else None}
        encoded = json.dumps(data).encode()
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, encoded, 0)

    def record_turn(self, ticket: Ticket) -> None:
        """One line in ``turns.jsonl``, written while the turn is still held (so lines never interleave)."""
        line = {"ticket": ticket.number, "what": ticket.work.what, "person": ticket.work.person,
                "organisation": ticket.work.organisation, "pid": ticket.pid,
                "asked_at": ticket.asked_at.isoformat() if ticket.asked_at else None,
                "got_at": ticket.got_at.isoformat() if ticket.got_at else None,
                "left_at": self.clock().isoformat()}
        # The log is for people: a full disk must not keep the next writer waiting.
        with contextlib.suppress(OSError), (self.directory / "turns.jsonl").open("a", encoding="utf-8") as log:
            log.write(json.dumps(line) + "\n")


def _replace(path: Path, text: str) -> None:
    draft = path.with_name(path.name + ".new")
    draft.write_text(text, encoding="utf-8")
    draft.replace(path)
