"""The states a submission goes through, as the uploader sees them. Plain data, no Django."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    QUEUED = "queued"
    VALIDATING = "validating"
    LOADING = "loading"
    ACCEPTED = "accepted"
    UNCHANGED = "unchanged"
    REJECTED = "rejected"
    DENIED = "denied"
    FAILED = "failed"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def tag_colour(self) -> str:
        """The GOV.UK tag modifier for this state."""
        return STATUS_TAG_COLOURS[self]

    @property
    def running(self) -> bool:
        return self in RUNNING

    @property
    def explanation(self) -> str:
        return STATUS_EXPLANATIONS[self]


STATUS_LABELS: dict[Status, str] = {
    Status.QUEUED: "Waiting to start",
    Status.VALIDATING: "Checking files",
    Status.LOADING: "Loading",
    Status.ACCEPTED: "Accepted",
    Status.UNCHANGED: "Already loaded",
    Status.REJECTED: "Rejected",
    Status.DENIED: "Not permitted",
    Status.FAILED: "Failed",
}

STATUS_TAG_COLOURS: dict[Status, str] = {
    Status.QUEUED: "govuk-tag--grey",
    Status.VALIDATING: "govuk-tag--blue",
    Status.LOADING: "govuk-tag--blue",
    Status.ACCEPTED: "govuk-tag--green",
    Status.UNCHANGED: "govuk-tag--green",
    Status.REJECTED: "govuk-tag--red",
    Status.DENIED: "govuk-tag--orange",
    Status.FAILED: "govuk-tag--red",
}

STATUS_EXPLANATIONS: dict[Status, str] = {
    Status.QUEUED: "The files are stored and waiting for the checks to start.",
    Status.VALIDATING: "The files are being checked against the extract specification.",
    Status.LOADING: "The files passed the checks and are being loaded.",
    Status.ACCEPTED: "The submission passed every check and replaced your previous submission of this source.",
    Status.UNCHANGED: "These exact files are already loaded; nothing changed.",
    Status.REJECTED: "The files have errors, so nothing was loaded. Correct the errors in the report and "
    "upload the whole submission again.",
    Status.DENIED: "The data sharing agreements do not permit this upload, so nothing was loaded. The report "
    "lists each file and column to empty, or the change of agreement to ask for.",
    Status.FAILED: "Something went wrong on our side and nothing was loaded. Upload the submission again; "
    "if it fails again, contact the hub's data managers.",
}

RUNNING: frozenset[Status] = frozenset({Status.QUEUED, Status.VALIDATING, Status.LOADING})
#: Outcomes after which the warehouse holds the submission's files.
LOADED: frozenset[Status] = frozenset({Status.ACCEPTED, Status.UNCHANGED})

STATUS_CHOICES: list[tuple[str, str]] = [(s.value, s.label) for s in Status]

#: How each source is written for people.
SOURCE_LABELS: dict[str, str] = {"chain": "CHAIN", "inform": "InForm", "hclic": "H-CLIC"}


class AfterLoading(StrEnum):
    """What happens after an accepted submission: people are linked across sources, then the insights
    are refreshed. The linkage task reports each step on the submission so its page can show it."""

    NONE = ""  # nothing follows (the demo set-up links once after all its submissions)
    WAITING = "waiting"
    LINKING = "linking"
    REFRESHING = "refreshing"
    DONE = "done"
    SKIPPED = "skipped"
    FAILED = "failed"

    @property
    def running(self) -> bool:
        return self in (AfterLoading.WAITING, AfterLoading.LINKING, AfterLoading.REFRESHING)


#: The steps after loading, in order, as the status page lists them.
AFTER_LOADING_STEPS: tuple[tuple[AfterLoading, str], ...] = (
    (AfterLoading.LINKING, "Link people across CHAIN, InForm and H-CLIC"),
    (AfterLoading.REFRESHING, "Refresh the rough sleeping insights"),
)
AFTER_LOADING_CHOICES: list[tuple[str, str]] = [(s.value, s.name.title()) for s in AfterLoading]


def after_loading_steps(state: AfterLoading) -> list[dict[str, str]]:
    """Each step with its status as the page shows it: "Completed", "In progress", "Not started",
    "Failed" or "Skipped"."""
    order = [step for step, _ in AFTER_LOADING_STEPS]
    steps = []
    for step, title in AFTER_LOADING_STEPS:
        if state is AfterLoading.DONE:
            status = "Completed"
        elif state in (AfterLoading.FAILED, AfterLoading.SKIPPED):
            status = state.name.title()
        elif state in order and order.index(step) < order.index(state):
            status = "Completed"
        elif step is state:
            status = "In progress"
        else:
            status = "Not started"
        steps.append({"title": title, "status": status})
    return steps
