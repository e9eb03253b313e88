"""How long does an upload keep every other writer waiting? (docs/decisions/0155)

The same generated London submissions (``boroughhub.synthetic``, scale 1.0: CHAIN, two InForm providers,
four councils' H-CLIC; ~0.75 million lines) are uploaded twice, each time into a fresh warehouse file:

* baseline — the warehouse opened first (its writer's turn taken) and ``submit_folder`` run inside it:
  the turn is held while the files are read and every rule is checked, as before decision 0155;
* ours — ``submit_in_turn``: the files are checked on a private in-memory DuckDB, and the turn is
  taken only to check the history, ask the agreements and load.

For each upload: the seconds the warehouse was held and the seconds the whole upload took. The ratio of
held time (ours / baseline) is what another upload, a linkage run or an operator's command waits less.

Run:  PYTHONPATH=src:. .venv/bin/python benchmarks/upload_turn.py [--scale 1.0] [--workdir /tmp/boroughhub-bench-turn]
Writes benchmarks/results/upload_turn.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks.ingest import UPLOAD_KEY as KEY
from benchmarks.ingest import UPLOAD_TODAY as TODAY
from benchmarks.ingest import ensure_data, interleaved_uploads
from benchmarks.ingest import permit_everything as _permit

RESULTS = Path(__file__).parent / "results" / "upload_turn.md"
def _upload(folder: Path, warehouse_path: Path, *, checked_first: bool) -> dict[str, Any]:
    from boroughhub.warehouse import Warehouse, submit_folder, submit_in_turn
    from boroughhub.warehouse.writer_queue import Work

    held: list[float] = []

    @contextmanager
    def take_turn() -> Iterator[Warehouse]:
        started = time.perf_counter()
        with Warehouse(warehouse_path, work=Work("benchmark upload")) as warehouse:
            yield warehouse
        held.append(time.perf_counter() - started)

    started = time.perf_counter()
    if checked_first:
        result = submit_in_turn(folder, take_turn, _permit, KEY, today=TODAY)
    else:
        with take_turn() as warehouse:
            result = submit_folder(folder, warehouse, _permit, KEY, today=TODAY)
    return {"upload": f"{folder.parent.name}/{folder.name}", "status": result.status, "held": sum(held),
            "total": time.perf_counter() - started}


def write_results(baseline: list[dict[str, Any]], ours: list[dict[str, Any]], scale: float) -> str:
    held_before = sum(r["held"] for r in baseline)
    held_now = sum(r["held"] for r in ours)
    total_before = sum(r["total"] for r in baseline)
    total_now = sum(r["total"] for r in ours)
    lines = [
        "# Upload: time the warehouse is held",
        "",
        f"Generated London (`boroughhub.synthetic`, scale {scale}, seed 1), {len(ours)} submissions, each "
        "uploaded both ways in the same run, interleaved, each way into its own fresh warehouse file. Command: "
        f"`PYTHONPATH=src:. .venv/bin/python benchmarks/upload_turn.py --scale {scale}`. "
        f"Measured {dt.date.today():%-d %B %Y} on {platform.machine()}, Python {platform.python_version()}.",
        "",
        "| Upload | Status | Held before (s) | Held now (s) | Whole upload before (s) | Whole upload now (s) |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for before, now in zip(baseline, ours, strict=True):
        lines.append(f"| {now['upload']} | {now['status']} | {before['held']:.1f} | {now['held']:.1f} | "
                     f"{before['total']:.1f} | {now['total']:.1f} |")
    lines += [
        f"| **All** | | **{held_before:.1f}** | **{held_now:.1f}** | **{total_before:.1f}** | **{total_now:.1f}** |",
        "",
        f"Warehouse held: **{held_now / held_before:.2f} ×** the baseline (other writers wait "
        f"{held_before - held_now:.1f} s less for these uploads). Whole upload: {total_now / total_before:.2f} × "
        "the baseline (the checked rows are handed to the warehouse's connection once more, as Arrow).",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/boroughhub-bench-turn"))
    options = parser.parse_args()
    data = ensure_data(options.workdir, options.scale, 1)
    baseline, ours = interleaved_uploads(data, options.workdir,
                                         lambda folder, path, ours: _upload(folder, path, checked_first=ours))
    text = write_results(baseline, ours, options.scale)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text, encoding="utf-8")
    print(text)  # noqa: T201


if __name__ == "__main__":
    main()
