from django.urls import path

from . import views

app_name = "insights"
urlpatterns = [
    path("", views.london, name="london"),
    path("area/<str:area_code>", views.area, name="area"),
    path("pathways", views.pathways, name="pathways"),
    path("all", views.every_measure, name="all"),
    path("download/all.<str:fmt>", views.download_all, name="download_all"),
    path("download/<slug:slug>/<slug:figure_id>.<str:fmt>", views.download, name="download"),
    path("<slug:slug>", views.topic, name="topic"),
]
