"""Whose submissions a session sees: its own organisation's, or every supplier's for the hub operator's
data managers (who run the monthly cycle). Plain Python: asked by the submission pages and the calendar."""

from __future__ import annotations

from typing import Any

from boroughhub.organisations import HUB_OPERATOR_ID, Role


def sees_every_submission(request: Any) -> bool:
    acting = request.acting
    return bool(acting.role == Role.DATA_MANAGER and acting.org_id == HUB_OPERATOR_ID)
