"""Who may open a page: one rule per page, read by the page's guard and by everything that offers it.

A rule has two halves. The role half says which roles the page is for at all (the Agreements pages
are for IG leads and hub admins, whatever any agreement says). The data half, for pages that show
data, lists the uses of data the page can be opened for; each is a question for ``decide()``
("may this session view_aggregate metric_values for this purpose?"), and the page opens when at
least one is permitted. The guard asks the rule before the view runs; the navigation, the home
page's cards, buttons and filter options ask the same rule, so nothing is offered that would be
refused (docs/decisions/0030-one-access-model.md).

Plain data and plain functions: the answer to a data question is passed in as ``permits``, so
this module never touches the registry and the rules are tested without a database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import parse_qsl

from .roles import Role


@dataclass(frozen=True)
class DataUse:
    """One question for ``decide()``: may the session do ``action`` on these fields of ``dataset``
    for ``purpose``? ``asked_by`` is the query string that asks a page for this use rather than its
    default one (``figures=unrounded``); empty for the use a page opens with when nothing is asked."""

    action: str
    dataset: str
    fields: frozenset[str]
    purpose: str
    asked_by: str = ""

    @classmethod
    def of(cls, action: str, dataset: str, fields: Iterable[str], purpose: str, asked_by: str = "") -> DataUse:
        return cls(action, dataset, frozenset(fields), purpose, asked_by)

    def is_asked_by(self, query: dict[str, str]) -> bool:
        """Whether a request's query parameters ask for this use (an empty ``asked_by`` never does)."""
        wanted = parse_qsl(self.asked_by)
        return bool(wanted) and all(query.get(name) == value for name, value in wanted)


Permits = Callable[[DataUse], bool]


@dataclass(frozen=True)
class PageAccess:
    roles: frozenset[Role]
    data: tuple[DataUse, ...] = ()

    def role_may_open(self, role: Role) -> bool:
        return role in self.roles

    def opening_use(self, role: Role, permits: Permits) -> DataUse | None:
        """The first permitted use of the page's data, or None; ``permits`` is asked only when the
        role may open the page at all, in the order the uses are listed, and no more than needed."""
        if not self.role_may_open(role):
            return None
        return next((use for use in self.data if permits(use)), None)

    def opens_for(self, role: Role, permits: Permits) -> bool:
        if not self.role_may_open(role):
            return False
        return not self.data or self.opening_use(role, permits) is not None

    def opening_query(self, role: Role, permits: Permits) -> str | None:
        """What to add to the page's address so it opens for this session: "" when it opens as it is,
        ``figures=unrounded`` when only that use is permitted, None when it does not open at all."""
        if not self.opens_for(role, permits):
            return None
        if not self.data:
            return ""
        use = self.opening_use(role, permits)
        return use.asked_by if use is not None else None

    def use_asked(self, query: dict[str, str]) -> DataUse | None:
        """The use a request asks for: the one its query names, else the page's default use."""
        named = next((use for use in self.data if use.is_asked_by(query)), None)
        return named or next((use for use in self.data if not use.asked_by), None) or (
            self.data[0] if self.data else None)

    def role_refusal(self) -> str:
        """Why the role half refuses: said on the 403 page."""
        return f"This page is for: {', '.join(role.label for role in Role if role in self.roles)}."


ALL_ROLES = frozenset(Role)


def for_roles(*roles: Role) -> PageAccess:
    """A page for these roles (every signed-in role when none are named), whatever the agreements say."""
    return PageAccess(frozenset(roles) or ALL_ROLES)


#: The Django admin: organisations, people and registers, for sessions acting as a hub admin.
HUB_ADMINISTRATION = for_roles(Role.HUB_ADMIN)
