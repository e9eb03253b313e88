"""``boroughhub people …``: invite one person, or everyone in a CSV file, as a hub admin or an IG lead.

For scripts and checks, like ``agreements sign --as``: ``--as`` names the inviter without a sign-in, so
these commands are refused in production, where people are invited on the People pages.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from boroughhub.organisations import Acting, Role, acting_grant
from boroughhub.people.invitation_file import RowProblem, read_invitation_file
from boroughhub.people.rules import LONDON, InvitationRequest, check_invitation
from boroughhub.people.store import (
    InvitationsRefused,
    audit_refused_invitations,
    day,
    grantable_for,
    invite_people,
    utc_now,
)


def inviter(email: str, organisation_id: str | None) -> tuple[Acting, str]:
    """The inviter acting as the organisation's IG lead if they are one, else as a hub admin; and the
    organisation invited to (an IG lead's own when ``--org`` is not given)."""
    held = acting_grant(email, [Role.HUB_ADMIN.value, Role.IG_LEAD.value])
    grants = held.user.active_grants()
    ig_lead = grants.filter(role=Role.IG_LEAD.value)
    if organisation_id:
        ig_lead = ig_lead.filter(organisation_id=organisation_id)
    grant = ig_lead.order_by("organisation_id").first() or grants.filter(role=Role.HUB_ADMIN.value).first() or held
    acting = Acting(grant.user, grant.organisation, Role(grant.role), grant.pk)
    return acting, organisation_id or acting.org_id


class Command(BaseCommand):
    help = ("People: invite someone to a role, or everyone in a CSV file (email,name,role,from,to), and read a "
            "person's messages (the demo has no mail); not in production.")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        one = sub.add_parser("invite", help="invite one person to a role in an organisation; not in production")
        one.add_argument("email", help="the person's email address")
        one.add_argument("--name", required=True, help="the person's full name")
        one.add_argument("--role", required=True, help="a role's code or name, e.g. uploader")
        one.add_argument("--org", default=None, help="the organisation (an IG lead's own if not given)")
        one.add_argument("--from", dest="starts", default="", help="the role's first day (default today)")
        one.add_argument("--to", dest="ends", default="", help="the role's last day (default a year on)")
        one.add_argument("--as", dest="inviter", required=True, help="a hub admin, or the organisation's IG lead")
        mailbox = sub.add_parser("messages", help="show the messages in the hub's outbox for one person, as their "
                                 "mail would (the demo has no mail); not in production")
        mailbox.add_argument("email")
        many = sub.add_parser("invite-bulk", help="invite everyone in a CSV file (email,name,role,from,to): all "
                              "or, if any row is wrong, nobody; not in production")
        many.add_argument("file", type=Path)
        many.add_argument("--org", default=None, help="the organisation (an IG lead's own if not given)")
        many.add_argument("--as", dest="inviter", required=True, help="a hub admin, or the organisation's IG lead")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.ENV == "production":
            raise CommandError("Inviting from the command line is refused in production: use the People pages.")
        if options["subcommand"] == "messages":
            self.show_messages(options["email"])
            return
        acting, organisation_id = inviter(options["inviter"], options["org"])
        today = utc_now().astimezone(LONDON).date()
        grantable = grantable_for(acting, organisation_id)
        if options["subcommand"] == "invite":
            request = InvitationRequest(options["email"], options["name"], options["role"], options["starts"],
                                        options["ends"])
            checked, problems = check_invitation(request, grantable, today)
            found = [RowProblem(1, p.column, p.rule, p.message, p.value) for p in problems]
            invitations = [(1, checked)] if checked is not None else []
        else:
            try:
                data = options["file"].read_bytes()
            except OSError as error:
                raise CommandError(f"Cannot read {options['file']}: {error}") from error
            read = read_invitation_file(data, grantable, today)
            found, invitations = read.problems, read.invitations
        if not found:
            try:
                sent = invite_people(acting, organisation_id, invitations,
                                     batch=uuid.uuid4().hex[:12] if options["subcommand"] == "invite-bulk" else "")
            except InvitationsRefused as refused:
                found = refused.problems
            else:
                for invitation in sent:
                    self.stdout.write(f"Invited {invitation.user.email} as {invitation.role_label}, "
                                      f"{invitation.organisation.name}; the link works until "
                                      f"{day(invitation.expires_at)}.")
                self.stdout.write(f"{len(sent)} invitation{'' if len(sent) == 1 else 's'} sent.")
                return
        audit_refused_invitations(acting, organisation_id, [p.rule for p in found], channel="command")
        row_word = "row" if options["subcommand"] == "invite-bulk" else "invitation"
        for problem in found:
            where = f"row {problem.row}, " if options["subcommand"] == "invite-bulk" else ""
            value = f" ({problem.value})" if problem.value else ""
            self.stderr.write(f"{where}{problem.column or 'file'}: {problem.rule}{value}: {problem.message}")
        raise CommandError(f"{len(found)} problem{'' if len(found) == 1 else 's'} in the {row_word}s: nobody was "
                           "invited. Correct them and run the command again.")

    def show_messages(self, email: str) -> None:
        from boroughhub.agreements import Notification

        messages = Notification.objects.filter(user__email=email.strip().lower()).order_by("created_at", "id")
        for message in messages:
            self.stdout.write(f"{message.subject}\n{message.body}\n{message.link}\n")
        self.stdout.write(f"{messages.count()} message{'' if messages.count() == 1 else 's'} for {email}.")
