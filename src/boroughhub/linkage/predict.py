"""Scoring candidate pairs with a trained model, on any backend.

Full linkage scores every blocked pair. Incremental linkage marks the new records (``is_new = 1``)
and adds ``l.is_new = 1 OR r.is_new = 1`` to every blocking rule, so only pairs touching a new
record are scored, while term frequencies still come from all records.
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


def _only_pairs_touching_new_records(settings: dict[str, Any]) -> None:
    rules = []
    for rule in settings["blocking_rules_to_generate_predictions"]:
        sql = rule["blocking_rule"] if isinstance(rule, dict) else str(rule)
        new_rule = dict(rule) if isinstance(rule, dict) else {"blocking_rule": sql}
        new_rule["blocking_rule"] = f"({sql}) AND (l.is_new = 1 OR r.is_new = 1)"
        rules.append(new_rule)
    settings["blocking_rules_to_generate_predictions"] = rules
    retained = list(settings.get("additional_columns_to_retain", []))
    settings["additional_columns_to_retain"] = [*retained, "is_new"]


def predict_pairs(
    backend: LinkageBackend,
    records: pa.Table,
    model: TrainedModel,
    threshold_match_probability: float = PAIRS_KEPT_FROM,
    new_only: bool = False,
) -> pa.Table:
    """Scored pairs (``PAIR_COLUMNS``) at or above the threshold, lower unique_id on the left."""
    settings = settings_with_parameters(model, backend.dialect)
    if new_only:
        if "is_new" not in records.column_names:
            raise ValueError("Incremental prediction needs an is_new column on the records.")
        _only_pairs_touching_new_records(settings)
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
