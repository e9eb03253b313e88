"""Seeded person records for linkage tests and benchmarks (until and beside ``boroughhub.synthetic``).

``generate_records(n_people, seed)`` makes people and the CHAIN, InForm and H-CLIC records that
describe them, with the differences real extracts show: nicknames, transliteration variants,
typos, swapped first and last names, aliases, dates of birth missing, estimated (1 January),
with day and month swapped or the year off, NI numbers for a minority, CHAIN ids recorded in
InForm. Every record keeps its true ``person`` for measuring accuracy.
``load_into_warehouse`` writes them as the warehouse's ``main`` and ``identity`` tables.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import duckdb
import pyarrow as pa

from boroughhub.linkage.names import _NICKNAME_GROUPS, _TRANSLITERATION_GROUPS

_FIRST = [
    "james", "john", "michael", "david", "robert", "william", "thomas", "daniel", "paul", "mark",
    "andrew", "stephen", "peter", "richard", "anthony", "christopher", "joseph", "samuel", "benjamin",
    "mohammed", "ahmed", "ali", "hussein", "ibrahim", "yusuf", "omar", "abdi", "hassan", "mustafa",
    "aleksandr", "sergei", "andrei", "dmitri", "piotr", "tomasz", "krzysztof", "pawel", "jakub",
    "ionut", "gheorghe", "mihai", "florin", "bogdan", "tesfaye", "haile", "dawit", "yonas", "kwame",
    "kofi", "emeka", "chukwu", "tunde", "sean", "patrick", "liam", "connor", "darren", "lee", "craig",
    "mary", "sarah", "elizabeth", "katherine", "margaret", "susan", "jennifer", "rebecca", "fatima",
    "aisha", "maryam", "amina", "natalia", "olga", "elena", "agnieszka", "joanna", "zsofia", "grace",
]
_LAST_STEMS = [
    "smith", "jones", "williams", "brown", "taylor", "davies", "evans", "wilson", "thomas", "johnson",
    "roberts", "walker", "wright", "robinson", "thompson", "white", "hughes", "edwards", "green",
    "hall", "wood", "harris", "lewis", "martin", "jackson", "clarke", "clark", "turner", "hill",
    "scott", "cooper", "morris", "ward", "moore", "king", "watson", "baker", "harrison", "morgan",
    "patel", "khan", "ali", "ahmed", "hussein", "mohammed", "rahman", "begum", "chowdhury", "singh",
    "kowalski", "nowak", "wisniewski", "wojcik", "popescu", "ionescu", "popa", "stan", "dumitru",
    "okafor", "mensah", "osei", "adeyemi", "abdullahi", "warsame", "farah", "haile", "tesfaye",
    "murphy", "kelly", "obrien", "byrne", "ryan", "doyle", "mcdonald", "mckenzie", "nguyen", "silva",
]
_SYLLABLES = ["ka", "lo", "mi", "ra", "den", "ton", "vic", "ber", "os", "an", "el", "sk", "ov", "ez", "ur"]
_NATIONALITIES = ["GBR"] * 8 + ["POL", "ROU", "ERI", "SOM", "IRL", "SDN", "AFG", "LTU", "IND", "NGA"]


def _variants(name: str) -> list[str]:
    out = []
    for canonical, variants in (*_TRANSLITERATION_GROUPS.items(), *_NICKNAME_GROUPS.items()):
        if name == canonical or name in variants:
            out += [canonical, *variants]
    return [v for v in out if v != name]


def _typo(rng: random.Random, text: str) -> str:
    if len(text) < 3:
        return text
    i = rng.randrange(1, len(text) - 1)
    kind = rng.random()
    if kind < 0.35:
        return text[:i] + text[i + 1 :]
    if kind < 0.7:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return text[:i] + rng.choice("aeiounrstl") + text[i + 1 :]


def _ni(rng: random.Random) -> str:
    return rng.choice("ABCEGHJKLMNPRSTWXYZ") + rng.choice("ABCEGHJKLMNPRSTWXYZ") + f"{rng.randrange(10**6):06d}" + rng.choice("ABCD")


def _display(rng: random.Random, name: str) -> str:
    r = rng.random()
    return name.upper() if r < 0.2 else name.title() if r < 0.95 else name


def _person(rng: random.Random, pid: int) -> dict[str, object]:
    last = rng.choice(_LAST_STEMS) if rng.random() < 0.6 else rng.choice(_LAST_STEMS)[:3] + "".join(
        rng.choice(_SYLLABLES) for _ in range(rng.randint(1, 2))
    )
    return {
        "person": f"T{pid:07d}",
        "first": rng.choice(_FIRST),
        "last": last,
        "dob": date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 55)),
        "gender": rng.choice(["male"] * 3 + ["female"]),
        "nationality": rng.choice(_NATIONALITIES),
        "ni": _ni(rng) if rng.random() < 0.6 else None,
    }


def _record(rng: random.Random, person: dict[str, object], source: str) -> dict[str, object]:
    first, last = str(person["first"]), str(person["last"])
    dob: date | None = person["dob"]  # type: ignore[assignment]
    r = rng.random()
    if r < 0.12 and _variants(first):
        first = rng.choice(_variants(first))
    elif r < 0.18:
        first = _typo(rng, first)
    if rng.random() < 0.06:
        last = _typo(rng, last)
    if rng.random() < 0.03:
        first, last = last, first
    other = None
    if rng.random() < 0.08:
        other = f"{_display(rng, first)} {_display(rng, rng.choice(_LAST_STEMS))}"
    if dob is not None:
        r = rng.random()
        if r < (0.12 if source == "chain" else 0.03):
            dob = None
        elif r < 0.16 and dob.day <= 12:
            dob = date(dob.year, dob.day, dob.month)
        elif r < 0.19:
            dob = date(dob.year + rng.choice([-1, 1]), dob.month, min(dob.day, 28))
        elif r < 0.22:
            dob = date(dob.year, 1, 1)
        elif r < 0.25:
            dob = dob + timedelta(days=rng.choice([-10, -1, 1, 10]))
    ni = person["ni"] if rng.random() < {"chain": 0.35, "inform": 0.7, "hclic": 0.6}[source] else None
    return {
        "first_name": _display(rng, first),
        "last_name": _display(rng, last),
        "other_names": other,
        "date_of_birth": dob,
        "ni_number": ni,
        "gender": person["gender"] if rng.random() < 0.9 else None,
        "nationality": person["nationality"] if rng.random() < 0.8 else None,
        "person": person["person"],
    }


def generate_records(n_people: int, seed: int) -> dict[str, pa.Table]:
    """Records per source table (``chain_people``, ``inform_clients``, ``hclic_people``), with ``person``."""
    rng = random.Random(seed)
    tables: dict[str, list[dict[str, object]]] = {"chain_people": [], "inform_clients": [], "hclic_people": []}
    for pid in range(n_people):
        person = _person(rng, pid)
        chain_ids: list[str] = []
        for _ in range(rng.choice([0, 1, 1, 1, 2])):
            rec = _record(rng, person, "chain")
            chain_ids.append(f"C{len(tables['chain_people']):08d}")
            rec.update(supplier_code="chain_london", chain_person_id=chain_ids[-1])
            tables["chain_people"].append(rec)
        for _ in range(rng.choice([0, 0, 1, 1, 2])):
            rec = _record(rng, person, "inform")
            rec.update(
                supplier_code=rng.choice(["provider-a", "provider-b"]),
                inform_client_id=f"I{len(tables['inform_clients']):08d}",
                chain_person_id=rng.choice(chain_ids) if chain_ids and rng.random() < 0.4 else None,
            )
            tables["inform_clients"].append(rec)
        for _ in range(rng.choice([0, 0, 1]) or (0 if chain_ids else 1)):
            rec = _record(rng, person, "hclic")
            rec.update(supplier_code=rng.choice(["E09000007", "E09000033"]), person_ref=f"H{len(tables['hclic_people']):08d}")
            rec.pop("other_names")
            tables["hclic_people"].append(rec)
    return {name: pa.Table.from_pylist(rows) for name, rows in tables.items() if rows}


_IDENTITY_COLUMNS = {"first_name", "last_name", "other_names", "date_of_birth", "ni_number"}
_KEYS = {"chain_people": "chain_person_id", "inform_clients": "inform_client_id", "hclic_people": "person_ref"}


def load_into_warehouse(con: duckdb.DuckDBPyConnection, tables: dict[str, pa.Table]) -> None:
    """(Re)create ``main.<table>`` (non-identifying columns) and ``identity.<table>`` (identifiers)."""
    con.execute("CREATE SCHEMA IF NOT EXISTS identity")
    for name, table in tables.items():
        key = _KEYS[name]
        identity = ["supplier_code", key, *[c for c in table.column_names if c in _IDENTITY_COLUMNS]]
        main = [c for c in table.column_names if c not in _IDENTITY_COLUMNS and c != "person"]
        con.register("linkage_fixture_rows", table)
        con.execute(f"CREATE OR REPLACE TABLE main.{name} AS SELECT {', '.join(main)} FROM linkage_fixture_rows")
        con.execute(
            f"CREATE OR REPLACE TABLE identity.{name} AS SELECT {', '.join(identity)} FROM linkage_fixture_rows"
        )
        con.unregister("linkage_fixture_rows")


def truth(tables: dict[str, pa.Table]) -> dict[str, str]:
    """unique_id -> true person."""
    sources = {"chain_people": "chain", "inform_clients": "inform", "hclic_people": "hclic"}
    out = {}
    for name, table in tables.items():
        for row in table.select(["supplier_code", _KEYS[name], "person"]).to_pylist():
            out[f"{sources[name]}:{row['supplier_code']}:{row[_KEYS[name]]}"] = str(row["person"])
    return out
