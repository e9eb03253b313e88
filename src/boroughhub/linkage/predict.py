"""Scoring candidate pairs with a trained model, on any backend.

Full linkage scores every blocked pair. Incremental linkage scores only the pairs touching some
records (``predict_pairs_touching``): those records linked against the rest as a ``link_only`` job,
then among themselves, so no blocking rule builds its join over all records; term frequencies
still come from all records (docs/decisions/0151-...).
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from splink import Linker

from boroughhub.linkage.backend_choice import LinkageBackend
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
    chosen records are linked against the rest (a two-table ``link_only`` job: each rule's join is
    chosen x rest), then deduplicated among themselves. The first job's input is all records, so the
    term frequencies Splink computes there are a full run's; the second is given those same tables.
    """
    chosen_mask = pc.is_in(records.column("unique_id"), ids)
    chosen = records.filter(chosen_mask)
    rest = records.filter(pc.invert(chosen_mask))
    if chosen.num_rows == 0:
        return PAIR_SCHEMA.empty_table()
    settings = settings_with_parameters(model, backend.dialect)
    tf_columns = _term_frequency_columns(settings)
    found = []
    if rest.num_rows:
        across = Linker([backend.register(chosen, "linkage_chosen"), backend.register(rest, "linkage_rest")],
                        dict(settings, link_type="link_only"), log_level=SPLINK_LOG_LEVEL)
        frequencies = {c: across.table_management.compute_tf_table(c) for c in tf_columns}
        found.append(backend.to_arrow(across.inference.predict(threshold_match_probability), PAIR_COLUMNS))
    else:
        frequencies = {}
    if chosen.num_rows > 1:
        among = Linker(backend.register(chosen, "linkage_chosen"), settings, log_level=SPLINK_LOG_LEVEL)
        for column, table in frequencies.items():
            among.table_management.register_term_frequency_lookup(table, column)
        found.append(backend.to_arrow(among.inference.predict(threshold_match_probability), PAIR_COLUMNS))
    if not found:
        return PAIR_SCHEMA.empty_table()
    return normalise_pairs(pa.concat_tables([t.select(PAIR_COLUMNS).cast(PAIR_SCHEMA) for t in found]))


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
    linker = Linker(frame, settings, log_level=SPLINK_LOG_LEVEL)
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
