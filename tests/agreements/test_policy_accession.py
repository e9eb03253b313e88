"""The accession cases of ``docs/agreements-accession.md`` §A.5, beside the §3.9 cases: one table, one test.

Fixture: Appendix A's ``dsa-pl-rsi`` version 1 with the demo's accession clause (profiles ``borough`` and
``hostel_provider``), re-signed by its seven parties on the new hash, suspended for a week in October 2026,
and the accession records below. ``dsa-acc-edited`` is a small version whose content was edited after
Southwark acceded.
"""

from __future__ import annotations

import copy
import random
from datetime import UTC, datetime
from typing import Any

import pytest

from boroughhub.agreements.accession import accession_profiles
from boroughhub.agreements.content_rules import ValidationContext
from boroughhub.agreements.hashing import content_hash
from boroughhub.agreements.policy import decide
from boroughhub.agreements.registers import (
    load_dataset_register,
    load_example_accession_clause,
    load_example_organisations,
    load_example_version_document,
    load_purpose_register,
)
from boroughhub.agreements.schema import validate_version_document
from boroughhub.agreements.snapshot import (
    ACTIONS,
    AgreementVersion,
    Organisation,
    Request,
    RoleGrant,
    Snapshot,
)
from boroughhub.agreements.vocabulary import parse_instant

from .test_policy import HCLIC_LINK, INF_UP, INS4, RSI, _history
from .test_policy_reference import reference_decide

_A1 = load_example_version_document()
HCLIC_UP = frozenset(next(d for d in _A1["content"]["datasets"] if d["dataset_id"] == "hclic")["field_sets"]["upload"])
PILOT_HCLIC = {"camden", "hillingdon", "lambeth", "westminster"}


def _accession(n: int, party: str, profile: str, signed_at: str, countersigned_at: str | None,
               status: str, signed_hash: str) -> dict[str, Any]:
    return {"id": f"acc-{n}", "party": party, "profile": profile, "status": status, "content_hash": signed_hash,
            "signer_user_id": f"u-{party}-ig", "signer_position": "SIRO", "signed_at": signed_at, "audit_seq": 900 + n,
            "countersigned_by_user_id": "u-hub-admin" if countersigned_at else None,
            "countersigned_at": countersigned_at}


def accession_documents() -> list[dict[str, Any]]:
    document = load_example_version_document()
    document["content"]["accession"] = load_example_accession_clause()
    digest = content_hash(document["content"])
    document["content_hash"] = digest
    document["sign_offs"] = [{**s, "content_hash": digest} for s in document["sign_offs"]]
    document["status_history"] += [
        {"status": "suspended", "at": "2026-10-01T09:00:00Z", "by": "u-cam-ig"},
        {"status": "active", "at": "2026-10-08T09:00:00Z", "by": "u-cam-ig"},
    ]
    document["accessions"] = [
        _accession(1, "southwark", "borough", "2026-05-04T09:00:00Z", "2026-05-05T10:00:00Z", "joined", digest),
        _accession(2, "lewisham", "borough", "2026-05-04T09:00:00Z", None, "requested", digest),
        _accession(3, "croydon", "borough", "2026-05-05T09:00:00Z", "2026-05-06T10:00:00Z", "joined", digest),
        _accession(4, "provider-c", "hostel_provider", "2026-06-01T09:00:00Z", "2026-06-01T12:00:00Z", "joined",
                   digest),
        _accession(5, "haringey", "borough", "2026-05-04T09:00:00Z", "2026-05-05T10:00:00Z", "joined",
                   "sha256:" + "0" * 64),
        _accession(6, "barnet", "borough", "2026-05-04T09:00:00Z", None, "declined", digest),
    ]
    document["withdrawals"] = [{"party": "croydon", "notice_given_at": "2026-06-01T09:00:00Z",
                                "effective_at": "2026-08-31T23:00:00Z", "by_user_id": "u-croydon-ig"}]

    small = copy.deepcopy(document["content"])
    small["title"] = "Edited after accession"
    edited = {"format": "boroughhub-dsa/1.0", "agreement_id": "dsa-acc-edited", "version": 1, "content": small,
              "content_hash": content_hash(small), "status": "active", "lead_party": "camden",
              "status_history": _history(("in_signature", "2026-02-01T09:00:00Z"), ("active", "2026-02-20T09:00:00Z")),
              "sign_offs": [{**s, "content_hash": content_hash(small)} for s in document["sign_offs"]],
              "accessions": [_accession(7, "sutton", "borough", "2026-05-04T09:00:00Z", "2026-05-05T10:00:00Z",
                                        "joined", content_hash(small))]}
    small["summary"] = "Changed after every signature."  # the stored text no longer hashes to what was signed
    return [document, edited]


EXTRA_ORGS = ("southwark", "lewisham", "croydon", "haringey", "barnet", "sutton", "provider-c")
GRANTS = [
    ("swk-up1", "southwark", "uploader"), ("swk-an1", "southwark", "analyst"), ("lew-up1", "lewisham", "uploader"),
    ("cro-an1", "croydon", "analyst"), ("cro-up1", "croydon", "uploader"), ("pc-up1", "provider-c", "uploader"),
    ("har-up1", "haringey", "uploader"), ("bar-up1", "barnet", "uploader"), ("sut-an1", "sutton", "analyst"),
    ("gla-an1", "gla", "analyst"), ("cam-an1", "camden", "analyst"), ("cam-up1", "camden", "uploader"),
]


def accession_snapshot() -> Snapshot:
    organisations = [*load_example_organisations(), *(Organisation(org) for org in EXTRA_ORGS)]
    return Snapshot.build(
        organisations=organisations,
        role_grants=[RoleGrant(user, org, role, parse_instant("2026-01-01T00:00:00Z")) for user, org, role in GRANTS],
        datasets=load_dataset_register(), purposes=load_purpose_register(),
        versions=[AgreementVersion.from_document(d) for d in accession_documents()], registry_revision=7)


SNAPSHOT = accession_snapshot()
_ROLES = {user: (org, role) for user, org, role in GRANTS}
PERMIT, DENY = "permit", "deny"
V1 = ("dsa-pl-rsi", 1)

# (case, user, action, dataset, fields, time, decision, agreement | None, reason, notes) -- purpose RSI throughout
CASES: list[tuple[Any, ...]] = [
    ("AC01", "swk-up1", "upload", "hclic", HCLIC_UP, "2026-05-05T09:59:59Z", DENY, None, "NO_AGREEMENT", {}),
    ("AC02", "swk-up1", "upload", "hclic", HCLIC_UP, "2026-05-05T10:00:00Z", PERMIT, V1, "PERMITTED",
     {"via": "P-UP-HCLIC", "stamp": "southwark"}),
    ("AC03", "swk-an1", "view_aggregate", "metric_values", INS4, "2026-06-01T10:00:00Z", PERMIT, V1, "PERMITTED",
     {"via": "P-INSIGHTS", "min_cell": 10}),
    ("AC04", "swk-up1", "upload", "inform", INF_UP, "2026-06-01T10:00:00Z", DENY, V1, "DATASET_NOT_COVERED", {}),
    ("AC05", "swk-an1", "link", "hclic", HCLIC_LINK, "2026-06-01T10:00:00Z", DENY, V1, "ACTION_NOT_PERMITTED",
     {"closest": "P-UP-HCLIC"}),
    ("AC06", "swk-an1", "export", "hclic", HCLIC_LINK, "2026-06-01T10:00:00Z", DENY, V1, "PROHIBITED",
     {"prohibition": "X-NO-RECORD-EXPORT"}),
    ("AC07", "swk-an1", "export", "hclic", HCLIC_LINK, "2026-05-05T09:00:00Z", DENY, None, "NO_AGREEMENT", {}),
    ("AC08", "gla-an1", "link", "hclic", HCLIC_LINK, "2026-05-05T09:59:59Z", PERMIT, V1, "PERMITTED",
     {"via": "P-LINK-HCLIC", "suppliers": PILOT_HCLIC}),
    ("AC09", "gla-an1", "link", "hclic", HCLIC_LINK, "2026-06-01T10:00:00Z", PERMIT, V1, "PERMITTED",
     {"via": "P-LINK-HCLIC", "suppliers": PILOT_HCLIC | {"southwark", "croydon"}}),
    ("AC10", "gla-an1", "link", "hclic", HCLIC_LINK, "2026-09-15T10:00:00Z", PERMIT, V1, "PERMITTED",
     {"via": "P-LINK-HCLIC", "suppliers": PILOT_HCLIC | {"southwark"}}),
    ("AC11", "cro-an1", "view_aggregate", "metric_values", INS4, "2026-07-01T10:00:00Z", PERMIT, V1, "PERMITTED",
     {"via": "P-INSIGHTS", "min_cell": 10}),
    ("AC12", "cro-an1", "view_aggregate", "metric_values", INS4, "2026-09-15T10:00:00Z", DENY, V1, "PARTY_WITHDRAWN",
     {}),
    ("AC13", "lew-up1", "upload", "hclic", HCLIC_UP, "2026-06-01T10:00:00Z", DENY, None, "NO_AGREEMENT", {}),
    ("AC14", "har-up1", "upload", "hclic", HCLIC_UP, "2026-06-01T10:00:00Z", DENY, None, "NO_AGREEMENT", {}),
    ("AC15", "bar-up1", "upload", "hclic", HCLIC_UP, "2026-06-01T10:00:00Z", DENY, None, "NO_AGREEMENT", {}),
    ("AC16", "pc-up1", "upload", "inform", INF_UP, "2026-06-02T10:00:00Z", PERMIT, V1, "PERMITTED",
     {"via": "P-UP-INFORM", "stamp": "provider-c"}),
    ("AC17", "pc-up1", "upload", "hclic", HCLIC_UP, "2026-06-02T10:00:00Z", DENY, V1, "DATASET_NOT_COVERED", {}),
    ("AC18", "swk-an1", "view_aggregate", "metric_values", INS4, "2026-10-03T10:00:00Z", DENY, V1,
     "AGREEMENT_SUSPENDED", {}),
    ("AC19", "swk-an1", "view_aggregate", "metric_values", INS4, "2028-03-31T23:00:00Z", DENY, V1, "AGREEMENT_EXPIRED",
     {}),
    ("AC20", "cam-up1", "upload", "hclic", HCLIC_UP, "2026-06-01T10:00:00Z", PERMIT, V1, "PERMITTED",
     {"via": "P-UP-HCLIC", "stamp": "camden"}),
    ("AC21", "sut-an1", "view_aggregate", "metric_values", INS4, "2026-06-01T10:00:00Z", DENY,
     ("dsa-acc-edited", 1), "INTEGRITY_FAILURE", {}),
]


def _request(case: str, user: str, action: str, dataset: str, fields: frozenset[str], time: str) -> Request:
    org, role = _ROLES[user]
    return Request(request_id=case, user_id=user, org=org, role=role, action=action, dataset=dataset,
                   fields=frozenset(fields), purpose=RSI, time=datetime.fromisoformat(time.replace("Z", "+00:00")))


@pytest.mark.parametrize(("case", "user", "action", "dataset", "fields", "time", "expected", "agreement", "reason",
                          "notes"), CASES, ids=[c[0] for c in CASES])
def test_accession_case(case: str, user: str, action: str, dataset: str, fields: frozenset[str], time: str,
                        expected: str, agreement: tuple[str, int] | None, reason: str, notes: dict[str, Any]) -> None:
    decision = decide(_request(case, user, action, dataset, fields, time), SNAPSHOT)

    assert (decision.decision, decision.primary_reason.code) == (expected, reason)
    assert (decision.agreement_id, decision.agreement_version) == (agreement or (None, None))
    primary, obligations = decision.primary_reason, decision.obligations
    if "via" in notes:
        assert primary.permission_id == notes["via"]
    if "closest" in notes:
        assert primary.permission_id == notes["closest"]
    if "prohibition" in notes:
        assert primary.prohibition_id == notes["prohibition"]
    if "min_cell" in notes:
        assert obligations is not None and obligations.min_cell_size == notes["min_cell"]
    if "suppliers" in notes:
        assert obligations is not None and obligations.row_filter is not None
        assert obligations.row_filter.suppliers == frozenset(notes["suppliers"])
    if "stamp" in notes:
        assert obligations is not None and obligations.stamp is not None
        assert (obligations.stamp.supplier, obligations.stamp.agreement_id) == (notes["stamp"], "dsa-pl-rsi")


def test_the_accession_does_not_change_what_the_existing_parties_signed() -> None:
    """Existing parties' approvals stay on the one hash; the accession records are envelope, not content."""
    document = accession_documents()[0]
    with_records = AgreementVersion.from_document(document)
    without = AgreementVersion.from_document({**document, "accessions": []})
    assert with_records.content_hash == without.content_hash == content_hash(document["content"])
    assert set(with_records.joined) == {"southwark", "croydon", "provider-c"}
    assert not without.joined


def test_an_acceded_party_holds_exactly_its_profile() -> None:
    version = next(v for v in SNAPSHOT.versions if v.key == V1)
    profile = accession_profiles(version.content)["borough"]
    granted = {p.id for p in version.permissions if "southwark" in version.assignees_of(p)}
    assert granted == set(profile.permissions) == {"P-UP-HCLIC", "P-INSIGHTS"}
    assert version.acceded_suppliers("hclic") == {"southwark", "croydon"}
    assert version.acceded_suppliers("inform") == {"provider-c"}


def test_decide_equals_the_reference_with_acceded_parties() -> None:
    """The indexed decide() and the step-by-step reference agree around every accession instant."""
    rng = random.Random(14)
    instants = sorted({parse_instant(t) for case in CASES for t in (case[5],)} | {
        parse_instant(t) for t in ("2026-05-05T10:00:00Z", "2026-05-06T10:00:00Z", "2026-06-01T12:00:00Z",
                                   "2026-08-31T23:00:00Z", "2026-08-31T22:59:59Z", "2026-10-08T09:00:00Z")})
    datasets = ["hclic", "inform", "metric_values", "chain", "person_link"]
    for n in range(1500):
        user, org, role = rng.choice(GRANTS)
        dataset = rng.choice(datasets)
        names = sorted(SNAPSHOT.datasets[dataset].fields)
        request = Request(request_id=f"x{n}", user_id=user, org=org, role=role, action=rng.choice(ACTIONS),
                          dataset=dataset, fields=frozenset(rng.sample(names, rng.randint(1, 3))), purpose=RSI,
                          time=rng.choice(instants).astimezone(UTC))
        assert decide(request, SNAPSHOT) == reference_decide(request, SNAPSHOT), request


# --------------------------------------------------------------------------- the clause's validation codes


def _validated(mutate: Any) -> set[str]:
    document = load_example_version_document()
    document["content"]["accession"] = load_example_accession_clause()
    mutate(document["content"]["accession"])
    report = validate_version_document(document, ValidationContext.example())
    return {e.code for e in report.errors}


def test_the_demo_clause_validates() -> None:
    assert not {c for c in _validated(lambda clause: None) if c.startswith("E-ACCESSION") or c.startswith("E-SCHEMA")}


@pytest.mark.parametrize(("mutate", "code"), [
    (lambda c: c["profiles"].append(copy.deepcopy(c["profiles"][0])), "E-ACCESSION-PROFILE-DUP"),
    (lambda c: c["profiles"][0]["permissions"].append("P-LINK-HCLIC-TOO"), "E-ACCESSION-PERMISSION"),
    (lambda c: c["profiles"][0]["supplies"].append("metric_values"), "E-ACCESSION-SUPPLIES"),
    (lambda c: c["profiles"][0].update(supplies=["inform"]), "E-ACCESSION-UPLOAD-SUPPLIER"),
    (lambda c: c["profiles"][0].update(party_role="recipient"), "E-ACCESSION-RECIPIENT-SUPPLIER"),
    (lambda c: c["profiles"][0].pop("retention"), "E-ACCESSION-RETENTION"),
    (lambda c: c["profiles"][0].update(party_role="processor"), "E-SCHEMA-enum"),
    (lambda c: c["profiles"][0].update(org_types=["council"]), "E-SCHEMA-enum"),
    (lambda c: c.update(profiles=[]), "E-SCHEMA-minItems"),
], ids=["duplicate", "unknown-permission", "derived-supply", "upload-unsupplied", "recipient-supplier",
        "no-retention", "processor", "unknown-type", "no-profiles"])
def test_a_clause_that_breaks_a_rule_is_reported(mutate: Any, code: str) -> None:
    assert code in _validated(mutate)


# --------------------------------------------------------------------------- the ODRL export


def test_the_odrl_export_shows_who_joined_and_when() -> None:
    from boroughhub.agreements.odrl import export_odrl

    document = accession_documents()[0]
    organisations = {o.id: o for o in SNAPSHOT.organisations.values()}
    graph = export_odrl(document, organisations, SNAPSHOT.datasets)["@graph"]
    nodes = {n["uid"]: n for n in graph}
    southwark = nodes["bho:southwark"]
    assert southwark["bh:joinedAt"]["@value"] == "2026-05-05T10:00:00Z"
    assert southwark["bh:accessionProfile"] == "borough" and "#parties" in southwark["partOf"]
    assert "bho:lewisham" not in nodes and "bho:haringey" not in nodes  # not countersigned; another text
    rules = {r["uid"]: r for r in graph[0]["permission"]}
    joined_rules = sorted(uid for uid in rules if "/southwark/" in uid)
    assert joined_rules == ["#P-INSIGHTS/southwark/export", "#P-INSIGHTS/southwark/view_aggregate",
                            "#P-UP-HCLIC/southwark/upload"]
    assert "#c/joined-southwark" in rules["#P-UP-HCLIC/southwark/upload"]["constraint"]
    assert nodes["#c/joined-southwark"]["rightOperand"]["@value"] == "2026-05-05T10:00:00Z"
    assert "#c/joined-southwark" not in rules["#P-UP-HCLIC/camden/upload"]["constraint"]
