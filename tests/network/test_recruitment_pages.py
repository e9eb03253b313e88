"""Recruitment support: a vacancy, its shortlist and outcome, the placement with its saving and assumptions,
and the evaluation's download (no candidates' names)."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from boroughhub.audit import AuditEntry
from boroughhub.network.models import Vacancy
from tests.pagecheck import check_page

pytestmark = pytest.mark.django_db


def test_a_vacancy_from_opening_to_placement_and_its_saving(acting_as):
    manager = acting_as("programme_manager", "hub")
    check_page(manager.get("/recruitment/"))
    check_page(manager.get("/recruitment/new"))
    opened = manager.post("/recruitment/new", {"role": "Data analyst", "grade": "PO3", "organisation": "camden"})
    assert opened.status_code == 302
    vacancy = Vacancy.objects.get()
    url = f"/recruitment/{vacancy.reference}"
    manager.post(url, {"step": "shortlist", "name": "Priya Patel", "source": "apprentice network"})
    manager.post(url, {"step": "shortlist", "name": "Leo Smith", "source": "member network"})
    priya = vacancy.candidates.get(name="Priya Patel")
    assert manager.post(url, {"step": "outcome", "candidate": "abc", "outcome": "appointed"}).status_code == 404
    manager.post(url, {"step": "outcome", "candidate": priya.pk, "outcome": "appointed"})
    bad = manager.post(url, {"step": "filled", "filled-day": "1", "filled-month": "1", "filled-year": "2020",
                             "salary": "38,000", "agency_fee_rate": "150", "office_cost": "1500",
                             "assumption_source": "Framework price list"})
    facts = check_page(bad)
    html = bad.content.decode()
    assert facts.error_summary and "before it was opened" in html and "between 0 and 100" in html
    nan = manager.post(url, {"step": "filled", "filled-day": "1", "filled-month": "1", "filled-year": "2027",
                             "salary": "NaN", "agency_fee_rate": "20", "office_cost": "1e30",
                             "assumption_source": "x"})
    assert check_page(nan).error_summary and nan.content.decode().count("Enter a number from 0 to 1,000,000") >= 2
    vacancy.refresh_from_db()
    assert vacancy.status == "open"
    filled = manager.post(url, {"step": "filled", "filled-day": str(vacancy.opened_on.day),
                                "filled-month": str(vacancy.opened_on.month), "filled-year": str(vacancy.opened_on.year),
                                "salary": "£38,000", "agency_fee_rate": "20", "office_cost": "1500",
                                "assumption_source": "Framework price list"})
    assert filled.status_code == 302
    vacancy.refresh_from_db()
    assert vacancy.status == "filled" and vacancy.candidate_source == "apprentice network"
    listing = manager.get("/recruitment/")
    check_page(listing, forbidden=("Priya Patel",))
    assert "£6,100" in listing.content.decode()
    csv_text = manager.get("/recruitment/placements.csv").content.decode("utf-8-sig")
    assert "6100" in csv_text and "Framework price list" in csv_text and "Priya" not in csv_text
    book = load_workbook(BytesIO(manager.get("/recruitment/placements.xlsx").content))
    assert book["Placements"]["L2"].value == 6100 and "Assumptions" in book.sheetnames
    assert AuditEntry.objects.filter(action="placements_exported").count() == 2
    assert acting_as("analyst", "camden").get("/recruitment/").status_code == 403
