"""A small seeded hub for the concurrency test, run in the hub's own environment (its own data folder).

``python queue_hub.py setup``: the database, the demo accounts and agreements, seeded synthetic pilot
extracts (a twentieth of the pilot's volume), CHAIN and the first InForm and H-CLIC suppliers submitted
and linked in full: the state a hub is in before a month's uploads.
``python queue_hub.py enqueue``: the remaining suppliers' uploads stored as the upload page stores them
and queued for the workers; prints one submission id per line.
"""

from __future__ import annotations

import os
import shutil
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "boroughhub.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

SEED = 20261207
SCALE = 0.05
#: Submitted at set-up, before the workers start.
FIRST = ("chain_london/chain", "provider-a/inform", "E09000033/hclic")
#: Uploaded while the workers and `boroughhub link` run (Camden's H-CLIC and the second provider's InForm).
QUEUED = ("E09000007/hclic", "provider-b/inform")


def setup() -> None:
    from boroughhub.synthetic import generate
    from boroughhub.web.management.commands.demo import create_demo_accounts
    from boroughhub.web.management.demo_steps import (
        JOB_OWNER,
        export_as_agreed,
        upload_fields,
        uploader_organisations,
    )

    call_command("migrate", verbosity=0, interactive=False)
    create_demo_accounts()
    call_command("agreements", "load-demo")
    generate(settings.DATA_DIR / "synthetic", areas="pilot", scale=SCALE, seed=SEED)
    for name in FIRST + QUEUED:
        supplier, source = name.split("/")
        agreed = export_as_agreed(settings.DATA_DIR / "synthetic" / supplier / source, upload_fields(source),
                                  settings.DATA_DIR / "as-agreed" / supplier / source)
        if name in FIRST:
            call_command("submit", str(agreed), user=f"uploader@{uploader_organisations()[supplier]}.example",
                         no_follow_up=True, verbosity=0)
    call_command("link", user=JOB_OWNER, mode="full", verbosity=0)


def enqueue() -> None:
    from boroughhub.organisations.models import Organisation, User
    from boroughhub.submissions.store import start_submission
    from boroughhub.submissions.tasks import process_uploaded_submission
    from boroughhub.web.management.demo_steps import uploader_organisations

    for name in QUEUED:
        supplier = name.split("/")[0]
        organisation = Organisation.objects.get(pk=uploader_organisations()[supplier])
        user = User.objects.get(email=f"uploader@{organisation.pk}.example")
        submission = start_submission(user=user, organisation=organisation, role="uploader", channel="web")
        shutil.copytree(settings.DATA_DIR / "as-agreed" / name, submission.upload_folder)
        process_uploaded_submission.enqueue(submission.id)
        print(submission.id, flush=True)


if __name__ == "__main__":
    {"setup": setup, "enqueue": enqueue}[sys.argv[1]]()
