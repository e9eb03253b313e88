"""``link-files``: link and deduplicate arbitrary CSV files of people, outside the warehouse.

The user maps their columns onto the model's fields (``first_name``, ``last_name`` and
``date_of_birth`` required). The files are read as text, standardised, the model is trained on
them (unsupervised) unless one is given, pairs are scored and clustered. Output: one row per
input row, ``file,record_id,cluster_id``; optionally the scored pairs, each with its match weight
split by comparison (Splink's waterfall: the prior plus one weight per comparison add up to the total).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from boroughhub.linkage.backend_choice import LinkageBackend, make_backend
from boroughhub.linkage.cluster import cluster_records
from boroughhub.linkage.explain import score_components, weights_by_comparison_table
from boroughhub.linkage.model_settings import MATCH_THRESHOLD
from boroughhub.linkage.predict import predict_pairs
from boroughhub.linkage.standardise import detect_date_format, standardise
from boroughhub.linkage.train import TrainedModel, train

REQUIRED_FIELDS = ("first_name", "last_name", "date_of_birth")
OPTIONAL_FIELDS = ("other_names", "ni_number", "postcode", "address", "gender", "nationality")
# Fields that may be mapped to several columns, joined with spaces (an address in parts).
MULTI_COLUMN_FIELDS = ("address", "other_names")


def mapping_help() -> str:
    """What ``--map`` accepts, built from the field lists so the help never misses one."""
    return (
        f"required: {', '.join(REQUIRED_FIELDS)}; optional: {', '.join(OPTIONAL_FIELDS)}. "
        f"{' and '.join(MULTI_COLUMN_FIELDS)} may be mapped to several columns (repeat --map; the columns "
        "are joined with spaces, e.g. --map address=street --map address=town); every other field to one."
    )


class FileLinkError(ValueError):
    """A problem with the files or the column mapping that the user can fix."""


@dataclass(frozen=True)
class FileLinkResult:
    clusters: pa.Table  # file, record_id, cluster_id
    # file_l, record_id_l, file_r, record_id_r, match_probability, match_weight, and with ``explain``
    # prior_weight then <comparison>_level and <comparison>_weight for each comparison
    pairs: pa.Table
    date_formats: dict[str, str | None]
    model: TrainedModel

    @property
    def cluster_count(self) -> int:
        return len(set(self.clusters.column("cluster_id").to_pylist()))


def parse_mapping(items: Sequence[str]) -> dict[str, list[str]]:
    """``["first_name=given", ...]`` -> ``{"first_name": ["given"], ...}``, checked."""
    mapping: dict[str, list[str]] = {}
    for item in items:
        field, sep, column = item.partition("=")
        field, column = field.strip(), column.strip()
        if not sep or not field or not column:
            raise FileLinkError(f"--map {item!r}: write FIELD=COLUMN, for example first_name=forename.")
        if field not in REQUIRED_FIELDS + OPTIONAL_FIELDS:
            raise FileLinkError(
                f"--map {item!r}: unknown field {field!r}; fields are {', '.join(REQUIRED_FIELDS + OPTIONAL_FIELDS)}."
            )
        if field in mapping and field not in MULTI_COLUMN_FIELDS:
            raise FileLinkError(f"--map {item!r}: {field} is already mapped to {mapping[field][0]!r}.")
        mapping.setdefault(field, []).append(column)
    missing = [f for f in REQUIRED_FIELDS if f not in mapping]
    if missing:
        raise FileLinkError(f"Map the required field(s) {', '.join(missing)} with --map FIELD=COLUMN.")
    return mapping


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _header(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return next(csv.reader(handle), [])


def read_files(
    con: duckdb.DuckDBPyConnection, paths: Sequence[Path], mapping: dict[str, list[str]], id_column: str | None
) -> dict[str, str | None]:
    """Create table ``linkage_files_raw`` from the files; returns the date format found per file."""
    selects, formats = [], {}
    for index, path in enumerate(paths):
        if not path.is_file():
            raise FileLinkError(f"{path}: no such file.")
        header = _header(path)
        wanted = [*(c for columns in mapping.values() for c in columns), *([id_column] if id_column else [])]
        absent = [c for c in wanted if c not in header]
        if absent:
            raise FileLinkError(f"{path}: no column(s) {', '.join(absent)}; its columns are {', '.join(header)}.")
        literal = "'" + str(path).replace("'", "''") + "'"
        source = f"read_csv({literal}, header = true, all_varchar = true)"
        record_id = f"trim({_quote(id_column)})" if id_column else "CAST(row_number() OVER () AS VARCHAR)"
        fields = ", ".join(
            f"concat_ws(' ', {', '.join(_quote(c) for c in columns)}) AS {field}" for field, columns in mapping.items()
        )
        selects.append(
            f"SELECT {index} AS file_index, {record_id} AS record_id, {fields} FROM {source}"
        )
        dob = _quote(mapping["date_of_birth"][0])
        sample = con.sql(f"SELECT {dob} FROM {source} WHERE {dob} IS NOT NULL LIMIT 1000").fetchall()
        formats[str(path)] = detect_date_format([str(r[0]) for r in sample])
    con.execute("CREATE OR REPLACE TABLE linkage_files_read AS " + " UNION ALL BY NAME ".join(selects))
    duplicates = con.sql(
        "SELECT file_index, record_id FROM linkage_files_read GROUP BY ALL HAVING count(*) > 1 LIMIT 1"
    ).fetchall()
    if duplicates:
        path = paths[duplicates[0][0]]
        raise FileLinkError(f"{path}: id column {id_column!r} repeats the value {duplicates[0][1]!r}; ids must be unique.")
    con.execute(
        """
        CREATE OR REPLACE TABLE linkage_files_raw AS
        SELECT CAST(file_index AS VARCHAR) || ':' || record_id AS unique_id,
               'file' || CAST(file_index AS VARCHAR) AS source, 'files' AS supplier_code,
               record_id AS record_key, * EXCLUDE (file_index, record_id)
        FROM linkage_files_read
        """
    )
    return formats


def link_files(
    paths: Sequence[Path],
    mapping: dict[str, list[str]],
    id_column: str | None = None,
    backend: LinkageBackend | str = "duckdb",
    threshold: float = MATCH_THRESHOLD,
    model: TrainedModel | None = None,
    progress: Callable[[str], None] = lambda step: None,
    explain: bool = False,
) -> FileLinkResult:
    """Link the records of ``paths`` (one file is deduplicated; several are linked and deduplicated)."""
    con = duckdb.connect()
    try:
        progress("Reading and standardising files")
        formats = read_files(con, paths, mapping, id_column)
        standardise(con, "linkage_files_raw", "linkage_files_std")
        records = con.sql("SELECT * FROM linkage_files_std").to_arrow_table()
    finally:
        con.close()
    if records.num_rows == 0:
        raise FileLinkError("The files hold no records.")
    fields: set[str] = {f for f in ("ni_number", "postcode", "address", "gender", "nationality") if f in mapping}
    engine = make_backend(backend) if isinstance(backend, str) else backend
    try:
        if model is None:
            progress("Training the model (expectation maximisation)")
            model = train(engine, records, fields)
        progress("Scoring candidate pairs")
        pairs = predict_pairs(engine, records, model)
    finally:
        if isinstance(backend, str):
            engine.close()
    weights = None
    if explain and pairs.num_rows:
        progress("Explaining the scored pairs comparison by comparison")
        weights = weights_by_comparison_table(score_components(records, model, pairs), model)
    progress("Clustering")
    ids = records.column("unique_id").to_pylist()
    clusters = cluster_records(ids, pairs, threshold)
    return FileLinkResult(
        clusters=_cluster_table(paths, clusters),
        pairs=_pair_table(paths, pairs, weights),
        date_formats=formats,
        model=model,
    )


def _split(paths: Sequence[Path], unique_id: str) -> tuple[str, str]:
    index, _, record_id = unique_id.partition(":")
    return str(paths[int(index)]), record_id


def _cluster_table(paths: Sequence[Path], clusters: dict[str, str]) -> pa.Table:
    number = {label: i + 1 for i, label in enumerate(sorted(set(clusters.values()), key=_order))}
    ordered = sorted(clusters, key=_order)
    split = [_split(paths, uid) for uid in ordered]
    return pa.table(
        {
            "file": [s[0] for s in split],
            "record_id": [s[1] for s in split],
            "cluster_id": pa.array([number[clusters[uid]] for uid in ordered], pa.int64()),
        }
    )


def _order(unique_id: str) -> tuple[int, int, str]:
    index, _, record_id = unique_id.partition(":")
    return int(index), int(record_id) if record_id.isdigit() else 0, record_id


def _pair_table(paths: Sequence[Path], pairs: pa.Table, weights: pa.Table | None = None) -> pa.Table:
    left = [_split(paths, u) for u in pairs.column("unique_id_l").to_pylist()]
    right = [_split(paths, u) for u in pairs.column("unique_id_r").to_pylist()]
    table = pa.table(
        {
            "file_l": [x[0] for x in left],
            "record_id_l": [x[1] for x in left],
            "file_r": [x[0] for x in right],
            "record_id_r": [x[1] for x in right],
            "match_probability": pairs.column("match_probability"),
            "match_weight": pairs.column("match_weight"),
        }
    )
    for name in weights.column_names if weights is not None else []:
        table = table.append_column(name, weights.column(name))  # type: ignore[union-attr]
    return table


def write_csv(table: pa.Table, path: Path) -> None:
    import pyarrow.csv as pacsv

    path.parent.mkdir(parents=True, exist_ok=True)
    pacsv.write_csv(table, path, pacsv.WriteOptions(quoting_style="needed"))
