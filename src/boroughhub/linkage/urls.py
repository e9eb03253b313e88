from django.urls import path

from . import views

app_name = "linkage"
urlpatterns = [
    path("review", views.review, name="review"),
    path("review/<str:token>", views.review_pair, name="review_pair"),
    path("quality", views.quality, name="quality"),
    path("quality/sample", views.label_sample, name="label_sample"),
    path("quality/sample/<str:token>", views.sample_pair, name="sample_pair"),
]
