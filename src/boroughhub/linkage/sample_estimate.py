"""Precision and recall of the linked pairs, estimated from a stratified sample of labelled pairs.

The review queue sends people to the pairs whose decision changes most clusters, so its labels are not a
random sample of pairs. A sample drawn per band of match probability is: within a band, the labelled pairs
stand for all the band's pairs, so each band's share judged "the same person" is weighted by how many
pairs the band holds (docs/decisions/0185-stratified-label-sample-and-training-from-labels.md).

With ``N_h`` pairs in band ``h`` and ``s_h`` of its ``n_h`` labelled pairs judged the same:

- matches in the band are estimated as ``N_h * s_h / n_h``;
- precision = estimated matches in the linked bands / pairs in the linked bands;
- recall = estimated matches in the linked bands / estimated matches in all bands.

The bands split at the threshold, so a band is wholly linked or wholly not. Pairs the run did not keep
(below ``PAIRS_KEPT_FROM``, or never compared because no blocking rule paired them) are not in any band:
recall is of the pairs the model scored.

The 95% interval: each band's share is drawn from its Jeffreys posterior, Beta(s + 1/2, n - s + 1/2),
and the estimate is recomputed for every draw (a seeded simulation, so a page shows the same interval
each time); the 2.5th and 97.5th percentiles are the interval. Per band, Jeffreys intervals cover close
to their nominal rate even for a handful of labels and for shares of 0 or 1, where a bootstrap of the
labels themselves would give a zero-width interval; drawing them jointly carries every band's
uncertainty into the ratio. A band whose every pair is labelled has a known share (no draw); a band
without labels draws from Beta(1/2, 1/2), so an unlabelled band widens the interval rather than hiding.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

DRAWS = 20_000
SIMULATION_SEED = 20261207


@dataclass(frozen=True)
class BandLabels:
    """One band of the sample: its pairs, how many were labelled and how many judged the same person."""

    lower: float
    upper: float
    linked: bool  # the band is at or above the threshold: the model linked its pairs
    pairs: int
    labelled: int
    same: int

    def __post_init__(self) -> None:
        if not 0 <= self.same <= self.labelled:
            raise ValueError(f"Band {self.lower:.2f} to {self.upper:.2f}: {self.same} judged the same of "
                             f"{self.labelled} labelled; the same must be between 0 and the labelled.")
        if self.labelled > self.pairs:
            raise ValueError(f"Band {self.lower:.2f} to {self.upper:.2f}: {self.labelled} labelled but only "
                             f"{self.pairs} pairs in the band.")

    @property
    def share_same(self) -> float | None:
        return self.same / self.labelled if self.labelled else None

    @property
    def estimated_matches(self) -> float | None:
        share = self.share_same
        return None if share is None else self.pairs * share


@dataclass(frozen=True)
class WeightedEstimate:
    """A population estimate with its 95% interval; ``value`` is None while a band with pairs has no label."""

    value: float | None
    lower: float | None
    upper: float | None


@dataclass(frozen=True)
class SampleEstimates:
    precision: WeightedEstimate
    recall: WeightedEstimate
    bands_without_labels: int  # bands holding pairs of which none is labelled yet


def _ratios(matches: np.ndarray, pairs: np.ndarray, linked: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Precision and recall per row of ``matches`` (draws x bands): NaN where a denominator is zero."""
    linked_matches = (matches * linked).sum(axis=-1)
    linked_pairs = float((pairs * linked).sum())
    all_matches = matches.sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        precision = linked_matches / linked_pairs if linked_pairs else np.full_like(linked_matches, np.nan)
        recall = np.where(all_matches > 0, linked_matches / np.where(all_matches > 0, all_matches, 1), np.nan)
    return precision, recall


def _interval(draws: np.ndarray) -> tuple[float | None, float | None]:
    finite = draws[np.isfinite(draws)]
    # An interval from a few draws that happened to be defined would be no interval at all.
    if finite.size < draws.size / 2:
        return None, None
    low, high = np.percentile(finite, [2.5, 97.5])
    return float(low), float(high)


def estimate_from_sample(bands: Sequence[BandLabels], draws: int = DRAWS, seed: int = SIMULATION_SEED) -> SampleEstimates:
    """Precision and recall over all scored pairs, weighting each band's labels by the band's size."""
    with_pairs = [b for b in bands if b.pairs > 0]
    missing = sum(1 for b in with_pairs if b.labelled == 0)
    if not with_pairs:
        empty = WeightedEstimate(None, None, None)
        return SampleEstimates(empty, empty, 0)
    pairs = np.array([b.pairs for b in with_pairs], dtype=float)
    linked = np.array([b.linked for b in with_pairs], dtype=float)

    point_precision = point_recall = None
    if missing == 0:
        matches = np.array([b.estimated_matches for b in with_pairs], dtype=float)
        p, r = _ratios(matches, pairs, linked)
        point_precision = None if np.isnan(p) else float(p)
        point_recall = None if np.isnan(r) else float(r)

    rng = np.random.default_rng(seed)
    shares = np.empty((draws, len(with_pairs)))
    for i, band in enumerate(with_pairs):
        if band.labelled == band.pairs:
            shares[:, i] = band.same / band.labelled  # every pair labelled: the share is known
        else:
            shares[:, i] = rng.beta(band.same + 0.5, band.labelled - band.same + 0.5, size=draws)
    precision_draws, recall_draws = _ratios(shares * pairs, pairs, linked)
    return SampleEstimates(
        precision=WeightedEstimate(point_precision, *_interval(precision_draws)),
        recall=WeightedEstimate(point_recall, *_interval(recall_draws)),
        bands_without_labels=missing,
    )
