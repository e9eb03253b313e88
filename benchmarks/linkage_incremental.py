"""Incremental linkage: one borough's new monthly extract against an already-linked London.

    .venv/bin/python benchmarks/linkage_incremental.py --dataset london_all_1     # all London, ~850k records
    .venv/bin/python benchmarks/linkage_incremental.py --dataset london_quarter_1 # all London at scale 0.25

The extract is the last twelfth (by record key) of one borough's H-CLIC people, plus one in a thousand
existing records corrected (another first name) and one in a thousand gone. London without the
extract is linked first (trained, scored, clustered: not timed). Then, timed, the incremental run's
steps: standardise every record, fingerprint them, score only what changed and re-score stored pairs
whose term frequencies moved, recluster, carry person ids over. ``--dataset london_quarter_1`` is
all London at scale 0.25 (about 213,000 records). The baseline in the same run is a full
relink of the same records with the same model; the table reports the time of each and how far the
incremental partition is from the full relink's (pairwise, taking the full relink as the truth).
Appends its section to stdout; copy it into benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.linkage import _standardised  # noqa: E402
from benchmarks.linkage_data import prepare  # noqa: E402
from boroughhub.linkage.accuracy import measure  # noqa: E402
from boroughhub.linkage.backend_duckdb import DuckDBBackend  # noqa: E402
from boroughhub.linkage.cluster import cluster_records  # noqa: E402
from boroughhub.linkage.explain import term_frequency_columns  # noqa: E402
from boroughhub.linkage.incremental import pairs_after_changes, record_fingerprints  # noqa: E402
from boroughhub.linkage.model_settings import MATCH_THRESHOLD  # noqa: E402
from boroughhub.linkage.predict import predict_pairs  # noqa: E402
from boroughhub.linkage.stable_ids import assign_person_ids  # noqa: E402
from boroughhub.linkage.train import train  # noqa: E402


def the_extract(raw: pa.Table) -> tuple[pa.Table, pa.Table, int]:
    """(London before the extract, London after it, records in the extract)."""
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
    return before, after, len(extract)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dataset", default="london_quarter_1")
    args = parser.parse_args()
    raw = pq.read_table(prepare(args.dataset) / "raw.parquet")
    before_raw, after_raw, extract_size = the_extract(raw)
    backend = DuckDBBackend(memory_limit="4GB")

    before = _standardised(before_raw)
    model = train(backend, before)
    columns = term_frequency_columns(model)
    stored_pairs = predict_pairs(backend, before, model)
    stored_fingerprints = record_fingerprints(before, columns)
    previous = cluster_records(before.column("unique_id").to_pylist(), stored_pairs, MATCH_THRESHOLD)

    wall, cpu = time.perf_counter(), time.process_time()
    steps = []

    def step(name: str) -> None:
        steps.append(f"{name} {time.perf_counter() - wall:.1f} s / {time.process_time() - cpu:.1f} CPU-s")

    records = _standardised(after_raw)
    step("standardised")
    fingerprints = record_fingerprints(records, columns)
    step("fingerprinted")
    held = pairs_after_changes(
        backend, records, model, MATCH_THRESHOLD, fingerprints, stored_fingerprints, stored_pairs
    )
    pairs, scored, changes = held.pairs, held.scored, held.changes
    step("scored")
    ids = records.column("unique_id").to_pylist()
    incremental = cluster_records(ids, pairs, MATCH_THRESHOLD)
    assign_person_ids(incremental, previous)
    step("clustered")
    incremental_wall, incremental_cpu = time.perf_counter() - wall, time.process_time() - cpu
    print("incremental steps (cumulative):", "; ".join(steps), f"; stored pairs {stored_pairs.num_rows:,}",
          file=sys.stderr)

    wall, cpu = time.perf_counter(), time.process_time()
    records = _standardised(after_raw)
    full = cluster_records(ids, predict_pairs(backend, records, model), MATCH_THRESHOLD)
    full_wall, full_cpu = time.perf_counter() - wall, time.process_time() - cpu

    agreement = measure(incremental, full)
    differ = sum(1 for uid in ids if incremental[uid] != full[uid])
    print(f"| {args.dataset} | {len(ids):,} | {extract_size:,} new, {len(changes.changed):,} changed, "
          f"{len(changes.removed):,} gone | {scored.num_rows:,} of {stored_pairs.num_rows:,} | "
          f"{incremental_wall:.1f} | {incremental_cpu:.1f} | {full_wall:.1f} | {full_cpu:.1f} | "
          f"{incremental_wall / full_wall:.2f} | {agreement.precision:.5f} / {agreement.recall:.5f} | {differ:,} |")
    backend.close()


if __name__ == "__main__":
    main()
