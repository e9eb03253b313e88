"""Records of one register joined only through other sources' records: two people, not one.

CHAIN is one London-wide register whose operator keeps one record per person, so two CHAIN records of
one person are a duplicate the operator missed, and alike enough for the model to link the pair itself.
A CHAIN record without a date of birth is linked on its name and area; two same-named people on CHAIN
can each be linked to one H-CLIC or InForm record, and connected components would make them one person
(the insights' returners counted one too few: issue 13). ``cluster.cluster_persons`` keeps such records
apart; rebuilt strongest link first, the other source's record goes with the CHAIN record it matches
best (docs/decisions/0201-linkage-how-the-household-applied.md).
"""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa
import pyarrow.compute as pc

from boroughhub.linkage.union_find import UnionFind

# Sources that are one London-wide register, de-duplicated by their operator: two of their records are one
# person only where the pair itself says so (a duplicate the register missed).
ONE_REGISTER_SOURCES = frozenset({"chain"})


def register_records_joined_through_others(
    record_ids: Sequence[str],
    sources: Sequence[str | None],
    pairs: pa.Table,
    threshold: float,
    clusters: dict[str, str],
) -> list[tuple[str, str]]:
    """Pairs of records of one register (CHAIN) in one person (``clusters``) that no chain of their own
    pairs at or above ``threshold`` joins (only other sources' records do): to be kept apart."""
    register = {r for r, source in zip(record_ids, sources, strict=True) if source in ONE_REGISTER_SOURCES}
    by_person: dict[str, list[str]] = {}
    for record_id in register:
        by_person.setdefault(clusters[record_id], []).append(record_id)
    several = [sorted(members) for members in by_person.values() if len(members) > 1]
    if not several:
        return []
    index = {record_id: i for i, record_id in enumerate(sorted(register))}
    linked = UnionFind(len(index))  # register records joined by their own pairs
    strong = pairs.filter(pc.greater_equal(pairs.column("match_probability"), threshold))
    for a, b in zip(strong.column("unique_id_l").to_pylist(), strong.column("unique_id_r").to_pylist(), strict=True):
        if a in index and b in index:
            linked.union(index[a], index[b])
    return [(a, b) for members in several for i, a in enumerate(members) for b in members[i + 1:]
            if linked.find(index[a]) != linked.find(index[b])]
