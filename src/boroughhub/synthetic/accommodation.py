"""Stays off the street: assessment hubs, hostels and moves into long-term accommodation.

Stays fill the gaps between a person's nights on the street, so the life course hangs together:
a stay that is followed by more nights ends before them, by eviction, abandonment, leaving, custody
or hospital (returns to the street after a hostel); a stay after a person's last night mostly ends
in a planned move-on, often into supported housing or a tenancy that is itself recorded as a stay.
Hub stays are recorded by CHAIN; hostel and long-term stays by CHAIN and, where an InForm provider
runs the service, by InForm (the same stay in two sources, as in life).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from boroughhub.synthetic.people import WeightedChoice, between, pick
from boroughhub.synthetic.street import StreetLife

INFORM_PROVIDERS = ("provider-a", "provider-b")


@dataclass(frozen=True, slots=True)
class Service:
    """An accommodation service: its InForm service code, CHAIN project code, type, area, provider."""

    code: str
    project_code: str
    service_type: str
    area: str
    provider: str | None  # an InForm supplier, or None if the service is not on InForm


@dataclass(slots=True)
class Stay:
    person_id: str
    service: Service
    start: int  # ordinal date
    end: int | None  # None: still resident at the end of the extract
    reason: str | None
    destination: str | None
    in_chain: bool
    in_inform: bool


_HUB_TYPES = {"nsno_hub": 0.7, "assessment_centre": 0.2, "night_shelter": 0.1}
_HOSTEL_TYPES = {"hostel": 0.78, "staging_post": 0.1, "emergency_accommodation": 0.12}
_LONG_TERM_DESTINATIONS = WeightedChoice({
    "supported_housing": 30, "second_stage": 20, "housing_first": 8, "clearing_house_tenancy": 10,
    "private_rented_tenancy": 20, "social_rented_tenancy": 7, "residential_care": 2, "family_or_friends": 3,
})
_RECORDED_AS_STAY = {"supported_housing", "second_stage", "housing_first", "clearing_house_tenancy"}
_CUT_SHORT = WeightedChoice({"abandoned": 35, "evicted": 30, "left_by_choice": 20, "custody": 8, "hospital": 7})
_CUT_SHORT_DESTINATION = {"custody": "custody", "hospital": "hospital"}
_NATURAL_END = WeightedChoice({
    "planned_move_on": 55, "transfer": 8, "evicted": 12, "abandoned": 13, "left_by_choice": 9, "died": 1, "other": 2,
})


def build_services(local_authorities: list[str], rng: random.Random) -> dict[str, list[Service]]:
    """A catalogue of services in the selected boroughs, by service type; about 60% on InForm."""
    catalogue: dict[str, list[Service]] = {}
    number = 0
    for area in local_authorities:
        for service_type, count in (
            ("nsno_hub", 1 if area in ("E09000033", "E09000022", "E09000007", "E09000012") else 0),
            ("assessment_centre", 1 if rng.random() < 0.3 else 0), ("night_shelter", 1),
            ("hostel", between(rng, 2, 5)), ("staging_post", 1), ("emergency_accommodation", 1),
            ("supported_housing", between(rng, 1, 3)), ("second_stage", 1), ("housing_first", 1),
            ("clearing_house_tenancy", 1),
        ):
            for _ in range(count):
                number += 1
                roll = rng.random()
                provider = INFORM_PROVIDERS[0] if roll < 0.35 else INFORM_PROVIDERS[1] if roll < 0.6 else None
                if service_type in _HUB_TYPES:
                    provider = None
                catalogue.setdefault(service_type, []).append(
                    Service(f"SVC{number:04d}", f"CP{number:05d}", service_type, area, provider)
                )
    hub_fallback = catalogue.get("nsno_hub") or catalogue.get("night_shelter", [])
    catalogue.setdefault("nsno_hub", hub_fallback)
    return catalogue


class StayPlanner:
    """Draws the stays of street lives and of people housed without sleeping rough."""

    def __init__(self, catalogue: dict[str, list[Service]], end: int, rng: random.Random) -> None:
        self.catalogue, self.end, self.rng = catalogue, end, rng
        self.hub_types = WeightedChoice({k: v for k, v in _HUB_TYPES.items() if catalogue.get(k)})
        self.hostel_types = WeightedChoice({k: v for k, v in _HOSTEL_TYPES.items() if catalogue.get(k)})

    def _service(self, service_type: str, near: str) -> Service:
        options = self.catalogue[service_type]
        local = [s for s in options if s.area == near]
        return pick(self.rng, local if local and self.rng.random() < 0.7 else options)

    def stays_of(self, life: StreetLife) -> list[Stay]:
        rng = self.rng
        days = sorted({day for day, _ in life.nights})
        stays: list[Stay] = []
        for k, day in enumerate(days):
            following = days[k + 1] if k + 1 < len(days) else None
            if following is not None and following - day <= 14:
                continue
            run = k + 1 - next((j for j in range(k, 0, -1) if days[j] - days[j - 1] > 14), 0)
            chance = (0.5 if following is None else 0.3) + (0.12 if run >= 5 else 0.0)
            if rng.random() < chance:
                area = next(a for d, a in life.nights if d == day)
                stays += self._pathway(life.person.person_id, day + 1 + between(rng, 0, 2), following, area)
        return stays

    def _pathway(self, person_id: str, arrive: int, next_night: int | None, area: str) -> list[Stay]:
        """Hub, then hostel, then perhaps long-term accommodation, all before ``next_night``."""
        rng = self.rng
        limit = (next_night - 1 - between(rng, 0, 5)) if next_night is not None else None
        if arrive > self.end or (limit is not None and arrive > limit):
            return []
        near = area if area.startswith("E09") else "E09000033"
        stays: list[Stay] = []
        if rng.random() < 0.5:
            hub = self._stay(person_id, self._service(self.hub_types.draw(rng), near), arrive, between(rng, 1, 7), limit)
            stays.append(hub)
            if hub.end is None or hub.reason is not None or rng.random() > 0.55:
                if hub.end is not None and hub.reason is None:
                    hub.reason, hub.destination = pick(rng,
                        (("reconnected", "reconnection_uk"), ("reconnected", "reconnection_abroad"),
                         ("left_by_choice", "not_known"), ("planned_move_on", "family_or_friends"))
                    )
                return stays
            hub.reason, hub.destination = "transfer", "hostel"
            arrive = hub.end
        while arrive <= self.end and (limit is None or arrive <= limit):
            hostel = self._stay(
                person_id, self._service(self.hostel_types.draw(rng), near), arrive, int(rng.expovariate(1 / 200)) + 3, limit
            )
            stays.append(hostel)
            if hostel.end is None or hostel.reason is not None:
                return stays
            hostel.reason = _NATURAL_END.draw(rng)
            if hostel.reason == "transfer":
                hostel.destination = "hostel"
                arrive = hostel.end
                continue
            if hostel.reason != "planned_move_on":
                hostel.destination = pick(rng, ("not_known", "family_or_friends", "other"))
                return stays
            hostel.destination = _LONG_TERM_DESTINATIONS.draw(rng)
            if hostel.destination in _RECORDED_AS_STAY and rng.random() < 0.6:
                home = self._stay(
                    person_id, self._service(hostel.destination, near), hostel.end,
                    int(rng.expovariate(1 / 700)) + 30, limit,
                )
                if home.end is not None and home.reason is None:
                    home.reason, home.destination = "planned_move_on", _LONG_TERM_DESTINATIONS.draw(rng)
                stays.append(home)
            return stays
        return stays

    def _stay(self, person_id: str, service: Service, start: int, length: int, limit: int | None) -> Stay:
        """A stay of ``length`` days, cut short before the next night on the street if need be."""
        rng = self.rng
        end: int | None = start + length
        reason = destination = None
        if limit is not None and end is not None and end > limit:
            end = max(start, limit)
            reason = _CUT_SHORT.draw(rng)
            destination = _CUT_SHORT_DESTINATION.get(reason, pick(rng, ("rough_sleeping", "not_known")))
        if end is not None and end > self.end:
            end, reason, destination = None, None, None
        in_inform = service.provider is not None and rng.random() < 0.95
        in_chain = service.service_type in _HUB_TYPES or rng.random() < (0.85 if service.service_type in _HOSTEL_TYPES else 0.5)
        if not in_chain and not in_inform:
            in_chain = True
        return Stay(person_id, service, start, end, reason, destination, in_chain, in_inform)

    def hostel_only_stays(self, person_id: str, arrive: int) -> list[Stay]:
        """Someone referred to a provider (by probation, a hospital, a council) who never slept rough."""
        rng = self.rng
        on_inform = [s for k in ("hostel", "supported_housing", "second_stage") for s in self.catalogue.get(k, [])
                     if s.provider is not None]
        if not on_inform:
            return []
        stays = []
        for _ in range(1 if rng.random() < 0.8 else 2):
            if arrive > self.end:
                break
            service = pick(rng, on_inform)
            stay = self._stay(person_id, service, arrive, int(rng.expovariate(1 / 250)) + 7, None)
            stay.in_inform, stay.in_chain = True, False
            if stay.end is not None:
                stay.reason = _NATURAL_END.draw(rng)
                if stay.reason == "transfer":
                    stay.reason = "planned_move_on"
                stay.destination = (
                    _LONG_TERM_DESTINATIONS.draw(rng) if stay.reason == "planned_move_on" else "not_known"
                )
                arrive = stay.end + between(rng, 30, 400)
            stays.append(stay)
            if stay.end is None:
                break
        return stays
