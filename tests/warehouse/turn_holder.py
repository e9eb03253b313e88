"""Run as a process of its own: take a turn on a warehouse, say so, hold it until told, then leave.

``python turn_holder.py WAREHOUSE WHAT PERSON ORGANISATION CLOCK HOLD`` with CLOCK an ISO instant the
turn is stamped with ("-" for the real clock) and HOLD "stdin" (hold until a line arrives), "reader"
(hold DuckDB's lock as a reader instead, for the seconds on stdin's first line) or a number of seconds.
"""

from __future__ import annotations

import sys
import time
from datetime import datetime

import duckdb

from boroughhub.warehouse.writer_queue import Work, WriterQueue


def main(warehouse: str, what: str, person: str, organisation: str, clock: str, hold: str) -> None:
    if hold == "reader":
        connection = duckdb.connect(warehouse, read_only=True)
        print("reading", flush=True)
        time.sleep(float(sys.stdin.readline()))
        connection.close()
        return
    instant = datetime.fromisoformat(clock) if clock != "-" else None
    queue = WriterQueue(warehouse, poll_seconds=0.05, **({"clock": lambda: instant} if instant else {}))
    turn = queue.take_turn(Work(what, person, organisation), wait_seconds=120)
    print(f"got {turn.ticket.number}", flush=True)
    if hold == "stdin":
        sys.stdin.readline()
    else:
        time.sleep(float(hold))
    turn.release()
    print("left", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:7])
