"""Labels feed training: m moves towards what labelled matches show, in proportion to how many there are."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pyarrow as pa
import pytest

from boroughhub.linkage.fixtures import truth
from boroughhub.linkage.label_sample import draw_sample, load_sample
from boroughhub.linkage.label_training import (
    LABELS_KEY,
    TrainingLabel,
    blend_m,
    learn_from_labels,
    training_labels,
)
from boroughhub.linkage.link import link_persons, standardised_records
from boroughhub.linkage.link_tables import load_model
from boroughhub.linkage.review import record_decision
from boroughhub.linkage.train import TrainedModel

from .conftest import NOW

# One comparison with levels: null (position 0), exact (gamma 2), close (1), else (0).
LEVELS = [("dob", "gamma_dob", {2: 1, 1: 2, 0: 3}), ("name", "gamma_name", {1: 1, 0: 2})]
EM = {"dob": [None, 0.5, 0.3, 0.2], "name": [None, 0.9, 0.1]}


def _label(same: bool, weight: float = 1.0) -> TrainingLabel:
    return TrainingLabel("a", "b", same, weight)


def test_labelled_matches_move_m_in_proportion_to_their_number() -> None:
    # Ten labelled matches, all with an exact date of birth; their names are missing (null level, -1).
    labels = [_label(True)] * 10
    m = blend_m(EM, {"dob": [2] * 10, "name": [-1] * 10}, LEVELS, labels, prior_strength=50)
    # By hand: (50 * 0.5 + 10 * 1) / 60, (50 * 0.3 + 0) / 60, (50 * 0.2) / 60.
    assert m["dob"] == [None, pytest.approx(35 / 60), pytest.approx(15 / 60), pytest.approx(10 / 60)]
    assert m["name"] == EM["name"]  # no labelled match says anything about names
    # Labels that say what EM said change nothing; labels judged "not the same" say nothing about m.
    agreeing = [_label(True)] * 10
    gammas = {"dob": [2] * 5 + [1] * 3 + [0] * 2, "name": [1] * 9 + [0]}
    same_shares = blend_m(EM, gammas, LEVELS, agreeing, 50)
    assert same_shares["dob"][1:] == pytest.approx(EM["dob"][1:]) and same_shares["name"][1:] == pytest.approx([0.9, 0.1])
    assert blend_m(EM, {"dob": [0] * 10, "name": [0] * 10}, LEVELS, [_label(False)] * 10, 50) == EM


def test_when_ems_m_do_not_add_up_to_one_a_label_moves_only_what_it_speaks_for() -> None:
    # Splink's EM can leave a comparison's m adding up to more than 1 (here 1.2): one labelled match at
    # "exact" raises exact and lowers the others by the prior's share only, not by renormalising.
    base = {"dob": [None, 0.7, 0.3, 0.2], "name": [None, 0.9, 0.1]}
    m = blend_m(base, {"dob": [2], "name": [-1]}, LEVELS, [_label(True)], prior_strength=50)
    assert m["dob"] == [None, pytest.approx((50 * 0.7 + 1.2) / 51), pytest.approx(50 * 0.3 / 51),
                        pytest.approx(50 * 0.2 / 51)]
    assert m["dob"][1] > 0.7
    in_proportion = blend_m(base, {"dob": [2] * 7 + [1] * 3 + [0] * 2, "name": [-1] * 12}, LEVELS,
                            [_label(True)] * 12, prior_strength=50)
    assert in_proportion["dob"][1:] == pytest.approx(base["dob"][1:])


def test_weights_count_a_label_for_its_band_and_shrink_the_effective_size() -> None:
    # Two matches: one standing for 9 pairs (exact), one for 1 (else). Shares 0.9 / 0.1; Kish n = 100/82.
    m = blend_m(EM, {"dob": [2, 0], "name": [-1, -1]}, LEVELS, [_label(True, 9.0), _label(True, 1.0)], 50)
    n_eff = 10 ** 2 / 82
    assert m["dob"][1] == pytest.approx((50 * 0.5 + n_eff * 0.9) / (50 + n_eff))
    assert m["dob"][3] == pytest.approx((50 * 0.2 + n_eff * 0.1) / (50 + n_eff))


def test_the_next_link_run_learns_from_the_labelled_sample(warehouse: duckdb.DuckDBPyConnection,
                                                             population: dict[str, pa.Table]) -> None:
    first = link_persons(warehouse, now=NOW)
    stored = load_model(warehouse)
    assert stored is not None and LABELS_KEY not in stored.model.model
    assert training_labels(warehouse) == []
    draw_sample(warehouse, seed=5, drawn_by="reviewer", now=NOW, per_band=8)
    sample = load_sample(warehouse)
    assert sample is not None
    people = truth(population)
    for pair in sample.pairs:  # a careful reviewer: the truth
        same = people[pair.unique_id_l] == people[pair.unique_id_r]
        record_decision(warehouse, pair.unique_id_l, pair.unique_id_r, "same" if same else "not_same", "reviewer", NOW)
    labels = training_labels(warehouse)
    assert len(labels) == len(sample.pairs) and any(x.same for x in labels) and any(not x.same for x in labels)
    second = link_persons(warehouse, now=datetime(2026, 7, 1))
    assert (first.model_version, second.model_version) == (1, 2)
    learnt = load_model(warehouse)
    assert learnt is not None
    used = learnt.model.model[LABELS_KEY]
    assert used["labels"] == len(labels) and used["same"] == sum(x.same for x in labels)
    moved = [(c, level, before, after) for c, level, before, after in used["changes"] if abs(after - before) > 1e-3]
    assert moved, "labelled matches moved no m at all"
    # m in the stored model is the learnt one; EM's is kept beside it so labels never count twice.
    by_name = {c["output_column_name"]: c for c in learnt.model.model["comparisons"]}
    c, level, before, after = moved[0]
    levels = by_name[c]["comparison_levels"]
    assert after in [lv.get("m_probability") for lv in levels]
    assert 0 <= used["disagreement"] <= 1 and 0 <= used["disagreement_em"] <= 1
    assert "Labelled pairs used" in learnt.report_html and f"{used['labels']} labelled pairs" in learnt.report_html
    # Nothing new to learn: the next run keeps the version.
    assert link_persons(warehouse, now=datetime(2026, 8, 1)).model_version == 2


def test_labels_without_a_match_or_already_learnt_change_nothing(warehouse: duckdb.DuckDBPyConnection,
                                                                  trained_model: TrainedModel) -> None:
    records = standardised_records(warehouse)
    ids = records.column("unique_id").to_pylist()
    assert learn_from_labels(records, trained_model, [], 0.5) is None
    assert learn_from_labels(records, trained_model, [TrainingLabel(ids[0], ids[1], False, 3.0)], 0.5) is None
    gone = [TrainingLabel("chain:x:gone", ids[1], True, 1.0)]  # a record no longer in the warehouse
    assert learn_from_labels(records, trained_model, gone, 0.5) is None
    learnt = learn_from_labels(records, trained_model, [TrainingLabel(ids[0], ids[1], True, 1.0)], 0.5)
    assert learnt is not None and learnt.model[LABELS_KEY]["labels"] == 1
    assert learn_from_labels(records, learnt, [TrainingLabel(ids[0], ids[1], True, 1.0)], 0.5) is None
