"""Which records an incremental run must cluster again; the rest keep their person as it was.

A full relink clusters every record. Between two runs, though, the graph of links (pairs at or above the
threshold, plus clerical "same" decisions) changes only where a pair was scored again or dropped: at a
record that is new, changed or gone, or a stored pair whose term frequencies moved. A connected component
that none of those reach has exactly the edges it had, so a full relink would give it the same cluster and,
holding the same records as one previous person, the same person id (``stable_ids`` hands each id to the
cluster holding most of its records). Clustering again only the components the changes reach therefore
gives a full relink's partition and ids, at a cost that grows with the extract rather than with London.

The records to cluster again are found on one graph whose nodes are the records and the previous persons:
an edge for each link of the new pair set, one for each clerical "same" decision, and one from each record
to the person it belonged to. Every component of that graph holding a touched record (or a person that
lost a record) is taken whole. Taking the previous person's edges too keeps together the remains of a
person that split (their records are no longer linked to the changed record, but their id must be handed
on as a full relink would), and taking whole link components keeps together persons that a clerical
"not the same" decision had split out of one component (the greedy split looks at the whole component).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components


def records_to_recluster(
    record_ids: pa.Array | pa.ChunkedArray,
    previous_person: pa.Array | pa.ChunkedArray,
    pairs: pa.Table,
    threshold: float,
    touched: Iterable[str],
    persons_losing_records: Iterable[str] = (),
    same: Iterable[tuple[str, str]] = (),
) -> np.ndarray:
    """A boolean mask over ``record_ids``: the records whose clusters the changes can reach.

    ``previous_person`` is each record's person id from the last run (null for new records), in the order
    of ``record_ids``; ``pairs`` is every pair the run holds now (kept and newly scored); ``touched`` the
    records whose pairs changed (scored again, or an end of a new link) and those in clerical decisions;
    ``persons_losing_records`` the previous persons of records that are gone.
    """
    record_ids, previous_person = _array(record_ids), _array(previous_person)
    size = len(record_ids)
    strong = pairs.filter(pc.greater_equal(pairs.column("match_probability"), threshold))
    left = pc.index_in(strong.column("unique_id_l"), value_set=record_ids)
    right = pc.index_in(strong.column("unique_id_r"), value_set=record_ids)
    if left.null_count or right.null_count:
        raise ValueError("A scored pair refers to a record that is not in the set being clustered.")
    decided = [(a, b) for a, b in same]
    same_left = pc.index_in(pa.array([a for a, _ in decided], pa.string()), value_set=record_ids)
    same_right = pc.index_in(pa.array([b for _, b in decided], pa.string()), value_set=record_ids)
    known = pc.and_(pc.is_valid(same_left), pc.is_valid(same_right))

    # Person nodes come after the record nodes: record i -> node size + the index of its previous person.
    persons = pc.dictionary_encode(previous_person)
    has_person = pc.is_valid(persons.indices)
    person_of = pc.filter(persons.indices, has_person).to_numpy(zero_copy_only=False).astype(np.int64)
    with_person = np.flatnonzero(has_person.to_numpy(zero_copy_only=False))

    rows = np.concatenate([
        left.to_numpy(zero_copy_only=False).astype(np.int64),
        pc.filter(same_left, known).to_numpy(zero_copy_only=False).astype(np.int64),
        with_person,
    ])
    cols = np.concatenate([
        right.to_numpy(zero_copy_only=False).astype(np.int64),
        pc.filter(same_right, known).to_numpy(zero_copy_only=False).astype(np.int64),
        size + person_of,
    ])
    nodes = size + len(persons.dictionary)
    graph = coo_matrix((np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(nodes, nodes))
    _, labels = connected_components(graph, directed=False)

    seeds = pc.is_in(record_ids, value_set=pa.array(sorted(set(touched)), pa.string()))
    seed_nodes = np.flatnonzero(seeds.to_numpy(zero_copy_only=False))
    lost = pc.index_in(pa.array(sorted(set(persons_losing_records)), pa.string()), value_set=persons.dictionary)
    lost_nodes = size + pc.drop_null(lost).to_numpy(zero_copy_only=False).astype(np.int64)
    reached = np.unique(labels[np.concatenate([seed_nodes, lost_nodes])])
    return np.isin(labels[:size], reached)


def _array(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    return values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
