from django.urls import path

from . import views

app_name = "evaluation"
urlpatterns = [
    path("", views.index, name="index"),
    path("runs/<uuid:run_id>", views.run, name="run"),
    path("runs/<uuid:run_id>/<str:name>", views.download, name="download"),
]
