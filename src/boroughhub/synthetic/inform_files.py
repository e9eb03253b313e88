"""InForm extracts: one submission per accommodation provider.

A provider holds one client record per person (3% of people get a second, duplicate record for
later stays), a referral before most stays, and referrals that came to nothing (declined,
withdrawn, or pending at the end of the extract). Where the person is known to CHAIN, 40% of
client records carry their CHAIN person identifier.
"""

from __future__ import annotations

import random
from pathlib import Path

from boroughhub.synthetic.accommodation import Stay
from boroughhub.synthetic.identifiers import INFORM_QUALITY, record_identity
from boroughhub.synthetic.people import Person, WeightedChoice, between, pick
from boroughhub.synthetic.submission import SubmissionSummary, SubmissionWriter, cell, day
from boroughhub.synthetic.truth import TruthWriter
from boroughhub.synthetic.world import World

DUPLICATE_CLIENT_RATE = 0.03
CHAIN_ID_RECORDED_RATE = 0.4
_STREET_REFERRERS = WeightedChoice({
    "outreach_team": 50, "nsno_or_assessment_hub": 25, "other_provider": 10, "local_authority_housing": 10,
    "self_referral": 5,
})
_OTHER_REFERRERS = WeightedChoice({
    "probation": 20, "prison": 10, "hospital": 10, "mental_health_service": 8, "substance_misuse_service": 7,
    "adult_social_care": 5, "local_authority_housing": 25, "self_referral": 10, "other": 5,
})
_NOT_ACCEPTED = ("declined_by_service", "declined_by_client", "withdrawn")


def write_inform(
    world: World, supplier: str, chain_ids: dict[str, str], out_dir: Path, seed: int, truth: TruthWriter
) -> SubmissionSummary:
    """``chain_ids`` maps person ids to their (first) CHAIN person id, for the cross-reference."""
    rng = random.Random(f"{seed}:inform:{supplier}")
    start, end = world.start.toordinal(), world.end.toordinal()
    people: list[Person] = [life.person for life in world.lives] + world.hostel_only
    numbers = {"client": 0, "referral": 0, "stay": 0}

    def next_key(kind: str, prefix: str) -> str:
        numbers[kind] += 1
        return f"{prefix}{numbers[kind]:07d}"

    with SubmissionWriter(out_dir, "inform", supplier, world.start, world.end) as files:
        for person in people:
            stays = [s for s in world.stays.get(person.person_id, []) if s.in_inform and s.service.provider == supplier]
            if not stays:
                continue
            clients = [next_key("client", "IC")]
            split = stays[len(stays) // 2].start if len(stays) >= 2 and rng.random() < DUPLICATE_CLIENT_RATE else None
            if split is not None:
                clients.append(next_key("client", "IC"))
            for client in clients:
                files.write("inform_clients", _client_row(client, person, chain_ids.get(person.person_id), rng))
                truth.record("inform", supplier, "inform_clients", client, person.person_id)
            referrers = _STREET_REFERRERS if person.kind == "street" else _OTHER_REFERRERS
            for stay in stays:
                client = clients[1] if split is not None and stay.start >= split else clients[0]
                referral_id = ""
                if rng.random() < 0.9:
                    referral_id = next_key("referral", "R")
                    referred = max(start, stay.start - between(rng, 0, 21))
                    files.write("inform_referrals", (
                        referral_id, client, day(referred), referrers.draw(rng), stay.service.code,
                        stay.service.service_type, "accepted", day(between(rng, referred, stay.start)),
                    ))
                files.write("inform_stays", _stay_row(next_key("stay", "ST"), client, referral_id, stay))
            for _ in range(_unsuccessful_referral_count(rng)):
                files.write("inform_referrals", _unsuccessful_referral(
                    next_key("referral", "R"), clients[0], stays[0], referrers, start, end, rng
                ))
        return files.close()


def _unsuccessful_referral_count(rng: random.Random) -> int:
    roll = rng.random()
    return 0 if roll < 0.6 else 1 if roll < 0.9 else 2


def _client_row(client: str, person: Person, chain_id: str | None, rng: random.Random) -> tuple[str, ...]:
    identity = record_identity(person, INFORM_QUALITY, rng, names_required=True)
    return (
        client, chain_id if chain_id and rng.random() < CHAIN_ID_RECORDED_RATE else "", identity.first_name,
        identity.last_name, identity.other_names, cell(identity.date_of_birth), identity.ni_number,
        person.gender if rng.random() < 0.98 else "", person.nationality if rng.random() < 0.9 else "",
        person.ethnicity if rng.random() < 0.85 else "",
    )


def _unsuccessful_referral(
    referral_id: str, client: str, stay: Stay, referrers: WeightedChoice, start: int, end: int, rng: random.Random
) -> tuple[str, ...]:
    referred = between(rng, max(start, stay.start - 400), min(end, stay.start + 400))
    decided = referred + between(rng, 0, 21)
    decision = pick(rng, _NOT_ACCEPTED)
    if decided > end:
        decision = "pending"
    return (
        referral_id, client, day(referred), referrers.draw(rng), stay.service.code, stay.service.service_type,
        decision, "" if decision == "pending" else day(decided),
    )


def _stay_row(stay_id: str, client: str, referral_id: str, stay: Stay) -> tuple[str, ...]:
    return (
        stay_id, client, referral_id, stay.service.code, stay.service.service_type, stay.service.area,
        day(stay.start), day(stay.end), stay.reason or "", stay.destination or "",
    )
