"""A deliberately slow task for the real-process test: it notes each start and each finish in a file."""

from __future__ import annotations

import os
import time
from pathlib import Path

from django_tasks import task


@task()
def slow_task(marker: str, seconds: float) -> str:
    path = Path(marker)
    with path.open("a", encoding="utf-8") as out:
        out.write(f"started {os.getpid()}\n")
    time.sleep(seconds)
    with path.open("a", encoding="utf-8") as out:
        out.write(f"finished {os.getpid()}\n")
    return "done"
