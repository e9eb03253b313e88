"""What the network's pages share: who is asking, London dates, a file response."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse


def acting_role(request: HttpRequest) -> str | None:
    acting = getattr(request, "acting", None)
    return str(acting.role) if acting is not None else None


def acting_of(request: HttpRequest) -> Any:
    return getattr(request, "acting", None)


def download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"


#: Form fields entered as day, month and year boxes: an error links to the day box.
DATE_FIELDS = frozenset({"date", "end", "closes", "review", "filled"})


def form_errors(form: Any) -> list[dict[str, str]]:
    """The GOV.UK error summary's list: each error links to its field (a date to its day box)."""
    return [
        {"text": str(message),
         "href": f"#{name}-day" if name in DATE_FIELDS else f"#{name if name != '__all__' else 'main-content'}"}
        for name, messages in form.errors.items()
        for message in messages
    ] if form.is_bound else []
