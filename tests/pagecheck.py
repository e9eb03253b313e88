"""One checker for every rendered page (STYLE.md habit 5).

``check_page(html)`` asserts the frame's promises: one ``h1``, a title of the form
``Page – boroughhub``, no duplicate ids, a skip link to ``#main-content``, the banner, main and
contentinfo landmarks, and a GOV.UK error summary whenever a field shows an error. On aggregate
pages, ``forbidden`` lists person-level values (names, NI numbers) that must not appear.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any


@dataclass
class PageFacts:
    title: str = ""
    h1_count: int = 0
    ids: Counter = field(default_factory=Counter)
    skip_link: bool = False
    landmarks: set[str] = field(default_factory=set)
    error_summary: bool = False
    field_errors: int = 0
    text: list[str] = field(default_factory=list)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.facts = PageFacts()
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if attributes.get("id"):
            self.facts.ids[attributes["id"]] += 1
        if tag == "title":
            self._in_title = True
        if tag == "h1":
            self.facts.h1_count += 1
        if tag == "a" and "govuk-skip-link" in classes and attributes.get("href") == "#main-content":
            self.facts.skip_link = True
        if tag in ("header", "main", "footer", "nav"):
            self.facts.landmarks.add(tag)
        if "govuk-error-summary" in classes:
            self.facts.error_summary = True
        if "govuk-error-message" in classes:
            self.facts.field_errors += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.facts.title += data
        self.facts.text.append(data)


def page_facts(html: str) -> PageFacts:
    parser = _Parser()
    parser.feed(html)
    return parser.facts


def check_page(page: Any, *, forbidden: tuple[str, ...] = ()) -> PageFacts:
    """Check a response (or an HTML string); returns the facts for further assertions."""
    html = page.content.decode("utf-8") if hasattr(page, "content") else str(page)
    facts = page_facts(html)
    assert facts.h1_count == 1, f"expected exactly one h1, found {facts.h1_count}"
    title = " ".join(facts.title.split())
    assert re.fullmatch(r"(Error: )?.+ – boroughhub", title), f"title {title!r} is not 'Page – boroughhub'"
    duplicates = [i for i, n in facts.ids.items() if n > 1]
    assert not duplicates, f"duplicate ids: {duplicates}"
    assert facts.skip_link, "no skip link to #main-content"
    assert {"header", "main", "footer"} <= facts.landmarks, f"landmarks missing: {facts.landmarks}"
    if facts.field_errors:
        assert facts.error_summary, "a field shows an error but there is no error summary"
        assert title.startswith("Error: "), "a page with errors must say so in its title"
    body = " ".join(facts.text)
    for value in forbidden:
        assert value not in body, f"person-level value {value!r} appears on the page"
    return facts
