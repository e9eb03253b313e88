from django.urls import path

from .views import hub, public, report, team

app_name = "getonline"
urlpatterns = [
    path("", public.hub_list, name="hubs"),
    path("hubs.json", public.hub_feed, name="feed"),
    path("apply", public.apply, name="apply"),
    path("hub/", hub.hub_home, name="hub"),
    path("hub/people/new", hub.new_person, name="new_person"),
    path("hub/people/<str:reference>", hub.person_page, name="person"),
    path("hub/people/<str:reference>/<str:kind>", hub.give_help, name="give"),
    path("hub/request", hub.request_stock, name="request"),
    path("team/", team.team_home, name="team"),
    path("team/hubs/<int:hub_id>", team.hub_page, name="team_hub"),
    path("team/requests/<int:request_id>", team.meet_request, name="meet"),
    path("team/stock", team.stock, name="stock"),
    path("team/stock/<str:what>", team.stock_change, name="stock_change"),
    path("report", report.report, name="report"),
    path("report/<str:download_name>", report.download, name="download"),
]
