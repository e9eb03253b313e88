from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "boroughhub.submissions"
    label = "submissions"

    def ready(self) -> None:
        from django_tasks.signals import task_finished

        from .tasks import report_lost_step

        task_finished.connect(report_lost_step, dispatch_uid="boroughhub.submissions.report_lost_step")
