"""Unsupervised training (EM) of the Splink model, and moving trained parameters between backends.

A trained model is Splink's model dictionary (settings plus m and u probabilities). Its SQL is
in the dialect it was trained on; ``settings_with_parameters`` rebuilds the settings for another
dialect from ``model_settings`` and copies the parameters level by level, which is what makes a
model trained on DuckDB usable on Spark and the reverse.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
from splink import Linker

from boroughhub.linkage.backend_choice import LinkageBackend
from boroughhub.linkage.model_settings import (
    deterministic_rules,
    settings_creator,
    settings_for_dialect,
    training_blocking_rules,
)

# Splink's own logging is chatty (including a warning per level unseen in training, which the training
# report records anyway); the CLI shows progress itself.
SPLINK_LOG_LEVEL = logging.ERROR

_PARAMETER_KEYS = ("m_probability", "u_probability", "tf_adjustment_weight", "tf_minimum_u_value")
# EM can drive an m or u probability to zero when a level is never seen among matches (or
# non-matches) in the training data. Zero means infinite evidence, which no real extract earns.
PROBABILITY_FLOOR = 1e-6


@dataclass(frozen=True)
class TrainedModel:
    """A trained model: the fields it compares, Splink's model dictionary and its chart specs."""

    fields: tuple[str, ...]
    model: dict[str, Any]
    charts: dict[str, dict[str, Any]] = field(default_factory=dict)
    record_count: int = 0


def optional_fields_present(records: pa.Table) -> set[str]:
    """Optional comparison fields with at least one value in the standardised records."""
    present = set()
    for name in ("ni_number", "chain_ref", "postcode", "address", "gender", "nationality", "areas",
                 "application"):
        if name in records.column_names and records.column(name).null_count < records.num_rows:
            present.add(name)
    return present


def train(
    backend: LinkageBackend,
    records: pa.Table,
    fields: set[str] | None = None,
    seed: int = 20260601,
    u_max_pairs: float | None = None,
    em_max_pairs: float | None = 3e6,
) -> TrainedModel:
    """Estimate the model's parameters from the records themselves (no labels)."""
    fields = optional_fields_present(records) if fields is None else fields
    u_max_pairs = u_sample_pairs(records.num_rows) if u_max_pairs is None else u_max_pairs
    frame = backend.register(records, "linkage_train")
    linker = Linker(frame, settings_creator(fields), log_level=SPLINK_LOG_LEVEL)
    linker.training.estimate_probability_two_random_records_match(deterministic_rules(fields), recall=0.7)
    # One pass (num_chunks=1): the rarest levels never reach Splink's early-stopping count, so its
    # probe chunks only repeat the sampling; what random pairs never show is filled in below.
    linker.training.estimate_u_using_random_sampling(
        max_pairs=u_max_pairs, seed=seed, num_chunks=1, min_count_per_level=None
    )
    with _em_probabilities_floored():
        for rule in training_blocking_rules(fields):
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, max_pairs=em_max_pairs if records.num_rows > 200_000 else None
            )
    charts = {
        "match_weights": linker.visualisations.match_weights_chart().chart_dict,
        "m_u_parameters": linker.visualisations.m_u_parameters_chart().chart_dict,
    }
    try:
        charts["parameter_estimates"] = linker.visualisations.parameter_estimate_comparisons_chart().chart_dict
    except Exception:  # noqa: BLE001 - the chart needs several estimates; the report works without it
        logging.getLogger(__name__).debug("parameter estimate comparison chart not available")
    model = _with_floor(_fill_unobserved_u(linker.misc.save_model_to_json(), u_max_pairs))
    return TrainedModel(fields=tuple(sorted(fields)), model=model, charts=charts, record_count=records.num_rows)


def u_sample_pairs(record_count: int) -> float:
    """Random pairs to estimate u from: 15 per record, between 100 thousand and 2 million.

    Scoring random pairs is most of the training time on small files (every level of every
    comparison is evaluated for a non-match). 15 pairs per record still sees a level with a u of 1
    in 10,000 a dozen times or more; rarer levels are filled in. A pilot London (~130k records)
    reaches the 2 million every run used before.
    """
    return float(min(2_000_000, max(100_000, 15 * record_count)))


@contextmanager
def _em_probabilities_floored() -> Iterator[None]:
    """Keep EM's m and u estimates at or above ``PROBABILITY_FLOOR`` during training.

    Splink 5.0.0 raises (``m_probability value 0.0 is below the minimum``) when an EM iteration
    estimates exactly zero, which happens on clean data where a level (say, nationality differs)
    is never seen among likely matches. Flooring the per-iteration estimate avoids the crash and
    the infinite weight it stands for. Scoped to training; Splink's function is restored after.
    """
    import splink.internals.expectation_maximisation as em

    original = em.populate_m_u_from_lookup

    def floored(
        fixed: set[str], level: Any, output_column_name: str, lookup: dict[str, dict[int, Any]]
    ) -> None:
        for record in lookup.get(output_column_name, {}).values():
            for key in ("m_probability", "u_probability"):
                value = record.get(key)
                if isinstance(value, int | float) and value < PROBABILITY_FLOOR:
                    record[key] = PROBABILITY_FLOOR
        original(fixed, level, output_column_name, lookup)

    em.populate_m_u_from_lookup = floored  # type: ignore[assignment]
    try:
        yield
    finally:
        em.populate_m_u_from_lookup = original


def _fill_unobserved_u(model: dict[str, Any], sampled_pairs: float) -> dict[str, Any]:
    """Give a level that random sampling never saw (an exact NI number match, say) the u it is below.

    Splink leaves such u untrained and falls back to a default that makes a shared identifier weak
    evidence; seen in none of ``sampled_pairs`` random pairs, its u is at most about 1 / that.
    """
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            if not isinstance(level.get("u_probability"), int | float):
                level["u_probability"] = 1.0 / sampled_pairs
    return model


def _with_floor(model: dict[str, Any]) -> dict[str, Any]:
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            for key in ("m_probability", "u_probability"):
                if key in level and level[key] is not None:
                    level[key] = max(float(level[key]), PROBABILITY_FLOOR)
    return model


def settings_with_parameters(model: TrainedModel, dialect: str) -> dict[str, Any]:
    """Settings for ``dialect`` carrying the trained parameters of ``model``."""
    settings = settings_for_dialect(set(model.fields), dialect)
    trained = {c["output_column_name"]: c for c in model.model["comparisons"]}
    for comparison in settings["comparisons"]:
        source = trained.get(comparison["output_column_name"])
        if source is None or len(source["comparison_levels"]) != len(comparison["comparison_levels"]):
            raise ValueError(
                f"Stored model does not fit comparison {comparison['output_column_name']!r}: retrain the model."
            )
        for level, trained_level in zip(comparison["comparison_levels"], source["comparison_levels"], strict=True):
            for key in _PARAMETER_KEYS:
                if key in trained_level:
                    level[key] = trained_level[key]
    settings["probability_two_random_records_match"] = model.model["probability_two_random_records_match"]
    return _with_floor(settings)


def fits_current_comparisons(model: TrainedModel) -> bool:
    """Whether a stored model has the comparisons and levels this version of the model compares.

    A model trained before the comparisons changed cannot score pairs; ``link`` then trains anew.
    """
    try:
        settings_with_parameters(model, "duckdb")
    except ValueError:
        return False
    return True


def parameter_rows(model: TrainedModel) -> list[dict[str, Any]]:
    """One row per comparison level: label, m, u and match weight, for reports and tests."""
    import math

    rows = []
    for comparison in model.model["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            m = level.get("m_probability")
            u = level.get("u_probability")
            weight = math.log2(m / u) if m and u else None
            rows.append(
                {
                    "comparison": comparison["output_column_name"],
                    "level": level.get("label_for_charts") or level["sql_condition"],
                    "m_probability": m,
                    "u_probability": u,
                    "match_weight": weight,
                }
            )
    return rows
