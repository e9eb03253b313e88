from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "boroughhub.linkage"
    label = "linkage"

    def ready(self) -> None:
        from django_tasks.signals import task_finished

        from .tasks import report_lost_linkage

        task_finished.connect(report_lost_linkage, dispatch_uid="boroughhub.linkage.report_lost_linkage")
