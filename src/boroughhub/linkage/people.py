"""Matching a few sources' person records into people, for rooms that hold their own records.

Another room (the resident view) keeps each source's people under the source's own local ids and
needs to know which of them are the same person. ``match_people`` does that with this room's model:
the records are standardised, the model is trained on them (unsupervised; at least
``MIN_RECORDS_TO_TRAIN``), candidate pairs are scored and clustered. People the caller already holds
are passed as ``groups``: their records stay together and two groups never merge, so a load can add
records to a person but never join two people the hub already keeps apart. A pair scored between
``MATCH_THRESHOLD`` and the caller's (stricter) ``threshold`` is *uncertain*: it does not merge, and
it is counted so that a data manager can see how many such pairs were held apart.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from boroughhub.linkage.backend_choice import make_backend
from boroughhub.linkage.cluster import cluster_records
from boroughhub.linkage.model_settings import MATCH_THRESHOLD
from boroughhub.linkage.predict import predict_pairs
from boroughhub.linkage.standardise import standardise
from boroughhub.linkage.train import optional_fields_present, train

#: Expectation maximisation needs enough pairs to tell matches from non-matches.
MIN_RECORDS_TO_TRAIN = 20
PERSON_FIELDS = ("first_name", "last_name", "date_of_birth", "postcode", "ni_number")


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """One source's record of a person: ``key`` is unique across sources; dates as YYYY-MM-DD or ""."""

    key: str
    source: str
    first_name: str
    last_name: str
    date_of_birth: str = ""
    postcode: str = ""
    ni_number: str = ""


@dataclass(frozen=True, slots=True)
class PeopleMatch:
    #: record key -> cluster label (the smallest record key of its cluster)
    clusters: dict[str, str]
    #: pairs between different clusters scored at or above ``MATCH_THRESHOLD`` but below the threshold used
    uncertain_pairs: int


class TooFewRecords(ValueError):
    """Matching needs more records than it was given to train its model."""


def match_people(records: Sequence[PersonRecord], groups: Mapping[str, str] | None = None,
                 threshold: float = 0.9) -> PeopleMatch:
    """Cluster ``records``; ``groups`` maps record keys to the person the caller already holds them as."""
    if len({r.key for r in records}) != len(records):
        raise ValueError("Each person record needs its own key.")
    if len(records) < MIN_RECORDS_TO_TRAIN:
        raise TooFewRecords(f"{len(records)} person records: matching needs at least {MIN_RECORDS_TO_TRAIN} to "
                            "train its model.")
    raw = pa.table({
        "unique_id": [r.key for r in records],
        "source": [r.source for r in records],
        "supplier_code": [r.source for r in records],
        "record_key": [r.key for r in records],
        **{name: [getattr(r, name) or None for r in records] for name in PERSON_FIELDS},
    }, schema=pa.schema([(n, pa.string()) for n in ("unique_id", "source", "supplier_code", "record_key",
                                                     *PERSON_FIELDS)]))
    con = duckdb.connect()
    try:
        con.register("people_raw_arrow", raw)
        con.execute("CREATE TABLE people_raw AS SELECT * FROM people_raw_arrow")
        standardise(con, "people_raw", "people_std")
        standardised = con.sql("SELECT * FROM people_std").to_arrow_table()
    finally:
        con.close()
    engine = make_backend("duckdb")
    try:
        model = train(engine, standardised, optional_fields_present(standardised) & {"postcode", "ni_number"})
        pairs = predict_pairs(engine, standardised, model)
    finally:
        engine.close()
    clusters = cluster_records([r.key for r in records], pairs, threshold, keep_apart=dict(groups or {}))
    near = pairs.filter(pc.and_(pc.greater_equal(pairs.column("match_probability"), MATCH_THRESHOLD),
                                pc.less(pairs.column("match_probability"), threshold)))
    uncertain = sum(1 for left, right in zip(near.column("unique_id_l").to_pylist(),
                                             near.column("unique_id_r").to_pylist(), strict=True)
                    if clusters[left] != clusters[right])
    return PeopleMatch(clusters, uncertain)
