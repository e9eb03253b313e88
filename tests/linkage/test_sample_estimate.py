"""Precision and recall from a stratified label sample: weighted by band size, against a hand-worked case."""

from __future__ import annotations

import pytest

from boroughhub.linkage.sample_estimate import BandLabels, estimate_from_sample

# Hand-worked: three bands, ten pairs labelled in each.
#   0.05-0.50, not linked: 1,000 pairs, 1 of 10 judged the same -> 100 matches estimated
#   0.50-0.80, linked:       100 pairs, 5 of 10 the same         ->  50
#   0.80-1.00, linked:       400 pairs, 10 of 10 the same        -> 400
# precision = (50 + 400) / (100 + 400) = 0.9; recall = 450 / (100 + 50 + 400) = 0.8181...
# Unweighted, the same labels would say precision 15/20 = 0.75 and recall 15/16 = 0.9375.
HAND_WORKED = [
    BandLabels(0.05, 0.5, linked=False, pairs=1000, labelled=10, same=1),
    BandLabels(0.5, 0.8, linked=True, pairs=100, labelled=10, same=5),
    BandLabels(0.8, 1.0, linked=True, pairs=400, labelled=10, same=10),
]


def test_the_estimate_weights_each_band_by_its_size() -> None:
    estimates = estimate_from_sample(HAND_WORKED)
    assert estimates.precision.value == pytest.approx(0.9)
    assert estimates.recall.value == pytest.approx(450 / 550)
    assert estimates.bands_without_labels == 0


def test_the_interval_surrounds_the_estimate_and_narrows_with_more_labels() -> None:
    few = estimate_from_sample(HAND_WORKED)
    assert few.precision.lower < 0.9 < few.precision.upper <= 1
    assert few.recall.lower < 450 / 550 < few.recall.upper <= 1
    many = estimate_from_sample([BandLabels(b.lower, b.upper, b.linked, b.pairs, b.labelled * 10, b.same * 10)
                                 for b in HAND_WORKED])
    assert many.precision.value == pytest.approx(0.9)
    assert many.precision.upper - many.precision.lower < (few.precision.upper - few.precision.lower) / 2
    # Seeded: the page shows the same interval every time.
    assert estimate_from_sample(HAND_WORKED) == few


def test_a_band_labelled_in_full_is_known_and_an_unlabelled_band_leaves_no_estimate() -> None:
    exact = estimate_from_sample([BandLabels(0.05, 0.5, False, 4, 4, 1), BandLabels(0.5, 1.0, True, 6, 6, 6)])
    assert exact.precision.value == exact.precision.lower == exact.precision.upper == 1.0
    assert exact.recall.value == pytest.approx(6 / 7) and exact.recall.lower == pytest.approx(6 / 7)
    waiting = estimate_from_sample([HAND_WORKED[0], BandLabels(0.5, 0.8, True, 100, 0, 0), HAND_WORKED[2]])
    assert waiting.bands_without_labels == 1 and waiting.precision.value is None
    # An empty band neither needs labels nor counts.
    empty = estimate_from_sample([*HAND_WORKED, BandLabels(0.99, 1.0, True, 0, 0, 0)])
    assert empty.precision.value == pytest.approx(0.9) and empty.bands_without_labels == 0


def test_impossible_counts_are_refused_with_the_band() -> None:
    with pytest.raises(ValueError, match="0.50 to 0.80: 11 judged the same of 10"):
        BandLabels(0.5, 0.8, True, 100, 10, 11)
    with pytest.raises(ValueError, match="only 5 pairs"):
        BandLabels(0.5, 0.8, True, 5, 10, 1)
