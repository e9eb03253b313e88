from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class WebConfig(AppConfig):
    default = True
    name = "boroughhub.web"
    label = "web"


class HubAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "boroughhub.web.admin.HubAdminSite"
