"""``boroughhub people invite`` and ``invite-bulk``: the same rules as the pages, all or nothing."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
import time_machine
from django.core.management import CommandError, call_command

from boroughhub.agreements import Notification
from boroughhub.organisations import Invitation

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("people", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@time_machine.travel(datetime(2026, 12, 7, 10, tzinfo=UTC), tick=False)
def test_invite_one_person_from_the_command_line(make_user):
    make_user("ig@camden.test", "camden", "ig_lead")
    said = _run("invite", "amira@camden.gov.uk", "--name", "Amira Khan", "--role", "uploader", "--to", "31/3/2027",
                "--as", "ig@camden.test")
    assert "Invited amira@camden.gov.uk as Uploader, London Borough of Camden" in said
    assert "21 December 2026" in said
    assert Notification.objects.filter(user__email="amira@camden.gov.uk", kind="invitation").count() == 1
    mailbox = _run("messages", "Amira@camden.gov.uk")
    assert "/people/invitation/" in mailbox and "1 message for" in mailbox
    with pytest.raises(CommandError, match="nobody was invited"):
        _run("invite", "boss@camden.gov.uk", "--name", "B", "--role", "hub_admin", "--as", "ig@camden.test")


@time_machine.travel(datetime(2026, 12, 7, 10, tzinfo=UTC), tick=False)
def test_invite_bulk_is_all_or_nothing(make_user, tmp_path):
    make_user("admin@hub.test", "hub", "hub_admin")
    bad = tmp_path / "bad.csv"
    bad.write_text("email,name,role\nig@southwark.gov.uk,Sam,ig_lead\nup@southwark.gov.uk,Uma,uploader\n")
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("people", "invite-bulk", str(bad), "--org", "southwark", "--as", "admin@hub.test", stderr=err)
    assert "row 3, role: role_not_yours_to_give" in err.getvalue()
    assert not Invitation.objects.exists()
    good = tmp_path / "good.csv"
    good.write_text("email,name,role\nig@southwark.gov.uk,Sam,ig_lead\n")
    assert "1 invitation sent" in _run("invite-bulk", str(good), "--org", "southwark", "--as", "admin@hub.test")


def test_refused_in_production(settings, make_user):
    settings.ENV = "production"
    with pytest.raises(CommandError, match="refused in production"):
        _run("invite", "a@b.org", "--name", "A", "--role", "uploader", "--as", "ig@camden.test")
