from django.urls import path

from . import views

app_name = "residents"

urlpatterns = [
    path("", views.search_page, name="search"),
    path("break-glass", views.break_glass_page, name="break_glass"),
    path("oversight/alerts", views.alerts_page, name="alerts"),
    path("oversight/alerts/<int:alert_id>", views.alert_page, name="alert"),
    path("oversight/spot-checks", views.spot_checks_page, name="spot_checks"),
    path("oversight/history", views.history_page, name="history"),
    path("matching", views.matching_page, name="matching"),
    path("oversight/history.<str:file_format>", views.history_download, name="history_download"),
    path("<str:resident_id>/", views.resident_page, name="resident"),
    path("<str:resident_id>/involvements/<int:involvement_id>", views.involvement_page, name="involvement"),
    path("<str:resident_id>/addresses", views.addresses_page, name="addresses"),
]
