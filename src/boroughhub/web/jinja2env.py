"""The Jinja2 environment behind every page: our templates plus the GOV.UK Frontend macros."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.middleware.csrf import get_token
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader, pass_context
from jinja2.runtime import Context

from boroughhub.agreements import offered_url


def url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def url_or_none(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


@pass_context
def offered(context: Context, name: str, *args: Any, **kwargs: Any) -> str | None:
    """In a template: the address of a page if it would open for this session, else None (a link or
    button to it is then left out): ``{% set href = offered('insights:london') %}``."""
    return offered_url(context["request"], name, *args, **kwargs)


def london_time(value: Any, fmt: str = "%-d %B %Y at %H:%M") -> str:
    """Instants are stored in UTC and shown in London time (GMT or BST)."""
    if value is None:
        return ""
    return timezone.localtime(value).strftime(fmt)


def environment(**options: Any) -> Environment:
    django_loader = options.pop("loader")
    env = Environment(
        loader=ChoiceLoader(
            [django_loader, PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")})]
        ),
        **options,
    )
    env.globals.update(
        {
            "static": static,
            "url": url,
            "url_or_none": url_or_none,
            "csrf_token_value": get_token,
            "offered": offered,
            "service_name": "boroughhub",
            "environment_name": settings.ENV,
        }
    )
    env.filters["london_time"] = london_time
    return env
