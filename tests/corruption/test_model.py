"""The second corruption model (benchmarks/corruption): seeded, independent, with the errors it promises."""

from __future__ import annotations

import ast
from collections import Counter, defaultdict
from pathlib import Path

from benchmarks.corruption import model
from benchmarks.corruption.model import FIELDS, QUALITY, generate, population


def test_same_seed_same_files_other_seed_other_files() -> None:
    assert generate(300, 7) == generate(300, 7)
    assert generate(300, 7)[0] != generate(300, 8)[0]


def test_truth_covers_every_record_and_people_repeat_across_services() -> None:
    files, truth = generate(600, 11)
    keys = [f"{service}:{r['record_id']}" for service, rows in files.items() for r in rows]
    assert sorted(keys) == sorted(truth) and len(set(keys)) == len(keys)
    assert all(list(r) == list(FIELDS) for rows in files.values() for r in rows)
    records_per_person = Counter(truth.values())
    assert sum(1 for n in records_per_person.values() if n >= 2) > 0.5 * len(records_per_person)
    formats = {service: rows[0]["date_of_birth"] for service, rows in files.items()}
    assert "-" in formats["gp"] and "/" in formats["housing"] and formats["school"].isdigit()


def test_households_share_surname_address_and_birth_year_and_twins_share_a_birthday() -> None:
    import random

    people = population(3000, random.Random(5))
    by_house: dict[tuple[str, int, str], list[model.Person]] = defaultdict(list)
    for person in people:
        by_house[(person.postcode, person.house, person.street)].append(person)
    same_year = twins = 0
    for members in by_house.values():
        assert len({m.last_name for m in members}) == 1
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                same_year += a.birth.year == b.birth.year and a.birth != b.birth
                twins += a.birth == b.birth and a.first_name != b.first_name
    assert same_year > 50 and twins > 5


def test_records_carry_the_promised_errors() -> None:
    files, truth = generate(2000, 3)
    school = files["school"]
    missing_dob = sum(1 for r in school if not r["date_of_birth"]) / len(school)
    assert abs(missing_dob - QUALITY["school"].dob_missing) < 0.03
    assert any(r["date_of_birth"].endswith("0701") for r in school)  # the 1 July placeholder
    nicknames = {n for variants in model.NICKNAMES.values() for n in variants}
    assert sum(1 for r in school if r["first_name"] in nicknames) > 20
    assert sum(1 for r in files["housing"] if r["address"] == "") > 0


def test_shares_nothing_with_the_project_generator_or_name_maps() -> None:
    folder = Path(model.__file__).parent
    for path in folder.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom | ast.Import):
                names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
                assert not any(n.startswith("boroughhub") for n in names), path
