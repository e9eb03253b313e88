"""How long does loading an operator's file of 100,000 data-voucher codes take? Target: 10 s or less.

A load (``getonline.store.load_codes``) reads and checks the whole CSV (empty codes, duplicates in
the file), asks the database which of its codes are already loaded, then inserts every code in one
transaction (one prepared INSERT executed for every row) and appends one audit entry: all or nothing. The baseline, in the
same run on the same file, is DuckDB reading the CSV (``SELECT count(DISTINCT code) FROM read_csv``).
A second file repeating one loaded code is then refused, and the table is checked unchanged.

Run:  .venv/bin/python benchmarks/getonline_vouchers.py  [--codes 100000]
Writes benchmarks/results/getonline_vouchers.md and its section of benchmarks/RESULTS.md.
Uses a throw-away data directory (SQLite file).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "getonline_vouchers.md"
HEADING = "## Get Online London: loading voucher codes"


def setup_django() -> None:
    os.environ["BOROUGHHUB_DATA_DIR"] = tempfile.mkdtemp(prefix="boroughhub-bench-getonline-")
    os.environ.setdefault("BOROUGHHUB_ENV", "dev")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "boroughhub.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def voucher_file(path: Path, count: int, seed: int) -> None:
    rng = random.Random(seed)
    codes = {f"{rng.getrandbits(64):016X}" for _ in range(count + count // 100)}
    lines = ["code,expires_on", *(f"{code},2027-12-31" for code in sorted(codes)[:count])]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def update_results_file(section: str) -> None:
    """Replace this benchmark's section of RESULTS.md (or append it), leaving the others alone."""
    results = HERE / "RESULTS.md"
    text = results.read_text(encoding="utf-8")
    pattern = re.compile(rf"^{re.escape(HEADING)}\n.*?(?=^## |\Z)", re.S | re.M)
    new = section.strip() + "\n\n"
    text = pattern.sub(new, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + new
    results.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--codes", type=int, default=100_000)
    args = parser.parse_args()
    setup_django()
    import duckdb

    from boroughhub.getonline import ImportRefused, store
    from boroughhub.getonline.models import Code

    folder = Path(tempfile.mkdtemp(prefix="boroughhub-bench-vouchers-"))
    path = folder / "vouchers.csv"
    voucher_file(path, args.codes, seed=19)

    started = time.perf_counter()
    with duckdb.connect() as con:
        distinct = con.execute("SELECT count(DISTINCT code) FROM read_csv(?, header = true)", [str(path)]).fetchall()
    duckdb_seconds = time.perf_counter() - started
    assert distinct[0][0] == args.codes

    started = time.perf_counter()
    batch = store.load_codes(path.read_text(encoding="utf-8"), "voucher", "Benchmark Mobile", path.name, None,
                             store.london_now())
    load_seconds = time.perf_counter() - started
    assert batch.code_count == args.codes == Code.objects.count()

    again = folder / "overlap.csv"
    again.write_text("code\nNEW-1\nNEW-2\n" + path.read_text(encoding="utf-8").splitlines()[1].split(",")[0] + "\n")
    started = time.perf_counter()
    try:
        store.load_codes(again.read_text(), "voucher", "Benchmark Mobile", again.name, None, store.london_now())
        raise SystemExit("the overlapping file was loaded: the rule is broken")
    except ImportRefused as refused:
        refused_rule = refused.problems[0].rule
    refuse_seconds = time.perf_counter() - started
    assert Code.objects.count() == args.codes

    ratio = load_seconds / duckdb_seconds
    section = f"""{HEADING}

`.venv/bin/python benchmarks/getonline_vouchers.py --codes {args.codes}` · SQLite file, Python {platform.python_version()}, {os.cpu_count()} cores.
Load = read and check the CSV, look up codes already loaded, insert all in one transaction (one prepared INSERT run for every row), one audit entry.

| Operation | seconds |
|---|---:|
| `load_codes`: {args.codes:,} voucher codes, all or nothing | {load_seconds:.2f} |
| DuckDB reading the same CSV (count of distinct codes), baseline | {duckdb_seconds:.3f} |
| a 3-code file repeating one loaded code, refused (`{refused_rule}`) | {refuse_seconds:.3f} |

- load / DuckDB read = **{ratio:.0f}×**; load {load_seconds:.2f} s, target 10 s or less {"met" if load_seconds <= 10 else "NOT met"}.
- After the refusal the table still holds exactly {args.codes:,} codes: nothing half-loaded.
"""
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(section.replace(HEADING, "# Get Online London: loading voucher codes", 1), encoding="utf-8")
    update_results_file(section)
    sys.stdout.write(section)


if __name__ == "__main__":
    main()
