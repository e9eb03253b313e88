"""The privacy officer's audit pages, through the page checker: scope, names, filters, paging, CSV, resident search."""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import UTC, datetime

import pytest

from boroughhub.audit import audit_clock_set_to, record_event
from boroughhub.audit.models import AuditEntry
from tests.pagecheck import check_page

pytestmark = pytest.mark.urls("tests.agreements.urls")

PURPOSE = "bhp:rough-sleeping-strategic-insight"
# Instants the tests date entries at (the audit clock is an input): a London summer day and a winter one.
SUMMER_EVENING = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)  # 1 July 2026, 00:30 BST
WINTER_MORNING = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def sign_in(client, person, role: str, org: str):
    from boroughhub.organisations.acting import SESSION_KEY

    user = person(role, org)
    grant = user.role_grants.get(organisation_id=org, role=role)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[SESSION_KEY] = grant.pk
    session.save()
    return client


def named(person, role: str, org: str, name: str):
    user = person(role, org)
    user.display_name = name
    user.save(update_fields=["display_name"])
    return user


def use_data(user, org: str, role: str, action: str, dataset: str, rows: int = 3):
    """A permitted request and the data use after it, as a capability writes them."""
    from boroughhub.agreements import enforce

    decision = enforce.decide_and_audit(user=user, org_id=org, role=role, action=action, dataset=dataset,
                                        fields={"person_ref"}, purpose=PURPOSE)
    assert decision.permitted, decision.reasons
    return enforce.record_access(decision, row_count=rows)


def entry_rows(page) -> list[str]:
    html = page.content.decode()
    return [chunk.split("</tr>")[0] for chunk in html.split("data-entry=")[1:]]


def test_privacy_officer_sees_entries_in_scope_and_reads_are_audited(client, demo_agreements, demo_people):
    from boroughhub.agreements import enforce
    enforce.decide_and_audit(user=demo_people("analyst", "westminster"), org_id="westminster", role="analyst",
                             action="export", dataset="chain", fields={"area_code"}, purpose=PURPOSE)
    sign_in(client, demo_people, "privacy_officer", "camden")
    page = client.get("/agreements/audit?event_type=registry")
    check_page(page)
    assert page["Cache-Control"].count("no-store") == 1
    rows = entry_rows(page)
    assert rows and all("Agreement created or changed" in row for row in rows)
    decisions = client.get("/agreements/audit?event_type=decision")
    assert "Westminster" not in decisions.content.decode()  # Westminster's own decision is not Camden's scope
    reads = AuditEntry.objects.filter(event_type="audit_read", org="camden").order_by("seq")
    assert [r.payload["filters"] for r in reads] == [{"event_type": "registry"}, {"event_type": "decision"}]


def test_privacy_officer_sees_linkage_of_data_they_supply_but_not_other_suppliers_uploads(
        client, demo_agreements, demo_people):
    use_data(demo_people("uploader", "westminster"), "westminster", "uploader", "upload", "hclic")
    use_data(demo_people("analyst", "gla"), "gla", "analyst", "link", "hclic")
    sign_in(client, demo_people, "privacy_officer", "camden")
    page = client.get("/agreements/audit?event_type=access")
    check_page(page)
    text = page.content.decode()
    assert "Linkage of H-CLIC extract (3 rows)" in text  # the GLA's linkage read Camden's H-CLIC among the others
    assert "Upload of" not in text and "Westminster" not in text  # Westminster's upload is its own


def test_each_access_is_one_line_and_people_are_named_only_on_our_data(client, demo_agreements, demo_people):
    ours = named(demo_people, "uploader", "camden", "Ada Camden")
    theirs = named(demo_people, "analyst", "gla", "Grace Gla")
    named(demo_people, "ig_lead", "westminster", "Wes Westminster")
    use_data(ours, "camden", "uploader", "upload", "hclic", rows=120)
    use_data(theirs, "gla", "analyst", "link", "hclic")
    from boroughhub.audit import record_event as write
    write("registry", "ok", user=demo_people("ig_lead", "westminster"), org_id="westminster", role="ig_lead",
          agreement_id="dsa-pl-rsi", agreement_version=1, payload={"what": "comment"})
    sign_in(client, demo_people, "privacy_officer", "camden")

    page = client.get("/agreements/audit")
    check_page(page)
    rows = entry_rows(page)
    upload = [r for r in rows if "Upload of H-CLIC extract (120 rows)" in r]
    assert len(upload) == 1, "the permit and the upload after it are one line"
    assert "Ada Camden" in upload[0] and "uploader@camden.example" in upload[0] and "Allowed" in upload[0]
    link = next(r for r in rows if "Linkage of H-CLIC extract" in r)
    assert "Grace Gla" in link and "analyst@gla.example" in link  # the GLA used Camden's data
    governance = next(r for r in rows if "Westminster" in r and "Agreement created or changed" in r)
    assert "Wes Westminster" not in governance and "Information governance lead" in governance
    assert not [r for r in rows if "Request decided" in r and "H-CLIC" in r]

    by_person = client.get("/agreements/audit?person=grace")
    assert [r for r in entry_rows(by_person) if "Grace Gla" in r] and len(entry_rows(by_person)) == 1
    # A name Camden may not see finds nothing, although that person's entries are in Camden's scope.
    assert entry_rows(client.get("/agreements/audit?person=wes")) == []


def test_filters_by_london_days_dataset_outcome_and_agreement(client, demo_agreements, demo_people):
    analyst = named(demo_people, "uploader", "camden", "Ada Camden")
    with audit_clock_set_to(SUMMER_EVENING):
        use_data(analyst, "camden", "uploader", "upload", "hclic")
    with audit_clock_set_to(WINTER_MORNING):
        use_data(analyst, "camden", "uploader", "upload", "hclic", rows=7)
    sign_in(client, demo_people, "privacy_officer", "camden")

    first_of_july = client.get("/agreements/audit?from_day=1&from_month=7&from_year=2026"
                               "&to_day=1&to_month=7&to_year=2026")
    check_page(first_of_july)
    rows = entry_rows(first_of_july)
    assert len(rows) == 1 and "1 July 2026, 00:30" in rows[0] and "(3 rows)" in rows[0]
    assert entry_rows(client.get("/agreements/audit?to_day=30&to_month=6&to_year=2026")) == []

    december = client.get("/agreements/audit?from_day=1&from_month=12&from_year=2026&dataset=hclic"
                          "&outcome=permit&agreement_id=dsa-pl-rsi&event_type=access")
    check_page(december)
    assert [("(7 rows)" in r) for r in entry_rows(december)] == [True]
    assert entry_rows(client.get("/agreements/audit?dataset=chain&event_type=access")) == []
    text = december.content.decode()
    for readable in ("Data used", "Sign-in or sign-out", "Agreement signed", "Allowed", "Denied"):
        assert readable in text


@pytest.mark.parametrize(("query", "message"), [
    ("from_day=31&from_month=2&from_year=2026", "The first day must be a real date"),
    ("from_day=1&from_year=2026", "The first day must include a month"),
    ("from_day=2&from_month=3&from_year=2026&to_day=1&to_month=3&to_year=2026",
     "The last day must be the same as or after the first day"),
    ("event_type=gossip", "Select an event from the list"),
    ("dataset=nonsense", "Select a dataset from the list"),
])
def test_bad_filters_say_what_to_do(client, demo_agreements, demo_people, query, message):
    sign_in(client, demo_people, "privacy_officer", "camden")
    page = client.get("/agreements/audit?" + query)
    assert page.status_code == 400
    facts = check_page(page)
    assert facts.error_summary and message in page.content.decode()
    assert client.get("/agreements/audit/entries.csv?" + query).status_code == 400  # nothing downloaded
    assert not AuditEntry.objects.filter(event_type="audit_read").exists()  # nothing was read


def test_paging_reaches_every_entry(client, demo_agreements, demo_people, monkeypatch):
    from boroughhub.agreements.views import audit as views

    monkeypatch.setattr(views, "PAGE_SIZE", 4)
    for number in range(10):
        record_event("session", "ok", user="system", org_id="camden", role="analyst", payload={"n": number})
    sign_in(client, demo_people, "privacy_officer", "camden")
    seen: list[str] = []
    for number in (1, 2, 3):
        page = client.get(f"/agreements/audit?event_type=session&page={number}")
        check_page(page)
        seen += [row.split('"')[1] for row in entry_rows(page)]
    assert len(seen) == 10 == len(set(seen))
    first = client.get("/agreements/audit?event_type=session").content.decode()
    assert "govuk-pagination" in first and "event_type=session&amp;page=2" in first


def test_csv_export_of_the_filtered_view_is_audited_with_its_hash(client, demo_agreements, demo_people):
    formula = named(demo_people, "uploader", "camden", "=HYPERLINK(\"http://evil.example\")")
    use_data(formula, "camden", "uploader", "upload", "hclic", rows=5)
    use_data(demo_people("analyst", "gla"), "gla", "analyst", "link", "hclic")
    sign_in(client, demo_people, "privacy_officer", "camden")
    page = client.get("/agreements/audit?event_type=access&dataset=hclic")
    assert "/agreements/audit/entries.csv?event_type=access&amp;dataset=hclic" in page.content.decode()
    download = client.get("/agreements/audit/entries.csv?event_type=access&dataset=hclic")
    assert download.status_code == 200 and download["Content-Type"].startswith("text/csv")
    assert "attachment" in download["Content-Disposition"] and "no-store" in download["Cache-Control"]
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    assert rows[0][:3] == ["Entry", "When (UTC)", "Event"] and len(rows) == 3
    assert {r[2] for r in rows[1:]} == {"Data used"}
    upload = next(r for r in rows[1:] if r[7].startswith("Upload of"))
    assert upload[3].startswith("'=") and upload[4] == "uploader@camden.example"
    read = AuditEntry.objects.filter(event_type="audit_read", org="camden").latest("seq")
    assert read.payload["report"] == "entries_csv" and read.payload["entries_exported"] == 2
    assert read.payload["filters"] == {"event_type": "access", "dataset": "hclic"}
    assert read.export_sha256 == hashlib.sha256(download.content).hexdigest()


def test_resident_access_list(client, demo_agreements, demo_people):
    permit = record_event("decision", "permit", user="system", org_id="gla", role="analyst")
    record_event("access", "ok", user="system", org_id="gla", role="analyst", action="view_record",
                 dataset="hclic", purpose=PURPOSE, agreement_id="dsa-pl-rsi",
                 agreement_version=1, decision_entry_id=permit.entry_id, row_count=1,
                 subject_refs=[{"dataset": "hclic", "supplier": "camden", "record_key": "P-123"}])
    sign_in(client, demo_people, "privacy_officer", "camden")
    page = client.get("/agreements/audit/resident?dataset=hclic&record_key=P-123")
    check_page(page)
    text = page.content.decode()
    assert "1 access found" in text and "Greater London Authority" in text and "viewed record" in text
    assert "no longer in your organisation" in text  # the warehouse holds no such record now
    assert client.get("/agreements/audit/resident?dataset=hclic&record_key=").status_code == 400


def test_resident_search_tells_no_such_record_from_no_accesses(client, demo_agreements, demo_people, settings,
                                                               tmp_path):
    from boroughhub.organisations.models import Organisation
    from boroughhub.warehouse import Warehouse

    supplier = Organisation.objects.get(pk="camden").supplier_code
    settings.WAREHOUSE_PATH = tmp_path / "warehouse.duckdb"
    with Warehouse(settings.WAREHOUSE_PATH) as warehouse:
        warehouse.execute("INSERT INTO main.hclic_people (supplier_code, person_ref) VALUES (?, 'P-1'), (?, 'P-2')",
                          [supplier, "E09000033"])
    sign_in(client, demo_people, "privacy_officer", "camden")

    known = client.get("/agreements/audit/resident?dataset=hclic&record_key=P-1")
    check_page(known)
    assert "No accesses found" in known.content.decode() and "No such record" not in known.content.decode()
    for absent in ("P-404", "P-2"):  # P-2 is Westminster's record: never Camden's to find
        page = client.get(f"/agreements/audit/resident?dataset=hclic&record_key={absent}")
        check_page(page)
        assert "No such record" in page.content.decode() and "No accesses found" not in page.content.decode()
    reads = AuditEntry.objects.filter(event_type="audit_read", payload__report="resident_access_list")
    assert [r.payload["record_known"] for r in reads.order_by("seq")] == ["yes", "no", "no"]
