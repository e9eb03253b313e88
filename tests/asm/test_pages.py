"""The attack surface pages: each checked by the one page checker; only Barnet's security lead sees
Barnet's register; the comparison across councils names no asset."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from boroughhub.asm.loopback import FakeCouncilZone
from tests.pagecheck import check_page


@pytest.fixture
def lead(client_acting_as: Any) -> Any:
    return client_acting_as("security_lead", "barnet")


def authorise(client: Any) -> None:
    for entry in ("barnet.test", "127.0.0.1/32"):
        assert client.post("/asm/scope", {"entry-entry": entry}).status_code == 302
    response = client.post("/asm/scope", {"auth-authorised_by": "Jo Smith, CIO", "auth-reference": "ICT-2026-117",
                                          "auth-authorised_on": "1/12/2026"})
    assert response.status_code == 302


def test_the_pages_open_for_the_security_lead_and_refuse_others(lead: Any, client: Any, client_acting_as: Any) -> None:
    for path in ("/asm/", "/asm/scope", "/asm/import", "/asm/run", "/asm/assets"):
        check_page(lead.get(path))
    assert "every check is refused" in lead.get("/asm/").content.decode()
    client_acting_as("analyst", "barnet")
    assert client.get("/asm/").status_code == 403


def test_scope_form_says_what_is_wrong(lead: Any) -> None:
    response = lead.post("/asm/scope", {"entry-entry": "not a domain!"})
    assert response.status_code == 400
    check_page(response)
    assert "is not a domain" in response.content.decode()
    response = lead.post("/asm/scope", {"auth-authorised_by": "", "auth-reference": "", "auth-authorised_on": "soon"})
    check_page(response)
    assert response.status_code == 400


def test_import_run_accept_and_download(lead: Any, zone: FakeCouncilZone) -> None:
    from boroughhub.asm.models import Asset, Finding

    authorise(lead)
    bad = SimpleUploadedFile("subs.jsonl", b'{"host": "www.barnet.test"}\n{"hostname": "x"}\n')
    response = lead.post("/asm/import", {"format": "subfinder", "file": bad})
    assert response.status_code == 400 and Asset.objects.count() == 0
    page = response.content.decode()
    check_page(response)
    assert "required_missing" in page and "Nothing was imported" in page
    good = SimpleUploadedFile("subs.jsonl", b'{"host": "www.barnet.test"}\n')
    check_page(lead.post("/asm/import", {"format": "subfinder", "file": good}))
    assert Asset.objects.filter(council_id="barnet", name="www.barnet.test").exists()
    httpx = SimpleUploadedFile("httpx.jsonl", b'{"url": "https://portal.barnet.test:8443", "status_code": 200}\n')
    check_page(lead.post("/asm/import", {"format": "httpx", "file": httpx}))
    form = lead.get("/asm/run").content.decode()
    assert "portal.barnet.test:8443\nwww.barnet.test</textarea>" in form  # the inventory, to start from

    outside = lead.post("/asm/run", {"targets": zone.targets()[0], "resolver": "127.0.0.2:53"})
    assert outside.status_code == 400 and "inside your authorised scope" in outside.content.decode()
    check_page(outside)
    response = lead.post("/asm/run", {"targets": "\n".join([*zone.targets(), "127.0.0.2:80"]),
                                      "resolver": zone.resolver})
    assert response.status_code == 302
    detail = lead.get(response["Location"])
    check_page(detail)
    assert "127.0.0.2 is in none of its netblocks" in detail.content.decode()
    register = lead.get("/asm/")
    check_page(register)
    assert "Alerts sent to your council" in register.content.decode()
    assert "new finding(s)" in register.content.decode()
    rows = register.content.decode().split('id="register"')[1]
    assert rows.index("Source code repository exposed") < rows.index("TLS certificate expired") < rows.index(
        "Security headers missing")

    git = Finding.objects.get(council_id="barnet", rule="git-exposed")
    check_page(lead.get(f"/asm/findings/{git.pk}"))
    refused = lead.post(f"/asm/findings/{git.pk}", {"status": "accepted", "reason": ""})
    assert refused.status_code == 400
    check_page(refused)
    assert 'href="#id_reason"' in refused.content.decode() and 'id="id_reason"' in refused.content.decode()
    no_status = lead.post(f"/asm/findings/{git.pk}", {"reason": "x"}).content.decode()
    assert 'href="#id_status-1"' in no_status and 'id="id_status-1"' in no_status
    assert lead.post(f"/asm/findings/{git.pk}", {"status": "accepted", "reason": "Test server, closed next week",
                                                 "owner": "Web team"}).status_code == 302
    git.refresh_from_db()
    assert (git.status, git.owner) == ("accepted", "Web team")

    csv_text = lead.get("/asm/findings.csv").content.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("priority,severity,rule")
    assert "Test server, closed next week" in csv_text
    assert lead.get("/asm/findings.xlsx").content[:2] == b"PK"
    check_page(lead.get("/asm/assets"))


def test_other_councils_never_see_barnets_findings(lead: Any, client: Any, client_acting_as: Any,
                                                  zone: FakeCouncilZone) -> None:
    from boroughhub.asm.models import Finding

    authorise(lead)
    lead.post("/asm/run", {"targets": zone.targets()[1], "resolver": zone.resolver})
    finding = Finding.objects.filter(council_id="barnet").first()
    assert finding is not None
    client_acting_as("security_lead", "camden")
    assert client.get(f"/asm/findings/{finding.pk}").status_code == 404
    assert "intranet.barnet.test" not in client.get("/asm/").content.decode()


def test_the_comparison_across_councils_names_no_asset(lead: Any, client: Any, client_acting_as: Any,
                                                       zone: FakeCouncilZone) -> None:
    from boroughhub.organisations import HUB_OPERATOR_ID

    authorise(lead)
    lead.post("/asm/run", {"targets": "\n".join(zone.targets()), "resolver": zone.resolver})
    check_page(client.get("/asm/london"), forbidden=("intranet.barnet.test", "www.barnet.test"))  # Barnet's own lead: counts, no assets
    client_acting_as("analyst", "barnet")
    assert client.get("/asm/london").status_code == 403
    client_acting_as("programme_manager", HUB_OPERATOR_ID)
    response = client.get("/asm/london")
    check_page(response, forbidden=("intranet.barnet.test", "www.barnet.test", "127.0.0.1"))
    assert "Source code repository exposed" in response.content.decode()


def test_a_security_lead_sees_other_councils_only_together(client: Any, client_acting_as: Any,
                                                            zone: FakeCouncilZone) -> None:
    from boroughhub.asm.models import Asset, Finding

    barnet = client_acting_as("security_lead", "barnet")
    authorise(barnet)
    barnet.post("/asm/run", {"targets": "\n".join(zone.targets()), "resolver": zone.resolver})
    # Camden has one open finding of its own.
    asset = Asset.objects.create(council_id="camden", kind="host", name="vpn.camden.test", first_seen=zone_now(),
                                 last_seen=zone_now())
    Finding.objects.create(council_id="camden", asset=asset, rule="risky-service", title="Risky service",
                           check_kind="tcp", severity="high", exposure=2, priority=16, evidence="RDP on 3389",
                           first_seen=zone_now(), last_seen=zone_now())
    camden = client_acting_as("security_lead", "camden")
    page = camden.get("/asm/london")
    text = page.content.decode()
    check_page(page, forbidden=("intranet.barnet.test", "vpn.camden.test", "Barnet"))
    assert "London Borough of Camden" in text or "Camden" in text
    assert "Other London councils, together" in text


def zone_now() -> Any:
    from tests.asm.conftest import NOW

    return NOW


def test_a_run_waiting_for_the_worker_says_so_and_a_failed_one_says_what_to_do(lead: Any) -> None:
    from boroughhub.asm.models import CheckRun
    from boroughhub.asm.tasks import check_targets
    from tests.asm.conftest import NOW

    waiting = CheckRun.objects.create(council_id="barnet", status="queued", started_at=NOW, started_by="x",
                                      channel="web", targets=1, request={"targets": ["no such target!"]})
    page = lead.get(f"/asm/runs/{waiting.pk}")
    check_page(page)
    assert "data-live-status" in page.content.decode() and "Waiting to start" in page.content.decode()
    assert check_targets.call(waiting.pk) == "failed"
    page = lead.get(f"/asm/runs/{waiting.pk}")
    check_page(page)
    assert "data-live-status" not in page.content.decode() and "Run the checks again" in page.content.decode()


def test_the_chart_is_drawn_from_the_table_beside_it() -> None:
    from boroughhub.asm.charts import open_findings_chart
    from boroughhub.asm.london import Comparison

    svg = open_findings_chart([Comparison("Barnet", "git-exposed", "Source code repository exposed", 2, 1, 3.0),
                               Comparison("Camden", "tls-expired", "TLS certificate expired", 0, 4, 10.0)])
    assert svg.startswith("<svg") and "Source code repository exposed" in svg
    assert "TLS certificate expired" not in svg  # nothing open: no bar
    assert open_findings_chart([]) == ""


def test_an_entry_can_be_removed_and_the_authorisation_withdrawn(lead: Any) -> None:
    from boroughhub.asm.models import ScopeEntry
    from boroughhub.asm.store import scope_of
    from boroughhub.audit import AuditEntry

    authorise(lead)
    check_page(lead.get("/asm/scope"))
    netblock = ScopeEntry.objects.get(scope__council_id="barnet", value="127.0.0.1/32")
    assert lead.post("/asm/scope", {"remove": str(netblock.pk)}).status_code == 302
    assert [e.value for e in scope_of("barnet").entries] == ["barnet.test"]
    assert lead.post("/asm/scope", {"withdraw": "yes"}).status_code == 302
    assert scope_of("barnet").authorisation is None
    assert "not authorised" in str(scope_of("barnet").refusal_for_host("www.barnet.test"))
    assert AuditEntry.objects.filter(action="asm_authorise", org="barnet").count() == 2


def test_an_asset_gets_an_owner_and_its_criticality_moves_its_priorities(lead: Any, zone: FakeCouncilZone) -> None:
    from boroughhub.asm.models import Finding

    authorise(lead)
    lead.post("/asm/run", {"targets": zone.targets()[1], "resolver": zone.resolver})  # the intranet
    git = Finding.objects.get(council_id="barnet", rule="git-exposed")
    check_page(lead.get(f"/asm/assets/{git.asset_id}"))
    refused = lead.post(f"/asm/assets/{git.asset_id}", {"owner_team": "Web", "criticality": "vital"})
    assert refused.status_code == 400
    check_page(refused)
    assert lead.post(f"/asm/assets/{git.asset_id}", {"owner_team": "Web team", "criticality": "low"}).status_code == 302
    git.refresh_from_db()
    assert git.priority == 5 * 3 * 1 and git.asset.owner_team == "Web team"
