"""Who may invite whom, to which role, for how long: the rules every invitation is checked against,
one at a time on the page, on the command line, or as the rows of a CSV file.

Plain Python: the pages, the command and the tests read the same rules, and the roles a form offers
are the roles these rules allow (nothing is offered that would be refused).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from boroughhub.organisations import OPERATOR_ONLY_ROLES, Role

LONDON = ZoneInfo("Europe/London")
#: An invitation not accepted within this time must be sent again.
INVITATION_LIFETIME = timedelta(days=14)
#: Role grants last at most a year (agreements spec §1.2), so that they are re-certified.
MOST_DAYS_OF_A_GRANT = 365
EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d %B %Y", "%d %b %Y")


@dataclass(frozen=True)
class Problem:
    """One broken rule: the column it is in, the rule's code and what to do about it."""

    column: str
    rule: str
    message: str
    value: str = ""


@dataclass(frozen=True)
class InvitationRequest:
    """One invitation as a person wrote it (a form, a command line, a row of a CSV file)."""

    email: str
    name: str
    role: str
    starts: str = ""
    ends: str = ""


@dataclass(frozen=True)
class CheckedInvitation:
    email: str
    name: str
    role: Role
    starts: date
    ends: date

    @property
    def valid_from(self) -> datetime:
        """The start of the first day, London time, as an instant."""
        return datetime.combine(self.starts, time(), LONDON).astimezone(UTC)

    @property
    def valid_until(self) -> datetime:
        """The end of the last day, London time: the grant covers the whole of ``ends``."""
        return datetime.combine(self.ends + timedelta(days=1), time(), LONDON).astimezone(UTC)


def grantable_roles(inviter_role: Role, inviter_org_id: str, organisation_id: str, operator_id: str) -> frozenset[Role]:
    """The roles ``inviter_role`` of ``inviter_org_id`` may give in ``organisation_id``.

    A hub admin invites an organisation's information governance lead (its first, or another), and the
    hub operator's own admins and data managers. An IG lead invites the staff of their own organisation to
    any role except those two, which belong to the operator of the hub; the operator's own IG lead may give
    data manager there (agreements spec §1.2), never hub admin. Nobody else invites anyone.
    """
    if inviter_role is Role.HUB_ADMIN:
        return frozenset({Role.IG_LEAD} | (OPERATOR_ONLY_ROLES if organisation_id == operator_id else set()))
    if inviter_role is Role.IG_LEAD and organisation_id == inviter_org_id:
        operator_staff = {Role.DATA_MANAGER} if organisation_id == operator_id else set()
        return frozenset(Role) - OPERATOR_ONLY_ROLES | operator_staff
    return frozenset()


def may_invite(role: Role) -> bool:
    return role in (Role.HUB_ADMIN, Role.IG_LEAD)


def role_named(text: str) -> Role | None:
    """A role by its code (``uploader``) or by what people call it (``Uploader``, any case)."""
    wanted = " ".join(text.split()).lower().replace(" ", "_")
    return next((role for role in Role if wanted in (role.value, role.label.lower().replace(" ", "_"))), None)


def parse_day(text: str) -> date | None:
    """``2026-12-07``, ``7/12/2026`` or ``7 December 2026``; None if it is none of them."""
    cleaned = " ".join(text.split())
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(cleaned, pattern).date()
        except ValueError:
            continue
    return None


def check_invitation(
    request: InvitationRequest, grantable: frozenset[Role], today: date
) -> tuple[CheckedInvitation | None, list[Problem]]:
    """The invitation, checked; or the problems, each naming its column and rule."""
    email, name, problems = _check_person(request)
    role, role_problems = _check_role(request.role, grantable)
    starts, ends, date_problems = _check_dates(request.starts, request.ends, today)
    problems += role_problems + date_problems
    if problems or role is None or starts is None or ends is None:
        return None, problems
    return CheckedInvitation(email, name, role, starts, ends), []


def _check_person(request: InvitationRequest) -> tuple[str, str, list[Problem]]:
    problems: list[Problem] = []
    email = request.email.strip().lower()
    if not email:
        problems.append(Problem("email", "email_missing", "Enter the person's email address"))
    elif len(email) > 254 or not EMAIL.match(email):
        problems.append(Problem("email", "email_invalid", "Enter an email address like name@example.org", email))
    name = " ".join(request.name.split())
    if not name:
        problems.append(Problem("name", "name_missing", "Enter the person's full name"))
    elif len(name) > 200:
        problems.append(Problem("name", "name_too_long", "Enter a name of 200 characters or fewer", name[:40]))
    return email, name, problems


def _check_role(text: str, grantable: frozenset[Role]) -> tuple[Role | None, list[Problem]]:
    if not text.strip():
        return None, [Problem("role", "role_missing", "Choose the role the person will have")]
    role = role_named(text)
    if role is None:
        return None, [Problem("role", "role_unknown", "Use one of the hub's roles, like uploader or analyst",
                              text.strip())]
    if role not in grantable:
        allowed = ", ".join(r.value for r in Role if r in grantable) or "none"
        return None, [Problem("role", "role_not_yours_to_give",
                              f"You cannot give the role {role.value} here. Roles you may give: {allowed}", role.value)]
    return role, []


def _check_dates(starts_text: str, ends_text: str, today: date) -> tuple[date | None, date | None, list[Problem]]:
    """From (default today) and to (default a year): today or later, in order, at most a year apart."""
    starts = parse_day(starts_text) if starts_text.strip() else today
    if starts is None:
        return None, None, [Problem("from", "date_invalid", "Enter the start date like 7/12/2026", starts_text)]
    if starts < today:
        return None, None, [Problem("from", "from_in_past", "The start date must be today or later", starts_text)]
    ends = parse_day(ends_text) if ends_text.strip() else starts + timedelta(days=MOST_DAYS_OF_A_GRANT - 1)
    if ends is None:
        return starts, None, [Problem("to", "date_invalid", "Enter the end date like 31/3/2027", ends_text)]
    if ends < starts:
        return starts, None, [Problem("to", "to_before_from", "The end date must be on or after the start date",
                                      ends_text)]
    if (ends - starts).days + 1 > MOST_DAYS_OF_A_GRANT:
        return starts, None, [Problem("to", "longer_than_a_year",
                                      "A role lasts at most a year: choose an end date within a year of the start",
                                      ends_text)]
    return starts, ends, []


def new_token() -> str:
    """The secret in an invitation link: 256 random bits."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What the hub keeps of a token. A plain hash is enough: the token is random, not a password."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
