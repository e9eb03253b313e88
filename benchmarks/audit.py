"""How long does appending one audit entry take? Target: under 2 ms.

An append (``store.record_event``) opens a transaction with ``BEGIN IMMEDIATE`` (the SQLite lock
that serialises appends), reads the head of the chain, computes the entry's SHA-256 over its
canonical JSON, inserts the row (the append-only triggers are in place) and commits. The baseline,
in the same run on the same database file, is a plain INSERT of the same row into a copy of the
table without triggers, one autocommitted statement each: everything a log without a chain costs.

Also measured: ``audit verify`` over the whole log (entries per second).

Run:  .venv/bin/python benchmarks/audit.py  [--entries 2000]
Writes benchmarks/results/audit.md. Uses a throw-away data directory (SQLite file, WAL).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results" / "audit.md"


def setup_django() -> None:
    os.environ["BOROUGHHUB_DATA_DIR"] = tempfile.mkdtemp(prefix="boroughhub-bench-audit-")
    os.environ.setdefault("BOROUGHHUB_ENV", "dev")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "boroughhub.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def fields_of(i: int) -> dict:
    return {
        "user": "3f0c5c4e-0000-4000-8000-000000000001", "org_id": "camden", "role": "analyst",
        "session_id": "5b1d0c0f6a9e4a7c8d2e1f3a4b5c6d7e", "action": "view_aggregate", "dataset": "metric_values",
        "fields": ["area_code", "metric", "period", "value"], "purpose": "bhp:rough-sleeping-strategic-insight",
        "agreement_id": "dsa-pl-rsi", "agreement_version": 1, "permission_id": "P-INSIGHTS",
        "reasons": [{"code": "PERMITTED"}], "request_id": f"00000000-0000-4000-8000-{i:012d}",
        "obligations": {"min_cell_size": 10, "row_filter": {"purpose": "bhp:rough-sleeping-strategic-insight"}},
        "payload": {"registry_revision": 7, "matched": [["dsa-pl-rsi", 1, "P-INSIGHTS"]]},
    }


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=2000)
    args = parser.parse_args()
    setup_django()

    from django.db import connection

    from boroughhub.agreements import store

    for i in range(50):  # warm up: connection, statement cache
        store.record_event("decision", "permit", **fields_of(i))
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_plain AS SELECT * FROM agreements_auditentry WHERE 0")
        cursor.execute("SELECT * FROM agreements_auditentry ORDER BY seq")
        columns = [c[0] for c in cursor.description]
        rows = cursor.fetchall()  # database-native values: the same bytes the append writes
    insert = (f"INSERT INTO bench_plain ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})")

    chained: list[float] = []
    plain: list[float] = []
    for i in range(args.entries):
        start = time.perf_counter()
        store.record_event("decision", "permit", **fields_of(i))
        chained.append(time.perf_counter() - start)
        row = list(rows[i % len(rows)])
        row[0] = i + 1_000_000  # a fresh id each time
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(insert, row)
        plain.append(time.perf_counter() - start)

    start = time.perf_counter()
    result = store.verify_stored_chain()
    verify_seconds = time.perf_counter() - start
    assert result.ok, result

    mean_chained, mean_plain = statistics.mean(chained), statistics.mean(plain)
    table = [
        ("append (hash chain, BEGIN IMMEDIATE, triggers)", chained),
        ("plain INSERT of the same row (baseline)", plain),
    ]
    lines = [
        "## Audit log: appending an entry",
        "",
        f"`.venv/bin/python benchmarks/audit.py --entries {args.entries}` · SQLite file in WAL mode, "
        f"{args.entries} appends, one transaction each; Python {sys.version.split()[0]}.",
        "",
        "| Operation | mean (ms) | median (ms) | p95 (ms) |",
        "|---|---:|---:|---:|",
    ]
    for label, values in table:
        lines.append(f"| {label} | {statistics.mean(values) * 1000:.3f} | {statistics.median(values) * 1000:.3f} "
                     f"| {percentile(values, 0.95) * 1000:.3f} |")
    lines += [
        "",
        f"Ratio append / plain INSERT (means): **{mean_chained / mean_plain:.1f}×**. "
        f"Target: an append under 2 ms ({'met' if mean_chained < 0.002 else 'NOT met'}: "
        f"{mean_chained * 1000:.2f} ms mean).",
        "",
        f"`audit verify` over the whole log: {result.checked} entries in {verify_seconds:.2f} s "
        f"({result.checked / verify_seconds:,.0f} entries/s).",
        "",
    ]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
