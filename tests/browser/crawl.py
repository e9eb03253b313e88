"""A crawler for a served hub, over plain HTTP: signs in through the real form (with its CSRF token),
then follows every same-site link and submits every option of every GET form, as a curious user would.

Every distinct address is fetched once, except that addresses differing only in their query values
(the same page for another area, breakdown or period) are followed once per page, each value of each
form field being submitted once; that keeps a crawl to a few hundred requests per account while every
page, every download and every offered filter value is still opened at least once.
"""

from __future__ import annotations

import http.cookiejar
import urllib.error
import urllib.parse
import urllib.request
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser

#: Never followed: signing out ends the crawl's session; static assets are not pages.
SKIPPED_PREFIXES = ("/sign-out", "/static/")


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)  # defaults: (name, value)
    choices: dict[str, list[str]] = field(default_factory=dict)  # select / radio name: every value offered


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._select: tuple[str, list[str], list[str]] | None = None  # name, values, selected

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        form = self.forms[-1] if self.forms else None
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self.forms.append(Form(a.get("action", ""), (a.get("method") or "get").lower()))
        elif tag == "input" and form is not None and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in ("radio",):
                form.choices.setdefault(a["name"], []).append(a.get("value", "on"))
                if "checked" in a:
                    form.fields.append((a["name"], a.get("value", "on")))
            elif kind == "checkbox":
                if "checked" in a:
                    form.fields.append((a["name"], a.get("value", "on")))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                form.fields.append((a["name"], a.get("value", "")))
        elif tag == "select" and form is not None and a.get("name"):
            self._select = (a["name"], [], [])
        elif tag == "option" and self._select is not None:
            self._select[1].append(a.get("value", ""))
            if "selected" in a:
                self._select[2].append(a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select is not None and self.forms:
            name, values, selected = self._select
            form = self.forms[-1]
            form.choices[name] = values
            default = selected[0] if selected else (values[0] if values else "")
            form.fields.append((name, default))
            self._select = None


@dataclass(frozen=True)
class Visit:
    url: str
    status: int
    found_on: str
    explains_error: bool = False  # the page shows a GOV.UK error summary (a form's own validation)

    @property
    def refused_or_missing(self) -> bool:
        """A 403, a 404, an error of ours, or any other error page that does not say what to fix."""
        return self.status >= 400 and not (self.status == 400 and self.explains_error)


class HubSession:
    """One signed-in visitor: a cookie jar and an opener that follows redirects."""

    def __init__(self, hub_url: str) -> None:
        self.hub_url = hub_url.rstrip("/")
        self.host = urllib.parse.urlsplit(self.hub_url).netloc
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def fetch(self, path: str, data: dict[str, str] | None = None) -> tuple[int, str, str, str]:
        """(status, final path, content type, body if HTML else "")."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            response = self.opener.open(self.hub_url + path, data=body, timeout=120)
        except urllib.error.HTTPError as error:
            response = error
        with response:
            kind = response.headers.get("Content-Type", "")
            text = response.read().decode("utf-8", "replace") if kind.startswith("text/html") else ""
            final = urllib.parse.urlsplit(response.geturl())
            path_and_query = final.path + (f"?{final.query}" if final.query else "")
            return response.status, path_and_query, kind, text

    def sign_in(self, email: str, password: str) -> str:
        """Through the sign-in form, CSRF token and all; returns the page it lands on."""
        _, _, _, html = self.fetch("/sign-in")
        parser = _PageParser()
        parser.feed(html)
        form = next(f for f in parser.forms if any(name == "email" for name, _ in f.fields))
        data = dict(form.fields)
        data.update(email=email, password=password)
        status, landed, _, _ = self.fetch("/sign-in", data)
        if status != 200 or landed.startswith("/sign-in"):
            raise AssertionError(f"{email} could not sign in (ended on {landed}, {status})")
        return landed


def _same_site(session: HubSession, base: str, href: str) -> str | None:
    """The path and query of a same-site address, or None for another site, a fragment, mailto etc."""
    absolute = urllib.parse.urljoin(session.hub_url + base, href)
    parts = urllib.parse.urlsplit(absolute)
    if parts.scheme not in ("http", "https") or parts.netloc != session.host:
        return None
    if any(parts.path.startswith(prefix) for prefix in SKIPPED_PREFIXES):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _page_key(path_and_query: str) -> tuple[str, frozenset[str]]:
    """The same page whatever the values of its query (area, breakdown, period...)."""
    parts = urllib.parse.urlsplit(path_and_query)
    return parts.path, frozenset(name for name, _ in urllib.parse.parse_qsl(parts.query, keep_blank_values=True))


def _form_submissions(form: Form, page: str) -> list[tuple[str, tuple[str, str, str]]]:
    """Each (address, (action, field, value)) that submits the form with one offered value changed."""
    action = urllib.parse.urlsplit(form.action or page).path or urllib.parse.urlsplit(page).path
    submitted = []
    for name, values in form.choices.items():
        for value in values:
            data = [(n, value if n == name else v) for n, v in form.fields]
            if name not in dict(form.fields):
                data.append((name, value))
            submitted.append((f"{action}?{urllib.parse.urlencode(data)}", (action, name, value)))
    if not form.choices:
        submitted.append((f"{action}?{urllib.parse.urlencode(form.fields)}", (action, "", "")))
    return submitted


def crawl(session: HubSession, start: str = "/home", limit: int = 600) -> tuple[list[Visit], list[str]]:
    """Every page reachable from ``start``; returns the visits and the pages' HTML bodies' notes."""
    queue: deque[tuple[str, str]] = deque([(start, "(start)")])
    seen_pages: set[tuple[str, frozenset[str]]] = set()
    seen_urls: set[str] = set()
    submitted: set[tuple[str, str, str]] = set()
    visits: list[Visit] = []
    bodies: list[str] = []
    while queue:
        url, found_on = queue.popleft()
        if url in seen_urls:
            continue
        seen_urls.add(url)
        if len(visits) >= limit:
            raise AssertionError(f"more than {limit} pages reachable; last from {found_on}: {url}")
        status, landed, kind, html = session.fetch(url)
        visits.append(Visit(url, status, found_on, explains_error="govuk-error-summary" in html))
        if not html or status != 200:
            continue
        bodies.append(html)
        parser = _PageParser()
        parser.feed(html)
        for href in parser.links:
            target = _same_site(session, landed, href)
            if target is not None and _page_key(target) not in seen_pages:
                seen_pages.add(_page_key(target))
                queue.append((target, url))
        for form in parser.forms:
            if form.method != "get":
                continue
            for target, key in _form_submissions(form, landed):
                if key not in submitted and _same_site(session, landed, target) is not None:
                    submitted.add(key)
                    queue.append((target, f"{url} (form {key[1]}={key[2]})"))
    return visits, bodies
