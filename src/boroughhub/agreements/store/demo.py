"""The demo's agreements, made through the same lifecycle a real one goes through.

1. ``dsa-pl-rsi`` version 1: the pan-London rough sleeping insights agreement of spec Appendix A,
   with an accession clause (profiles ``borough`` and ``hostel_provider``), signed by each party's
   designated signatory (the demo IG leads) and active; any other borough or provider may join it.
2. ``dsa-pl-rsi`` version 2: an amendment, in signature, approved by everyone except Camden, so
   ``ig_lead@camden.example`` has something to sign.
3. ``dsa-hub-qa``: the pilot's suppliers let the hub operator's data managers see unrounded
   insight figures for quality assurance (``view_unrounded`` on ``metric_values``).

Idempotent: an agreement that already exists is left alone.
"""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from boroughhub.agreements.hashing import content_hash
from boroughhub.agreements.models import Agreement, AgreementVersion, Template
from boroughhub.agreements.registers import load_example_accession_clause, load_example_version_document
from boroughhub.agreements.vocabulary import ROUGH_SLEEPING_INSIGHT

from .lifecycle import create_agreement, start_new_version, submit
from .signing import designate_signatory, sign
from .validation import validate_for_submission

HUB_OPERATOR = "hub"
INSIGHT = ROUGH_SLEEPING_INSIGHT
LONDON = ZoneInfo("Europe/London")
POSITIONS = {"provider-a": "Chief Executive", "provider-b": "Chief Executive"}


def demo_actor(org_id: str, role: str = "ig_lead") -> Any:
    """The demo account ``ROLE@ORG.example`` acting in that role (created by ``boroughhub demo``)."""
    from boroughhub.organisations import Acting, Role, User

    user = User.objects.filter(email=f"{role}@{org_id}.example").first()
    if user is None:
        raise LookupError(f"The demo account {role}@{org_id}.example is missing: create the demo accounts first.")
    grant = user.active_grants().filter(organisation_id=org_id, role=role).first()
    if grant is None:
        raise LookupError(f"{role}@{org_id}.example holds no active {role} grant in {org_id}.")
    return Acting(user, grant.organisation, Role(role), grant.pk)


def sign_by_everyone(version: AgreementVersion, *, except_parties: tuple[str, ...] = ()) -> AgreementVersion:
    """Designate each party's demo IG lead as signatory, submit, and sign for every other party."""
    for party in version.party_ids:
        actor = demo_actor(party)
        designate_signatory(actor, version, party, actor.user)
    report = validate_for_submission(version)
    if report.errors:
        raise ValueError("demo agreement does not validate: " + "; ".join(
            f"{e.code} {e.path}" for e in report.errors))
    submit(demo_actor(version.lead_party_id), version, {w.code for w in report.warnings})
    version.refresh_from_db()
    for party in version.party_ids:
        if party not in except_parties:
            sign(demo_actor(party), version, "approve", version.content_hash,
                 position=POSITIONS.get(party, "Senior Information Risk Owner"))
    version.refresh_from_db()
    return version


def quality_assurance_content() -> dict[str, Any]:
    """A controller–processor agreement: the hub operator quality-assures unrounded insight figures."""
    content = copy.deepcopy(demo_document()["content"])
    metric_values = next(d for d in content["datasets"] if d["dataset_id"] == "metric_values")
    controllers = sorted(metric_values["controllers"])
    suppliers = sorted(p["org_id"] for p in content["parties"])
    content.update(
        title="Quality assurance of rough sleeping insights by the hub operator",
        summary=("The pilot's suppliers let the hub operator's data managers see insight figures before "
                 "rounding and suppression, inside the hub only, to check them before release."),
        agreement_type="controller_processor",
    )
    content.pop("template", None)
    content.pop("accession", None)  # only the pilot agreement is open to joining
    content["parties"] = [
        *(p for p in content["parties"]),
        {"org_id": HUB_OPERATOR, "role": "processor", "accountable_officer": "Chief Executive",
         "processor_for": controllers},
    ]
    # Every dataset stays, so metric_values' inputs are in the version (E-DERIVED-INPUT); only the
    # one permission below grants anything.
    content["permissions"] = [{
        "id": "P-QA-UNROUNDED", "assignees": [HUB_OPERATOR], "dataset": "metric_values",
        "actions": ["view_unrounded"], "field_set": "all", "purposes": [INSIGHT], "roles": ["data_manager"],
    }]
    content["prohibitions"] = []
    content["retention"] = [{
        "parties": [HUB_OPERATOR], "applies_to": "unrounded figures seen inside the hub", "period": "P1M",
        "from": "creation", "deletion": "Nothing leaves the hub; working notes are deleted after a month.",
    }]
    transparency = content["transparency"]
    transparency["privacy_notice_urls"] = [
        *transparency["privacy_notice_urls"],
        {"org_id": HUB_OPERATOR, "url": "https://www.example.org/privacy/hub"},
    ]
    transparency["appropriate_policy_documents"] = [
        d for d in transparency.get("appropriate_policy_documents", []) if d["org_id"] in suppliers
    ]
    content["purposes"] = [p for p in content["purposes"] if p["code"] == INSIGHT]
    content["legal_text"] = {**content["legal_text"], "title": "Hub operator quality assurance schedule"}
    return content


def amendment_content(active: AgreementVersion) -> dict[str, Any]:
    """Version 2: the same sharing, with a stricter threshold for published insight figures."""
    content = copy.deepcopy(active.content)
    content["summary"] = (content.get("summary") or "") + " Version 2 raises the threshold for insight figures to 11."
    for permission in content["permissions"]:
        if permission["id"] == "P-INSIGHTS":
            permission["min_cell_size"] = 11
    return content


def demo_window(today: date) -> dict[str, str]:
    """The demo agreement's term follows the day the demo is set up, so a demo set up in any year works:
    two years from the start of that financial year (1 April, London time), first review eleven months in.

    Appendix A's fixed window (April 2026 to March 2028) would otherwise make every demo set up after
    March 2028 refuse everything (T-expired)."""
    start_year = today.year if (today.month, today.day) >= (4, 1) else today.year - 1
    start = datetime(start_year, 4, 1, tzinfo=LONDON).astimezone(UTC)
    end = datetime(start_year + 2, 4, 1, tzinfo=LONDON).astimezone(UTC)
    return {"effective_from": _utc_text(start), "expires_at": _utc_text(end),
            "first_review_due": date(start_year + 1, 3, 1).isoformat()}


def _utc_text(instant: datetime) -> str:
    return instant.strftime("%Y-%m-%dT%H:%M:%SZ")


def demo_document(today: date | None = None) -> dict[str, Any]:
    """Appendix A's version 1 with its term moved to follow ``today`` (see ``demo_window``), and an
    accession clause with the profiles ``borough`` and ``hostel_provider`` so that any other borough or
    provider can join it (docs/agreements-accession.md)."""
    document = load_example_version_document()
    document["content"]["time"].update(demo_window(today or datetime.now(UTC).astimezone(LONDON).date()))
    document["content"]["accession"] = load_example_accession_clause()
    return document


def ensure_demo_template() -> Template:
    """The pan-London insight template (``tpl-pl-insight`` version 1, named by Appendix A): the
    example's content without its title, summary and parties, so new drafts start from it."""
    content = load_example_version_document()["content"]
    defaults = {k: v for k, v in content.items() if k not in ("title", "summary", "parties", "template")}
    body = {"id": "tpl-pl-insight", "version": 1, "name": "Pan-London insight sharing", "template_type":
            "jca_joint_controllers", "owner": "IGfL pan-London DSA working group",
            "legal_text": content["legal_text"], "defaults": defaults}
    template, _ = Template.objects.get_or_create(
        template_id="tpl-pl-insight", version=1,
        defaults={"name": body["name"], "template_type": body["template_type"], "status": "published",
                  "owner": body["owner"], "legal_text": body["legal_text"], "defaults": defaults,
                  "content_hash": content_hash(body)})
    return template


def load_demo_agreements() -> list[str]:
    """Create the demo agreements that are not there yet; returns what was made."""
    made: list[str] = []
    ensure_demo_template()
    if not Agreement.objects.filter(pk="dsa-pl-rsi").exists():
        document = demo_document()
        lead = demo_actor(document["lead_party"])
        version = create_agreement(lead, document["agreement_id"], document["content"])
        sign_by_everyone(version)
        made.append(f"{version} ({version.status})")
        amended = start_new_version(lead, version.agreement, amendment_content(version))
        sign_by_everyone(amended, except_parties=("camden",))
        made.append(f"{amended} ({amended.status}, waiting for Camden)")
    if not Agreement.objects.filter(pk="dsa-hub-qa").exists():
        version = create_agreement(demo_actor("camden"), "dsa-hub-qa", quality_assurance_content())
        sign_by_everyone(version)
        made.append(f"{version} ({version.status})")
    return made


def ensure_signed_demo_agreement(agreement_id: str, lead_party: str, content: dict[str, Any]) -> str | None:
    """Another room's demo agreement, made and signed by every party like the pilot's; None if it exists."""
    if Agreement.objects.filter(pk=agreement_id).exists():
        return None
    version = sign_by_everyone(create_agreement(demo_actor(lead_party), agreement_id, content))
    return f"{version} ({version.status})"
