"""Labelled sample pairs feed the model: m probabilities moved towards what people judged, in proportion.

Expectation maximisation estimates m (how often each comparison level occurs among true matches) without
labels. People's labels on the stratified sample (``label_sample.py``) say it directly: among the sample
pairs judged the same person, weighted by their band's size over its labelled pairs (so the few labelled
pairs stand for all the scored pairs), the share at each level. With few labels that share is noisy, so it
is combined with EM's m as a Dirichlet prior worth ``PRIOR_STRENGTH`` labelled matches:

    m_level = (PRIOR_STRENGTH * m_EM + n_eff * share_level * S) / (PRIOR_STRENGTH + n_eff)

where ``n_eff`` is Kish's effective sample size of the weighted labels and ``S`` the sum of EM's m over the
comparison's levels (1 in theory; Splink's sessions leave it near 1), so labels in EM's proportions move nothing. Twenty equally weighted labelled
matches move m 20/70 of the way; hundreds make the labels decide. u is left to random sampling (millions of pairs,
where a few hundred labels add nothing). Each update starts again from EM's m, kept beside the model, so
labels never count twice when a later run learns from them again.

The model is then checked against the labels: the share of labelled pairs (weighted as above) the model
decides the other way at the threshold, with EM's m and with the labels'. Above ``DISAGREEMENT_FLAG`` the
training report and the quality page say so. Splink's own ``estimate_m_from_pairwise_labels`` is not used:
it counts every labelled pair as a match, unweighted, and replaces m outright
(docs/decisions/0185-stratified-label-sample-and-training-from-labels.md).
"""

from __future__ import annotations

import copy
import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa

from boroughhub.linkage.explain import score_components
from boroughhub.linkage.label_sample import load_sample
from boroughhub.linkage.train import (
    PROBABILITY_FLOOR,
    SPLINK_LOG_LEVEL,
    TrainedModel,
    settings_with_parameters,
)

#: Where a model keeps what labels did to it (Splink never reads this key: ``settings_with_parameters``
#: copies only the parameters).
LABELS_KEY = "boroughhub_labels"
PRIOR_STRENGTH = 50.0
DISAGREEMENT_FLAG = 0.10


@dataclass(frozen=True)
class TrainingLabel:
    unique_id_l: str
    unique_id_r: str
    same: bool
    weight: float  # the band's pairs over its labelled pairs: how many scored pairs this label stands for


def training_labels(con: duckdb.DuckDBPyConnection) -> list[TrainingLabel]:
    """The labelled pairs of the newest sample, each weighted by its band's pairs per labelled pair."""
    sample = load_sample(con)
    if sample is None:
        return []
    labelled = {b.band: sum(1 for p in sample.pairs if p.band == b.band and p.label) for b in sample.bands}
    size = {b.band: b.pairs for b in sample.bands}
    return [TrainingLabel(p.unique_id_l, p.unique_id_r, p.label == "same", size[p.band] / labelled[p.band])
            for p in sample.pairs if p.label]


def _fingerprint(labels: Sequence[TrainingLabel]) -> str:
    text = "\n".join(sorted(f"{x.unique_id_l}|{x.unique_id_r}|{x.same}|{x.weight:.9g}" for x in labels))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _levels(model: TrainedModel) -> list[tuple[str, str, dict[int, int]]]:
    """Per comparison: its name, its gamma column, and each non-null level's gamma -> position in the model."""
    from splink.internals.settings_creator import SettingsCreator

    settings = SettingsCreator.from_path_or_dict(settings_with_parameters(model, "duckdb")).get_settings("duckdb")
    return [(c.output_column_name, c._gamma_column_name,
             {level.comparison_vector_value: i for i, level in enumerate(c.comparison_levels) if not level.is_null_level})
            for c in settings.comparisons]


def em_m(model: TrainedModel) -> dict[str, list[float | None]]:
    """EM's m per comparison and level position (None for null levels), before any labels moved it."""
    kept = model.model.get(LABELS_KEY, {}).get("em_m")
    if kept:
        return {name: list(values) for name, values in kept.items()}
    return {c["output_column_name"]: [None if level.get("is_null_level") else level.get("m_probability")
                                      for level in c["comparison_levels"]]
            for c in model.model["comparisons"]}


def blend_m(base: dict[str, list[float | None]], gammas: dict[str, list[int]], levels: list[tuple[str, str, dict[int, int]]],
            labels: Sequence[TrainingLabel], prior_strength: float = PRIOR_STRENGTH) -> dict[str, list[float | None]]:
    """m per comparison and level position after the labels: EM's m where no labelled match says otherwise."""
    result = {name: list(values) for name, values in base.items()}
    for name, _gamma_column, all_positions in levels:
        # A level EM left untrained keeps Splink's default: a few labels cannot set it alone.
        positions = {g: p for g, p in all_positions.items() if base[name][p] is not None}
        weights = {position: 0.0 for position in positions.values()}
        for label, gamma in zip(labels, gammas[name], strict=True):
            if label.same and gamma in positions:  # a null level says nothing about m
                weights[positions[gamma]] += label.weight
        total = sum(weights.values())
        if total == 0:
            continue
        squares = sum(label.weight ** 2 for label, gamma in zip(labels, gammas[name], strict=True)
                      if label.same and gamma in positions)
        n_eff = total ** 2 / squares
        prior = {p: float(base[name][p] or 0.0) for p in positions.values()}
        # EM's m over a comparison's levels need not add up to 1 (Splink combines sessions that each fix the
        # comparisons they block on); the labels' shares are put on EM's scale, so a label moves only the
        # levels it speaks for and labels in EM's proportions move nothing.
        scale = sum(prior.values())
        for position in positions.values():
            share = weights[position] / total
            blended = (prior_strength * prior[position] + n_eff * share * scale) / (prior_strength + n_eff)
            result[name][position] = max(blended, PROBABILITY_FLOOR)
    return result


def _probability(weight: float) -> float:
    return 1.0 / (1.0 + 2.0 ** -weight) if weight > -1000 else 0.0


def _disagreement(labels: Sequence[TrainingLabel], weights: Sequence[float], threshold: float) -> float:
    wrong = sum(x.weight for x, w in zip(labels, weights, strict=True) if (_probability(w) >= threshold) != x.same)
    return wrong / sum(x.weight for x in labels)


def learn_from_labels(records: pa.Table, model: TrainedModel, labels: Sequence[TrainingLabel], threshold: float,
                      prior_strength: float = PRIOR_STRENGTH) -> TrainedModel | None:
    """``model`` with m moved towards the labels, or None when there is nothing new to learn.

    Nothing new: no labelled match among ``records``, or exactly the labels this model already learnt from.
    """
    if not labels:
        return None
    ids = set(records.column("unique_id").to_pylist())
    usable = [x for x in labels if x.unique_id_l in ids and x.unique_id_r in ids]
    fingerprint = _fingerprint(usable)
    # Without a labelled match m has nothing to move towards, and a check alone is no reason for a new version.
    if not any(x.same for x in usable) or model.model.get(LABELS_KEY, {}).get("fingerprint") == fingerprint:
        return None
    base = em_m(model)
    levels = _levels(model)
    components = score_components(records, model, pa.table({"unique_id_l": [x.unique_id_l for x in usable],
                                                            "unique_id_r": [x.unique_id_r for x in usable]}))
    gammas = {name: [int(g) for g in components.column(column).to_pylist()] for name, column, _ in levels}
    now_m = {c["output_column_name"]: [lv.get("m_probability") for lv in c["comparison_levels"]]
             for c in model.model["comparisons"]}
    new_m = blend_m(base, gammas, levels, usable, prior_strength)

    def weights_with(m: dict[str, list[float | None]]) -> list[float]:
        """Each pair's match weight with ``m`` in place of the model's m (u and term frequencies unchanged)."""
        shifted = list(components.column("match_weight").to_pylist())
        for name, _column, positions in levels:
            for i, gamma in enumerate(gammas[name]):
                if gamma in positions:
                    before, after = now_m[name][positions[gamma]], m[name][positions[gamma]]
                    if before and after:
                        shifted[i] += math.log2(after / before)
        return [float(w) for w in shifted]

    updated = copy.deepcopy(model.model)
    changes = []
    for comparison in updated["comparisons"]:
        name = comparison["output_column_name"]
        for position, level in enumerate(comparison["comparison_levels"]):
            if level.get("is_null_level") or new_m[name][position] is None:
                continue
            level["m_probability"] = new_m[name][position]
            changes.append([name, level.get("label_for_charts") or level["sql_condition"], base[name][position],
                            new_m[name][position]])
    same = [x for x in usable if x.same]
    total = sum(x.weight for x in same)
    updated[LABELS_KEY] = {
        "fingerprint": fingerprint, "labels": len(usable), "same": len(same), "not_same": len(usable) - len(same),
        "effective_matches": (total ** 2 / sum(x.weight ** 2 for x in same)) if same else 0.0,
        "prior_strength": prior_strength, "em_m": base, "changes": changes,
        "disagreement_em": _disagreement(usable, weights_with(base), threshold),
        "disagreement": _disagreement(usable, weights_with(new_m), threshold),
        "flag_above": DISAGREEMENT_FLAG,
    }
    relearnt = TrainedModel(fields=model.fields, model=updated, charts=model.charts, record_count=model.record_count)
    return TrainedModel(fields=model.fields, model=updated, charts=_charts(records, relearnt),
                        record_count=model.record_count)


def _charts(records: pa.Table, model: TrainedModel) -> dict[str, dict[str, Any]]:
    """Splink's parameter charts redrawn with the new m; EM's history chart is kept as it was."""
    from splink import DuckDBAPI, Linker

    con = duckdb.connect()
    try:
        # The charts read only the settings; one record is enough to make a linker.
        frame = DuckDBAPI(connection=con).register(records.slice(0, 1), table_name="linkage_chart_records")
        linker = Linker(frame, settings_with_parameters(model, "duckdb"), log_level=SPLINK_LOG_LEVEL)
        redrawn = {"match_weights": linker.visualisations.match_weights_chart().chart_dict,
                   "m_u_parameters": linker.visualisations.m_u_parameters_chart().chart_dict}
    finally:
        con.close()
    return {**model.charts, **redrawn}
