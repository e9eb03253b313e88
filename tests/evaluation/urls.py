"""The project's URLs plus the evaluation pages (until the lead mounts them in boroughhub/urls.py)."""

from django.urls import include, path

from boroughhub.urls import urlpatterns as project_urlpatterns

urlpatterns = [*project_urlpatterns, path("evaluation/", include("boroughhub.evaluation.urls"))]

handler400 = "boroughhub.web.views.bad_request"
handler403 = "boroughhub.web.views.permission_denied"
handler404 = "boroughhub.web.views.page_not_found"
handler500 = "boroughhub.web.views.server_error"
