"""The project's URLs, plus the evaluation pages if the project does not mount them yet."""

from django.urls import include, path

from boroughhub.urls import urlpatterns as project_urlpatterns

_mounted = any(getattr(p, "namespace", None) == "evaluation" for p in project_urlpatterns)
urlpatterns = [*project_urlpatterns,
               *([] if _mounted else [path("evaluation/", include("boroughhub.evaluation.urls"))])]

handler400 = "boroughhub.web.views.bad_request"
handler403 = "boroughhub.web.views.permission_denied"
handler404 = "boroughhub.web.views.page_not_found"
handler500 = "boroughhub.web.views.server_error"
