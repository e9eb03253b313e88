"""``boroughhub asm scope|import|check`` end to end against the loopback zone: refusals, the register,
what changed between runs, the alert to the security lead, and the audit entries."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from boroughhub.asm.loopback import FakeCouncilZone

LEAD = "security_lead@barnet.example"


@pytest.fixture
def lead(make_user: Any) -> Any:
    return make_user(LEAD, "barnet", "security_lead")


def asm(*args: str) -> str:
    out = io.StringIO()
    call_command("asm", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def check(zone: FakeCouncilZone, targets: Path, *extra: str) -> dict[str, Any]:
    return json.loads(asm("check", "--council", "barnet", "--targets", str(targets), "--as", LEAD, "--json",
                          "--resolver", zone.resolver, *extra))


def authorise() -> None:
    asm("scope", "--council", "barnet", "--add", "barnet.test", "--add", "127.0.0.1/32",
        "--authorised-by", "Jo Smith, CIO", "--reference", "ICT-2026-117", "--as", LEAD)


def test_only_a_security_lead_of_that_council_may_scope_or_check(db: Any, make_user: Any, tmp_path: Path) -> None:
    make_user("security_lead@camden.example", "camden", "security_lead")
    make_user("analyst@barnet.example", "barnet", "analyst")
    for email in ("security_lead@camden.example", "analyst@barnet.example", "nobody@barnet.example"):
        with pytest.raises(CommandError):
            asm("scope", "--council", "barnet", "--add", "barnet.test", "--as", email)


def test_unauthorised_scope_refuses_every_target(lead: Any, zone: FakeCouncilZone, tmp_path: Path) -> None:
    asm("scope", "--council", "barnet", "--add", "barnet.test", "--add", "127.0.0.1/32", "--as", LEAD)
    targets = tmp_path / "targets.txt"
    targets.write_text("\n".join(zone.targets()))
    report = check(zone, targets)
    assert report["findings"] == []
    assert len(report["refused"]) == len(zone.targets())
    assert all("not authorised" in r["reason"] for r in report["refused"])
    assert report["scope"] == {"authorised": False, "in_scope": ["barnet.test", "127.0.0.1/32"], "excluded": []}


def test_checks_record_findings_ranked_and_the_next_run_shows_what_changed(lead: Any, zone: FakeCouncilZone,
                                                                         tmp_path: Path) -> None:
    from boroughhub.agreements import Notification
    from boroughhub.asm.models import Finding
    from boroughhub.audit import AuditEntry

    authorise()
    targets = tmp_path / "targets.txt"
    targets.write_text("# Barnet's fake zone\n" + "\n".join(zone.targets()) + "\n127.0.0.2:80\n")
    report = check(zone, targets)
    refused = {r["target"]: r["reason"] for r in report["refused"]}
    assert set(refused) == {f"outside.barnet.test:{zone.sites['intranet'].port}", "127.0.0.2:80"}
    ranked = [f["rule"] for f in report["findings"]]
    assert ranked[:2] == ["git-exposed", "tls-expired"]
    first = report["findings"][0]
    assert set(first) >= {"target", "check", "rule", "severity", "evidence", "status", "priority"}
    assert first["status"] == "open" and first["check"] == "exposure" and first["priority"] == 5 * 3 * 2
    www = next(t for t in report["targets"] if t["target"].startswith("www."))
    assert www["status"] == "checked" and www["address"] == "127.0.0.1"
    assert www["services"][0]["title"] == "barnet.test council" and www["services"][0]["status"] == 200
    assert www["services"][0]["server"] == "nginx/1.18.0" and www["services"][0]["certificate_subject"]
    assert len(report["changes"]["new_findings"]) == len(report["findings"]) and report["changes"]["resolved"] == []

    # A fix on the server and a new host in the zone: the next run resolves one and finds the other.
    zone.sites["intranet"].content.git_exposed = False
    zone.add_host("new")
    with targets.open("a") as file:
        file.write(f"new.barnet.test:{zone.sites['portal'].port}\n")
    try:
        again = check(zone, targets)
    finally:
        zone.sites["intranet"].content.git_exposed = True
        del zone.dns.records["new.barnet.test"]
    assert any("new.barnet.test" in a for a in again["changes"]["new_assets"])
    assert any(r.startswith("Source code repository exposed") for r in again["changes"]["resolved"])
    assert Finding.objects.get(rule="git-exposed").status == "resolved"
    assert Finding.objects.filter(rule="tls-expired").count() == 1  # seen twice, kept once
    alerts = Notification.objects.filter(organisation_id="barnet", role="security_lead", kind="asm_changes")
    assert alerts.count() == 2 and "1 resolved" in alerts.first().subject  # newest first
    assert AuditEntry.objects.filter(action="asm_check_run", org="barnet").count() == 2
    assert AuditEntry.objects.filter(action="asm_authorise").count() == 1


def test_imports_never_duplicate_and_a_bad_file_imports_nothing(lead: Any, tmp_path: Path) -> None:
    from boroughhub.asm.models import Asset, Finding

    good = tmp_path / "subfinder.jsonl"
    good.write_text('{"host": "www.barnet.test"}\n{"host": "intranet.barnet.test"}\n')
    assert "2 new asset(s)" in asm("import", str(good), "--council", "barnet", "--format", "subfinder", "--as", LEAD)
    first_seen = Asset.objects.get(name="www.barnet.test").first_seen
    assert "2 seen again" in asm("import", str(good), "--council", "barnet", "--format", "subfinder", "--as", LEAD)
    asset = Asset.objects.get(name="www.barnet.test")
    assert asset.first_seen == first_seen and asset.last_seen >= first_seen and Asset.objects.count() == 2
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"host": "vpn.barnet.test"}\n{"host": "no such host!"}\n')
    with pytest.raises(CommandError, match="nothing was imported"):
        asm("import", str(bad), "--council", "barnet", "--format", "subfinder", "--as", LEAD)
    assert not Asset.objects.filter(name="vpn.barnet.test").exists()
    nuclei = tmp_path / "nuclei.jsonl"
    nuclei.write_text(json.dumps({"template-id": "CVE-2023-4966", "host": "https://vpn.barnet.test",
                                  "info": {"name": "Citrix Bleed", "severity": "critical",
                                           "classification": {"cve-id": ["CVE-2023-4966"]}}}) + "\n")
    asm("import", str(nuclei), "--council", "barnet", "--format", "nuclei", "--as", LEAD)
    finding = Finding.objects.get(cve="CVE-2023-4966")
    assert finding.known_exploited and finding.priority == 5 * 2 * 2 * 2  # doubled: on the known-exploited list


def test_the_demo_maps_barnets_fake_zone_once(lead: Any) -> None:
    from boroughhub.asm import seed_demo
    from boroughhub.asm.models import CheckRun, Finding

    assert "findings for Barnet's fake zone" in seed_demo()
    assert seed_demo() == "already set up"
    assert CheckRun.objects.filter(council_id="barnet").count() == 1
    assert Finding.objects.filter(council_id="barnet", rule="tls-expired").exists()


def test_a_csv_import_sets_criticality_and_the_priority_follows(lead: Any, zone: FakeCouncilZone,
                                                              tmp_path: Path) -> None:
    from boroughhub.asm.models import Finding

    authorise()
    targets = tmp_path / "targets.txt"
    targets.write_text(f"intranet.barnet.test:{zone.sites['intranet'].port}\n")
    check(zone, targets)
    web = f"http://intranet.barnet.test:{zone.sites['intranet'].port}/"
    assert Finding.objects.get(rule="git-exposed").priority == 30
    inventory = tmp_path / "assets.csv"
    inventory.write_text(f"kind,name,owner_team,criticality\nweb,{web},Intranet team,high\n")
    asm("import", str(inventory), "--council", "barnet", "--format", "csv", "--as", LEAD)
    finding = Finding.objects.get(rule="git-exposed")
    assert finding.priority == 45 and finding.asset.owner_team == "Intranet team"


def test_ports_are_tried_on_a_bare_host(lead: Any, zone: FakeCouncilZone, tmp_path: Path) -> None:
    authorise()
    targets = tmp_path / "targets.txt"
    targets.write_text("files.barnet.test\n")
    report = check(zone, targets, "--ports", f"{zone.banners['files'].port},{zone.banners['ssh'].port}")
    # Both listeners are on 127.0.0.1, where files.barnet.test points: each port shows its own service.
    assert [f["rule"] for f in report["findings"]] == ["risky-service", "ssh-exposed"]
    assert sorted(s["service"] for s in report["targets"][0]["services"]) == ["FTP", "SSH"]
    with pytest.raises(CommandError, match="--ports"):
        check(zone, targets, "--ports", "http")


def test_the_command_removes_entries_and_withdraws(lead: Any) -> None:
    from boroughhub.asm.store import scope_of

    authorise()
    out = asm("scope", "--council", "barnet", "--remove", "127.0.0.1", "--withdraw", "--as", LEAD)
    assert "Not authorised" in out and [e.value for e in scope_of("barnet").entries] == ["barnet.test"]
    with pytest.raises(CommandError, match="not in the scope"):
        asm("scope", "--council", "barnet", "--remove", "192.0.2.0/24", "--as", LEAD)


def test_the_table_shows_what_servers_said_as_text(lead: Any, tmp_path: Path) -> None:
    from boroughhub.asm.loopback import BannerListener

    authorise()
    listener = BannerListener("220 [bold red]FTP[/bold red] ready").start()
    try:
        targets = tmp_path / "targets.txt"
        targets.write_text(f"127.0.0.1:{listener.port}\n")
        out = asm("check", "--council", "barnet", "--targets", str(targets), "--as", LEAD)
    finally:
        listener.stop()
    assert "[bold" in out  # rich would have swallowed it as markup
