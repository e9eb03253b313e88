"""Inviting people and accepting invitations: the database side of the people room.

An invitation creates nothing anyone can sign in with. A person new to the hub gets an account with no
password that cannot sign in; the message in the hub's outbox carries the only copy of the link; the
person sets their own password when they open it, and only then is the role granted. Every step is a
``role_grant`` entry in the audit log, in the same transaction as the change it records.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import transaction

from boroughhub.agreements import Notification
from boroughhub.audit import record_event
from boroughhub.organisations import HUB_OPERATOR_ID, Acting, Invitation, Organisation, Role, RoleGrant, User

from .invitation_file import RowProblem
from .rules import INVITATION_LIFETIME, LONDON, CheckedInvitation, grantable_roles, new_token, token_hash

ACCEPT_PATH = "/people/invitation/{token}"


class InvitationsRefused(Exception):
    """Nothing was sent: ``problems`` say which row, column and rule."""

    def __init__(self, problems: list[RowProblem]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


class Unusable(Exception):
    """An invitation link that cannot be used, and what the person can do about it."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason, self.message = reason, message


UNKNOWN = Unusable("unknown", "This invitation link is not one the hub sent. Check you copied all of it, or "
                   "ask whoever invited you to invite you again.")
USED = Unusable("used", "This invitation has already been accepted. Sign in with your email address and the "
                "password you chose.")
EXPIRED = Unusable("expired", "This invitation has expired. Ask whoever invited you to invite you again.")
CANCELLED = Unusable("cancelled", "This invitation was cancelled. Ask whoever invited you if you still need the "
                     "role.")


def utc_now() -> datetime:
    return datetime.now(UTC)


def day(value: datetime) -> str:
    """``7 December 2026``, in London."""
    local = value.astimezone(LONDON)
    return f"{local.day} {local:%B %Y}"


def grantable_for(acting: Acting, organisation_id: str) -> frozenset[Role]:
    return grantable_roles(acting.role, acting.org_id, organisation_id, HUB_OPERATOR_ID)


def organisations_open_to(acting: Acting) -> list[Any]:
    """The organisations ``acting`` may invite people to: every active one for a hub admin, else its own."""
    if acting.role is Role.HUB_ADMIN:
        return list(Organisation.objects.filter(status="active").order_by("name"))
    return [acting.organisation] if acting.role is Role.IG_LEAD else []


def invitation_state(invitation: Any, moment: datetime) -> str:
    if invitation.accepted_at is not None:
        return "accepted"
    if invitation.cancelled_at is not None:
        return "cancelled"
    return "expired" if moment >= invitation.expires_at else "waiting"


def invitations_seen_by(acting: Acting) -> Any:
    """A hub admin sees the invitations hub admins sent; an IG lead those to their own organisation."""
    found = Invitation.objects.select_related("user", "organisation", "invited_by")
    if acting.role is Role.HUB_ADMIN:
        return found.filter(invited_as=Role.HUB_ADMIN.value)
    return found.filter(organisation_id=acting.org_id)


def _conflicts(organisation_id: str, row: int, invitation: CheckedInvitation, moment: datetime) -> list[RowProblem]:
    """What the database knows against an invitation that is right in itself."""
    user = User.objects.filter(email=invitation.email).first()
    if user is None:
        return []
    if not user.is_active and user.has_usable_password():
        return [RowProblem(row, "email", "account_disabled", "This person's account is disabled: ask the hub's "
                           "admins whether it may be enabled again", invitation.email)]
    holds = RoleGrant.objects.filter(user=user, organisation_id=organisation_id, role=invitation.role.value,
                                     revoked_at__isnull=True, valid_until__gt=invitation.valid_from,
                                     valid_from__lt=invitation.valid_until)
    if holds.exists():
        return [RowProblem(row, "role", "already_has_role", "This person already has this role here for some of "
                           "these dates", invitation.role.value)]
    waiting = Invitation.objects.filter(user=user, organisation_id=organisation_id, role=invitation.role.value,
                                        accepted_at__isnull=True, cancelled_at__isnull=True, expires_at__gt=moment)
    if waiting.exists():
        return [RowProblem(row, "email", "already_invited", "This person has an invitation to this role that has "
                           "not expired yet", invitation.email)]
    return []


def invite_people(acting: Acting, organisation_id: str, invitations: list[tuple[int, CheckedInvitation]], *,
                  batch: str = "", moment: datetime | None = None) -> list[Any]:
    """Send every invitation, or none: raises :class:`InvitationsRefused` naming each row's problems."""
    moment = moment or utc_now()
    organisation = Organisation.objects.filter(pk=organisation_id, status="active").first()
    grantable = grantable_for(acting, organisation_id)
    if organisation is None or not grantable:
        raise InvitationsRefused([RowProblem(0, "organisation", "organisation_not_yours",
                                             "You cannot invite people to this organisation", organisation_id)])
    problems = [RowProblem(row, "role", "role_not_yours_to_give", "You cannot give this role here", i.role.value)
                for row, i in invitations if i.role not in grantable]
    for row, invitation in invitations:
        if invitation.email == acting.user.email.lower():  # agreements spec §1.2: never to oneself
            problems.append(RowProblem(row, "email", "not_to_yourself", "You cannot give a role to yourself: ask "
                                       "another information governance lead or the hub's admins", invitation.email))
            continue
        problems += _conflicts(organisation_id, row, invitation, moment)
    if problems:
        raise InvitationsRefused(problems)
    with transaction.atomic():
        return [_invite(acting, organisation, invitation, batch, moment) for _, invitation in invitations]


def _invite(acting: Acting, organisation: Any, invitation: CheckedInvitation, batch: str, moment: datetime) -> Any:
    user = User.objects.filter(email=invitation.email).first()
    if user is None:
        # No password, cannot sign in: the person sets their own when they accept.
        user = User.objects.create_user(invitation.email, None, display_name=invitation.name, is_active=False)
    token = new_token()
    sent = Invitation.objects.create(
        token_hash=token_hash(token), user=user, organisation=organisation, role=invitation.role.value,
        valid_from=invitation.valid_from, valid_until=invitation.valid_until, invited_by=acting.user,
        invited_as=acting.role.value, created_at=moment, expires_at=moment + INVITATION_LIFETIME, batch=batch)
    inviter = acting.user.display_name or acting.user.email
    Notification.objects.create(
        organisation=organisation, user=user, kind="invitation", created_at=moment,
        subject=f"You are invited to boroughhub as {invitation.role.label} for {organisation.name}",
        body=(f"{inviter} ({acting.organisation.name}) invited {invitation.name} to boroughhub as "
              f"{invitation.role.label} for {organisation.name}, from {day(invitation.valid_from)} to "
              f"{day(invitation.valid_until - timedelta(days=1))}. Open the link before {day(sent.expires_at)} to "
              "choose your own password. Nobody else can choose it for you, and nobody from the hub will ask "
              "you for it."),
        link=ACCEPT_PATH.format(token=token))
    record_event("role_grant", "ok", user=acting.user, org_id=acting.org_id, role=acting.role.value, payload={
        "step": "invited", "invitation": sent.pk, "person": str(user.pk), "organisation": organisation.pk,
        "granted_role": invitation.role.value, "valid_from": sent.valid_from.isoformat(),
        "valid_until": sent.valid_until.isoformat(), "expires_at": sent.expires_at.isoformat(), "batch": batch})
    return sent


def find_invitation(token: str) -> Any:
    return Invitation.objects.select_related("user", "organisation", "invited_by").filter(
        token_hash=token_hash(token)).first()


def _refused(invitation: Any, problem: Unusable) -> Unusable:
    """Audit a refused acceptance (outside any transaction that is undone) and return it to raise."""
    record_event("role_grant", "refused", user=getattr(invitation, "user", None),
                 org_id=getattr(invitation, "organisation_id", None),
                 payload={"step": "accept", "reason": problem.reason, "invitation": getattr(invitation, "pk", None)})
    return problem


def _problem(invitation: Any, moment: datetime) -> Unusable | None:
    if invitation is None:
        return UNKNOWN
    if invitation.accepted_at is not None:
        return USED
    if invitation.cancelled_at is not None:
        return CANCELLED
    return EXPIRED if moment >= invitation.expires_at else None


def check_usable(invitation: Any, moment: datetime) -> None:
    """Raise :class:`Unusable` (audited) if the invitation is unknown, used or expired."""
    problem = _problem(invitation, moment)
    if problem is not None:
        raise _refused(invitation, problem)


def is_new_person(invitation: Any) -> bool:
    """A person with no password yet chooses one; anyone else confirms it is them with theirs."""
    return not invitation.user.has_usable_password()


def accept_invitation(token: str, password: str, *, moment: datetime | None = None) -> Any:
    """Grant the invited role: the person's own new password (already checked against the password rules)
    for a person new to the hub, or their current password for someone who has an account."""
    moment = moment or utc_now()
    invitation = find_invitation(token)
    check_usable(invitation, moment)
    try:
        with transaction.atomic():
            invitation = Invitation.objects.select_for_update().select_related("user", "organisation").get(
                pk=invitation.pk)
            problem = _problem(invitation, moment)  # accepted meanwhile, in another tab
            if problem is not None:
                raise problem
            _grant(invitation, password, moment)
    except Unusable as problem:
        raise _refused(invitation, problem) from None
    return invitation


def _grant(invitation: Any, password: str, moment: datetime) -> None:
    user = invitation.user
    if is_new_person(invitation):
        user.set_password(password)
        user.is_active = True
        user.save(update_fields=["password", "is_active"])
    elif not user.check_password(password):
        raise Unusable("wrong_password", "Enter the password you already use for boroughhub")
    grant = RoleGrant.objects.create(
        user=user, organisation=invitation.organisation, role=invitation.role, granted_by=invitation.invited_by,
        granted_at=moment, valid_from=invitation.valid_from, valid_until=invitation.valid_until,
        reason=f"Invitation {invitation.pk}")
    invitation.accepted_at, invitation.grant = moment, grant
    invitation.save(update_fields=["accepted_at", "grant"])
    record_event("role_grant", "ok", user=user, org_id=invitation.organisation_id, role=invitation.role,
                 payload={"step": "accepted", "invitation": invitation.pk, "grant": grant.pk,
                          "granted_by": str(invitation.invited_by_id), "granted_role": invitation.role,
                          "valid_from": grant.valid_from.isoformat(), "valid_until": grant.valid_until.isoformat()})


def audit_refused_invitations(acting: Acting, organisation_id: str, rules: list[str], *, channel: str) -> None:
    """A refused invitation (a form or a file with problems) is audited too: nothing was sent, and why."""
    record_event("role_grant", "refused", user=acting.user, org_id=acting.org_id, role=acting.role.value,
                 payload={"step": "invite", "organisation": organisation_id, "channel": channel,
                          "problems": len(rules), "rules": sorted(set(rules))})


def cancel_invitation(acting: Acting, invitation_id: int, *, moment: datetime | None = None) -> Any:
    """Cancel a waiting invitation this session can see (sent to the wrong address, or no longer needed):
    its link then opens nothing. Returns it, or None if there is no such waiting invitation."""
    moment = moment or utc_now()
    with transaction.atomic():
        invitation = invitations_seen_by(acting).select_for_update().filter(pk=invitation_id).first()
        if invitation is None or invitation_state(invitation, moment) != "waiting":
            return None
        invitation.cancelled_at, invitation.cancelled_by = moment, acting.user
        invitation.save(update_fields=["cancelled_at", "cancelled_by"])
        record_event("role_grant", "ok", user=acting.user, org_id=acting.org_id, role=acting.role.value,
                     payload={"step": "cancelled", "invitation": invitation.pk, "person": str(invitation.user_id),
                              "organisation": invitation.organisation_id, "granted_role": invitation.role})
    return invitation
