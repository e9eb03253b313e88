"""Clustering scored pairs into persons, respecting clerical decisions.

Rules, in order of precedence:

1. A clerical "not the same person" decision is never overruled: its two records never end up
   in one cluster, whatever chain of other links joins them.
2. A clerical "same person" decision always links its two records (unless rule 1 forbids it).
3. Records in ``keep_apart`` groups (a caller's groups that must stay whole) are never merged.
4. Otherwise a pair at or above the threshold links its records (connected components).

``cluster_persons`` adds what the records themselves rule out or in (households applying again, dates of
birth no keying slip explains: docs/decisions/0191-linkage-households-and-contradicting-dates.md; CHAIN records
joined only through other sources: 0201) as constraints of rules 1 and 2.

Fast path: connected components (scipy) over all links. Only components that break rule 1 or 3
are redone greedily: links are added strongest first, skipping any that would join records
that must stay apart. Results are deterministic (ties broken by record id).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from boroughhub.linkage.one_register import register_records_joined_through_others
from boroughhub.linkage.union_find import UnionFind


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
    uf = UnionFind(len(nodes))
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


# H-CLIC's code for a household member who is a child of the household (hclic_relationship.csv).
CHILD = "child"


def cluster_persons(
    records: pa.Table,
    pairs: pa.Table,
    threshold: float,
    same: Iterable[tuple[str, str]] = (),
    not_same: Iterable[tuple[str, str]] = (),
) -> dict[str, str]:
    """``cluster_records`` over standardised ``records``, with what households say about their people.

    A household (an H-CLIC case) lists each of its people once, so two of its records are two people
    (``household_pairs``). And a household that approaches a council again brings the same people:

    - two records of two households whose other members are already one person, with the same full
      name, are one person, even where their own evidence falls short (a child's date of birth left out);
    - two children of two households are one person only if an adult of the one household is one person
      with an adult of the other: a child is in a case only with the adults who apply, and two children
      born on one day with one first name are otherwise usually two children.

    And records whose dates of birth no keying slip explains are two people, however a chain of links
    joins them (``dates_of_birth_that_contradict``), as are two CHAIN records that only other sources'
    records join (``register_records_joined_through_others``). Each rule is a "same" or "not the same" constraint
    on ``cluster_records``, so clerical decisions keep their precedence.
    """
    ids = records.column("unique_id").to_pylist()
    same, not_same = list(same), list(not_same)
    clerical_same = list(same)
    households = _column(records, "household")
    not_same += household_pairs(ids, households)
    clusters = cluster_records(ids, pairs, threshold, same, not_same)
    if any(h is not None for h in households):
        same += households_applying_again(ids, households, _column(records, "full_name"), pairs, threshold,
                                          clusters)
        clusters = cluster_records(ids, pairs, threshold, same, not_same)
    apart = dates_of_birth_that_contradict(ids, _column(records, "dob"), clusters)
    apart += children_without_their_adults(ids, households, _column(records, "household_role"), clusters)
    apart += register_records_joined_through_others(ids, _column(records, "source"), pairs, threshold, clusters)
    # A clerical "same person" decision outranks what the records rule out.
    apart = _not_joined_by(clerical_same, apart)
    if apart:
        clusters = cluster_records(ids, pairs, threshold, same, not_same + apart)
    return clusters


def _not_joined_by(same: list[tuple[str, str]], pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``pairs`` whose two records no chain of ``same`` pairs joins."""
    if not same:
        return pairs
    nodes = sorted({r for pair in same for r in pair})
    index = {r: i for i, r in enumerate(nodes)}
    joined = UnionFind(len(nodes))
    for a, b in same:
        joined.union(index[a], index[b])
    return [(a, b) for a, b in pairs
            if a not in index or b not in index or joined.find(index[a]) != joined.find(index[b])]


def _column(records: pa.Table, name: str) -> list[str | None]:
    return records.column(name).to_pylist() if name in records.column_names else [None] * records.num_rows


def _members(record_ids: Sequence[str], households: Sequence[str | None]) -> dict[str, list[str]]:
    members: dict[str, list[str]] = {}
    for record_id, household in zip(record_ids, households, strict=True):
        if household is not None:
            members.setdefault(household, []).append(record_id)
    return members


def households_applying_again(
    record_ids: Sequence[str],
    households: Sequence[str | None],
    full_names: Sequence[str | None],
    pairs: pa.Table,
    threshold: float,
    clusters: dict[str, str],
) -> list[tuple[str, str]]:
    """Scored pairs below ``threshold`` of two households' records with the same full name, where another
    member of the one household is in one person (``clusters``) with another member of the other."""
    household_of = dict(zip(record_ids, households, strict=True))
    name_of = dict(zip(record_ids, full_names, strict=True))
    members = _members(record_ids, households)
    weak = pairs.filter(pc.less(pairs.column("match_probability"), threshold))
    found = []
    for a, b in zip(weak.column("unique_id_l").to_pylist(), weak.column("unique_id_r").to_pylist(), strict=True):
        house_a, house_b = household_of.get(a), household_of.get(b)
        if house_a is None or house_b is None or house_a == house_b or clusters[a] == clusters[b]:
            continue
        if name_of[a] is None or name_of[a] != name_of[b]:
            continue
        persons_a = {clusters[m] for m in members[house_a] if m != a}
        if persons_a & {clusters[m] for m in members[house_b] if m != b}:
            found.append((a, b))
    return found


def children_without_their_adults(
    record_ids: Sequence[str],
    households: Sequence[str | None],
    roles: Sequence[str | None],
    clusters: dict[str, str],
) -> list[tuple[str, str]]:
    """Pairs of child records of two households put in one person (``clusters``) although no adult of the
    one household is in one person with an adult of the other: to be kept apart."""
    members = _members(record_ids, households)
    role_of = dict(zip(record_ids, roles, strict=True))
    household_of: dict[str, str] = {}
    children: dict[str, list[str]] = {}
    for record_id, household, role in zip(record_ids, households, roles, strict=True):
        if role == CHILD and household is not None:
            household_of[record_id] = household
            children.setdefault(clusters[record_id], []).append(record_id)

    def adults(household: str) -> set[str]:
        return {clusters[m] for m in members[household] if role_of[m] != CHILD}

    apart = []
    for group in children.values():
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                house_a, house_b = household_of[a], household_of[b]
                if house_a != house_b and not adults(house_a) & adults(house_b):
                    apart.append((a, b))
    return apart


# Dates of birth further apart than this (five years, the model's "else" level) and no keying slip apart are
# two people's. Nearer dates are left to the model: sources also hold a year and a day wrong at once.
DATES_APART_DAYS = 1827


def dates_of_birth_that_contradict(
    record_ids: Sequence[str], dates_of_birth: Sequence[str | None], clusters: dict[str, str]
) -> list[tuple[str, str]]:
    """Pairs of records in one person (``clusters``) whose recorded dates of birth (ISO) are more than five
    years apart and no keying slip explains: to be kept apart.

    One person's records disagree on a date of birth by years only as a keyed date goes wrong: one
    character changed or two swapped, day and month swapped, the year alone wrong, a 1 January default
    (the levels of ``model_settings.date_of_birth_comparison``). Linked record to record, a chain of links
    (often through records without a date of birth) can still join two people born years apart; their own
    pair says they are two.
    """
    dated: dict[str, list[tuple[str, str]]] = {}
    for record_id, born in zip(record_ids, dates_of_birth, strict=True):
        if born is not None:
            dated.setdefault(clusters[record_id], []).append((record_id, born))
    apart = []
    for group in dated.values():
        for i, (a, born_a) in enumerate(group):
            for b, born_b in group[i + 1:]:
                if not _keying_slip_apart(born_a, born_b):
                    apart.append((a, b))
    return apart


def _keying_slip_apart(a: str, b: str) -> bool:
    if a == b:
        return True
    different = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y] if len(a) == len(b) else None
    if different is not None and (len(different) == 1 or (
            len(different) == 2 and different[1] == different[0] + 1 and a[different[0]] == b[different[1]]
            and a[different[1]] == b[different[0]])):
        return True
    year_a, month_a, day_a = a.split("-")
    year_b, month_b, day_b = b.split("-")
    if (month_a, day_a) == (month_b, day_b) or (year_a == year_b and (month_a, day_a) == (day_b, month_b)):
        return True
    if year_a == year_b and "01-01" in (f"{month_a}-{day_a}", f"{month_b}-{day_b}"):
        return True
    return abs((date.fromisoformat(a) - date.fromisoformat(b)).days) <= DATES_APART_DAYS
