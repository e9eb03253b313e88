"""The worked example of metrics.md 9.1 as contract tables in an in-memory DuckDB."""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb

from boroughhub.insights.contract import IDENTITY_TABLES, MAIN_TABLES, create_tables

WM, CA, LA, HX = "E09000033", "E09000007", "E09000022", "heathrow"
AREA = {"WM": WM, "CA": CA, "LA": LA, "HX": HX}
HISTORY_START = dt.date(2017, 4, 1)
AS_AT = dt.date(2024, 3, 31)

NIGHTS = {
    "P01": "2020-05-10 WM; 2022-06-01 WM; 2022-09-15 WM; 2023-01-20 WM; 2023-03-05 WM; 2023-04-03 WM; "
    "2023-04-10 WM; 2023-04-20 WM; 2023-05-02 WM; 2023-05-30 WM; 2023-06-12 WM; 2023-06-20 CA",
    "P02": "2023-06-05 CA",
    "P03": "2019-11-02 LA; 2023-06-25 LA; 2023-08-01 LA",
    "P04": "2017-09-10 WM; 2023-06-15 HX; 2023-06-16 HX",
    "P05": "2022-07-15 LA; 2022-07-16 LA; 2022-07-20 CA; 2022-12-10 LA",
    "P06": "2021-03-01 WM; 2021-05-20 WM; 2022-01-20 WM; 2023-05-01 WM",
    "P07": "2021-02-10 CA",
    "P08": "2022-10-03 WM; 2022-10-04 WM; 2022-11-20 WM; 2023-06-28 WM",
    "P09": "2022-10-10 CA; 2023-12-01 CA",
    "P10": "2018-05-05 LA; 2023-04-12 LA; 2023-04-13 LA",
    "P11": "2023-04-05 CA; 2023-04-12 CA; 2023-04-19 CA; 2023-04-26 CA; 2023-05-03 CA",
}

# person, source, type, start, end, reason, destination
STAYS = [
    ("P02", "chain", "nsno_hub", "2023-06-06", "2023-06-08", "transfer", None),
    ("P02", "inform", "hostel", "2023-06-08", None, None, None),
    ("P05", "inform", "hostel", "2022-07-25", "2022-11-30", "evicted", None),
    ("P05", "inform", "supported_housing", "2023-02-01", None, None, None),
    ("P06", "chain", "housing_first", "2021-06-01", "2022-01-15", "abandoned", None),
    ("P07", "inform", "hostel", "2021-04-10", "2021-09-30", "transfer", None),
    ("P07", "inform", "supported_housing", "2021-10-05", "2022-03-20", "planned_move_on", "private_rented_tenancy"),
    ("P10", "inform", "housing_first", "2018-07-01", "2019-02-01", "evicted", None),
    ("P10", "inform", "supported_housing", "2023-09-01", None, None, None),
    ("P11", "inform", "supported_housing", "2024-01-15", None, None, None),
]

# person record: chain_person_id -> (person, dob, gender, nationality, alcohol, drugs, mh, physical)
CHAIN_PEOPLE: dict[str, tuple[Any, ...]] = {
    "C01": ("P01", "1970-06-20", "male", "GBR", True, False, True, None),
    "C02": ("P02", "2005-06-05", "female", "ROU", False, False, False, False),
    "C03": ("P03", None, "male", "ERI", None, None, None, None),
    "C04": ("P04", "1967-06-16", "male", "POL", None, True, None, None),
    "C04B": ("P04", "1967-06-15", "male", None, None, None, None, None),
    "C08": ("P08", "1990-02-28", None, None, False, False, True, False),
}
INSTITUTIONS = {"C02": ("prison", "2023-04-20"), "C03": ("asylum_support_accommodation", "2023-04-01"),
                "C08": ("hospital_mental_health", "2023-01-10")}  # fmt: skip


def _d(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _insert(con: duckdb.DuckDBPyConnection, schema: str, table: str, row: dict[str, Any]) -> None:
    columns = ["supplier_code", *(MAIN_TABLES if schema == "main" else IDENTITY_TABLES)[table]]
    if schema == "main":
        columns.append("submission_id")
        row = {"submission_id": f"sub-{row['supplier_code']}", **row}
    values = [row.get(c) for c in columns]
    con.execute(f"INSERT INTO {schema}.{table} VALUES ({', '.join('?' for _ in columns)})", values)


def _link(con: duckdb.DuckDBPyConnection, source: str, supplier: str, key: str, person: str) -> None:
    con.execute("INSERT INTO main.person_link VALUES (?, ?, ?, ?, 1.0, now(), 'fixture')",
                [source, supplier, key, person])  # fmt: skip


def load(con: duckdb.DuckDBPyConnection) -> None:
    """Create the contract tables and fill them with the 9.1 fixture (linkage given)."""
    create_tables(con)
    chain = "chain_london"
    persons_with_chain = {row[0] for row in CHAIN_PEOPLE.values()}
    people = dict(CHAIN_PEOPLE)
    for person in [*NIGHTS, "P12"]:
        if person not in persons_with_chain:
            people[f"C{person[1:]}"] = (person, None, None, None, None, None, None, None)
    for key, (person, dob, gender, nationality, alc, drugs, mh, phys) in people.items():
        institution = INSTITUTIONS.get(key, (None, None))
        assessed = _d("2023-01-01") if any(v is not None for v in (alc, drugs, mh, phys)) else None
        _insert(con, "main", "chain_people", {
            "supplier_code": chain, "chain_person_id": key, "gender": gender, "nationality": nationality,
            "support_need_alcohol": alc, "support_need_drugs": drugs, "support_need_mental_health": mh,
            "support_need_physical_health": phys, "support_needs_assessed_date": assessed,
            "last_institution_type": institution[0], "last_institution_left_date": _d(institution[1]),
        })  # fmt: skip
        _insert(con, "identity", "chain_people", {"supplier_code": chain, "chain_person_id": key,
                                                  "first_name": f"Name{key}", "date_of_birth": _d(dob)})
        _link(con, "chain", chain, key, person)
    number = 0
    for person, text in NIGHTS.items():
        for item in text.split("; "):
            day, area = item.split()
            number += 1
            _insert(con, "main", "chain_contacts", {
                "supplier_code": chain, "contact_id": f"K{number}", "chain_person_id": f"C{person[1:]}",
                "contact_date": _d(day), "area_code": AREA[area], "bedded_down": True,
                "contact_type": "street_outreach",
            })  # fmt: skip
    _insert(con, "main", "chain_contacts", {
        "supplier_code": chain, "contact_id": "K999", "chain_person_id": "C12", "contact_date": _d("2023-06-10"),
        "area_code": WM, "bedded_down": False, "contact_type": "street_outreach",
    })  # fmt: skip
    _load_stays(con)
    _load_hclic(con)
    for source, supplier, start in (("chain", chain, "2017-04-01"), ("inform", "provider-a", "2018-01-01"),
                                    ("hclic", LA, "2020-04-01"), ("hclic", CA, "2020-04-01")):
        con.execute("INSERT INTO main.submissions VALUES (?, ?, ?, ?, ?, 'current')",
                    [f"sub-{supplier}", source, supplier, _d(start), AS_AT])  # fmt: skip


def _load_stays(con: duckdb.DuckDBPyConnection) -> None:
    provider = "provider-a"
    clients: set[str] = set()
    for number, (person, source, kind, start, end, reason, destination) in enumerate(STAYS, start=1):
        if source == "chain":
            _insert(con, "main", "chain_stays", {
                "supplier_code": "chain_london", "stay_id": f"S{number}", "chain_person_id": f"C{person[1:]}",
                "project_type": kind, "area_code": WM, "arrival_date": _d(start), "departure_date": _d(end),
                "departure_reason": reason, "departure_destination": destination,
            })  # fmt: skip
            continue
        client = f"I{person[1:]}"
        if client not in clients:
            clients.add(client)
            _insert(con, "main", "inform_clients", {"supplier_code": provider, "inform_client_id": client})
            _insert(con, "identity", "inform_clients", {"supplier_code": provider, "inform_client_id": client,
                                                        "first_name": "X", "last_name": "Y"})
            _link(con, "inform", provider, client, person)
        _insert(con, "main", "inform_stays", {
            "supplier_code": provider, "stay_id": f"S{number}", "inform_client_id": client, "service_code": "svc",
            "service_type": kind, "area_code": WM, "move_in_date": _d(start), "move_out_date": _d(end),
            "move_out_reason": reason, "move_on_destination": destination,
        })  # fmt: skip


def _load_hclic(con: duckdb.DuckDBPyConnection) -> None:
    cases = [
        ("P05", LA, "LA-A", "2022-05-03", "threatened_prevention_duty", "prs_self_contained"),
        ("P09", CA, "CA-A", "2021-12-01", "not_homeless_no_duty", "living_with_family"),
        ("P09", CA, "CA-B", "2022-09-01", "homeless_relief_duty", "living_with_friends"),
    ]
    for person, supplier, case, applied, assessment, accommodation in cases:
        _insert(con, "main", "hclic_cases", {
            "supplier_code": supplier, "case_ref": case, "application_date": _d(applied),
            "assessment_date": _d(applied), "initial_assessment": assessment,
            "reason_loss_of_home": None if assessment == "not_homeless_no_duty" else "family_or_friends",
            "accommodation_at_application": accommodation, "household_type": "single_adult",
            "support_needs_status": "none",
        })  # fmt: skip
        key = f"{case}-1"
        _insert(con, "main", "hclic_people", {"supplier_code": supplier, "person_ref": key, "case_ref": case,
                                              "relationship": "main_applicant"})
        _insert(con, "identity", "hclic_people", {"supplier_code": supplier, "person_ref": key,
                                                  "first_name": "X", "last_name": "Y",
                                                  "date_of_birth": _d("1985-01-01")})
        _link(con, "hclic", supplier, key, person)
    _insert(con, "main", "hclic_prevention", {
        "supplier_code": LA, "case_ref": "LA-A", "prevention_start_date": _d("2022-05-03"),
        "prevention_end_date": _d("2022-06-28"), "prevention_end_reason": "contact_lost",
    })  # fmt: skip
    _insert(con, "main", "hclic_relief", {
        "supplier_code": CA, "case_ref": "CA-B", "relief_start_date": _d("2022-09-01"),
        "relief_end_date": _d("2022-11-15"), "relief_end_reason": "secured_accommodation_6_months",
        "accommodation_secured": "prs_self_contained",
    })  # fmt: skip
    _insert(con, "main", "hclic_temporary_accommodation", {
        "supplier_code": CA, "placement_id": "TA1", "case_ref": "CA-B",
        "placement_start_date": _d("2022-10-20"), "placement_end_date": _d("2022-11-15"), "ta_type": "hostel",
    })  # fmt: skip
