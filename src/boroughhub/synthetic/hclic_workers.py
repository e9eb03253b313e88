"""Writing the councils' H-CLIC submissions in worker processes.

H-CLIC is most of the rows, and each council's file depends only on the world and its own seeded
random stream, so councils can be written side by side. Workers are forked after the world is
built (they share it, copy-on-write) and write their truth rows to a part folder each; the parent
appends the parts in council order, so the bytes are the same for any number of workers.
"""

from __future__ import annotations

import multiprocessing
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

from boroughhub.synthetic.hclic_files import write_hclic
from boroughhub.synthetic.submission import SubmissionSummary
from boroughhub.synthetic.truth import TruthWriter
from boroughhub.synthetic.world import World

_world: World | None = None  # set in the parent before forking; workers inherit it


def _write_council(job: tuple[str, Path, int, float]) -> SubmissionSummary:
    council, out, seed, scale = job
    assert _world is not None
    with TruthWriter(out / "truth" / ".parts" / council) as part:
        return write_hclic(_world, council, out, seed, scale, part)


def write_councils(
    world: World, councils: tuple[str, ...], out: Path, seed: int, scale: float, truth: TruthWriter, workers: int,
    on_council: Callable[[str], None],
) -> Iterator[SubmissionSummary]:
    """Each council's submission summary, in council order, after its truth rows are appended."""
    global _world
    _world = world
    jobs = [(council, out, seed, scale) for council in councils]
    parts = out / "truth" / ".parts"
    try:
        if workers <= 1 or len(jobs) <= 1:
            results: Iterator[SubmissionSummary] = map(_write_council, jobs)
            yield from _merged(results, councils, parts, truth, on_council)
        else:
            with multiprocessing.get_context("fork").Pool(min(workers, len(jobs))) as pool:
                yield from _merged(pool.imap(_write_council, jobs), councils, parts, truth, on_council)
    finally:
        _world = None
        shutil.rmtree(parts, ignore_errors=True)


def _merged(
    results: Iterator[SubmissionSummary], councils: tuple[str, ...], parts: Path, truth: TruthWriter,
    on_council: Callable[[str], None],
) -> Iterator[SubmissionSummary]:
    for council, summary in zip(councils, results, strict=True):
        truth.append_part(parts / council)
        on_council(council)
        yield summary
