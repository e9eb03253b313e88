from django.urls import path

from . import views
from .cycle import views as cycle_views

app_name = "submissions"
urlpatterns = [
    path("", views.submission_list, name="list"),
    path("upload", views.upload_submission, name="upload"),
    # The calendar's addresses come before a submission's, which takes any single path segment.
    path("calendar/", cycle_views.calendar, name="calendar"),
    path("calendar/add", cycle_views.add_entry, name="calendar_add"),
    path("calendar/<int:entry_id>", cycle_views.change_entry, name="calendar_entry"),
    path("quality/", cycle_views.quality, name="quality"),
    path("quality/<int:entry_id>", cycle_views.supplier_quality, name="supplier_quality"),
    path("<str:submission_id>", views.submission_detail, name="detail"),
    path("<str:submission_id>/validation_report.csv", views.report_download, name="report_csv"),
]
