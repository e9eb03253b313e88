"""The public pages, no sign-in: approved hubs by borough and offer, the Open Referral UK feed, the
headline figures for London, and the form a community organisation applies with."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from boroughhub.getonline import store
from boroughhub.getonline.boroughs import boroughs
from boroughhub.getonline.figures import MEASURES, long_date
from boroughhub.getonline.forms import OFFERS, HubApplicationForm, borough_choices
from boroughhub.getonline.hsds import PublicHub, feed
from boroughhub.getonline.models import Hub
from boroughhub.organisations import error_list


def public_hub(hub: Hub) -> PublicHub:
    offers = tuple(name for name, flag in (("devices", hub.offers_devices), ("data", hub.offers_data),
                                           ("skills", hub.offers_skills)) if flag)
    organisation = hub.organisation.name if hub.organisation else hub.name
    return PublicHub(hub.pk, hub.name, organisation, hub.address, hub.postcode, hub.borough,
                     boroughs().get(hub.borough, hub.borough), hub.opening_times, offers, hub.contact_email)


def _chosen_hubs(request: HttpRequest) -> tuple[list[PublicHub], str, str]:
    borough, offer = request.GET.get("borough", ""), request.GET.get("offer", "")
    hubs = store.approved_hubs().select_related("organisation")
    if borough in boroughs():
        hubs = hubs.filter(borough=borough)
    else:
        borough = ""
    if offer in dict(OFFERS):
        hubs = hubs.filter(**{f"offers_{offer}": True})
    else:
        offer = ""
    return [public_hub(hub) for hub in hubs], borough, offer


HEADLINE_LABELS = {"devices": "Devices given", "sims": "SIM cards given", "data_vouchers": "Data vouchers given",
                   "learners": "People who completed a course"}


@require_GET
def hub_list(request: HttpRequest) -> HttpResponse:
    hubs, borough, offer = _chosen_hubs(request)
    by_borough: dict[str, list[PublicHub]] = {}
    for hub in sorted(hubs, key=lambda h: (h.borough, h.name)):
        by_borough.setdefault(hub.borough, []).append(hub)
    today = store.london_now().date()
    start = today - timedelta(days=364)
    headline = store.headline(start, today)
    context: dict[str, Any] = {
        "groups": sorted(by_borough.items()), "count": len(hubs), "borough": borough, "offer": offer,
        "borough_choices": borough_choices(), "offers": OFFERS, "offer_names": dict(OFFERS),
        "headline": [(HEADLINE_LABELS[m], headline[m]) for m in MEASURES], "since": long_date(start),
        "feed_query": request.GET.urlencode(),
    }
    return render(request, "getonline/hubs.html", context)


@require_GET
def hub_feed(request: HttpRequest) -> JsonResponse:
    hubs, _, _ = _chosen_hubs(request)
    return JsonResponse(feed(hubs), json_dumps_params={"indent": 2})


@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    form = HubApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        hub = store.apply_for_hub(form.hub_fields(), store.london_now())
        return render(request, "getonline/applied.html", {"hub": hub})
    errors = error_list(form) if form.is_bound else []
    context = {"form": form, "form_errors": errors, "borough_choices": borough_choices(), "offers": OFFERS}
    return render(request, "getonline/apply.html", context, status=400 if errors else 200)
