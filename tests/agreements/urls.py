"""The project's URLs with the agreements pages mounted, until the lead wires them into boroughhub.urls."""

from django.urls import include, path

from boroughhub import urls as project

urlpatterns = list(project.urlpatterns)
if not any(getattr(p, "app_name", None) == "agreements" for p in urlpatterns):
    urlpatterns.insert(0, path("agreements/", include("boroughhub.agreements.urls")))

handler400 = project.handler400
handler403 = project.handler403
handler404 = project.handler404
handler500 = project.handler500
