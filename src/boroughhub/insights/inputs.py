"""The source fields the metrics read (metrics.md §1–§6), per source dataset.

An insights refresh is a derivation run: it is authorised by a ``view_aggregate`` decision on each
source dataset for these fields, made as the job owner (agreements spec §1.6, derived datasets).
"""

from __future__ import annotations

from boroughhub.agreements import ROUGH_SLEEPING_INSIGHT

PURPOSE = ROUGH_SLEEPING_INSIGHT
SOURCE_FIELDS_READ: dict[str, frozenset[str]] = {
    "chain": frozenset({
        "area_code", "arrival_date", "bedded_down", "chain_person_id", "contact_date", "contact_id", "contact_type",
        "date_of_birth", "date_of_birth_estimated", "departure_date", "departure_destination", "departure_reason",
        "ethnicity", "gender", "last_institution_left_date", "last_institution_type", "nationality", "project_type",
        "stay_id", "support_need_alcohol", "support_need_drugs", "support_need_mental_health",
        "support_need_physical_health", "support_needs_assessed_date",
    }),
    "hclic": frozenset({
        "accommodation_at_application", "accommodation_secured", "application_date", "case_ref", "date_of_birth",
        "decision", "decision_date", "ethnicity", "gender", "household_type", "initial_assessment",
        "main_duty_end_date", "main_duty_end_reason", "person_ref", "placement_end_date", "placement_id",
        "placement_start_date", "prevention_end_date", "prevention_end_reason", "prevention_start_date",
        "priority_need", "reason_loss_of_home", "relationship", "relief_end_date", "relief_end_reason",
        "relief_start_date", "support_need", "support_needs_status", "ta_type",
    }),
    "inform": frozenset({
        "area_code", "chain_person_id", "date_of_birth", "decision", "decision_date", "gender", "inform_client_id",
        "move_in_date", "move_on_destination", "move_out_date", "move_out_reason", "referral_date", "referral_id",
        "referrer_type", "service_code", "service_type", "stay_id",
    }),
}
