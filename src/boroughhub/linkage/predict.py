"""Scoring candidate pairs with a trained model, on any backend.

Full linkage scores every blocked pair. Incremental linkage scores only the pairs touching some
records (``predict_pairs_touching``): those records linked, as a ``link_only`` job, against the records
that share a blocking key with them, then among themselves, so no blocking rule builds its join over all
records; term frequencies still come from all records (docs/decisions/0151-..., 0180-...).
"""

from __future__ import annotations

from contextlib import nullcontext
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
from splink import Linker

from boroughhub.linkage.backend_choice import LinkageBackend
from boroughhub.linkage.blocking_keys import rest_that_can_pair
from boroughhub.linkage.model_settings import PAIRS_KEPT_FROM
from boroughhub.linkage.train import SPLINK_LOG_LEVEL, TrainedModel, settings_with_parameters

PAIR_COLUMNS = ["unique_id_l", "unique_id_r", "match_probability", "match_weight"]

PAIR_SCHEMA = pa.schema(
    [
        ("unique_id_l", pa.string()),
        ("unique_id_r", pa.string()),
        ("match_probability", pa.float64()),
        ("match_weight", pa.float64()),
    ]
)


def predict_pairs_touching(backend: LinkageBackend, records: pa.Table, model: TrainedModel, ids: pa.Array,
                           threshold_match_probability: float = PAIRS_KEPT_FROM) -> pa.Table:
    """The pairs a full ``predict_pairs`` would score that touch a record in ``ids``, scored as it would.

    A blocking rule filtered to pairs touching a record (``l.is_new = 1 OR r.is_new = 1``) still builds
    its whole join over all records before it filters: at all London that costs a full relink. Here the
    chosen records are linked against those of the rest that share a blocking rule's keys with one of them
    (``blocking_keys``; a two-table ``link_only`` job), then deduplicated among themselves. The term
    frequencies are computed over all records and registered with both jobs, so every weight is a full
    run's.
    """
    chosen_mask = pc.is_in(records.column("unique_id"), ids)
    chosen = records.filter(chosen_mask)
    if chosen.num_rows == 0:
        return PAIR_SCHEMA.empty_table()
    settings = settings_with_parameters(model, backend.dialect)
    rest = rest_that_can_pair(chosen, records.filter(pc.invert(chosen_mask)),
                              settings_with_parameters(model, "duckdb"))
    frequencies = {column: backend.register(table, f"linkage_tf_{column}")
                   for column, table in term_frequency_tables(records, _term_frequency_columns(settings)).items()}
    found = []
    jobs = [([chosen, rest], "link_only")] if rest.num_rows else []
    jobs += [([chosen], "dedupe_only")] if chosen.num_rows > 1 else []
    for tables, link_type in jobs:
        frames = [backend.register(table, name) for table, name in zip(tables, ("linkage_chosen", "linkage_rest"),
                                                                       strict=False)]
        linker = Linker(frames if len(frames) > 1 else frames[0], dict(settings, link_type=link_type),
                        log_level=SPLINK_LOG_LEVEL, validate_settings=False)
        for column, table in frequencies.items():
            linker.table_management.register_term_frequency_lookup(table, column)
        found.append(backend.to_arrow(linker.inference.predict(threshold_match_probability), PAIR_COLUMNS))
    if not found:
        return PAIR_SCHEMA.empty_table()
    return normalise_pairs(pa.concat_tables([t.select(PAIR_COLUMNS).cast(PAIR_SCHEMA) for t in found]))


def term_frequency_tables(records: pa.Table, columns: list[str]) -> dict[str, pa.Table]:
    """Each column's term frequencies over all ``records``, as Splink computes them (a value's share of the
    column's non-empty values), to register with a job that sees only some records."""
    con = duckdb.connect()
    try:
        con.register("records", records.select(columns))
        return {column: con.sql(
            f"SELECT {column}, CAST(count(*) AS DOUBLE) / (SELECT count({column}) FROM records) AS tf_{column} "
            f"FROM records WHERE {column} IS NOT NULL GROUP BY {column}").to_arrow_table() for column in columns}
    finally:
        con.close()


def _term_frequency_columns(settings: dict[str, Any]) -> list[str]:
    return sorted({
        level["tf_adjustment_column"]
        for comparison in settings["comparisons"]
        for level in comparison["comparison_levels"]
        if level.get("tf_adjustment_column")
    })


def predict_pairs(
    backend: LinkageBackend,
    records: pa.Table,
    model: TrainedModel,
    threshold_match_probability: float = PAIRS_KEPT_FROM,
) -> pa.Table:
    """Scored pairs (``PAIR_COLUMNS``) at or above the threshold, lower unique_id on the left."""
    settings = settings_with_parameters(model, backend.dialect)
    frame = backend.register(records, "linkage_predict")
    # The settings are a trained model's, checked against these columns when it was trained: Splink's check
    # parses every level's SQL again (a quarter of a second, 8% of linking a FEBRL file).
    linker = Linker(frame, settings, log_level=SPLINK_LOG_LEVEL, validate_settings=False)
    # DuckDB finds the same candidate pairs as Splink's blocking at less cost (blocked_pairs.py).
    found_here = getattr(backend, "candidate_pairs_found_here", None)
    with found_here(linker, frame, settings) if found_here is not None else nullcontext():
        predictions = linker.inference.predict(threshold_match_probability=threshold_match_probability)
        pairs = backend.to_arrow(predictions, PAIR_COLUMNS)
    return normalise_pairs(pairs)


def normalise_pairs(pairs: pa.Table) -> pa.Table:
    """Same schema everywhere, lower id on the left, sorted, for identical results across backends."""
    pairs = pairs.select(PAIR_COLUMNS).cast(PAIR_SCHEMA)
    left = pairs.column("unique_id_l")
    right = pairs.column("unique_id_r")
    swap = pc.greater(left, right)
    pairs = pa.table(
        {
            "unique_id_l": pc.if_else(swap, right, left),
            "unique_id_r": pc.if_else(swap, left, right),
            "match_probability": pairs.column("match_probability"),
            "match_weight": pairs.column("match_weight"),
        },
        schema=PAIR_SCHEMA,
    )
    return pairs.sort_by([("unique_id_l", "ascending"), ("unique_id_r", "ascending")])
