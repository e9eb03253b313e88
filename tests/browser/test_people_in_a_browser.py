"""Issue 14 item 2: the hub admin invites Southwark's new IG lead; the link in their messages lets them
choose their own password; they sign in and invite their staff from a CSV file, whose bad row is reported
by row, column and rule with nobody invited, and the corrected file invites everyone."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.browser.conftest import axe_violations, screenshot
from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser
NEW_LEAD = "sam.okafor@southwark.example"
PASSWORD = "four unrelated words here"


def _link_in_messages(email: str) -> str:
    env = {**os.environ, "BOROUGHHUB_ENV": "demo", "BOROUGHHUB_DATA_DIR": os.environ["BOROUGHHUB_BROWSER_DATA_DIR"]}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    out = subprocess.run([sys.executable, "-m", "boroughhub.cli", "people", "messages", email], env=env,
                         capture_output=True, text=True, check=True, timeout=120).stdout
    return re.findall(r"^/people/invitation/\S+$", out, re.MULTILINE)[-1]


def _fresh(browser):
    return browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900}).new_page()


def test_a_new_ig_lead_is_invited_sets_a_password_and_invites_their_staff(hub_url, browser, tmp_path: Path):
    admin = _fresh(browser)
    sign_in(admin, hub_url, "hub_admin@hub.example")
    admin.get_by_role("link", name="People").first.click()
    admin.get_by_role("button", name="Invite someone").click()
    admin.get_by_label("Organisation").select_option(label="London Borough of Southwark")
    admin.get_by_label("Email address").fill(NEW_LEAD)
    admin.get_by_label("Full name").fill("Sam Okafor")
    admin.get_by_label("Information governance lead").check()
    assert axe_violations(admin) == []
    screenshot(admin, "people-01-hub-admin-invites")
    admin.get_by_role("button", name="Send the invitation").click()
    admin.wait_for_load_state()
    assert "1 invitation sent" in admin.locator("main").inner_text()
    assert "Sam Okafor" in admin.locator("table").inner_text()

    person = _fresh(browser)
    person.goto(hub_url + _link_in_messages(NEW_LEAD))
    assert "Information governance lead, London Borough of Southwark" in person.locator("main").inner_text()
    person.get_by_label("Choose a password").fill(PASSWORD)
    person.get_by_label("Type it again").fill(PASSWORD)
    assert axe_violations(person) == []
    screenshot(person, "people-02-accept")
    person.get_by_role("button", name="Set my password and accept").click()
    person.wait_for_load_state()
    assert "Invitation accepted" in person.locator("main").inner_text()

    sign_in(person, hub_url, NEW_LEAD, PASSWORD)
    person.goto(hub_url + "/people/invite-from-file")
    bad = tmp_path / "staff.csv"
    bad.write_text("email,name,role,from,to\numa@southwark.example,Uma Patel,uploader,,\n"
                   "ann@southwark.example,Ann Lee,hub_admin,,\n", encoding="utf-8")
    person.locator("input[type=file]").set_input_files(str(bad))
    person.get_by_role("button", name="Check the file and send the invitations").click()
    person.wait_for_load_state()
    report = person.locator("#report + table").inner_text()
    assert "role_not_yours_to_give" in report and "3" in report
    assert "Nobody was invited" in person.locator(".govuk-error-summary").inner_text()
    assert axe_violations(person) == []
    screenshot(person, "people-03-file-report")

    good = tmp_path / "staff-corrected.csv"
    good.write_text("email,name,role,from,to\numa@southwark.example,Uma Patel,uploader,,\n"
                    "ann@southwark.example,Ann Lee,analyst,,\n", encoding="utf-8")
    person.locator("input[type=file]").set_input_files(str(good))
    person.get_by_role("button", name="Check the file and send the invitations").click()
    person.wait_for_load_state()
    assert "2 invitations sent" in person.locator("main").inner_text()
    screenshot(person, "people-04-invitations")
    assert _link_in_messages("ann@southwark.example").startswith("/people/invitation/")
