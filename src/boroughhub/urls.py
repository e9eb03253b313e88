"""URL map: each capability mounts its own urls.py under its section."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("boroughhub.web.urls")),
    path("", include("boroughhub.organisations.urls")),
    path("agreements/", include("boroughhub.agreements.urls")),
    path("submissions/", include("boroughhub.submissions.urls")),
    path("insights/", include("boroughhub.insights.urls")),
    path("linkage/", include("boroughhub.linkage.urls")),
    path("evaluation/", include("boroughhub.evaluation.urls")),
    path("residents/", include("boroughhub.residents.urls")),
    path("get-online/", include("boroughhub.getonline.urls")),
    path("people/", include("boroughhub.people.urls")),
    path("retention/", include("boroughhub.retention.urls")),
    path("", include("boroughhub.network.urls")),
    path("asm/", include("boroughhub.asm.urls")),
    path("projects/", include("boroughhub.projects.urls")),
    path("fund/", include("boroughhub.fund.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "boroughhub.web.views.bad_request"
handler403 = "boroughhub.web.views.permission_denied"
handler404 = "boroughhub.web.views.page_not_found"
handler500 = "boroughhub.web.views.server_error"
