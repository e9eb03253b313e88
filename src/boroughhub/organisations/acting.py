"""Who a session acts as: exactly one (organisation, role) pair, chosen at sign-in.

Plain data; the middleware builds it from the session on every request and re-checks the grant,
so a revoked or expired grant stops working at the next click, not at the next sign-in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .roles import Role


@dataclass(frozen=True)
class Acting:
    user: Any  # organisations.models.User
    organisation: Any  # organisations.models.Organisation
    role: Role
    grant_id: int

    @property
    def org_id(self) -> str:
        return str(self.organisation.id)


SESSION_KEY = "boroughhub_acting_grant"
PENDING_SECOND_FACTOR_KEY = "boroughhub_pending_second_factor"
