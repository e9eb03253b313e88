"""Turn the pipeline's progress callbacks into one percentage for the status page and the CLI bar.

Validation reports fractions 0–1, then the load reports 0–1 again; the submission's own phase
(validating, then loading once the agreement permits) says which part of the bar they fill.
Writes are throttled so a large file does not turn into thousands of database updates.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from boroughhub.submissions.statuses import Status

#: The share of the bar each phase covers: (start, end) in percent.
PHASES: dict[Status, tuple[int, int]] = {
    Status.QUEUED: (0, 2),
    Status.VALIDATING: (2, 80),
    Status.LOADING: (80, 99),
}

ProgressWriter = Callable[[Status, int, str], None]


class ProgressTracker:
    """Call it as the pipeline's ``progress(message, fraction)``; it calls ``write`` when worth it."""

    def __init__(self, write: ProgressWriter, *, min_interval: float = 0.5) -> None:
        self.write = write
        self.min_interval = min_interval
        self.phase = Status.VALIDATING
        self.percent = 0
        self.message = ""
        self._last_write = 0.0

    def enter(self, phase: Status, message: str) -> None:
        """Start a phase; always written."""
        self.phase = phase
        self.percent = max(self.percent, PHASES.get(phase, (100, 100))[0])
        self.message = message
        self._flush()

    def __call__(self, message: str, fraction: float) -> None:
        start, end = PHASES.get(self.phase, (100, 100))
        percent = max(self.percent, min(end, start + round((end - start) * max(0.0, min(1.0, fraction)))))
        changed = percent != self.percent or message != self.message
        self.percent, self.message = percent, message
        if changed and time.monotonic() - self._last_write >= self.min_interval:
            self._flush()

    def _flush(self) -> None:
        self._last_write = time.monotonic()
        self.write(self.phase, self.percent, self.message)
