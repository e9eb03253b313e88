from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("", views.people_list, name="list"),
    path("invite", views.invite_person, name="invite"),
    path("invite-from-file", views.invite_from_file, name="invite_file"),
    path("invitation/<str:token>", views.accept, name="accept"),
    path("invitations/<int:invitation_id>/cancel", views.cancel, name="cancel"),
]
