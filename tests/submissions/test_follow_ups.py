"""After an accepted submission, linkage and insights tasks start if those capabilities provide them."""

from __future__ import annotations

import sys
import types

from boroughhub.submissions import store


def test_missing_follow_up_tasks_are_skipped(monkeypatch) -> None:
    monkeypatch.setattr(store, "FOLLOW_UP_TASKS", (("boroughhub.no_such_capability.tasks", "run"),))
    assert store.enqueue_follow_ups("abc") == []


def test_present_follow_up_tasks_are_enqueued_with_the_submission(monkeypatch) -> None:
    calls: list[tuple[str, dict]] = []

    class FakeTask:
        def __init__(self, name: str, func) -> None:
            self.name, self.func = name, func

        def enqueue(self, **kwargs) -> None:
            calls.append((self.name, kwargs))

    def link_after_submission(submission_id: str) -> None: ...

    def refresh_insights() -> None: ...

    module = types.ModuleType("fake_follow_ups")
    module.link = FakeTask("link", link_after_submission)
    module.refresh = FakeTask("refresh", refresh_insights)
    monkeypatch.setitem(sys.modules, "fake_follow_ups", module)
    monkeypatch.setattr(
        store, "FOLLOW_UP_TASKS", (("fake_follow_ups", "link"), ("fake_follow_ups", "missing"), ("fake_follow_ups", "refresh"))
    )
    assert store.enqueue_follow_ups("abc") == ["fake_follow_ups.link", "fake_follow_ups.refresh"]
    assert calls == [("link", {"submission_id": "abc"}), ("refresh", {})]
