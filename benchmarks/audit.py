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

    from boroughhub.audit import store

    for i in range(50):  # warm up: connection, statement cache
        store.record_event("decision", "permit", **fields_of(i))
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_plain AS SELECT * FROM agreements_auditentry WHERE 0")
        cursor.execute("SELECT * FROM agreements_auditentry ORDER BY seq")
        columns = [c[0] for c in cursor.description]
        rows = cursor.fetchall()  # database-native values: the same bytes the append writes
    insert = (f"INSERT INTO bench_plain ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})")

    def measure(n: int, offset: int) -> tuple[list[float], list[float], float, float]:
        chained: list[float] = []
        plain: list[float] = []
        cpu_chained = cpu_plain = 0.0
        for i in range(n):
            cpu, start = time.process_time(), time.perf_counter()
            store.record_event("decision", "permit", **fields_of(i))
            chained.append(time.perf_counter() - start)
            cpu_chained += time.process_time() - cpu
            row = list(rows[i % len(rows)])
            row[0] = offset + i  # a fresh id each time
            cpu, start = time.process_time(), time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute(insert, row)
            plain.append(time.perf_counter() - start)
            cpu_plain += time.process_time() - cpu
        return chained, plain, cpu_chained / n, cpu_plain / n

    runs = {}
    for mode, offset in (("FULL", 1_000_000), ("NORMAL", 2_000_000)):
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA synchronous={mode}")
        runs[mode] = measure(args.entries, offset)

    start = time.perf_counter()
    result = store.verify_stored_chain()
    verify_seconds = time.perf_counter() - start
    assert result.ok, result

    lines = [
        "## Audit log: appending an entry",
        "",
        f"`.venv/bin/python benchmarks/audit.py --entries {args.entries}` · SQLite file in WAL mode, "
        f"{args.entries} appends per mode, one transaction each, each followed by one baseline "
        f"insert; Python {sys.version.split()[0]}. `synchronous=FULL` (SQLite's default, what the hub runs) "
        "waits for the disk at every commit; `NORMAL` shows the cost without that wait.",
        "",
        "| synchronous | Operation | mean (ms) | median (ms) | p95 (ms) | CPU (ms) |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for mode, (chained, plain, cpu_chained, cpu_plain) in runs.items():
        for label, values, cpu in (("append (chain, BEGIN IMMEDIATE, triggers)", chained, cpu_chained),
                                   ("plain INSERT of the same row (baseline)", plain, cpu_plain)):
            lines.append(f"| {mode} | {label} | {statistics.mean(values) * 1000:.3f} | "
                         f"{statistics.median(values) * 1000:.3f} | {percentile(values, 0.95) * 1000:.3f} | "
                         f"{cpu * 1000:.3f} |")
    lines.append("")
    for mode, (chained, plain, _, _) in runs.items():
        mean_chained, mean_plain = statistics.mean(chained), statistics.mean(plain)
        lines.append(f"- {mode}: append / plain INSERT = **{mean_chained / mean_plain:.1f}×** (means); "
                     f"append {mean_chained * 1000:.2f} ms, target under 2 ms "
                     f"{'met' if mean_chained < 0.002 else 'not met'}.")
    lines += [
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
