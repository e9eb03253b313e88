"""Record linkage (Splink): the public front other rooms import.

``link_now`` links as a named user after asking ``decide(link)``; ``job_owner`` is who automatic work
runs as. Both are the database side, imported on first use (PEP 562) so that importing the package
needs no Django settings. ``match_people`` (plain Python) matches another room's person records.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from boroughhub.linkage.people import PeopleMatch, PersonRecord, TooFewRecords, match_people
    from boroughhub.linkage.tasks import LinkRefused, draw_demo_label_sample, job_owner, link_now

__all__ = ["LinkRefused", "PeopleMatch", "PersonRecord", "TooFewRecords", "draw_demo_label_sample", "job_owner",
           "link_now", "match_people"]
# Splink and DuckDB load only when matching is first asked for.
_PEOPLE = ("PeopleMatch", "PersonRecord", "TooFewRecords", "match_people")


def __getattr__(name: str) -> Any:
    """The database side, on first use (after Django is set up)."""
    if name in _PEOPLE:
        from boroughhub.linkage import people

        return getattr(people, name)
    if name in __all__:
        from boroughhub.linkage import tasks

        return getattr(tasks, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
