"""The invitation rules and the CSV file of invitations, without a database."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from boroughhub.organisations import Role
from boroughhub.people import InvitationRequest, check_invitation, grantable_roles, read_invitation_file
from boroughhub.people.rules import new_token, token_hash

TODAY = date(2026, 12, 7)
STAFF_ROLES = grantable_roles(Role.IG_LEAD, "camden", "camden", "hub")


def test_ig_leads_give_their_own_staff_any_role_but_the_operators():
    assert Role.UPLOADER in STAFF_ROLES and Role.IG_LEAD in STAFF_ROLES and Role.ANALYST in STAFF_ROLES
    assert Role.HUB_ADMIN not in STAFF_ROLES and Role.DATA_MANAGER not in STAFF_ROLES
    assert grantable_roles(Role.IG_LEAD, "camden", "lambeth", "hub") == frozenset()
    operator_lead = grantable_roles(Role.IG_LEAD, "hub", "hub", "hub")
    assert Role.DATA_MANAGER in operator_lead and Role.HUB_ADMIN not in operator_lead


def test_hub_admins_invite_ig_leads_anywhere_and_the_operators_own_staff():
    assert grantable_roles(Role.HUB_ADMIN, "hub", "southwark", "hub") == {Role.IG_LEAD}
    assert grantable_roles(Role.HUB_ADMIN, "hub", "hub", "hub") == {Role.IG_LEAD, Role.HUB_ADMIN, Role.DATA_MANAGER}


@pytest.mark.parametrize("role", [Role.UPLOADER, Role.ANALYST, Role.PRIVACY_OFFICER])
def test_nobody_else_invites_anyone(role):
    assert grantable_roles(role, "camden", "camden", "hub") == frozenset()


def test_a_good_invitation_defaults_to_a_year_from_today_in_london():
    checked, problems = check_invitation(InvitationRequest(" Amira.Khan@Camden.gov.uk ", "Amira  Khan", "Uploader"),
                                         STAFF_ROLES, TODAY)
    assert problems == [] and checked is not None
    assert (checked.email, checked.name, checked.role) == ("amira.khan@camden.gov.uk", "Amira Khan", Role.UPLOADER)
    assert checked.starts == TODAY and checked.ends == date(2027, 12, 6)
    assert checked.valid_from == datetime(2026, 12, 7, tzinfo=UTC)  # GMT in December
    # In summer, the London day starts an hour before midnight UTC; the grant covers the whole last day.
    summer, _ = check_invitation(InvitationRequest("a@b.org", "A", "analyst", "1/6/2027", "30 June 2027"),
                                 STAFF_ROLES, TODAY)
    assert summer is not None
    assert summer.valid_from == datetime(2027, 5, 31, 23, tzinfo=UTC)
    assert summer.valid_until == datetime(2027, 6, 30, 23, tzinfo=UTC)


@pytest.mark.parametrize(("request_", "column", "rule"), [
    (InvitationRequest("", "A", "uploader"), "email", "email_missing"),
    (InvitationRequest("not-an-email", "A", "uploader"), "email", "email_invalid"),
    (InvitationRequest("a@b.org", " ", "uploader"), "name", "name_missing"),
    (InvitationRequest("a@b.org", "A", ""), "role", "role_missing"),
    (InvitationRequest("a@b.org", "A", "boss"), "role", "role_unknown"),
    (InvitationRequest("a@b.org", "A", "hub_admin"), "role", "role_not_yours_to_give"),
    (InvitationRequest("a@b.org", "A", "Data manager"), "role", "role_not_yours_to_give"),
    (InvitationRequest("a@b.org", "A", "uploader", "31/13/2026"), "from", "date_invalid"),
    (InvitationRequest("a@b.org", "A", "uploader", "6/12/2026"), "from", "from_in_past"),
    (InvitationRequest("a@b.org", "A", "uploader", "", "soon"), "to", "date_invalid"),
    (InvitationRequest("a@b.org", "A", "uploader", "10/12/2026", "9/12/2026"), "to", "to_before_from"),
    (InvitationRequest("a@b.org", "A", "uploader", "7/12/2026", "7/12/2027"), "to", "longer_than_a_year"),
])
def test_each_rule_names_its_column(request_, column, rule):
    checked, problems = check_invitation(request_, STAFF_ROLES, TODAY)
    assert checked is None
    assert [(p.column, p.rule) for p in problems] == [(column, rule)]
    assert problems[0].message[0].isupper()


def test_a_year_to_the_day_is_allowed():
    checked, _ = check_invitation(InvitationRequest("a@b.org", "A", "uploader", "7/12/2026", "6/12/2027"),
                                  STAFF_ROLES, TODAY)
    assert checked is not None


def test_a_good_file_gives_every_row():
    data = ("Email,Name,Role,From,To\r\n"
            "amira.khan@camden.gov.uk,Amira Khan,uploader,7/12/2026,31/3/2027\r\n"
            "\r\n"
            "tom.reid@camden.gov.uk,Tom Reid,Analyst,,\r\n").encode("utf-8-sig")
    result = read_invitation_file(data, STAFF_ROLES, TODAY)
    assert result.passed and result.problems == []
    assert [(row, i.email, i.role) for row, i in result.invitations] == [
        (2, "amira.khan@camden.gov.uk", Role.UPLOADER), (4, "tom.reid@camden.gov.uk", Role.ANALYST)]


def test_a_bad_file_names_row_column_and_rule_of_every_problem():
    data = (b"email,name,role,from,to\n"
            b"amira.khan@camden.gov.uk,Amira Khan,uploader,,\n"
            b"tom.reid@camden,Tom Reid,hub_admin,,\n"
            b"AMIRA.KHAN@camden.gov.uk,Amira again,analyst,,\n"
            b"x@camden.gov.uk,=HYPERLINK(1),analyst,1/1/2026,\n"
            b"y@camden.gov.uk,Y,analyst,,,extra\n")
    result = read_invitation_file(data, STAFF_ROLES, TODAY)
    assert not result.passed
    assert [(p.row, p.column, p.rule) for p in result.problems] == [
        (3, "email", "email_invalid"), (3, "role", "role_not_yours_to_give"),
        (4, "email", "duplicate_email"),
        (5, "from", "from_in_past"),
        (6, "", "field_count"),
    ]
    assert "row 2" in result.problems[2].message


@pytest.mark.parametrize(("data", "rule"), [
    (b"", "file_empty"),
    (b"email,name\nA@b.org,A\n", "header_missing_column"),
    (b"email,name,role,salary\n", "header_unknown_column"),
    (b"email,name,role,role\n", "header_duplicate_column"),
    (b"email,name,role,from,to\n", "no_rows"),
    ("email,name,role\nzoë@b.org,Zoë,uploader\n".encode("cp1252"), "not_utf8"),
])
def test_file_wide_problems(data, rule):
    result = read_invitation_file(data, STAFF_ROLES, TODAY)
    assert not result.passed and result.invitations == []
    assert rule in {p.rule for p in result.problems}


def test_tokens_are_random_and_only_their_hash_is_kept():
    first, second = new_token(), new_token()
    assert first != second and len(first) >= 43
    assert token_hash(first) != first and len(token_hash(first)) == 64 and token_hash(first) == token_hash(first)
