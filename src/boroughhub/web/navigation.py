"""The service navigation: each capability's section, listed once, shown when it would open.

Which sections a session sees is not decided here: ``offered`` answers with the page's own rule
(``agreements.access.offered_url``), the same rule its guard checks, so the navigation never links
to a refusal or to a page that is not installed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    label: str
    url_name: str


SECTIONS: tuple[Section, ...] = (
    Section("Home", "web:home"),
    Section("Agreements", "agreements:list"),
    Section("Submissions", "submissions:list"),
    Section("Insights", "insights:london"),
    Section("Linkage review", "linkage:review"),
    Section("Audit", "agreements:audit"),
    Section("Evaluation", "evaluation:index"),
    Section("Residents", "residents:search"),
    Section("Get Online London", "getonline:team"),
    Section("People", "people:list"),
    Section("Network", "network:landing"),
    Section("Attack surface", "asm:index"),
    Section("Projects", "projects:portfolio"),
    Section("Innovation fund", "fund:rounds"),
)


def navigation_for(current_path: str, offered: Callable[[str], str | None]) -> list[dict[str, object]]:
    """Items for govukServiceNavigation: ``{"href", "text", "active"}`` for each section that
    ``offered(url_name)`` gives an address for (the page's address, with any query that opens it)."""
    items = []
    for section in SECTIONS:
        href = offered(section.url_name)
        if href is None:
            continue
        path = href.split("?", 1)[0]
        active = current_path == path if path == "/home" else current_path.startswith(path)
        items.append({"href": href, "text": section.label, "active": active})
    return items
