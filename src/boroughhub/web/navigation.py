"""The service navigation: which sections a role sees.

Each capability's section is listed once here; a section whose URL is not installed is skipped,
so the frame never links to a page that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from boroughhub.organisations import Role


@dataclass(frozen=True)
class Section:
    label: str
    url_name: str
    roles: frozenset[Role]


ALL_ROLES = frozenset(Role)
SECTIONS: tuple[Section, ...] = (
    Section("Home", "web:home", ALL_ROLES),
    Section("Agreements", "agreements:list", frozenset({Role.IG_LEAD, Role.HUB_ADMIN})),
    Section("Submissions", "submissions:list", frozenset({Role.UPLOADER, Role.DATA_MANAGER})),
    Section(
        "Insights",
        "insights:london",
        frozenset({Role.ANALYST, Role.FRONTLINE_WORKER, Role.DATA_MANAGER}),
    ),
    Section("Linkage review", "linkage:review", frozenset({Role.DATA_MANAGER, Role.ANALYST})),
    Section("Audit", "agreements:audit", frozenset({Role.PRIVACY_OFFICER})),
    Section("Evaluation", "evaluation:index", frozenset({Role.HUB_ADMIN})),
)


def navigation_for(role: Role | None, current_path: str, resolve: Callable[[str], str | None]) -> list[dict[str, object]]:
    """Items for govukServiceNavigation: ``{"href", "text", "active"}`` for the sections ``role`` sees."""
    if role is None:
        return []
    items = []
    for section in SECTIONS:
        if role not in section.roles:
            continue
        href = resolve(section.url_name)
        if href is None:
            continue
        active = current_path == href if href == "/home" else current_path.startswith(href)
        items.append({"href": href, "text": section.label, "active": active})
    return items
