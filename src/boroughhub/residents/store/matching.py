"""Which resident each newly loaded source record is: matched with the linkage room's model, never by
an id another source uses (docs/decisions/0102).

Every record the hub already holds keeps its resident; a new record joins the resident whose records
it matches with probability >= ``MERGE_PROBABILITY``, or founds a new resident with the new records it
matches. Two residents the hub holds are never merged by a load, and an uncertain pair (scored above
the linkage threshold but below ``MERGE_PROBABILITY``) stays apart and is counted. A new resident needs
a date of birth (the agreement's age rule reads it): a cluster of new records without one is not loaded,
and counted. Runs inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils import timezone

from boroughhub.linkage import PersonRecord, TooFewRecords, match_people
from boroughhub.residents.models import MatchingRun, Resident, SourceRecord
from boroughhub.residents.people import MERGE_PROBABILITY, RecordedPerson, naming_record, resident_id_for
from boroughhub.residents.rules import fold_name


@dataclass
class Matched:
    #: record key -> resident id, for every record loaded (records not loaded are absent)
    resident_of: dict[str, str] = field(default_factory=dict)
    already_held: int = 0
    residents_added: int = 0
    #: new records that founded or joined a new resident
    residents_added_records: int = 0
    matched_to_known: int = 0
    uncertain_pairs: int = 0
    without_date_of_birth: int = 0
    #: matching could not run (too few records to train); every new record became its own resident
    unmatched_reason: str = ""


def _linkage_record(person: RecordedPerson) -> PersonRecord:
    born = person.date_of_birth.isoformat() if person.date_of_birth else ""
    return PersonRecord(person.key, person.source, person.first_name, person.last_name, born, person.postcode)


def _held(row: SourceRecord) -> RecordedPerson:
    return RecordedPerson(row.source, row.supplier, row.local_id, row.first_name, row.last_name,
                          row.date_of_birth, row.postcode)


def assign_residents(people: Sequence[RecordedPerson], loaded: str) -> Matched:
    """Give each of ``people`` its resident, adding the residents and source records that are new; the
    counts are kept as a ``MatchingRun`` (``loaded`` says what was loaded, in words)."""
    outcome = _assign(people)
    MatchingRun.objects.create(
        ran_at=timezone.now(), loaded=loaded, records=len({p.key for p in people}),
        already_held=outcome.already_held, matched_to_known=outcome.matched_to_known,
        residents_added=outcome.residents_added, new_resident_records=outcome.residents_added_records,
        uncertain_pairs=outcome.uncertain_pairs,
        without_date_of_birth=outcome.without_date_of_birth, unmatched_reason=outcome.unmatched_reason)
    return outcome


def _assign(people: Sequence[RecordedPerson]) -> Matched:
    outcome = Matched()
    held = dict(SourceRecord.objects.filter(key__in=[p.key for p in people]).values_list("key", "resident_id"))
    outcome.resident_of.update(held)
    outcome.already_held = len(held)
    new = list({p.key: p for p in people if p.key not in held}.values())
    if not new:
        return outcome
    existing = [_held(row) for row in SourceRecord.objects.exclude(key__in=[p.key for p in new])]
    groups = dict(SourceRecord.objects.exclude(key__in=[p.key for p in new]).values_list("key", "resident_id"))
    try:
        match = match_people([_linkage_record(p) for p in existing + new], groups, MERGE_PROBABILITY)
        clusters, outcome.uncertain_pairs = match.clusters, match.uncertain_pairs
    except TooFewRecords as error:
        clusters, outcome.unmatched_reason = {p.key: p.key for p in new}, str(error)
    members: dict[str, list[RecordedPerson]] = {}
    for person in new:
        members.setdefault(clusters[person.key], []).append(person)
    resident_of_label = {clusters[key]: resident for key, resident in groups.items()}
    residents, records = [], []
    for label, cluster in sorted(members.items()):
        resident_id = resident_of_label.get(label)
        if resident_id is not None:
            outcome.matched_to_known += len(cluster)
        else:
            namer = naming_record(cluster)
            if namer is None or namer.date_of_birth is None:
                outcome.without_date_of_birth += len(cluster)
                continue
            resident_id = resident_id_for(min(p.key for p in cluster))
            outcome.residents_added_records += len(cluster)
            residents.append(Resident(resident_id=resident_id, first_name=namer.first_name,
                                      last_name=namer.last_name, first_name_folded=fold_name(namer.first_name),
                                      last_name_folded=fold_name(namer.last_name),
                                      date_of_birth=namer.date_of_birth))
        for person in cluster:
            outcome.resident_of[person.key] = resident_id
            records.append(SourceRecord(key=person.key, source=person.source, supplier=person.supplier,
                                        local_id=person.local_id, resident_id=resident_id,
                                        first_name=person.first_name, last_name=person.last_name,
                                        date_of_birth=person.date_of_birth, postcode=person.postcode.strip()[:10]))
    Resident.objects.bulk_create(residents, batch_size=2000)
    SourceRecord.objects.bulk_create(records, batch_size=2000)
    outcome.residents_added = len(residents)
    return outcome
