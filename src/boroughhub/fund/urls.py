from django.urls import path

from .views import applications, assessment, new_round, rounds

app_name = "fund"
urlpatterns = [
    path("", rounds.round_list, name="rounds"),
    path("rounds/new", new_round.new_round, name="new_round"),
    path("rounds/<slug:round_id>", rounds.round_page, name="round"),
    path("rounds/<slug:round_id>/apply", applications.apply, name="apply"),
    path("rounds/<slug:round_id>/close", rounds.close_now, name="close"),
    path("rounds/<slug:round_id>/selection", rounds.selection, name="selection"),
    path("rounds/<slug:round_id>/360giving.<str:fmt>", rounds.export, name="export"),
    path("applications/<int:pk>", applications.application_page, name="application"),
    path("applications/<int:pk>/assess", assessment.assess, name="assess"),
    path("applications/<int:pk>/moderate", assessment.moderation, name="moderate"),
]
