"""``generate()``: a synthetic London written as submission folders plus the ground truth.

Layout of ``out_dir``::

    chain_london/chain/     manifest.csv, chain_people.csv, chain_contacts.csv, chain_stays.csv
    provider-a/inform/      manifest.csv, inform_clients.csv, inform_referrals.csv, inform_stays.csv
    E09000007/hclic/        manifest.csv and the seven hclic_*.csv files (one folder per council)
    truth/                  person_records.csv, persons.csv

People are generated once (``world.py``); each supplier's files are then written in turn, so
memory holds the world but never more than one supplier's rows. Every random stream is seeded
from ``seed`` and the supplier, so the same arguments give the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from boroughhub.synthetic.accommodation import INFORM_PROVIDERS
from boroughhub.synthetic.chain_files import write_chain
from boroughhub.synthetic.hclic_workers import write_councils
from boroughhub.synthetic.inform_files import write_inform
from boroughhub.synthetic.submission import SubmissionSummary
from boroughhub.synthetic.truth import TruthWriter
from boroughhub.synthetic.world import build_world, resolve_areas

DEFAULT_START = date(2019, 4, 1)
DEFAULT_END = date(2025, 3, 31)
SOURCES = ("chain", "inform", "hclic")
Progress = Callable[[str, int, int], None]  # (step description, steps done, steps in all)


@dataclass(frozen=True, slots=True)
class GenerationSummary:
    out_dir: Path
    seed: int
    scale: float
    start: date
    end: date
    councils: tuple[str, ...]
    submissions: list[SubmissionSummary] = field(default_factory=list)
    persons: int = 0
    person_records: int = 0

    @property
    def source_rows(self) -> int:
        return sum(sum(s.row_counts.values()) for s in self.submissions)


def generate(
    out_dir: Path | str,
    areas: str | list[str] | tuple[str, ...] = "pilot",
    start: date = DEFAULT_START,
    end: date = DEFAULT_END,
    scale: float = 1.0,
    seed: int = 1,
    progress: Progress | None = None,
    sources: tuple[str, ...] = SOURCES,
    workers: int = 1,
) -> GenerationSummary:
    """Writes every supplier's submission folders and ``truth/`` under ``out_dir``.

    ``sources`` limits the sources written; CHAIN is always written (InForm's cross-references
    come from it). The world is the same whichever are chosen, so a CHAIN-only run has the CHAIN
    files of the full run. ``workers`` > 1 writes the councils' H-CLIC files in that many forked
    processes; the bytes are the same.
    """
    if end < start:
        raise ValueError(f"The period ends ({end}) before it starts ({start}).")
    if scale <= 0:
        raise ValueError("The scale must be positive.")
    unknown = set(sources) - set(SOURCES)
    if unknown:
        raise ValueError(f"Unknown sources {sorted(unknown)}: choose from {', '.join(SOURCES)}.")
    out = Path(out_dir)
    councils = resolve_areas(areas)
    providers = INFORM_PROVIDERS if "inform" in sources else ()
    writing_councils = councils if "hclic" in sources else ()
    steps = 3 + len(providers) + len(writing_councils)
    report = progress or (lambda step, done, total: None)
    report("Planning everyone's life course", 0, steps)
    world = build_world(seed, councils, start, end, scale)
    submissions: list[SubmissionSummary] = []
    with TruthWriter(out / "truth") as truth:
        for life in world.lives:
            truth.person(life.person)
        for person in world.hostel_only:
            truth.person(person)
        report("Writing CHAIN", 1, steps)
        chain, chain_ids = write_chain(world, out, seed, truth)
        submissions.append(chain)
        for k, provider in enumerate(providers):
            report(f"Writing InForm for {provider}", 2 + k, steps)
            submissions.append(write_inform(world, provider, chain_ids, out, seed, truth))
        written = [0]

        def council_done(council: str) -> None:
            written[0] += 1
            report(f"Wrote H-CLIC for {council}", 2 + len(providers) + written[0], steps)

        report("Writing H-CLIC", 2 + len(providers), steps)
        submissions += write_councils(world, writing_councils, out, seed, scale, truth, workers, council_done)
        report("Done", steps, steps)
    return GenerationSummary(
        out, seed, scale, start, end, councils, submissions, truth.person_count, truth.record_count
    )

