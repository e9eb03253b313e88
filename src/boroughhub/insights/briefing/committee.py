"""The committee summary of one borough: the same page as HTML, and a two-page A4 PDF made from it.

The PDF is rendered by WeasyPrint with a URL fetcher that allows only ``data:`` URLs (as the evaluation
report does), so making a paper never reaches the network or the file system; the charts are inline SVG.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from weasyprint import HTML
from weasyprint.urls import URLFetcher

TEMPLATES = Path(__file__).parent.parent / "templates"


class LocalOnlyURLFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no types
    """Fetch only ``data:`` URLs: the paper is self-contained."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("data",), timeout=1, allow_redirects=False)


def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                              undefined=jinja2.StrictUndefined)


def render_print_html(context: dict[str, Any]) -> str:
    """The standalone document the PDF is made from: no site frame, its own print styles."""
    return _environment().get_template("insights/committee_print.html").render(**context)


def render_pdf(html: str) -> tuple[bytes, int]:
    """A tagged A4 PDF of ``html`` and its number of pages."""
    document = HTML(string=html, url_fetcher=LocalOnlyURLFetcher(), base_url=None).render(pdf_tags=True)
    pdf: bytes = document.write_pdf(pdf_tags=True)
    return pdf, len(document.pages)
