"""``boroughhub getonline ...`` as scripts and outside checks run it (issue 19, item 7)."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from boroughhub.getonline import store
from boroughhub.getonline.models import Code, Device

from .conftest import NOW


def run(*args: str) -> tuple[str, str, int]:
    out, err = StringIO(), StringIO()
    try:
        call_command("getonline", *args, stdout=out, stderr=err)
    except SystemExit as stop:
        return out.getvalue(), err.getvalue(), int(stop.code or 0)
    return out.getvalue(), err.getvalue(), 0


def test_the_report_gives_each_boroughs_figures_as_json(hub: Any, person: Any) -> None:
    store.load_codes("code\nS1\n", "sim", "Operator A", "sims.csv", None, NOW)
    store.meet_request(store.request_stock(hub, "sim", 1, None, NOW), None, NOW)
    store.issue_code(hub, person, "sim", "", None, NOW)
    out, _, status = run("report", "--from", "2026-11-01", "--to", "2026-11-30", "--json")
    result = json.loads(out)
    assert status == 0
    lewisham = next(row for row in result["boroughs"] if row["borough"] == "Lewisham")
    assert lewisham == {"ons_code": "E09000023", "borough": "Lewisham", "devices": 0, "sims": 1,
                        "data_vouchers": 0, "learners": 0}
    assert result["london"]["sims"] == 1 and len(result["boroughs"]) == 33
    december = json.loads(run("report", "--from", "2026-12-01", "--to", "2026-12-31", "--json")[0])
    assert december["london"]["sims"] == 0


def test_the_report_says_what_is_wrong_with_its_dates(db: Any) -> None:
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("report", "--from", "1/11/2026", "--to", "2026-11-30", "--json")
    with pytest.raises(CommandError, match="before --from"):
        run("report", "--from", "2026-11-30", "--to", "2026-11-01", "--json")


def test_a_refused_file_prints_each_line_and_rule_and_loads_nothing(db: Any, tmp_path: Path) -> None:
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text("code\nV1\nV2\n")
    second.write_text("code\nV3\nV1\n")
    assert run("load-codes", str(first), "--kind", "voucher", "--operator", "Operator A")[2] == 0
    _, err, status = run("load-codes", str(second), "--kind", "voucher", "--operator", "Operator A")
    assert status == 1
    assert "line 3, column code" in err and "code_already_loaded" in err and "nothing was loaded" in err
    assert Code.objects.count() == 2


def test_donations_and_the_daily_removal_of_donor_data(db: Any, tmp_path: Path) -> None:
    donations = tmp_path / "donations.csv"
    donations.write_text("donor_name,donor_contact,kind,make,model,serial,has_storage,donated_on\n"
                         "A Donor,a@example.org,laptop,Dell,5490,SN-1,yes,2026-08-01\n"
                         "A Donor,a@example.org,laptop,Dell,5490,SN-1,yes,2026-08-01\n")
    _, err, status = run("import-donations", str(donations))
    assert status == 1 and "line 3, column serial" in err and "duplicate_serial" in err
    donations.write_text(donations.read_text().rsplit("A Donor", 1)[0])
    assert run("import-donations", str(donations))[2] == 0
    assert "from 0 donations" in run("remove-donor-data", "--as-of", "2026-10-29")[0]
    assert "from 1 donations" in run("remove-donor-data", "--as-of", "2026-10-30")[0]
    assert Device.objects.get().donation.donor_name == ""


def test_a_stock_request_beyond_the_hubs_cap_is_refused_from_the_command_line(hub: Any) -> None:
    hub.open_request_cap = 1
    hub.save()
    org = hub.organisation_id
    out, _, status = run("request-stock", "--hub", org, "--kind", "sim", "--quantity", "5")
    assert status == 0 and "Request" in out
    with pytest.raises(CommandError, match="open_request_cap"):
        run("request-stock", "--hub", org, "--kind", "voucher", "--quantity", "5")
    assert hub.requests.count() == 1
    store.load_codes("code\n" + "".join(f"S{n}\n" for n in range(5)), "sim", "Op", "s.csv", None, NOW)
    assert "Allocated 5" in run("meet-request", str(hub.requests.get().pk))[0]
    assert Code.objects.filter(hub=hub).count() == 5
    assert run("request-stock", "--hub", org, "--kind", "voucher", "--quantity", "5")[2] == 0  # the first was met


def test_people_past_retention_lose_their_reference_but_still_count(person: Any) -> None:
    store.refer_to_course(person.hub, person, "Online basics", None, NOW)
    assert "of 0 people" in run("remove-expired-people", "--as-of", "2029-11-16")[0]
    assert "of 1 people" in run("remove-expired-people", "--as-of", "2029-11-17")[0]
    person.refresh_from_db()
    assert person.reference == f"removed:{person.pk}" and person.eligibility == [] and person.removed_at
    assert person.help.count() == 1


def test_the_report_prints_a_table_without_json(db: Any) -> None:
    out = run("report", "--from", "2026-11-01", "--to", "2026-11-30")[0]
    assert "1 November 2026 to 30 November 2026" in out and "Lewisham" in out and out.rstrip().splitlines()[-1].startswith("London")


def test_a_hub_worker_script_registers_issues_and_is_refused_an_unwiped_laptop(hub: Any, make_user: Any) -> None:
    from boroughhub.getonline.models import Device, Person

    make_user("worker@deptford.example", hub.organisation_id, "inclusion_worker")
    user = ("--user", "worker@deptford.example")
    with pytest.raises(CommandError, match="--consent"):
        run("register-person", *user, "--reference", "DDH-9", "--borough", "Lewisham", "--age-band", "25-34",
            "--eligibility", "low_income")
    assert run("register-person", *user, "--reference", "DDH-9", "--borough", "lewisham", "--age-band", "25-34",
               "--eligibility", "low_income,no_device", "--consent")[2] == 0
    assert Person.objects.get(reference="DDH-9").borough == "E09000023"
    store.load_codes("code\nS1\n", "sim", "Op", "s.csv", None, NOW)
    store.meet_request(store.request_stock(hub, "sim", 1, None, NOW), None, NOW)
    assert "Issued S1 to DDH-9" in run("issue-code", *user, "--reference", "DDH-9", "--kind", "sim")[0]
    store.import_donations("donor_name,donor_contact,kind,make,model,serial,has_storage,donated_on\n"
                           "A,a@example.org,laptop,HP,840,SN-U,yes,2026-10-01\n", None, NOW)
    run("move-device", "SN-U", "--to", "collected")
    Device.objects.filter(serial="SN-U").update(hub=hub)
    with pytest.raises(CommandError, match="wipe_required"):
        run("allocate-device", *user, "--reference", "DDH-9", "--serial", "SN-U")
    with pytest.raises(CommandError, match="wipe_required"):
        run("move-device", "SN-U", "--to", "refurbished")
    assert "now refurbished" in run("move-device", "SN-U", "--to", "refurbished", "--certificate", "BL-77")[0]
    assert "Allocated SN-U" in run("allocate-device", *user, "--reference", "DDH-9", "--serial", "SN-U")[0]
