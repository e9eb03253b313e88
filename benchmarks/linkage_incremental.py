"""Incremental linkage: one borough's new monthly extract against an already-linked London.

    .venv/bin/python benchmarks/linkage_incremental.py --dataset london_all_1     # all London, ~850k records
    .venv/bin/python benchmarks/linkage_incremental.py --dataset london_quarter_1 # all London at scale 0.25

The extract is the last twelfth (by record key) of one borough's H-CLIC people, plus one in a thousand
existing records corrected (another first name) and one in a thousand gone. A warehouse holding London
without the extract is linked first (``link_persons``: trained, scored, clustered, written; not timed), and
the extract is loaded into it (warehouses are DuckDB files in a temporary folder). Then, timed, ``boroughhub link --mode incremental``'s own function
(``link_persons(mode="incremental")``): read the records, standardise, fingerprint, score only what changed
and re-score stored pairs whose term frequencies moved, cluster again the components the changes reach,
carry person ids over, write ``person_link`` and the run's state. ``--dataset london_quarter_1`` is all
London at scale 0.25 (about 213,000 records). The baseline in the same run is a full relink
(``link_persons(mode="full")``) of the same records in a fresh warehouse holding the same stored model (no
training); the table reports the time of each and how far the incremental partition is from the full
relink's (pairwise, taking the full relink as the truth). Prints its table row; copy it into
benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.linkage_data import prepare  # noqa: E402
from boroughhub.linkage.accuracy import measure  # noqa: E402
from boroughhub.linkage.backend_duckdb import DuckDBBackend  # noqa: E402
from boroughhub.linkage.fixtures import load_into_warehouse  # noqa: E402
from boroughhub.linkage.link import link_persons  # noqa: E402
from boroughhub.linkage.link_tables import load_model, save_model  # noqa: E402

# The warehouse's person tables, from the benchmark's flat records: table -> (source, key, field -> column).
TABLES = {
    "chain_people": ("chain", "chain_person_id", {"chain_ref": None}),
    "inform_clients": ("inform", "inform_client_id", {"chain_ref": "chain_person_id"}),
    "hclic_people": ("hclic", "person_ref", {"chain_ref": None, "other_names": None}),
}
FIELDS = ("first_name", "last_name", "other_names", "date_of_birth", "ni_number", "gender", "nationality", "chain_ref")
BEFORE, AFTER = datetime(2026, 11, 1, 2, 0), datetime(2026, 12, 1, 2, 0)


def warehouse_tables(raw: pa.Table) -> dict[str, pa.Table]:
    """The flat records as ``chain_people``, ``inform_clients`` and ``hclic_people`` (as ``records.py`` reads them)."""
    tables = {}
    for name, (source, key, renamed) in TABLES.items():
        rows = raw.filter(pc.equal(raw.column("source"), source))
        columns = {"supplier_code": rows.column("supplier_code"), key: rows.column("record_key")}
        for field in FIELDS:
            column = renamed.get(field, field)
            if column is not None and column not in columns:
                columns[column] = rows.column(field)
        tables[name] = pa.table(columns)
    return tables


def the_extract(raw: pa.Table) -> tuple[pa.Table, pa.Table, int, int]:
    """(London before the extract, London after it, records in the extract, records corrected)."""
    hclic = raw.filter(pc.equal(raw.column("source"), "hclic"))
    borough = sorted(set(hclic.column("supplier_code").to_pylist()))[0]
    keys = sorted(hclic.filter(pc.equal(hclic.column("supplier_code"), borough)).column("unique_id").to_pylist())
    extract = set(keys[-max(1, len(keys) // 12):])
    before = raw.filter(pc.invert(pc.is_in(raw.column("unique_id"), pa.array(sorted(extract)))))
    ids = raw.column("unique_id").to_pylist()
    gone = {uid for i, uid in enumerate(ids) if i % 1000 == 500 and uid not in extract}
    corrected = [i % 1000 == 250 and uid not in extract for i, uid in enumerate(ids)]
    # A corrected first name: another record's.
    names = raw.column("first_name").to_pylist()
    first = pc.if_else(pa.array(corrected), pa.array(names[7:] + names[:7], pa.string()), raw.column("first_name"))
    after = raw.set_column(raw.column_names.index("first_name"), "first_name", first)
    after = after.filter(pc.invert(pc.is_in(after.column("unique_id"), pa.array(sorted(gone)))))
    return before, after, len(extract), sum(corrected)


def _timed(run: Callable[[Callable[[str], None]], object]) -> tuple[float, float, list[str]]:
    """(wall s, CPU s of this process and its threads, the steps as they started)."""
    wall, cpu = time.perf_counter(), time.process_time()
    steps: list[str] = []
    run(lambda step: steps.append(f"{time.perf_counter() - wall:.1f} s {step}"))
    return time.perf_counter() - wall, time.process_time() - cpu, steps


def _links(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    rows = con.execute("SELECT source || ':' || supplier_code || ':' || record_key, person_id FROM person_link").fetchall()
    return dict(rows)  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dataset", default="london_quarter_1")
    args = parser.parse_args()
    raw = pq.read_table(prepare(args.dataset) / "raw.parquet")
    before_raw, after_raw, extract_size, corrected = the_extract(raw)
    memory = os.environ.get("BOROUGHHUB_BENCH_MEMORY_LIMIT", "4GB")

    # Warehouses are files, as in a hub: what a commit costs depends on it.
    folder = Path(tempfile.mkdtemp(prefix="boroughhub-bench-incremental-"))
    linked = duckdb.connect(str(folder / "linked.duckdb"))
    load_into_warehouse(linked, warehouse_tables(before_raw))
    backend = DuckDBBackend(memory_limit=memory)
    link_persons(linked, mode="full", backend=backend, now=BEFORE)
    stored_pairs = linked.execute("SELECT count(*) FROM linkage_scored_pairs").fetchall()[0][0]
    load_into_warehouse(linked, warehouse_tables(after_raw))
    print(f"linked London without the extract; load average {os.getloadavg()}", file=sys.stderr)

    runs = {}
    incremental_wall, incremental_cpu, steps = _timed(lambda say: runs.setdefault("incremental", link_persons(
        linked, mode="incremental", backend=backend, now=AFTER, progress=say)))
    print("incremental steps:", "; ".join(steps), file=sys.stderr)

    relinked = duckdb.connect(str(folder / "relinked.duckdb"))
    load_into_warehouse(relinked, warehouse_tables(after_raw))
    stored = load_model(linked)
    assert stored is not None
    save_model(relinked, stored.model, "<html></html>", BEFORE)
    full_wall, full_cpu, steps = _timed(lambda say: runs.setdefault("full", link_persons(
        relinked, mode="full", backend=backend, now=AFTER, progress=say)))
    print("full relink steps:", "; ".join(steps), file=sys.stderr)

    incremental, full = _links(linked), _links(relinked)
    agreement = measure(incremental, full)
    differ = _records_moved(incremental, full)
    run = runs["incremental"]
    gone = before_raw.num_rows - (after_raw.num_rows - extract_size)
    print(f"| {args.dataset} | {run.records:,} | {extract_size:,} new, {corrected:,} changed, {gone:,} gone | "
          f"{run.pairs_scored:,} of {stored_pairs:,} | {incremental_wall:.1f} | {incremental_cpu:.1f} | "
          f"{full_wall:.1f} | {full_cpu:.1f} | {incremental_wall / full_wall:.2f} | "
          f"{agreement.precision:.5f} / {agreement.recall:.5f} | {differ:,} | {os.getloadavg()[0]:.1f} |")
    backend.close()
    linked.close()
    relinked.close()
    shutil.rmtree(folder, ignore_errors=True)


def _records_moved(incremental: dict[str, str], full: dict[str, str]) -> int:
    """Records whose cluster differs: not in a cluster of the same members in both."""
    def members(links: dict[str, str]) -> dict[str, frozenset[str]]:
        by_person: dict[str, set[str]] = {}
        for uid, person in links.items():
            by_person.setdefault(person, set()).add(uid)
        return {uid: frozenset(by_person[person]) for uid, person in links.items()}

    a, b = members(incremental), members(full)
    return sum(1 for uid in a if a[uid] != b.get(uid))


if __name__ == "__main__":
    main()
