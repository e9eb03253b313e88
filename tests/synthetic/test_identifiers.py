"""The noise on identifiers: what each source does to names, dates of birth and NI numbers."""

from __future__ import annotations

import random
import re
from collections import Counter
from datetime import date
from pathlib import Path

from boroughhub.synthetic.identifiers import (
    CHAIN_QUALITY,
    HCLIC_QUALITY,
    RecordedIdentity,
    record_date_of_birth,
    record_identity,
    typo,
)
from boroughhub.synthetic.names import POPULATIONS, SPELLING_VARIANTS, ascii_fold
from boroughhub.synthetic.people import Person, random_ni_number
from tests.synthetic.reading import read_csv, submissions

NI = re.compile(r"^[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D]$")


def _person(first: str = "Mohammed", last: str = "Ali", population: str = "somali") -> Person:
    return Person("P1", "street", "male", first, last, date(1985, 3, 7), "SOM", "black_african", "AB123456C", population)


def test_random_ni_numbers_have_the_valid_form() -> None:
    rng = random.Random(1)
    numbers = [random_ni_number(rng) for _ in range(2000)]
    assert all(NI.match(n) and n[:2] not in {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"} for n in numbers)
    assert len(set(numbers)) == len(numbers)


def test_ascii_fold_drops_diacritics_and_polish_l() -> None:
    assert ascii_fold("Ştefan Łukasz Dąbrowski Müller") == "Stefan Lukasz Dabrowski Muller"


def test_typo_changes_a_name_slightly() -> None:
    rng = random.Random(2)
    for _ in range(200):
        changed = typo("Gebremedhin", rng)
        assert abs(len(changed) - len("Gebremedhin")) <= 1 and changed[0] == "G"


def test_spelling_families_are_symmetric() -> None:
    assert "Muhammad" in SPELLING_VARIANTS["Mohammed"] and "Mohammed" in SPELLING_VARIANTS["Muhammad"]


def test_chain_records_are_messier_than_hclic_records() -> None:
    rng = random.Random(3)
    person = _person()
    chain = [record_identity(person, CHAIN_QUALITY, rng, names_required=False) for _ in range(4000)]
    hclic = [record_identity(person, HCLIC_QUALITY, rng, names_required=True, dob_required=True) for _ in range(4000)]
    def exact(records: list[RecordedIdentity]) -> float:
        return sum(r.first_name == "Mohammed" and r.last_name == "Ali" for r in records) / len(records)

    assert exact(chain) < exact(hclic) < 1.0
    assert 0.06 < sum(bool(r.ni_number) for r in chain) / 4000 < 0.14
    assert 0.70 < sum(bool(r.ni_number) for r in hclic) / 4000 < 0.80
    assert 0.14 < sum(r.date_of_birth is None for r in chain) / 4000 < 0.22
    assert all(r.date_of_birth is not None for r in hclic)
    swapped = sum(r.first_name == "Ali" for r in chain) / 4000
    assert 0.06 < swapped < 0.18  # forename/surname swaps, tripled for Somali naming


def test_date_of_birth_noise_kinds() -> None:
    rng = random.Random(4)
    true = date(1980, 2, 9)
    seen = Counter()
    for _ in range(20000):
        dob, estimated = record_date_of_birth(true, CHAIN_QUALITY, rng)
        if dob is None:
            seen["missing"] += 1
        elif estimated:
            seen["estimated"] += 1
            assert (dob.month, dob.day) == (1, 1)
        elif dob == date(1980, 9, 2):
            seen["day_month_swap"] += 1
        elif dob.year != true.year:
            seen["wrong_year"] += 1
    assert all(seen[k] > 0 for k in ("missing", "estimated", "day_month_swap", "wrong_year"))
    assert 0.16 < seen["missing"] / 20000 < 0.20


def test_every_population_has_names_of_both_genders() -> None:
    for name, population in POPULATIONS.items():
        assert population.male and population.female and population.surnames, name


def test_generated_set_has_twins_and_shared_names(out_dir: Path) -> None:
    _, persons = read_csv(out_dir / "truth" / "persons.csv")
    by_id = {p["person_id"]: p for p in persons}
    twins = [p for p in persons if p["twin_of"]]
    assert twins
    for twin in twins:
        original = by_id[twin["twin_of"]]
        assert (twin["date_of_birth"], twin["last_name"]) == (original["date_of_birth"], original["last_name"])
    names = Counter((p["first_name"], p["last_name"]) for p in persons)
    assert names.most_common(1)[0][1] > 1  # distinct people share a name


def test_ni_numbers_mostly_missing_in_chain_and_often_present_elsewhere(out_dir: Path) -> None:
    rates = {}
    for sub in submissions(out_dir):
        table = {"chain": "chain_people", "inform": "inform_clients", "hclic": "hclic_people"}[sub.source]
        rows = sub.tables[table]
        filled, total = rates.get(sub.source, (0, 0))
        rates[sub.source] = (filled + sum(bool(r["ni_number"]) for r in rows), total + len(rows))
    share = {source: filled / total for source, (filled, total) in rates.items()}
    assert share["chain"] < 0.15 < share["hclic"]
    assert share["inform"] > 0.3


def test_people_appear_in_several_sources(out_dir: Path) -> None:
    _, records = read_csv(out_dir / "truth" / "person_records.csv")
    sources_of: dict[str, set[str]] = {}
    for r in records:
        sources_of.setdefault(r["person_id"], set()).add(r["source"])
    counts = Counter(frozenset(s) for s in sources_of.values())
    assert counts[frozenset({"chain", "inform"})] > 0
    assert counts[frozenset({"chain", "hclic"})] + counts[frozenset({"chain", "inform", "hclic"})] > 0
