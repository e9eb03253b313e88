from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "boroughhub.projects"
    label = "projects"
    verbose_name = "Projects"
