"""An acceded party withdraws (spec §2.6, amendment §A.4.5) through the store, the command and the page;
joiners are carried into the next version as named parties, withdrawn ones are not."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from boroughhub.agreements.accession_carry import Joiner, carry_joiners
from boroughhub.agreements.models import Accession, AgreementVersion, Notification, Withdrawal
from boroughhub.agreements.store.accession import accede, countersign, open_for_accession
from boroughhub.agreements.store.lifecycle import Refused, start_new_version
from boroughhub.agreements.store.withdrawal import earliest_effective, withdraw
from boroughhub.audit.models import AuditEntry
from tests.pagecheck import check_page

RSI = "bhp:rough-sleeping-strategic-insight"


@pytest.fixture
def joined(make_user: Any, pl_rsi_v1: Any, acting: Any) -> Accession:
    """Southwark joined the pilot agreement as a borough."""
    for role in ("ig_lead", "uploader"):
        make_user(f"{role}@southwark.example", "southwark", role, password=None)
    request = accede(acting("ig_lead", "southwark"), pl_rsi_v1, "borough", pl_rsi_v1.content_hash, position="SIRO",
                     accountable_officer="Director of Housing")
    return countersign(acting("hub_admin", "hub"), request)


def _upload(org: str, at: Any) -> Any:
    from boroughhub.agreements.enforce import decide_and_audit
    from boroughhub.organisations.models import User

    version = AgreementVersion.objects.get(agreement_id="dsa-pl-rsi", version=1)
    fields = next(d for d in version.content["datasets"] if d["dataset_id"] == "hclic")["field_sets"]["upload"]
    return decide_and_audit(user=User.objects.get(email=f"uploader@{org}.example"), org_id=org, role="uploader",
                            action="upload", dataset="hclic", fields=set(fields), purpose=RSI, at=at)


def test_an_acceded_party_withdraws_after_the_notice_period(joined: Accession, acting: Any) -> None:
    out = StringIO()
    call_command("agreements", "withdraw", "dsa-pl-rsi", "--org", "southwark", "--as", "ig_lead@southwark.example",
                 "--reason", "Moving to a sub-regional hub", stdout=out)
    withdrawal = Withdrawal.objects.get(party_id="southwark")
    assert withdrawal.effective_at == earliest_effective(joined.version, withdrawal.notice_given_at)
    assert withdrawal.effective_at - withdrawal.notice_given_at >= timedelta(days=89)  # P3M
    assert "no longer a party from" in out.getvalue()

    # decide(): a party until the withdrawal takes effect, then PARTY_WITHDRAWN; each answer audited.
    assert _upload("southwark", withdrawal.effective_at - timedelta(seconds=1)).permitted
    after = _upload("southwark", withdrawal.effective_at)
    assert (after.decision, after.primary_reason.code) == ("deny", "PARTY_WITHDRAWN")
    assert _upload("camden", withdrawal.effective_at).permitted  # nobody else is affected

    # Every party's IG lead and privacy officer is told; the step is in the audit chain.
    told = Notification.objects.filter(kind="withdrawal")
    assert {(n.organisation_id, n.role) for n in told} >= {("camden", "ig_lead"), ("camden", "privacy_officer"),
                                                            ("southwark", "ig_lead")}
    entry = AuditEntry.objects.filter(event_type="registry", payload__transition="withdrawal").get()
    assert (entry.org, entry.payload["party"], entry.payload["acceded"]) == ("southwark", "southwark", True)

    # Once only, and no joining the same version again.
    with pytest.raises(Refused) as refused:
        withdraw(acting("ig_lead", "southwark"), joined.version, position="SIRO")
    assert refused.value.code == "ALREADY_WITHDRAWN"
    assert open_for_accession("southwark") == []


def test_notice_shorter_than_the_period_or_by_someone_else_is_refused(joined: Accession, acting: Any,
                                                                     make_user: Any, settings: Any) -> None:
    make_user("ig_lead@croydon.example", "croydon", "ig_lead", password=None)
    version = joined.version
    lead = acting("ig_lead", "southwark")
    with pytest.raises(Refused) as refused:
        withdraw(lead, version, position="SIRO", effective_at=joined.countersigned_at + timedelta(days=7))
    assert refused.value.code == "NOTICE_TOO_SHORT"
    with pytest.raises(Refused) as refused:
        withdraw(acting("uploader", "southwark"), version, position="SIRO")
    assert refused.value.code == "NOT_IG_LEAD"
    with pytest.raises(Refused) as refused:
        withdraw(acting("ig_lead", "croydon"), version, position="SIRO")
    assert refused.value.code == "NOT_A_PARTY"
    assert not Withdrawal.objects.exists()
    settings.ENV = "production"
    with pytest.raises(CommandError, match="refused in production"):
        call_command("agreements", "withdraw", "dsa-pl-rsi", "--org", "southwark", "--as", "ig_lead@southwark.example")


@pytest.mark.urls("tests.agreements.urls")
def test_the_withdrawal_page_is_offered_to_the_partys_ig_lead_only(joined: Accession, client_acting_as: Any) -> None:
    from boroughhub.organisations.acting import SESSION_KEY
    from boroughhub.organisations.models import User

    user = User.objects.get(email="ig_lead@southwark.example")
    client = client_acting_as("ig_lead", "croydon")  # not a party: no link, no page
    assert client.get("/agreements/dsa-pl-rsi/1/withdraw").status_code == 404
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[SESSION_KEY] = user.role_grants.get(role="ig_lead").pk
    session.save()
    version_page = client.get("/agreements/dsa-pl-rsi/1")
    assert "/agreements/dsa-pl-rsi/1/withdraw" in version_page.content.decode()
    form = client.get("/agreements/dsa-pl-rsi/1/withdraw")
    check_page(form)
    missing = client.post("/agreements/dsa-pl-rsi/1/withdraw", {"position": ""})
    assert missing.status_code == 400
    check_page(missing)
    done = client.post("/agreements/dsa-pl-rsi/1/withdraw", {"position": "SIRO", "confirm": "on"})
    assert done.status_code == 302
    shown = client.get("/agreements/dsa-pl-rsi/1")
    check_page(shown)
    assert "Parties that withdrew" in shown.content.decode()
    assert "/agreements/dsa-pl-rsi/1/withdraw" not in shown.content.decode()


def test_joiners_are_named_in_the_next_version_and_withdrawn_ones_are_not(joined: Accession, acting: Any,
                                                                          make_user: Any) -> None:
    make_user("ig_lead@croydon.example", "croydon", "ig_lead", password=None)
    version = joined.version
    croydon = countersign(acting("hub_admin", "hub"), accede(acting("ig_lead", "croydon"), version, "borough",
                                                             version.content_hash, position="SIRO",
                                                             accountable_officer="SIRO"))
    withdraw(acting("ig_lead", "croydon"), version, position="SIRO")
    assert croydon.status == "joined"

    draft = start_new_version(acting("ig_lead", "camden"), version.agreement)
    content = draft.content
    parties = {p["org_id"]: p for p in content["parties"]}
    assert parties["southwark"] == {"org_id": "southwark", "role": "controller",
                                    "accountable_officer": "Director of Housing"}
    assert "croydon" not in parties
    permissions = {p["id"]: p for p in content["permissions"]}
    assert "southwark" in permissions["P-UP-HCLIC"]["assignees"] and "southwark" in permissions["P-INSIGHTS"]["assignees"]
    assert "southwark" not in permissions["P-LINK-HCLIC"]["assignees"]
    hclic = next(d for d in content["datasets"] if d["dataset_id"] == "hclic")
    assert "southwark" in hclic["suppliers"]
    assert any("southwark" in r["parties"] for r in content["retention"])
    assert "southwark" in draft.party_ids  # it signs the new version like every named party
    assert content["accession"] == version.content["accession"]  # others may still join the next version


def test_carrying_is_plain_and_leaves_the_rest_alone() -> None:
    content = {
        "parties": [{"org_id": "camden", "role": "controller"}],
        "permissions": [{"id": "P-UP", "assignees": ["camden"]}, {"id": "P-ALL", "assignees": ["*"]}],
        "datasets": [{"dataset_id": "hclic", "suppliers": ["camden"]}],
        "retention": [{"parties": ["camden"], "period": "P84M", "from": "export"}],
        "accession": {"profiles": [{"id": "borough", "party_role": "controller", "permissions": ["P-UP", "P-ALL"],
                                    "supplies": ["hclic"], "retention": {"period": "P84M", "from": "export"}}]},
    }
    carried = carry_joiners(content, [Joiner("sutton", "borough", "SIRO"), Joiner("merton", "gone", "SIRO"),
                                      Joiner("camden", "borough", "SIRO")])
    assert [p["org_id"] for p in carried["parties"]] == ["camden", "sutton"]
    assert carried["permissions"][0]["assignees"] == ["camden", "sutton"]
    assert carried["permissions"][1]["assignees"] == ["*"]
    assert carried["datasets"][0]["suppliers"] == ["camden", "sutton"]
    assert carried["retention"] == [{"parties": ["camden", "sutton"], "period": "P84M", "from": "export"}]
    assert content["parties"] == [{"org_id": "camden", "role": "controller"}]  # the source is not changed
