"""The canonical extract formats of ``sources.md`` (schema 1.0) as data.

Every table, column, type, marker and key of sections 3-5 lives here once; the readers, the
validator, the warehouse and the synthetic generator all read it from here instead of restating it.
Cross-field rules ("required if", "allowed only if") are SQL in :mod:`boroughhub.sources.rules`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SCHEMA_VERSION = "1.0"

# Column types of sources.md 1.3.
KEY = "key"
TEXT = "text"
NAME_LIST = "name_list"
DATE = "date"
BOOLEAN = "boolean"
INTEGER = "integer"
CODE = "code"
NI_NUMBER = "ni_number"

# Requirement: yes, no, or conditional (checked by a rule in rules.py).
REQUIRED = "yes"
OPTIONAL = "no"
CONDITIONAL = "cond"

#: Warehouse column type per canonical type.
WAREHOUSE_TYPE = {
    KEY: "VARCHAR",
    TEXT: "VARCHAR",
    NAME_LIST: "VARCHAR",
    DATE: "DATE",
    BOOLEAN: "BOOLEAN",
    INTEGER: "INTEGER",
    CODE: "VARCHAR",
    NI_NUMBER: "VARCHAR",
}


@dataclass(frozen=True)
class Column:
    """One column of a canonical file.

    ``code_filter`` is a SQL condition on the code list's own columns (e.g. ``contact_allowed = 'true'``)
    naming the allowed subset of the list.
    """

    name: str
    type: str
    required: str = OPTIONAL
    length: int | None = None
    code_list: str | None = None
    code_filter: str | None = None
    markers: frozenset[str] = frozenset()

    @property
    def is_direct_identifier(self) -> bool:
        return "DI" in self.markers


@dataclass(frozen=True)
class ForeignKey:
    column: str
    parent_table: str
    parent_column: str


@dataclass(frozen=True)
class Table:
    name: str
    source: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = field(default=())

    @property
    def file_name(self) -> str:
        return f"{self.name}.csv"

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        for candidate in self.columns:
            if candidate.name == name:
                return candidate
        raise KeyError(f"{self.name} has no column {name!r}")

    @property
    def direct_identifiers(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.is_direct_identifier)

    @property
    def date_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.type == DATE)


def _c(
    name: str,
    type_: str,
    required: str = OPTIONAL,
    *,
    length: int | None = None,
    codes: str | None = None,
    where: str | None = None,
    markers: str = "",
) -> Column:
    return Column(name, type_, required, length, codes, where, frozenset(markers.split()))


K = "K"
DI = "DI"
QI = "QI"
SC = "SC"
LOCAL_AUTHORITY = "area_type = 'local_authority'"

CHAIN_PEOPLE = Table(
    "chain_people",
    "chain",
    (
        _c("chain_person_id", KEY, REQUIRED, markers=K),
        _c("first_name", TEXT, length=100, markers=DI),
        _c("last_name", TEXT, length=100, markers=DI),
        _c("other_names", NAME_LIST, markers=DI),
        _c("date_of_birth", DATE, markers=DI),
        _c("date_of_birth_estimated", BOOLEAN, markers=QI),
        _c("ni_number", NI_NUMBER, markers=DI),
        _c("home_office_ref", TEXT, length=20, markers=DI),
        _c("gender", CODE, codes="gender", markers=QI),
        _c("nationality", CODE, codes="countries", markers=QI),
        _c("ethnicity", CODE, codes="ethnicity", markers="QI SC"),
        _c("immigration_status", CODE, codes="immigration_status", markers=QI),
        _c("support_need_alcohol", BOOLEAN, markers=SC),
        _c("support_need_drugs", BOOLEAN, markers=SC),
        _c("support_need_mental_health", BOOLEAN, markers=SC),
        _c("support_need_physical_health", BOOLEAN, markers=SC),
        _c("support_needs_assessed_date", DATE, CONDITIONAL, markers=QI),
        _c("history_prison", BOOLEAN, markers=SC),
        _c("history_care", BOOLEAN, markers=QI),
        _c("history_armed_forces", BOOLEAN, markers=QI),
        _c("last_institution_type", CODE, codes="institution_type", markers=SC),
        _c("last_institution_left_date", DATE, CONDITIONAL, markers=QI),
        _c("accommodation_before_first_seen", CODE, codes="prior_accommodation", markers=QI),
    ),
    ("chain_person_id",),
)

CHAIN_CONTACTS = Table(
    "chain_contacts",
    "chain",
    (
        _c("contact_id", KEY, REQUIRED, markers=K),
        _c("chain_person_id", KEY, REQUIRED, markers=K),
        _c("contact_date", DATE, REQUIRED, markers=QI),
        _c("area_code", CODE, REQUIRED, codes="areas", where="contact_allowed = 'true'", markers=QI),
        _c("location_type", CODE, codes="chain_location_type", markers=QI),
        _c("bedded_down", BOOLEAN, REQUIRED),
        _c("contact_type", CODE, REQUIRED, codes="chain_contact_type"),
        _c("team_code", TEXT, length=40),
    ),
    ("contact_id",),
    (ForeignKey("chain_person_id", "chain_people", "chain_person_id"),),
)

CHAIN_STAYS = Table(
    "chain_stays",
    "chain",
    (
        _c("stay_id", KEY, REQUIRED, markers=K),
        _c("chain_person_id", KEY, REQUIRED, markers=K),
        _c("project_code", TEXT, length=40),
        _c("project_type", CODE, REQUIRED, codes="accommodation_type"),
        _c("area_code", CODE, codes="areas", where=LOCAL_AUTHORITY, markers=QI),
        _c("arrival_date", DATE, REQUIRED, markers=QI),
        _c("departure_date", DATE, markers=QI),
        _c("departure_reason", CODE, CONDITIONAL, codes="move_out_reason"),
        _c("departure_destination", CODE, codes="move_on_destination"),
    ),
    ("stay_id",),
    (ForeignKey("chain_person_id", "chain_people", "chain_person_id"),),
)

INFORM_CLIENTS = Table(
    "inform_clients",
    "inform",
    (
        _c("inform_client_id", KEY, REQUIRED, markers=K),
        _c("chain_person_id", KEY, markers=K),
        _c("first_name", TEXT, REQUIRED, length=100, markers=DI),
        _c("last_name", TEXT, REQUIRED, length=100, markers=DI),
        _c("other_names", NAME_LIST, markers=DI),
        _c("date_of_birth", DATE, markers=DI),
        _c("ni_number", NI_NUMBER, markers=DI),
        _c("gender", CODE, codes="gender", markers=QI),
        _c("nationality", CODE, codes="countries", markers=QI),
        _c("ethnicity", CODE, codes="ethnicity", markers="QI SC"),
    ),
    ("inform_client_id",),
)

INFORM_REFERRALS = Table(
    "inform_referrals",
    "inform",
    (
        _c("referral_id", KEY, REQUIRED, markers=K),
        _c("inform_client_id", KEY, REQUIRED, markers=K),
        _c("referral_date", DATE, REQUIRED, markers=QI),
        _c("referrer_type", CODE, REQUIRED, codes="inform_referrer_type"),
        _c("service_code", TEXT, REQUIRED, length=40),
        _c("service_type", CODE, REQUIRED, codes="accommodation_type"),
        _c("decision", CODE, REQUIRED, codes="referral_decision"),
        _c("decision_date", DATE, CONDITIONAL, markers=QI),
    ),
    ("referral_id",),
    (ForeignKey("inform_client_id", "inform_clients", "inform_client_id"),),
)

INFORM_STAYS = Table(
    "inform_stays",
    "inform",
    (
        _c("stay_id", KEY, REQUIRED, markers=K),
        _c("inform_client_id", KEY, REQUIRED, markers=K),
        _c("referral_id", KEY, markers=K),
        _c("service_code", TEXT, REQUIRED, length=40),
        _c("service_type", CODE, REQUIRED, codes="accommodation_type"),
        _c("area_code", CODE, codes="areas", where=LOCAL_AUTHORITY, markers=QI),
        _c("move_in_date", DATE, REQUIRED, markers=QI),
        _c("move_out_date", DATE, markers=QI),
        _c("move_out_reason", CODE, CONDITIONAL, codes="move_out_reason"),
        _c("move_on_destination", CODE, codes="move_on_destination"),
    ),
    ("stay_id",),
    (
        ForeignKey("inform_client_id", "inform_clients", "inform_client_id"),
        ForeignKey("referral_id", "inform_referrals", "referral_id"),
    ),
)

HCLIC_CASES = Table(
    "hclic_cases",
    "hclic",
    (
        _c("case_ref", KEY, REQUIRED, markers=K),
        _c("application_date", DATE, REQUIRED, markers=QI),
        _c("assessment_date", DATE, markers=QI),
        _c("initial_assessment", CODE, REQUIRED, codes="hclic_initial_assessment"),
        _c("s21_notice", BOOLEAN),
        _c("reason_loss_of_home", CODE, CONDITIONAL, codes="hclic_reason_loss_of_home", markers=QI),
        _c(
            "accommodation_at_application",
            CODE,
            CONDITIONAL,
            codes="hclic_accommodation_at_application",
            markers=QI,
        ),
        _c("household_type", CODE, REQUIRED, codes="hclic_household_type", markers=QI),
        _c("support_needs_status", CODE, REQUIRED, codes="hclic_support_needs_status"),
        _c("referral_source", CODE, codes="hclic_referral_source"),
    ),
    ("case_ref",),
)

_CASE_FK = (ForeignKey("case_ref", "hclic_cases", "case_ref"),)

HCLIC_PEOPLE = Table(
    "hclic_people",
    "hclic",
    (
        _c("person_ref", KEY, REQUIRED, markers=K),
        _c("case_ref", KEY, REQUIRED, markers=K),
        _c("relationship", CODE, REQUIRED, codes="hclic_relationship"),
        _c("first_name", TEXT, CONDITIONAL, length=100, markers=DI),
        _c("last_name", TEXT, CONDITIONAL, length=100, markers=DI),
        _c("date_of_birth", DATE, CONDITIONAL, markers=DI),
        _c("ni_number", NI_NUMBER, markers=DI),
        _c("gender", CODE, codes="gender", markers=QI),
        _c("ethnicity", CODE, codes="ethnicity", markers="QI SC"),
        _c("nationality", CODE, codes="countries", markers=QI),
        _c("employment_status", CODE, codes="hclic_employment_status", markers=QI),
        _c("eligibility", CODE, codes="hclic_eligibility", markers=QI),
        _c("sexual_identification", CODE, codes="hclic_sexual_identification", markers="QI SC"),
    ),
    ("person_ref",),
    _CASE_FK,
)

HCLIC_SUPPORT_NEEDS = Table(
    "hclic_support_needs",
    "hclic",
    (
        _c("case_ref", KEY, REQUIRED, markers=K),
        _c("support_need", CODE, REQUIRED, codes="hclic_support_need", markers=SC),
    ),
    ("case_ref", "support_need"),
    _CASE_FK,
)

HCLIC_PREVENTION = Table(
    "hclic_prevention",
    "hclic",
    (
        _c("case_ref", KEY, REQUIRED, markers=K),
        _c("prevention_start_date", DATE, REQUIRED, markers=QI),
        _c("prevention_end_date", DATE, markers=QI),
        _c("prevention_end_reason", CODE, CONDITIONAL, codes="hclic_prevention_end_reason"),
        _c("accommodation_secured", CODE, CONDITIONAL, codes="hclic_accommodation_secured"),
        _c("main_activity", CODE, codes="hclic_activity", where="prevention = 'true'"),
    ),
    ("case_ref",),
    _CASE_FK,
)

HCLIC_RELIEF = Table(
    "hclic_relief",
    "hclic",
    (
        _c("case_ref", KEY, REQUIRED, markers=K),
        _c("relief_start_date", DATE, REQUIRED, markers=QI),
        _c("relief_end_date", DATE, markers=QI),
        _c("relief_end_reason", CODE, CONDITIONAL, codes="hclic_relief_end_reason"),
        _c("accommodation_secured", CODE, CONDITIONAL, codes="hclic_accommodation_secured"),
        _c("main_activity", CODE, codes="hclic_activity", where="relief = 'true'"),
    ),
    ("case_ref",),
    _CASE_FK,
)

HCLIC_MAIN_DUTY = Table(
    "hclic_main_duty",
    "hclic",
    (
        _c("case_ref", KEY, REQUIRED, markers=K),
        _c("decision_date", DATE, REQUIRED, markers=QI),
        _c("decision", CODE, REQUIRED, codes="hclic_main_duty_decision"),
        _c("priority_need", CODE, CONDITIONAL, codes="hclic_priority_need", markers=SC),
        _c("main_duty_end_date", DATE, markers=QI),
        _c("main_duty_end_reason", CODE, CONDITIONAL, codes="hclic_main_duty_end_reason"),
    ),
    ("case_ref",),
    _CASE_FK,
)

HCLIC_TEMPORARY_ACCOMMODATION = Table(
    "hclic_temporary_accommodation",
    "hclic",
    (
        _c("placement_id", KEY, REQUIRED, markers=K),
        _c("case_ref", KEY, REQUIRED, markers=K),
        _c("placement_start_date", DATE, REQUIRED, markers=QI),
        _c("placement_end_date", DATE, markers=QI),
        _c("ta_type", CODE, REQUIRED, codes="hclic_ta_type"),
        _c("out_of_area", BOOLEAN),
    ),
    ("placement_id",),
    _CASE_FK,
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        CHAIN_PEOPLE,
        CHAIN_CONTACTS,
        CHAIN_STAYS,
        INFORM_CLIENTS,
        INFORM_REFERRALS,
        INFORM_STAYS,
        HCLIC_CASES,
        HCLIC_PEOPLE,
        HCLIC_SUPPORT_NEEDS,
        HCLIC_PREVENTION,
        HCLIC_RELIEF,
        HCLIC_MAIN_DUTY,
        HCLIC_TEMPORARY_ACCOMMODATION,
    )
}

#: The tables of each source, parents before children (the order files are loaded and checked in).
SOURCES: dict[str, tuple[Table, ...]] = {
    source: tuple(t for t in TABLES.values() if t.source == source) for source in ("chain", "inform", "hclic")
}

#: The tables whose direct identifiers go to the warehouse's ``identity`` schema.
PERSON_TABLES: tuple[str, ...] = ("chain_people", "inform_clients", "hclic_people")

MANIFEST_FILE = "manifest.csv"
MANIFEST_COLUMNS: tuple[str, ...] = (
    "source",
    "supplier_code",
    "extract_period_start",
    "extract_period_end",
    "extracted_on",
    "schema_version",
    "encoding",
    "file_name",
    "row_count",
)
#: Manifest columns that must hold the same value on every row.
MANIFEST_SUBMISSION_COLUMNS: tuple[str, ...] = tuple(
    c for c in MANIFEST_COLUMNS if c not in ("file_name", "row_count")
)


def tables_of(source: str) -> tuple[Table, ...]:
    """The tables of a source (``chain``, ``inform`` or ``hclic``)."""
    try:
        return SOURCES[source]
    except KeyError:
        raise KeyError(f"Unknown source {source!r}; expected one of {', '.join(SOURCES)}") from None
