"""Clustering scored pairs into persons, respecting clerical decisions.

Rules, in order of precedence:

1. A clerical "not the same person" decision is never overruled: its two records never end up
   in one cluster, whatever chain of other links joins them.
2. A clerical "same person" decision always links its two records (unless rule 1 forbids it).
3. Records in ``keep_apart`` groups (a caller's groups that must stay whole) are never merged.
4. Otherwise a pair at or above the threshold links its records (connected components).

Fast path: connected components (scipy) over all links. Only components that break rule 1 or 3
are redone greedily: links are added strongest first, skipping any that would join records
that must stay apart. Results are deterministic (ties broken by record id).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components


class _UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))
        self.members: dict[int, set[int]] = {i: {i} for i in range(size)}

    def find(self, node: int) -> int:
        root = node
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[node] != root:
            self.parent[node], node = root, self.parent[node]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra] |= self.members.pop(rb)


def cluster_records(
    record_ids: Sequence[str],
    pairs: pa.Table,
    threshold: float,
    same: Iterable[tuple[str, str]] = (),
    not_same: Iterable[tuple[str, str]] = (),
    keep_apart: dict[str, str] | None = None,
) -> dict[str, str]:
    """Map each record id to a cluster label (the smallest record id in its cluster).

    ``pairs`` has ``unique_id_l``, ``unique_id_r``, ``match_probability``; ``keep_apart`` maps a
    record id to a group (records of different groups never merge).
    """
    ids = sorted(set(record_ids))
    index = {rid: i for i, rid in enumerate(ids)}
    strong = pairs.filter(pc.greater_equal(pairs.column("match_probability"), threshold))
    left = [index[x] for x in strong.column("unique_id_l").to_pylist() if x in index]
    right = [index[x] for x in strong.column("unique_id_r").to_pylist() if x in index]
    probability = strong.column("match_probability").to_pylist()
    if len(left) != strong.num_rows or len(right) != strong.num_rows:
        raise ValueError("A scored pair refers to a record that is not in the set being clustered.")
    edges = list(zip(left, right, probability, strict=True))
    edges += [(index[a], index[b], 2.0) for a, b in same if a in index and b in index]
    forbidden = {frozenset((index[a], index[b])) for a, b in not_same if a in index and b in index}
    group_of = {index[r]: g for r, g in (keep_apart or {}).items() if r in index}
    edges = [e for e in edges if frozenset((e[0], e[1])) not in forbidden]
    # Existing groups are whole: their members are linked to each other.
    first_of_group: dict[str, int] = {}
    for node, group in sorted(group_of.items()):
        if group in first_of_group:
            edges.append((first_of_group[group], node, 3.0))
        else:
            first_of_group[group] = node

    labels = _components(len(ids), edges)
    bad = _components_breaking_rules(labels, forbidden, group_of)
    if bad:
        labels = _greedy_relabel(labels, bad, edges, forbidden, group_of)
    return _label_by_smallest_id(ids, labels)


def _components(size: int, edges: list[tuple[int, int, float]]) -> np.ndarray:
    if not edges:
        return np.arange(size)
    rows = np.array([e[0] for e in edges], dtype=np.int64)
    cols = np.array([e[1] for e in edges], dtype=np.int64)
    graph = coo_matrix((np.ones(len(edges), dtype=np.int8), (rows, cols)), shape=(size, size))
    _, labels = connected_components(graph, directed=False)
    return np.asarray(labels)


def _components_breaking_rules(
    labels: np.ndarray, forbidden: set[frozenset[int]], group_of: dict[int, str]
) -> set[int]:
    bad = set()
    for pair in forbidden:
        a, b = tuple(pair)
        if labels[a] == labels[b]:
            bad.add(int(labels[a]))
    groups_in_component: dict[int, str] = {}
    for node, group in group_of.items():
        component = int(labels[node])
        if groups_in_component.setdefault(component, group) != group:
            bad.add(component)
    return bad


def _greedy_relabel(
    labels: np.ndarray,
    bad: set[int],
    edges: list[tuple[int, int, float]],
    forbidden: set[frozenset[int]],
    group_of: dict[int, str],
) -> np.ndarray:
    labels = labels.copy()
    nodes = [int(n) for n in np.flatnonzero(np.isin(labels, list(bad)))]
    local = {node: i for i, node in enumerate(nodes)}
    apart: dict[int, set[int]] = {}
    for pair in forbidden:
        a, b = tuple(pair)
        if a in local and b in local:
            apart.setdefault(local[a], set()).add(local[b])
            apart.setdefault(local[b], set()).add(local[a])
    uf = _UnionFind(len(nodes))
    group_members: dict[int, str] = {local[n]: g for n, g in group_of.items() if n in local}
    candidate = sorted(
        (e for e in edges if e[0] in local and e[1] in local), key=lambda e: (-e[2], min(e[0], e[1]), max(e[0], e[1]))
    )
    for a, b, _ in candidate:
        ra, rb = uf.find(local[a]), uf.find(local[b])
        if ra == rb:
            continue
        members_a, members_b = uf.members[ra], uf.members[rb]
        if any(apart.get(m, set()) & members_b for m in members_a):
            continue
        groups_a = {group_members[m] for m in members_a if m in group_members}
        groups_b = {group_members[m] for m in members_b if m in group_members}
        if groups_a and groups_b and groups_a != groups_b:
            continue
        uf.union(ra, rb)
    next_label = int(labels.max()) + 1 if len(labels) else 0
    roots: dict[int, int] = {}
    for node in nodes:
        root = uf.find(local[node])
        if root not in roots:
            roots[root] = next_label
            next_label += 1
        labels[node] = roots[root]
    return labels


def _label_by_smallest_id(ids: list[str], labels: np.ndarray) -> dict[str, str]:
    smallest: dict[int, str] = {}
    for rid, label in zip(ids, labels.tolist(), strict=True):
        smallest.setdefault(label, rid)  # ids are sorted, so the first seen is the smallest
    return {rid: smallest[label] for rid, label in zip(ids, labels.tolist(), strict=True)}


def household_pairs(record_ids: Sequence[str], households: Sequence[str | None]) -> list[tuple[str, str]]:
    """Every pair of records that share a household: different people, to be kept apart.

    A household (an H-CLIC case) lists each of its members once, so two of its records are two
    people, however alike: twins share a surname and a date of birth, and a linked chain through
    another case would otherwise merge them (docs/decisions/0190-linkage-activity-evidence.md).
    """
    members: dict[str, list[str]] = {}
    for record_id, household in zip(record_ids, households, strict=True):
        if household is not None:
            members.setdefault(household, []).append(record_id)
    return [(a, b) for group in members.values() for i, a in enumerate(group) for b in group[i + 1:]]
