from django.urls import path

from . import views

app_name = "projects"
urlpatterns = [
    path("", views.portfolio, name="portfolio"),
    path("new", views.new_project, name="new"),
    path("like-mine", views.similar, name="similar"),
    path("export.<str:fmt>", views.export, name="export"),
    path("public/<slug:slug>", views.public_page, name="public"),
    path("<slug:slug>", views.project_page, name="project"),
]
