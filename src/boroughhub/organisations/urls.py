from django.urls import path

from . import views

app_name = "organisations"
urlpatterns = [
    path("sign-in", views.sign_in, name="sign_in"),
    path("sign-in/code", views.second_factor, name="second_factor"),
    path("choose-role", views.choose_role, name="choose_role"),
    path("sign-out", views.sign_out, name="sign_out"),
]
