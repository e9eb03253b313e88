"""decide() against a line-by-line transcription of spec §3.3, on thousands of seeded requests.

``decide()`` answers from precomputed time segments and shared permission shapes (see
``snapshot_index``); the reference below reads the snapshot directly, step by step, as the spec
is written. Every decision, with all its reasons, matches and obligations, must be identical.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from boroughhub.agreements.permission_index import version_integrity_ok
from boroughhub.agreements.policy import REASON_RANK, decide
from boroughhub.agreements.snapshot import (
    ACTIONS,
    ROLE_CEILING,
    ROLES,
    AgreementVersion,
    Decision,
    Match,
    Obligations,
    Reason,
    Request,
    RowFilter,
    Snapshot,
    Stamp,
)

from .test_policy import GRANTS, SNAPSHOT, fixture_documents

_STATE = {"draft": "AGREEMENT_NOT_ACTIVE", "in_signature": "AGREEMENT_NOT_ACTIVE", "suspended": "AGREEMENT_SUSPENDED",
          "terminated": "AGREEMENT_TERMINATED", "superseded": "AGREEMENT_SUPERSEDED", "expired": "AGREEMENT_EXPIRED"}


_INTEGRITY: dict[tuple[str, int], bool] = {}


def _intact(version: AgreementVersion) -> bool:
    """Spec §2.4, computed once per version (the hash is the slow part, not what is tested here)."""
    if version.key not in _INTEGRITY:
        _INTEGRITY[version.key] = version_integrity_ok(version)
    return _INTEGRITY[version.key]


def reference_decide(req: Request, snap: Snapshot) -> Decision:  # noqa: C901 - it is the spec, step by step
    def deny(*reasons: Reason, at: datetime | None = None) -> Decision:
        return Decision("deny", tuple(reasons), snap.registry_revision, at, reasons[0].agreement_id,
                        reasons[0].version)

    if req.time.tzinfo is None:
        return deny(Reason("INVALID_REQUEST"))
    t = req.time.astimezone(UTC)
    if not req.fields or req.action not in ACTIONS or req.role not in ROLES:
        return deny(Reason("INVALID_REQUEST"), at=t)
    if req.dataset not in snap.datasets:
        return deny(Reason("UNKNOWN_DATASET"), at=t)
    unknown = sorted(f for f in req.fields if f not in snap.datasets[req.dataset].fields)
    if unknown:
        return deny(Reason("UNKNOWN_FIELD", fields=tuple(unknown)), at=t)
    if req.purpose not in snap.purposes:
        return deny(Reason("UNKNOWN_PURPOSE"), at=t)
    if not any(g.user_id == req.user_id and g.org_id == req.org and g.role == req.role and g.held_at(t)
               for g in snap.role_grants):
        return deny(Reason("ROLE_NOT_HELD"), at=t)
    if snap.organisations[req.org].suspended_at(t):
        return deny(Reason("ORG_SUSPENDED"), at=t)
    if req.action not in ROLE_CEILING[req.role]:
        return deny(Reason("ROLE_ACTION_CEILING"), at=t)

    candidates = [v for v in sorted(snap.versions, key=lambda v: v.key)
                  if v.party_at(req.org, t) and v.status_at(t) not in (None, "abandoned")]
    if not candidates:
        return deny(Reason("NO_AGREEMENT"), at=t)
    for v in candidates:
        for x in sorted(v.prohibitions, key=lambda x: x.id):
            if (v.status_at(t) in ("active", "suspended") and v.in_window(t) and not v.withdrawn_at(req.org, t)
                    and x.binds(req.org, req.dataset, req.action, req.purpose)):
                return deny(Reason("PROHIBITED", v.agreement_id, v.version, prohibition_id=x.id), at=t)

    matches: list[tuple[AgreementVersion, str]] = []
    failures: list[tuple[int, bool, str, int, Reason]] = []
    for v in candidates:
        status = v.status_at(t)
        in_force = status == "active" and v.in_window(t)
        covering = sorted((p for p in v.permissions if req.org in v.assignees_of(p) and p.dataset == req.dataset),
                          key=lambda p: p.id)
        if not covering:
            failures.append((1, in_force, v.agreement_id, v.version,
                             Reason("DATASET_NOT_COVERED", v.agreement_id, v.version)))
            continue
        passing, closest = [], None
        for p in covering:
            fs = v.datasets[p.dataset].field_sets.get(p.field_set, frozenset())
            checks = [("ACTION_NOT_PERMITTED", req.action in p.actions, None),
                      ("PURPOSE_NOT_PERMITTED", req.purpose in p.purposes, None),
                      ("ROLE_NOT_PERMITTED", req.role in p.roles, None),
                      ("PERMISSION_NOT_IN_WINDOW", p.in_window(t), None),
                      ("FIELDS_NOT_PERMITTED", req.fields <= fs, tuple(sorted(req.fields - fs)))]
            failed = next(((code, extra) for code, ok, extra in checks if not ok), None)
            if failed is None:
                passing.append(p)
            elif closest is None or REASON_RANK[failed[0]] > REASON_RANK[closest.code]:
                closest = Reason(failed[0], v.agreement_id, v.version, p.id, fields=failed[1])
        if not passing:
            assert closest is not None
            failures.append((REASON_RANK[closest.code], in_force, v.agreement_id, v.version, closest))
            continue
        if v.withdrawn_at(req.org, t):
            code = "PARTY_WITHDRAWN"
        elif status in _STATE:
            code = _STATE[status]
        elif t >= v.expires_at:
            code = "AGREEMENT_EXPIRED"
        elif t < v.effective_from:
            code = "AGREEMENT_NOT_YET_EFFECTIVE"
        elif not _intact(v):
            code = "INTEGRITY_FAILURE"
        else:
            matches.extend((v, p.id) for p in passing)
            continue
        failures.append((REASON_RANK[code], in_force, v.agreement_id, v.version,
                         Reason(code, v.agreement_id, v.version, passing[0].id)))
    if not matches:
        failures.sort(key=lambda f: (-f[0], not f[1], f[2], -f[3]))
        return deny(*(f[4] for f in failures), at=t)

    cited, cited_permission = matches[0]
    dataset = snap.datasets[req.dataset]
    permissions = [next(p for p in v.permissions if p.id == pid) for v, pid in matches]
    if req.action == "upload":
        obligations = Obligations(stamp=Stamp(req.org, req.purpose, cited.agreement_id, cited.version))
    else:
        suppliers = None
        if dataset.kind == "source":
            suppliers = frozenset(
                s for (v, _), p in zip(matches, permissions, strict=True)
                for s in (p.suppliers if p.suppliers is not None
                          else v.datasets[req.dataset].suppliers | v.acceded_suppliers(req.dataset))
                if not v.withdrawn_at(s, t) and v.party_at(s, t))
        sizes = [p.min_cell_size for p in permissions if p.min_cell_size is not None]
        aggregate_output = req.action == "view_aggregate" or (req.action == "export" and dataset.aggregate)
        obligations = Obligations(RowFilter(req.purpose, suppliers),
                                  max(sizes) if aggregate_output and sizes else None)
    return Decision("permit", (Reason("PERMITTED", cited.agreement_id, cited.version, cited_permission),),
                    snap.registry_revision, t, cited.agreement_id, cited.version,
                    tuple(Match(v.agreement_id, v.version, pid) for v, pid in matches), obligations)


def _instants(documents: dict[str, dict[str, object]]) -> list[datetime]:
    """Every instant the fixture mentions, and one second either side: where behaviour changes."""
    found: set[datetime] = set()
    for document in documents.values():
        version = AgreementVersion.from_document(document)  # type: ignore[arg-type]
        for at in [version.effective_from, version.expires_at, *(s.at for s in version.status_history),
                   *(w.effective_at for w in version.withdrawals)]:
            found.update((at - timedelta(seconds=1), at, at + timedelta(seconds=1)))
    found.update(datetime(2026, m, d, 12, tzinfo=UTC) for m in range(1, 13) for d in (5, 20))
    return sorted(found)


def _aimed_request(rng: random.Random, n: int, times: list[datetime]) -> Request:
    """A request shaped like one of the fixture's permissions, with now and then one thing off."""
    version = rng.choice(SNAPSHOT.versions)
    permission = rng.choice(version.permissions)
    org = rng.choice(sorted(permission.assignees))
    users = [(user, role) for user, grant_org, role, _, _ in GRANTS if grant_org == org] or [("nobody", "analyst")]
    user, role = rng.choice(users)
    field_set = sorted(version.datasets[permission.dataset].field_sets.get(permission.field_set, ()))
    fields = set(rng.sample(field_set, rng.randint(1, len(field_set)))) if field_set else {"area_code"}
    if rng.random() < 0.2:
        fields.add(rng.choice(sorted(SNAPSHOT.datasets[permission.dataset].fields)))
    purpose = rng.choice(sorted(permission.purposes)) if rng.random() < 0.8 else rng.choice(sorted(SNAPSHOT.purposes))
    action = rng.choice(sorted(permission.actions)) if rng.random() < 0.8 else rng.choice(ACTIONS)
    return Request(request_id=f"a{n}", user_id=user, org=org, role=role, action=action, dataset=permission.dataset,
                   fields=frozenset(fields), purpose=purpose, time=rng.choice(times))


def _random_request(rng: random.Random, n: int, times: list[datetime]) -> Request:
    user, org, role = rng.choice([(u, o, r) for u, o, r, _, _ in GRANTS])
    dataset = rng.choice(sorted(SNAPSHOT.datasets))
    names = sorted(SNAPSHOT.datasets[dataset].fields)
    return Request(request_id=f"r{n}", user_id=user, org=org, role=role, action=rng.choice(ACTIONS),
                   dataset=dataset, fields=frozenset(rng.sample(names, rng.randint(1, 4))),
                   purpose=rng.choice(sorted(SNAPSHOT.purposes)), time=rng.choice(times))


def test_decide_equals_the_reference_on_seeded_requests() -> None:
    rng = random.Random(39)
    times = _instants(fixture_documents())
    outcomes: set[str] = set()
    for n in range(3000):
        request = _aimed_request(rng, n, times) if n % 3 else _random_request(rng, n, times)
        decision = decide(request, SNAPSHOT)
        assert decision == reference_decide(request, SNAPSHOT), request
        outcomes.update(reason.code for reason in decision.reasons)
    # The sample reaches every step of the algorithm.
    assert outcomes >= {
        "PERMITTED", "ROLE_NOT_HELD", "ORG_SUSPENDED", "ROLE_ACTION_CEILING", "NO_AGREEMENT", "PROHIBITED",
        "DATASET_NOT_COVERED", "ACTION_NOT_PERMITTED", "PURPOSE_NOT_PERMITTED", "ROLE_NOT_PERMITTED",
        "FIELDS_NOT_PERMITTED", "PARTY_WITHDRAWN", "AGREEMENT_NOT_ACTIVE", "AGREEMENT_SUSPENDED",
        "AGREEMENT_SUPERSEDED", "AGREEMENT_EXPIRED", "AGREEMENT_NOT_YET_EFFECTIVE", "INTEGRITY_FAILURE",
    }, outcomes
