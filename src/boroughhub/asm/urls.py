from django.urls import path

from . import views

app_name = "asm"
urlpatterns = [
    path("", views.index, name="index"),
    path("scope", views.scope_page, name="scope"),
    path("import", views.import_page, name="import"),
    path("run", views.run_page, name="run"),
    path("runs/<int:run_id>", views.run_detail, name="run_detail"),
    path("assets", views.assets_page, name="assets"),
    path("assets/<int:asset_id>", views.asset_page, name="asset"),
    path("findings/<int:finding_id>", views.finding_page, name="finding"),
    path("findings.<str:kind>", views.download, name="download"),
    path("london", views.london_page, name="london"),
]
