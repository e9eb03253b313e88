"""Background work of the submissions app (django-tasks; ``boroughhub worker`` runs it)."""

from __future__ import annotations

from django_tasks import task

from .store import process_submission
from .upload_files import submission_input


@task()
def process_uploaded_submission(submission_id: str) -> str:
    """Check, authorise and load an uploaded submission; its files are removed afterwards."""
    from .models import Submission

    submission = Submission.objects.get(pk=submission_id)
    done = process_submission(
        submission_id, submission_input(submission.upload_folder), remove_after=True
    )
    return done.status
