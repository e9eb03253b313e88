"""Residents are clusters of source records found by matching: measured against the synthetic truth,
which the hub never reads (docs/decisions/0102)."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest

from boroughhub.linkage import PersonRecord, TooFewRecords, match_people
from boroughhub.synthetic import build_residents
from tests.residents.conftest import TODAY

#: Large enough that every source holds a few hundred people and the model has something to learn from.
MEASURED_COUNT = 400


def same_pairs(cluster_of: dict[str, str]) -> set[frozenset[str]]:
    members: dict[str, list[str]] = {}
    for key, cluster in cluster_of.items():
        members.setdefault(cluster, []).append(key)
    return {frozenset(pair) for keys in members.values() for pair in combinations(sorted(keys), 2)}


def test_each_source_has_its_own_ids_and_records_people_its_own_way() -> None:
    world = build_residents(TODAY, seed=3, count=300)
    truth_ids = {r.resident_id for r in world.residents}
    assert not {p.local_id for p in world.source_people.values()} & truth_ids
    assert not {i.record_key for i in world.involvements} & truth_ids
    people = {r.resident_id: r for r in world.residents}
    differs = Counter()
    for key, person in world.source_people.items():
        true = people[world.truth[key]]
        differs["name"] += (person.first_name, person.last_name) != (true.first_name, true.last_name)
        differs["swapped"] += (person.first_name, person.last_name) == (true.last_name, true.first_name)
        differs["no_dob"] += person.date_of_birth is None
    assert differs["name"] >= 10 and differs["swapped"] >= 2 and differs["no_dob"] >= 3
    assert all(p.date_of_birth is not None for p in world.source_people.values() if p.source == "asc_cld")


def test_demo_residents_match_the_truth_with_high_precision(frozen: Any, make_user: Callable[..., Any],
                                                             tmp_path: Path, db: Any) -> None:
    """Pairwise precision and recall of the hub's residents against the generator's truth, over every
    source record the demo submitted (a record not loaded counts against recall)."""
    for org in ("gla", "lambeth", "westminster"):
        for role in ("ig_lead", "uploader", "frontline_worker"):
            make_user(f"{role}@{org}.example", org, role, password=None)
    from boroughhub.residents import seed_demo_residents
    from boroughhub.residents.models import SourceRecord

    no_truth_files = tmp_path / "none"
    message = seed_demo_residents(today=TODAY, count=MEASURED_COUNT, truth=no_truth_files)
    world = build_residents(TODAY, seed=20261207, count=MEASURED_COUNT, truth=no_truth_files)
    # The demo leaves the truth beside its submissions, for measuring; the hub never reads it.
    from django.conf import settings

    with (Path(settings.DATA_DIR) / "residents" / "truth" / "resident_records.csv").open(encoding="utf-8") as handle:
        assert dict(csv.reader(handle)) == {"record": "resident", **world.truth}
    hub = dict(SourceRecord.objects.values_list("key", "resident_id"))
    assert set(hub) <= set(world.truth) and len(hub) >= 0.97 * len(world.truth)
    found, true = same_pairs(hub), same_pairs(world.truth)
    precision = len(found & true) / len(found)
    recall = len(found & true) / len(true)
    print(f"\n{len(world.truth)} source records, {len(set(world.truth.values()))} true residents, "
          f"{len(set(hub.values()))} hub residents; pairwise precision {precision:.3f}, recall {recall:.3f}; "
          f"{message}")
    assert precision >= 0.95
    assert recall >= 0.80
    # The named residents are whole: Amara's ASC, housing and outreach records are one resident.
    amara = {key for key, resident in world.truth.items() if resident == "R-DEMO-0001"}
    assert len({hub[key] for key in amara}) == 1 and len(amara) == 3


def _records(n: int) -> list[PersonRecord]:
    first = ("Amara", "James", "Fatima", "Oliver", "Aisha", "George", "Mei", "Daniel")
    last = ("Smith", "Okafor", "Khan", "Jones", "Nowak", "Patel", "Williams", "Ahmed")
    return [PersonRecord(f"hclic:w:{k}", "hclic", first[k % 8], last[k // 8 % 8], f"19{40 + k % 50}-0{1 + k % 9}-1{k % 10}")
            for k in range(n)]


def test_people_the_caller_holds_apart_never_merge_and_a_new_record_joins_its_match() -> None:
    held = _records(40)
    twin = PersonRecord("chain:gla:twin", "chain", held[0].first_name, held[0].last_name, held[0].date_of_birth)
    again = PersonRecord("asc_cld:lambeth:again", "asc_cld", held[5].first_name, held[5].last_name,
                         held[5].date_of_birth)
    groups = {r.key: f"resident-{n}" for n, r in enumerate(held)} | {"chain:gla:twin": "resident-twin"}
    match = match_people([*held, twin, again], groups)
    assert match.clusters[twin.key] != match.clusters[held[0].key]  # two residents the caller holds: kept two
    assert match.clusters[again.key] == match.clusters[held[5].key]
    assert len({match.clusters[r.key] for r in held}) == 40


def test_matching_refuses_too_few_records_to_train() -> None:
    with pytest.raises(TooFewRecords, match="at least 20"):
        match_people(_records(5))


def test_a_resubmitted_extract_keeps_its_residents(residents_demo: Any, tmp_path: Path) -> None:
    from io import StringIO

    from django.core.management import call_command

    from boroughhub.residents.models import Resident, SourceRecord
    from boroughhub.residents.store.demo import write_asc_submission
    from boroughhub.synthetic import build_residents as rebuild

    world = rebuild(TODAY, seed=20261207, count=40, truth=tmp_path / "none")
    path = write_asc_submission(world, tmp_path)["lambeth"]
    before = (Resident.objects.count(), dict(SourceRecord.objects.values_list("key", "resident_id")))
    out = StringIO()
    call_command("residents", "submit-asc", str(path), user="uploader@lambeth.example", stdout=out)
    assert "(0 residents new to the hub)" in out.getvalue()
    assert "uncertain pairs kept apart (not merged)" in out.getvalue()
    assert (Resident.objects.count(), dict(SourceRecord.objects.values_list("key", "resident_id"))) == before


def test_the_data_manager_sees_each_loads_matching_in_counts_only(residents_demo: Any,
                                                                   client_acting_as: Callable[..., Any]) -> None:
    from boroughhub.audit import AuditEntry
    from boroughhub.residents.models import MatchingRun
    from tests.pagecheck import check_page

    runs = list(MatchingRun.objects.order_by("id"))
    assert [r.loaded for r in runs][:2] == ["Housing, outreach and hostel records (demo)", "ASC CLD of lambeth"]
    assert runs[1].matched_to_known >= 1  # Amara's Lambeth ASC record joined her housing and outreach resident
    assert all(r.records == r.already_held + r.matched_to_known + r.new_resident_records + r.without_date_of_birth
               for r in runs)
    manager = client_acting_as("data_manager", "hub")
    assert 'href="/residents/matching"' in manager.get("/home").content.decode()
    page = manager.get("/residents/matching")
    html = page.content.decode()
    check_page(page, forbidden=("Okafor", "Amara", "Lindqvist", "R-"))
    assert "ASC CLD of lambeth" in html and "Uncertain pairs kept apart" in html
    assert AuditEntry.objects.filter(action="view_matching_runs").count() == 1
    worker = client_acting_as("frontline_worker", "lambeth")
    assert worker.get("/residents/matching").status_code == 403
    assert 'href="/residents/matching"' not in worker.get("/home").content.decode()
