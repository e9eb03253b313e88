"""After an accepted submission, linkage (which then refreshes insights) starts if it exists."""

from __future__ import annotations

import sys
import types

import pytest

from boroughhub.submissions import store


class FakeTask:
    def __init__(self, func, calls: list) -> None:
        self.func, self.calls = func, calls

    def enqueue(self, **kwargs) -> None:
        self.calls.append((self.func.__name__, kwargs))


@pytest.fixture
def fake_module(monkeypatch):
    calls: list = []

    def link_after_submission(submission_id: str = "") -> None: ...

    def refresh_insights(user_id: str, org_id: str, role: str) -> None: ...

    def refresh_everything() -> None: ...

    module = types.ModuleType("fake_follow_ups")
    module.link = FakeTask(link_after_submission, calls)
    module.refresh = FakeTask(refresh_insights, calls)
    module.everything = FakeTask(refresh_everything, calls)
    monkeypatch.setitem(sys.modules, "fake_follow_ups", module)
    return calls


def test_missing_follow_up_tasks_are_skipped(monkeypatch) -> None:
    monkeypatch.setattr(store, "FOLLOW_UP_TASKS", (("boroughhub.no_such_capability.tasks", "run"),))
    assert store.enqueue_follow_ups("abc") == []


def test_the_first_present_task_is_enqueued_with_the_submission(monkeypatch, fake_module) -> None:
    monkeypatch.setattr(
        store, "FOLLOW_UP_TASKS", (("fake_follow_ups", "missing"), ("fake_follow_ups", "link"), ("fake_follow_ups", "refresh"))
    )
    assert store.enqueue_follow_ups("abc") == ["fake_follow_ups.link"]
    assert fake_module == [("link_after_submission", {"submission_id": "abc"})]


def test_a_task_needing_other_arguments_is_skipped(monkeypatch, fake_module) -> None:
    monkeypatch.setattr(store, "FOLLOW_UP_TASKS", (("fake_follow_ups", "refresh"), ("fake_follow_ups", "everything")))
    assert store.enqueue_follow_ups("abc") == ["fake_follow_ups.everything"]
    assert fake_module == [("refresh_everything", {})]
