from django.urls import path

from . import views

app_name = "submissions"
urlpatterns = [
    path("", views.submission_list, name="list"),
    path("upload", views.upload_submission, name="upload"),
    path("<str:submission_id>", views.submission_detail, name="detail"),
    path("<str:submission_id>/validation_report.csv", views.report_download, name="report_csv"),
]
