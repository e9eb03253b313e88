"""The canonical extract formats (sources.md sections 2-5), transcribed independently of the generator.

Each column: (name, type, required, code list). Types: key, text, name_list, date, boolean,
integer, code, ni_number. Required: "yes", "no" or "cond" (conditional rules are tested apart).
"""

from __future__ import annotations

Y, N, C = "yes", "no", "cond"

TABLES: dict[str, list[tuple[str, str, str, str | None]]] = {
    "chain_people": [
        ("chain_person_id", "key", Y, None), ("first_name", "text", N, None), ("last_name", "text", N, None),
        ("other_names", "name_list", N, None), ("date_of_birth", "date", N, None),
        ("date_of_birth_estimated", "boolean", N, None), ("ni_number", "ni_number", N, None),
        ("home_office_ref", "text", N, None), ("gender", "code", N, "gender"), ("nationality", "code", N, "countries"),
        ("ethnicity", "code", N, "ethnicity"), ("immigration_status", "code", N, "immigration_status"),
        ("support_need_alcohol", "boolean", N, None), ("support_need_drugs", "boolean", N, None),
        ("support_need_mental_health", "boolean", N, None), ("support_need_physical_health", "boolean", N, None),
        ("support_needs_assessed_date", "date", C, None), ("history_prison", "boolean", N, None),
        ("history_care", "boolean", N, None), ("history_armed_forces", "boolean", N, None),
        ("last_institution_type", "code", N, "institution_type"), ("last_institution_left_date", "date", C, None),
        ("accommodation_before_first_seen", "code", N, "prior_accommodation"),
    ],
    "chain_contacts": [
        ("contact_id", "key", Y, None), ("chain_person_id", "key", Y, None), ("contact_date", "date", Y, None),
        ("area_code", "code", Y, "areas"), ("location_type", "code", N, "chain_location_type"),
        ("bedded_down", "boolean", Y, None), ("contact_type", "code", Y, "chain_contact_type"),
        ("team_code", "text", N, None),
    ],
    "chain_stays": [
        ("stay_id", "key", Y, None), ("chain_person_id", "key", Y, None), ("project_code", "text", N, None),
        ("project_type", "code", Y, "accommodation_type"), ("area_code", "code", N, "areas"),
        ("arrival_date", "date", Y, None), ("departure_date", "date", N, None),
        ("departure_reason", "code", C, "move_out_reason"), ("departure_destination", "code", N, "move_on_destination"),
    ],
    "inform_clients": [
        ("inform_client_id", "key", Y, None), ("chain_person_id", "key", N, None), ("first_name", "text", Y, None),
        ("last_name", "text", Y, None), ("other_names", "name_list", N, None), ("date_of_birth", "date", N, None),
        ("ni_number", "ni_number", N, None), ("gender", "code", N, "gender"), ("nationality", "code", N, "countries"),
        ("ethnicity", "code", N, "ethnicity"),
    ],
    "inform_referrals": [
        ("referral_id", "key", Y, None), ("inform_client_id", "key", Y, None), ("referral_date", "date", Y, None),
        ("referrer_type", "code", Y, "inform_referrer_type"), ("service_code", "text", Y, None),
        ("service_type", "code", Y, "accommodation_type"), ("decision", "code", Y, "referral_decision"),
        ("decision_date", "date", C, None),
    ],
    "inform_stays": [
        ("stay_id", "key", Y, None), ("inform_client_id", "key", Y, None), ("referral_id", "key", N, None),
        ("service_code", "text", Y, None), ("service_type", "code", Y, "accommodation_type"),
        ("area_code", "code", N, "areas"), ("move_in_date", "date", Y, None), ("move_out_date", "date", N, None),
        ("move_out_reason", "code", C, "move_out_reason"), ("move_on_destination", "code", N, "move_on_destination"),
    ],
    "hclic_cases": [
        ("case_ref", "key", Y, None), ("application_date", "date", Y, None), ("assessment_date", "date", N, None),
        ("initial_assessment", "code", Y, "hclic_initial_assessment"), ("s21_notice", "boolean", N, None),
        ("reason_loss_of_home", "code", C, "hclic_reason_loss_of_home"),
        ("accommodation_at_application", "code", C, "hclic_accommodation_at_application"),
        ("household_type", "code", Y, "hclic_household_type"),
        ("support_needs_status", "code", Y, "hclic_support_needs_status"),
        ("referral_source", "code", N, "hclic_referral_source"),
    ],
    "hclic_people": [
        ("person_ref", "key", Y, None), ("case_ref", "key", Y, None), ("relationship", "code", Y, "hclic_relationship"),
        ("first_name", "text", C, None), ("last_name", "text", C, None), ("date_of_birth", "date", C, None),
        ("ni_number", "ni_number", N, None), ("gender", "code", N, "gender"), ("ethnicity", "code", N, "ethnicity"),
        ("nationality", "code", N, "countries"), ("employment_status", "code", N, "hclic_employment_status"),
        ("eligibility", "code", N, "hclic_eligibility"),
        ("sexual_identification", "code", N, "hclic_sexual_identification"),
    ],
    "hclic_support_needs": [("case_ref", "key", Y, None), ("support_need", "code", Y, "hclic_support_need")],
    "hclic_prevention": [
        ("case_ref", "key", Y, None), ("prevention_start_date", "date", Y, None), ("prevention_end_date", "date", N, None),
        ("prevention_end_reason", "code", C, "hclic_prevention_end_reason"),
        ("accommodation_secured", "code", C, "hclic_accommodation_secured"), ("main_activity", "code", N, "hclic_activity"),
    ],
    "hclic_relief": [
        ("case_ref", "key", Y, None), ("relief_start_date", "date", Y, None), ("relief_end_date", "date", N, None),
        ("relief_end_reason", "code", C, "hclic_relief_end_reason"),
        ("accommodation_secured", "code", C, "hclic_accommodation_secured"), ("main_activity", "code", N, "hclic_activity"),
    ],
    "hclic_main_duty": [
        ("case_ref", "key", Y, None), ("decision_date", "date", Y, None), ("decision", "code", Y, "hclic_main_duty_decision"),
        ("priority_need", "code", C, "hclic_priority_need"), ("main_duty_end_date", "date", N, None),
        ("main_duty_end_reason", "code", C, "hclic_main_duty_end_reason"),
    ],
    "hclic_temporary_accommodation": [
        ("placement_id", "key", Y, None), ("case_ref", "key", Y, None), ("placement_start_date", "date", Y, None),
        ("placement_end_date", "date", N, None), ("ta_type", "code", Y, "hclic_ta_type"), ("out_of_area", "boolean", N, None),
    ],
}
PRIMARY_KEYS: dict[str, tuple[str, ...]] = {
    "chain_people": ("chain_person_id",), "chain_contacts": ("contact_id",), "chain_stays": ("stay_id",),
    "inform_clients": ("inform_client_id",), "inform_referrals": ("referral_id",), "inform_stays": ("stay_id",),
    "hclic_cases": ("case_ref",), "hclic_people": ("person_ref",), "hclic_support_needs": ("case_ref", "support_need"),
    "hclic_prevention": ("case_ref",), "hclic_relief": ("case_ref",), "hclic_main_duty": ("case_ref",),
    "hclic_temporary_accommodation": ("placement_id",),
}
FOREIGN_KEYS: list[tuple[str, str, str, str]] = [  # child table, column, parent table, parent column
    ("chain_contacts", "chain_person_id", "chain_people", "chain_person_id"),
    ("chain_stays", "chain_person_id", "chain_people", "chain_person_id"),
    ("inform_referrals", "inform_client_id", "inform_clients", "inform_client_id"),
    ("inform_stays", "inform_client_id", "inform_clients", "inform_client_id"),
    *[(t, "case_ref", "hclic_cases", "case_ref") for t in (
        "hclic_people", "hclic_support_needs", "hclic_prevention", "hclic_relief", "hclic_main_duty",
        "hclic_temporary_accommodation")],
]
SOURCE_TABLES = {
    "chain": [t for t in TABLES if t.startswith("chain_")],
    "inform": [t for t in TABLES if t.startswith("inform_")],
    "hclic": [t for t in TABLES if t.startswith("hclic_")],
}
