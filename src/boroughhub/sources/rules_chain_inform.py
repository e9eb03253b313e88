"""Row rules of CHAIN and InForm files (``sources.md`` 3, 4 and 6.4-6.5)."""

from __future__ import annotations

from boroughhub.sources.row_rule import (
    RowRule,
    age_rules,
    not_before,
    overlapping_stays,
    required_if,
    stay_in_period,
    where,
)


def chain_rules() -> list[RowRule]:
    needs = " OR ".join(
        f"t.support_need_{n} IS NOT NULL" for n in ("alcohol", "drugs", "mental_health", "physical_health")
    )
    rules = [
        where(
            "chain_people",
            "date_of_birth_estimated",
            "conditional_forbidden",
            "t.date_of_birth_estimated IS NOT NULL AND t.date_of_birth IS NULL",
            "Must be empty when date_of_birth is empty.",
        ),
        *required_if(
            "chain_people", "support_needs_assessed_date", needs, "a support_need_* column is filled"
        ),
        *required_if(
            "chain_people",
            "last_institution_left_date",
            "t.last_institution_type IS NOT NULL",
            "last_institution_type is filled",
        ),
        where(
            "chain_people",
            "first_name",
            "no_identifiers",
            "t.first_name IS NULL AND t.last_name IS NULL AND t.other_names IS NULL AND t.date_of_birth IS NULL",
            "No name, other name or date of birth: this person cannot be linked.",
            value="''",
        ),
        where(
            "chain_contacts",
            "bedded_down",
            "conditional_forbidden",
            "t.bedded_down AND t.contact_type IN (SELECT code FROM bh_ref_chain_contact_type "
            "WHERE outreach <> 'true')",
            "bedded_down may be true only on an outreach contact type.",
            value="t.contact_type",
        ),
        where(
            "chain_contacts",
            "contact_date",
            "outside_extract_period",
            "t.contact_date < {S}",
            "The contact is before extract_period_start.",
        ),
        not_before(
            "chain_stays", "departure_date", "t.arrival_date", "departure_date is before arrival_date."
        ),
        *required_if(
            "chain_stays", "departure_reason", "t.departure_date IS NOT NULL", "departure_date is filled"
        ),
        where(
            "chain_stays",
            "departure_destination",
            "conditional_forbidden",
            "t.departure_destination IS NOT NULL AND t.departure_date IS NULL",
            "Must be empty when departure_date is empty.",
        ),
        stay_in_period("chain_stays", "arrival_date", "departure_date"),
        overlapping_stays("chain_stays", "chain_person_id", "arrival_date", "departure_date"),
    ]
    for column in ("support_needs_assessed_date", "last_institution_left_date"):
        rules.append(
            where(
                "chain_people",
                column,
                "impossible_age",
                f"t.date_of_birth IS NOT NULL AND (bh_age(t.date_of_birth, t.{column}) < 0 "
                f"OR bh_age(t.date_of_birth, t.{column}) > 110)",
                f"The person's age at {column} is below 0 or above 110 (check the date of birth).",
            )
        )
    rules += age_rules("chain_contacts", "contact_date", "chain_people", "chain_person_id", plausible=True)
    rules += age_rules("chain_stays", "arrival_date", "chain_people", "chain_person_id", plausible=True)
    return rules


def inform_rules() -> list[RowRule]:
    referral = "JOIN {inform_referrals} r ON r.referral_id = t.referral_id"
    return [
        *required_if(
            "inform_referrals", "decision_date", "t.decision <> 'pending'", "decision is not pending"
        ),
        not_before(
            "inform_referrals", "decision_date", "t.referral_date", "decision_date is before referral_date."
        ),
        not_before(
            "inform_stays", "move_out_date", "t.move_in_date", "move_out_date is before move_in_date."
        ),
        not_before(
            "inform_stays",
            "move_in_date",
            "r.referral_date",
            "move_in_date is before the referral_date of the stay's referral.",
            joins=referral,
        ),
        where(
            "inform_stays",
            "referral_id",
            "orphan_reference",
            "r.inform_client_id <> t.inform_client_id",
            "The referral belongs to another client.",
            joins=referral,
        ),
        *required_if(
            "inform_stays", "move_out_reason", "t.move_out_date IS NOT NULL", "move_out_date is filled"
        ),
        where(
            "inform_stays",
            "move_on_destination",
            "conditional_forbidden",
            "t.move_on_destination IS NOT NULL AND t.move_out_date IS NULL",
            "Must be empty when move_out_date is empty.",
        ),
        stay_in_period("inform_stays", "move_in_date", "move_out_date"),
        overlapping_stays("inform_stays", "inform_client_id", "move_in_date", "move_out_date"),
        *age_rules(
            "inform_referrals", "referral_date", "inform_clients", "inform_client_id", plausible=False
        ),
        *age_rules("inform_stays", "move_in_date", "inform_clients", "inform_client_id", plausible=True),
    ]
