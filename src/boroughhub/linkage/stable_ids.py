"""Stable, pseudonymous person ids across linkage runs.

A new cluster inherits the person id its records held before, so ids persist when new extracts
arrive or the model is retrained:

- Each previous id goes to at most one new cluster: the one holding most of that id's records
  (ties: the cluster with the smaller label).
- A cluster whose records held several ids (a merge) keeps the id that most of its records held
  (ties: the older id, then the smaller id); the other ids retire.
- A cluster split off from a person keeps nothing and gets a new id, as do clusters of new records.

New ids are random (``P`` + 16 hex digits), so they reveal nothing about the records or their order.
"""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Callable


def new_person_id() -> str:
    return "P" + secrets.token_hex(8).upper()


def assign_person_ids(
    clusters: dict[str, str],
    previous: dict[str, str],
    id_age: dict[str, int] | None = None,
    make_id: Callable[[], str] = new_person_id,
) -> dict[str, str]:
    """Map each record id to a person id.

    ``clusters`` maps record id -> cluster label; ``previous`` maps record id -> person id from the
    last run; ``id_age`` ranks previous ids (smaller = older) for tie-breaks.
    """
    id_age = id_age or {}
    overlap: dict[str, Counter[str]] = {}
    for record, label in clusters.items():
        old = previous.get(record)
        if old is not None:
            overlap.setdefault(label, Counter())[old] += 1

    # Each candidate (cluster, old id) ranked by overlap, then age of the id, then the labels.
    candidates = sorted(
        ((count, label, old) for label, counter in overlap.items() for old, count in counter.items()),
        key=lambda c: (-c[0], id_age.get(c[2], 1 << 62), c[2], c[1]),
    )
    cluster_id: dict[str, str] = {}
    used: set[str] = set()
    for _, label, old in candidates:
        if label in cluster_id or old in used:
            continue
        cluster_id[label] = old
        used.add(old)

    for label in sorted(set(clusters.values())):
        if label not in cluster_id:
            fresh = make_id()
            while fresh in used:
                fresh = make_id()
            cluster_id[label] = fresh
            used.add(fresh)
    return {record: cluster_id[label] for record, label in clusters.items()}
