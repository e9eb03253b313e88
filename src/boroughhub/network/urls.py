"""The network's addresses: /events/, /apprentices/, /guidance/ and /recruitment/ (mounted at the root)."""

from django.urls import path

from .views import apprentices, events, guidance, landing, recruitment

app_name = "network"
urlpatterns = [
    path("network/", landing.landing, name="landing"),
    path("events/", events.event_list, name="events"),
    path("events/new", events.new_event, name="event_new"),
    path("events/mine", events.my_events, name="my_events"),
    path("events/series/new", events.new_series, name="series_new"),
    path("events/series/<slug:slug>/", events.series_page, name="series"),
    path("events/series/<slug:slug>/series.ics", events.series_calendar, name="series_calendar"),
    path("events/<slug:slug>/", events.event_page, name="event"),
    path("events/<slug:slug>/event.ics", events.event_calendar, name="event_calendar"),
    path("events/<slug:slug>/register", events.register, name="event_register"),
    path("events/<slug:slug>/give-up-place", events.give_up_place, name="event_give_up_place"),
    path("events/<slug:slug>/attendees", events.attendees, name="event_attendees"),
    path("events/<slug:slug>/attendees.<str:fmt>", events.attendees_download, name="event_attendees_download"),
    path("events/<slug:slug>/cancel", events.cancel_event, name="event_cancel"),
    path("apprentices/", apprentices.hub, name="apprentices"),
    path("apprentices/profile", apprentices.profile, name="apprentice_profile"),
    path("apprentices/directory", apprentices.directory, name="apprentice_directory"),
    path("apprentices/sessions-attended.csv", apprentices.portfolio, name="apprentice_portfolio"),
    path("apprentices/opportunities", apprentices.opportunities, name="opportunities"),
    path("apprentices/opportunities/new", apprentices.new_opportunity, name="opportunity_new"),
    path("guidance/", guidance.library, name="guidance"),
    path("guidance/review", guidance.due_for_review, name="guidance_review"),
    path("guidance/new", guidance.new_document, name="guidance_new"),
    path("guidance/<slug:slug>/", guidance.document, name="guidance_document"),
    path("guidance/<slug:slug>/new-version", guidance.new_version, name="guidance_new_version"),
    path("guidance/<slug:slug>/changes", guidance.changes, name="guidance_changes"),
    path("recruitment/", recruitment.vacancies, name="recruitment"),
    path("recruitment/new", recruitment.new_vacancy, name="vacancy_new"),
    path("recruitment/placements.<str:fmt>", recruitment.placements_download, name="placements_download"),
    path("recruitment/<str:reference>", recruitment.vacancy, name="vacancy"),
]
