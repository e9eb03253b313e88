"""The 38 required cases of spec §3.9, as one table driving one test, on the §3.9 fixture."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest

from boroughhub.agreements.hashing import content_hash
from boroughhub.agreements.policy import decide
from boroughhub.agreements.registers import (
    load_dataset_register,
    load_example_organisations,
    load_example_version_document,
    load_purpose_register,
)
from boroughhub.agreements.snapshot import (
    AgreementVersion,
    Organisation,
    Request,
    RoleGrant,
    Snapshot,
    Suspension,
    parse_instant,
)

RSI = "bhp:rough-sleeping-strategic-insight"
EVAL = "bhp:service-evaluation"
SAFE = "bhp:safeguarding-adults"
COORD = "bhp:rough-sleeping-case-coordination"

_A1 = load_example_version_document()
_A1_SETS = {d["dataset_id"]: d["field_sets"] for d in _A1["content"]["datasets"]}
CHAIN_UP = frozenset(_A1_SETS["chain"]["upload"])
INF_UP = frozenset(_A1_SETS["inform"]["upload"])
HCLIC_LINK = frozenset(_A1_SETS["hclic"]["link"])
PL_QA = frozenset(_A1_SETS["person_link"]["qa"])
INS_ALL = frozenset(_A1_SETS["metric_values"]["all"])
INS4 = frozenset({"period", "area_code", "measure", "value"})
CH_E = frozenset({"chain_person_id", "contact_id", "contact_date", "area_code", "bedded_down"})
CH_D = frozenset({"contact_date", "area_code", "bedded_down"})
C_F = frozenset({"inform_client_id", "first_name", "last_name", "date_of_birth", "service_code",
                 "move_in_date", "move_out_date"})
F_F = frozenset({"inform_client_id", "first_name", "last_name", "move_in_date", "move_out_date"})


# --------------------------------------------------------------------------- fixture


def _history(*entries: tuple[str, str]) -> list[dict[str, str]]:
    return [{"status": status, "at": at, "by": "fixture"} for status, at in entries]


def _approvals(parties: list[str], signed_hash: str) -> list[dict[str, Any]]:
    return [
        {"id": f"so-{party}", "party": party, "signer_user_id": f"u-{party}", "decision": "approve",
         "content_hash": signed_hash, "signed_at": "2026-01-01T00:00:00Z"}
        for party in parties
    ]


def _document(agreement_id: str, version: int, content: dict[str, Any], history: list[dict[str, str]],
              *, signed: bool, withdrawals: list[dict[str, str]] | None = None) -> dict[str, Any]:
    digest = content_hash(content)
    parties = [p["org_id"] for p in content["parties"]]
    return {
        "format": "boroughhub-dsa/1.0",
        "agreement_id": agreement_id,
        "version": version,
        "content": content,
        "content_hash": digest,
        "status": history[-1]["status"],
        "status_history": history,
        "lead_party": parties[0],
        "sign_offs": _approvals(parties, digest) if signed else [],
        "withdrawals": withdrawals or [],
    }


def _small_content(parties: list[str], datasets: list[dict[str, Any]], permissions: list[dict[str, Any]],
                   window: tuple[str, str]) -> dict[str, Any]:
    """Only what decide() reads; §3.9 says any valid values will do for the rest."""
    return {
        "title": "fixture",
        "parties": [{"org_id": p, "role": "controller", "accountable_officer": "SIRO"} for p in parties],
        "datasets": datasets,
        "permissions": permissions,
        "prohibitions": [],
        "time": {"effective_from": window[0], "expires_at": window[1]},
    }


def _permission(pid: str, assignees: list[str], dataset: str, actions: list[str], field_set: str,
                purposes: list[str], roles: list[str], **extra: Any) -> dict[str, Any]:
    return {"id": pid, "assignees": assignees, "dataset": dataset, "actions": actions, "field_set": field_set,
            "purposes": purposes, "roles": roles, **extra}


def fixture_documents() -> dict[str, dict[str, Any]]:
    """The agreement versions A1, A2 and C-I of spec §3.9, as version documents."""
    a1 = load_example_version_document()
    a1["status_history"].append({"status": "superseded", "at": "2026-09-30T23:00:00Z", "by": "system"})

    a2_content = copy.deepcopy(a1["content"])
    for entry in a2_content["datasets"]:
        if entry["dataset_id"] == "chain":
            for name in ("upload", "analysis"):
                entry["field_sets"][name] = sorted({*entry["field_sets"][name], "history_care", "history_armed_forces"})
    a2_content["time"]["effective_from"] = "2026-09-30T23:00:00Z"
    a2 = _document("dsa-pl-rsi", 2, a2_content, _history(
        ("draft", "2026-05-11T09:00:00Z"), ("in_signature", "2026-06-01T09:00:00Z"),
        ("active", "2026-09-30T14:00:00Z")), signed=True)

    chain_gla = {"dataset_id": "chain", "suppliers": ["gla"]}
    c = _document("dsa-wm-safeguarding", 1, _small_content(
        ["provider-b", "westminster"],
        [{"dataset_id": "inform", "suppliers": ["provider-b"], "field_sets": {"c_f": sorted(C_F)}}],
        [_permission("P-SAFE-VIEW", ["westminster"], "inform", ["view_record"], "c_f", [SAFE],
                     ["frontline_worker"], suppliers=["provider-b"])],
        ("2026-01-31T00:00:00Z", "2027-01-31T00:00:00Z")),
        _history(("in_signature", "2026-01-10T09:00:00Z"), ("active", "2026-01-20T09:00:00Z"),
                 ("suspended", "2026-06-01T08:00:00Z")), signed=True)
    d = _document("dsa-cam-chain-2023", 1, _small_content(
        ["camden", "gla"], [{**chain_gla, "field_sets": {"ch_d": sorted(CH_D)}}],
        [_permission("P-CAM-CHAIN", ["camden"], "chain", ["view_record"], "ch_d", [RSI], ["analyst"])],
        ("2023-04-01T00:00:00Z", "2026-01-01T00:00:00Z")),
        _history(("in_signature", "2023-03-01T09:00:00Z"), ("active", "2023-03-20T09:00:00Z")), signed=True)
    e = _document("dsa-cam-gla-eval", 1, _small_content(
        ["camden", "gla"], [{**chain_gla, "field_sets": {"ch_e": sorted(CH_E)}}],
        [_permission("P-EVAL-CHAIN", ["camden"], "chain", ["export", "view_record"], "ch_e", [EVAL],
                     ["analyst"])],
        ("2026-04-14T23:00:00Z", "2027-04-14T23:00:00Z")),
        _history(("in_signature", "2026-03-20T09:00:00Z"), ("active", "2026-04-01T09:00:00Z")), signed=True)
    f = _document("dsa-lam-pa-coord", 1, _small_content(
        ["lambeth", "provider-a"],
        [{"dataset_id": "inform", "suppliers": ["provider-a"], "field_sets": {"f_f": sorted(F_F)}}],
        [_permission("P-COORD", ["lambeth"], "inform", ["view_record"], "f_f", [COORD], ["frontline_worker"],
                     suppliers=["provider-a"])],
        ("2026-06-30T23:00:00Z", "2027-06-30T23:00:00Z")),
        _history(("draft", "2026-05-05T09:00:00Z")), signed=False)
    h = _document("dsa-hil-gla-pilot", 1, _small_content(
        ["gla", "hillingdon"], [{**chain_gla, "field_sets": {"ch_d": sorted(CH_D)}}],
        [_permission("P-HIL-AGG", ["hillingdon"], "chain", ["view_aggregate"], "ch_d", [RSI], ["analyst"],
                     min_cell_size=10)],
        ("2026-02-28T00:00:00Z", "2027-02-28T00:00:00Z")),
        _history(("in_signature", "2026-02-01T09:00:00Z"), ("active", "2026-02-20T09:00:00Z")), signed=True)
    h["content"]["permissions"][0]["purposes"] = sorted([RSI, EVAL])  # edited after signing
    four = ["camden", "gla", "lambeth", "westminster"]
    i = _document("dsa-pl-rsi-eval", 1, _small_content(
        four,
        [{"dataset_id": "metric_values", "controllers": four, "field_sets": {"all": sorted(INS_ALL)}}],
        [_permission("P-EVAL-INSIGHTS", four, "metric_values", ["view_aggregate"], "all", sorted([RSI, EVAL]),
                     ["analyst"], min_cell_size=5)],
        ("2026-04-14T23:00:00Z", "2027-04-14T23:00:00Z")),
        _history(("in_signature", "2026-03-25T09:00:00Z"), ("active", "2026-04-08T09:00:00Z")), signed=True,
        withdrawals=[{"party": "lambeth", "notice_given_at": "2026-01-30T23:00:00Z",
                      "effective_at": "2026-04-30T23:00:00Z", "by_user_id": "u-lam-ig"}])
    return {"A1": a1, "A2": a2, "C": c, "D": d, "E": e, "F": f, "H": h, "I": i}


GRANTS = [
    ("gla-up1", "gla", "uploader", None, None),
    ("gla-an1", "gla", "analyst", None, None),
    ("cam-an1", "camden", "analyst", "2023-01-01T00:00:00Z", None),
    ("cam-po1", "camden", "privacy_officer", None, None),
    ("hil-an1", "hillingdon", "analyst", None, "2026-05-01T00:00:00Z"),
    ("hil-an2", "hillingdon", "analyst", None, None),
    ("lam-an1", "lambeth", "analyst", None, None),
    ("lam-fw1", "lambeth", "frontline_worker", None, None),
    ("wes-an1", "westminster", "analyst", None, None),
    ("wes-fw1", "westminster", "frontline_worker", None, None),
    ("pa-up1", "provider-a", "uploader", None, None),
    ("pb-an1", "provider-b", "analyst", None, None),
    ("met-an1", "met", "analyst", None, None),
]


def fixture_snapshot() -> Snapshot:
    organisations = []
    for org in load_example_organisations():
        if org.id == "provider-b":
            org = Organisation(org.id, org.name, org.type, org.status, org.ons_code, org.supplier_code, (
                Suspension(parse_instant("2026-09-01T00:00:00Z"), parse_instant("2026-09-15T00:00:00Z"),
                           "fixture", "hub-admin"),))
        organisations.append(org)
    grants = [
        RoleGrant(user_id=user, org_id=org, role=role, valid_from=parse_instant(start or "2026-01-01T00:00:00Z"),
                  revoked_at=None if revoked is None else parse_instant(revoked))
        for user, org, role, start, revoked in GRANTS
    ]
    return Snapshot.build(
        organisations=organisations,
        role_grants=grants,
        datasets=load_dataset_register(),
        purposes=load_purpose_register(),
        versions=[AgreementVersion.from_document(doc) for doc in fixture_documents().values()],
        registry_revision=1,
    )


SNAPSHOT = fixture_snapshot()

# --------------------------------------------------------------------------- the table of §3.9

PERMIT, DENY = "permit", "deny"
_ROLES = {user: (org, role) for user, org, role, _, _ in GRANTS}

# (case, user, action, dataset, fields, purpose, time, decision, (agreement, version) | None, reason, notes)
# notes: via=permission id; matched=extra matches; excess/unknown=fields; prohibition=id;
#        min_cell=n; suppliers=row filter; stamp=supplier; next=(code, agreement, version)
CASES: list[tuple[Any, ...]] = [
    ("01", "gla-up1", "upload", "chain", CHAIN_UP, RSI, "2026-05-01T10:00:00Z", PERMIT, ("dsa-pl-rsi", 1),
     "PERMITTED", {"via": "P-UP-CHAIN", "stamp": "gla"}),
    ("02", "pa-up1", "upload", "inform", INF_UP | {"ethnicity"}, RSI, "2026-05-01T10:00:00Z", DENY,
     ("dsa-pl-rsi", 1), "FIELDS_NOT_PERMITTED", {"excess": ("ethnicity",)}),
    ("03", "pa-up1", "upload", "chain", CHAIN_UP, RSI, "2026-05-01T10:00:00Z", DENY, ("dsa-pl-rsi", 1),
     "DATASET_NOT_COVERED", {}),
    ("04", "gla-an1", "link", "hclic", HCLIC_LINK, RSI, "2026-05-01T10:00:00Z", PERMIT, ("dsa-pl-rsi", 1),
     "PERMITTED", {"via": "P-LINK-HCLIC", "suppliers": {"camden", "hillingdon", "lambeth", "westminster"}}),
    ("05", "cam-an1", "link", "hclic", HCLIC_LINK, RSI, "2026-05-01T10:00:00Z", DENY, ("dsa-pl-rsi", 1),
     "ACTION_NOT_PERMITTED", {"closest": "P-UP-HCLIC"}),
    ("06", "pb-an1", "view_aggregate", "metric_values", INS4, RSI, "2026-06-10T10:00:00Z", PERMIT,
     ("dsa-pl-rsi", 1), "PERMITTED", {"via": "P-INSIGHTS", "min_cell": 10}),
    ("07", "pb-an1", "view_aggregate", "metric_values", INS4, RSI, "2026-09-10T10:00:00Z", DENY, None,
     "ORG_SUSPENDED", {}),
    ("08", "gla-an1", "view_record", "person_link", PL_QA, RSI, "2026-05-01T10:00:00Z", PERMIT,
     ("dsa-pl-rsi", 1), "PERMITTED", {"via": "P-QA-CLUSTERS"}),
    ("09", "gla-up1", "upload", "chain", CHAIN_UP | {"history_care"}, RSI, "2026-07-01T10:00:00Z", DENY,
     ("dsa-pl-rsi", 2), "AGREEMENT_NOT_ACTIVE", {"next": ("FIELDS_NOT_PERMITTED", "dsa-pl-rsi", 1)}),
    ("10", "gla-up1", "upload", "chain", CHAIN_UP | {"history_care"}, RSI, "2026-09-30T18:00:00Z", DENY,
     ("dsa-pl-rsi", 2), "AGREEMENT_NOT_YET_EFFECTIVE", {"next": ("FIELDS_NOT_PERMITTED", "dsa-pl-rsi", 1)}),
    ("11", "gla-up1", "upload", "chain", CHAIN_UP | {"history_care"}, RSI, "2026-11-02T10:00:00Z", PERMIT,
     ("dsa-pl-rsi", 2), "PERMITTED", {"via": "P-UP-CHAIN", "stamp": "gla"}),
    ("12", "cam-an1", "view_aggregate", "metric_values", INS4, RSI, "2026-11-02T10:00:00Z", PERMIT,
     ("dsa-pl-rsi", 2), "PERMITTED",
     {"via": "P-INSIGHTS", "matched": ("dsa-pl-rsi-eval", 1, "P-EVAL-INSIGHTS"), "min_cell": 10}),
    ("13", "wes-an1", "export", "metric_values", INS_ALL, RSI, "2026-06-01T10:00:00Z", PERMIT,
     ("dsa-pl-rsi", 1), "PERMITTED", {"via": "P-INSIGHTS", "min_cell": 10}),
    ("14", "cam-an1", "export", "chain", CH_E, EVAL, "2026-06-01T10:00:00Z", DENY, ("dsa-pl-rsi", 1),
     "PROHIBITED", {"prohibition": "X-NO-RECORD-EXPORT"}),
    ("15", "cam-an1", "view_record", "chain", CH_E, EVAL, "2026-06-01T10:00:00Z", PERMIT,
     ("dsa-cam-gla-eval", 1), "PERMITTED", {"via": "P-EVAL-CHAIN", "suppliers": {"gla"}}),
    ("16", "lam-an1", "view_aggregate", "metric_values", INS4, SAFE, "2026-06-01T10:00:00Z", DENY,
     ("dsa-pl-rsi", 1), "PURPOSE_NOT_PERMITTED", {"closest": "P-INSIGHTS"}),
    ("17", "cam-an1", "view_record", "chain", CH_E | {"ethnicity"}, EVAL, "2026-06-01T10:00:00Z", DENY,
     ("dsa-cam-gla-eval", 1), "FIELDS_NOT_PERMITTED", {"excess": ("ethnicity",)}),
    ("18", "lam-fw1", "view_aggregate", "metric_values", INS4, RSI, "2026-06-01T10:00:00Z", DENY,
     ("dsa-pl-rsi", 1), "ROLE_NOT_PERMITTED", {"closest": "P-INSIGHTS"}),
    ("19", "cam-po1", "view_record", "chain", CH_E, EVAL, "2026-06-01T10:00:00Z", DENY, None,
     "ROLE_ACTION_CEILING", {}),
    ("20", "hil-an1", "view_aggregate", "metric_values", INS4, RSI, "2026-06-01T10:00:00Z", DENY, None,
     "ROLE_NOT_HELD", {}),
    ("21", "wes-fw1", "view_record", "inform", C_F, SAFE, "2026-05-15T10:00:00Z", PERMIT,
     ("dsa-wm-safeguarding", 1), "PERMITTED", {"via": "P-SAFE-VIEW", "suppliers": {"provider-b"}}),
    ("22", "wes-fw1", "view_record", "inform", C_F, SAFE, "2026-07-01T10:00:00Z", DENY,
     ("dsa-wm-safeguarding", 1), "AGREEMENT_SUSPENDED", {}),
    ("23", "cam-an1", "view_record", "chain", CH_D, RSI, "2026-02-01T10:00:00Z", DENY,
     ("dsa-cam-chain-2023", 1), "AGREEMENT_EXPIRED", {}),
    ("24", "cam-an1", "view_record", "chain", CH_D, RSI, "2025-12-31T23:59:59Z", PERMIT,
     ("dsa-cam-chain-2023", 1), "PERMITTED", {"via": "P-CAM-CHAIN", "suppliers": {"gla"}}),
    ("25", "cam-an1", "view_record", "chain", CH_D, RSI, "2026-01-01T00:00:00Z", DENY,
     ("dsa-cam-chain-2023", 1), "AGREEMENT_EXPIRED", {}),
    ("26", "cam-an1", "view_aggregate", "metric_values", INS4, RSI, "2026-03-31T22:59:59Z", DENY,
     ("dsa-pl-rsi", 1), "AGREEMENT_NOT_YET_EFFECTIVE", {"next": ("AGREEMENT_NOT_ACTIVE", "dsa-pl-rsi-eval", 1)}),
    ("27", "cam-an1", "view_aggregate", "metric_values", INS4, RSI, "2026-03-31T23:00:00Z", PERMIT,
     ("dsa-pl-rsi", 1), "PERMITTED", {"via": "P-INSIGHTS", "min_cell": 10}),
    ("28", "lam-fw1", "view_record", "inform", F_F, COORD, "2026-06-01T10:00:00Z", DENY,
     ("dsa-lam-pa-coord", 1), "AGREEMENT_NOT_ACTIVE", {}),
    ("29", "hil-an2", "view_aggregate", "chain", CH_D, RSI, "2026-06-01T10:00:00Z", DENY,
     ("dsa-hil-gla-pilot", 1), "INTEGRITY_FAILURE", {}),
    ("30", "lam-an1", "view_aggregate", "metric_values", INS4, EVAL, "2026-06-01T10:00:00Z", DENY,
     ("dsa-pl-rsi-eval", 1), "PARTY_WITHDRAWN", {"next": ("PURPOSE_NOT_PERMITTED", "dsa-pl-rsi", 1)}),
    ("31", "lam-an1", "view_aggregate", "metric_values", INS4, EVAL, "2026-04-20T12:00:00Z", PERMIT,
     ("dsa-pl-rsi-eval", 1), "PERMITTED", {"via": "P-EVAL-INSIGHTS", "min_cell": 5}),
    ("32", "met-an1", "view_aggregate", "metric_values", INS4, RSI, "2026-06-01T10:00:00Z", DENY, None,
     "NO_AGREEMENT", {}),
    ("33", "cam-an1", "view_aggregate", "metric_values", INS4, RSI, "2026-06-01T10:00:00", DENY, None,
     "INVALID_REQUEST", {}),
    ("34", "cam-an1", "view_aggregate", "metric_values", frozenset(), RSI, "2026-06-01T10:00:00Z", DENY, None,
     "INVALID_REQUEST", {}),
    ("35", "cam-an1", "view_aggregate", "chain_2019", INS4, RSI, "2026-06-01T10:00:00Z", DENY, None,
     "UNKNOWN_DATASET", {}),
    ("36", "cam-an1", "view_aggregate", "metric_values", frozenset({"value", "nhs_number"}), RSI,
     "2026-06-01T10:00:00Z", DENY, None, "UNKNOWN_FIELD", {"unknown": ("nhs_number",)}),
    ("37", "cam-an1", "view_aggregate", "metric_values", INS4, "bhp:marketing", "2026-06-01T10:00:00Z", DENY,
     None, "UNKNOWN_PURPOSE", {}),
    ("38", "gla-an1", "view_aggregate", "chain", frozenset({"area_code", "history_care"}), RSI,
     "2026-05-01T10:00:00Z", DENY, ("dsa-pl-rsi", 1), "FIELDS_NOT_PERMITTED", {"excess": ("history_care",)}),
]


def _request(case: str, user: str, action: str, dataset: str, fields: frozenset[str], purpose: str,
             time: str) -> Request:
    org, role = _ROLES[user]
    when = datetime.fromisoformat(time.replace("Z", "+00:00"))
    return Request(request_id=f"req-{case}", user_id=user, org=org, role=role, action=action, dataset=dataset,
                   fields=fields, purpose=purpose, time=when)


@pytest.mark.parametrize(
    ("case", "user", "action", "dataset", "fields", "purpose", "time", "expected", "agreement", "reason", "notes"),
    CASES, ids=[c[0] for c in CASES],
)
def test_required_case(case: str, user: str, action: str, dataset: str, fields: frozenset[str], purpose: str,
                       time: str, expected: str, agreement: tuple[str, int] | None, reason: str,
                       notes: dict[str, Any]) -> None:
    decision = decide(_request(case, user, action, dataset, fields, purpose, time), SNAPSHOT)

    assert decision.decision == expected
    assert decision.primary_reason.code == reason
    assert (decision.agreement_id, decision.agreement_version) == (agreement or (None, None))
    assert decision.registry_revision == 1
    if decision.decided_at is not None:
        assert decision.decided_at == datetime.fromisoformat(time.replace("Z", "+00:00")).astimezone(UTC)

    primary = decision.primary_reason
    if expected == PERMIT:
        assert len(decision.reasons) == 1
        assert primary.permission_id == notes["via"]
        assert (agreement[0], agreement[1], notes["via"]) in [  # type: ignore[index]
            (m.agreement_id, m.version, m.permission_id) for m in decision.matched]
        assert decision.obligations is not None
    else:
        assert decision.matched == ()
        assert decision.obligations is None
    if "matched" in notes:
        assert notes["matched"] in [(m.agreement_id, m.version, m.permission_id) for m in decision.matched]
    if "closest" in notes:
        assert primary.permission_id == notes["closest"]
    if "excess" in notes:
        assert primary.fields == notes["excess"]
    if "unknown" in notes:
        assert primary.fields == notes["unknown"]
    if "prohibition" in notes:
        assert primary.prohibition_id == notes["prohibition"]
    if "next" in notes:
        second = decision.reasons[1]
        assert (second.code, second.agreement_id, second.version) == notes["next"]
    obligations = decision.obligations
    if "min_cell" in notes:
        assert obligations is not None and obligations.min_cell_size == notes["min_cell"]
    if "suppliers" in notes:
        assert obligations is not None and obligations.row_filter is not None
        assert obligations.row_filter.suppliers == frozenset(notes["suppliers"])
        assert obligations.row_filter.purpose == purpose
    if "stamp" in notes:
        assert obligations is not None and obligations.stamp is not None
        assert obligations.stamp.supplier == notes["stamp"]
        assert (obligations.stamp.agreement_id, obligations.stamp.version) == agreement
        assert obligations.row_filter is None


def test_every_required_case_is_in_the_table() -> None:
    assert [c[0] for c in CASES] == [f"{n:02d}" for n in range(1, 39)]
