from django.urls import path

from . import views
from .briefing import views as briefing

app_name = "insights"
urlpatterns = [
    path("", views.london, name="london"),
    path("area/<str:area_code>", views.area, name="area"),
    path("pathways", views.pathways, name="pathways"),
    path("all", views.every_measure, name="all"),
    path("summary", briefing.summary, name="summary"),
    path("comparison", briefing.comparison, name="comparison"),
    path("comparison.<str:fmt>", briefing.comparison_download, name="comparison_download"),
    path("committee", briefing.committee, name="committee"),
    path("committee.pdf", briefing.committee_pdf, name="committee_pdf"),
    path("coverage", briefing.coverage, name="coverage"),
    path("download/all.<str:fmt>", views.download_all, name="download_all"),
    path("download/<slug:slug>/<slug:figure_id>.<str:fmt>", views.download, name="download"),
    path("<slug:slug>", views.topic, name="topic"),
]
