from django.urls import path

from . import views

app_name = "evaluation"
urlpatterns = [
    path("", views.index, name="index"),
    path("new", views.new_run, name="new"),
    path("runs/<uuid:run_id>", views.run_page, name="run"),
    path("runs/<uuid:run_id>/report", views.report_inline, name="report"),
    path("runs/<uuid:run_id>/<str:name>", views.download, name="download"),
]
