"""Accuracy of a clustering against the truth: pairwise precision, recall, F1 and cluster F1.

Pairwise: every pair of records put in one cluster is a predicted link; true links are pairs of
records of one true person. Cluster F1: a predicted cluster counts as correct only if it equals a
true person's record set exactly; precision = correct / predicted clusters, recall = correct /
true persons.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass


@dataclass(frozen=True)
class Accuracy:
    precision: float
    recall: float
    f1: float
    cluster_f1: float
    true_pairs: int
    predicted_pairs: int


def _f1(precision: float, recall: float) -> float:
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


def _pairs_within(groups: dict[str, list[str]]) -> int:
    return sum(len(m) * (len(m) - 1) // 2 for m in groups.values())


def measure(predicted: dict[str, str], truth: dict[str, str]) -> Accuracy:
    """``predicted`` and ``truth`` map record id -> cluster / person (over the same records)."""
    records = [r for r in truth if r in predicted]
    both: Counter[tuple[str, str]] = Counter((predicted[r], truth[r]) for r in records)
    true_positive = sum(n * (n - 1) // 2 for n in both.values())
    by_pred: dict[str, list[str]] = defaultdict(list)
    by_true: dict[str, list[str]] = defaultdict(list)
    for r in records:
        by_pred[predicted[r]].append(r)
        by_true[truth[r]].append(r)
    predicted_pairs, true_pairs = _pairs_within(by_pred), _pairs_within(by_true)
    precision = true_positive / predicted_pairs if predicted_pairs else 1.0
    recall = true_positive / true_pairs if true_pairs else 1.0
    true_sets = {frozenset(m) for m in by_true.values()}
    exact = sum(1 for m in by_pred.values() if frozenset(m) in true_sets)
    cluster_precision = exact / len(by_pred) if by_pred else 1.0
    cluster_recall = exact / len(by_true) if by_true else 1.0
    return Accuracy(
        precision=precision,
        recall=recall,
        f1=_f1(precision, recall),
        cluster_f1=_f1(cluster_precision, cluster_recall),
        true_pairs=true_pairs,
        predicted_pairs=predicted_pairs,
    )
