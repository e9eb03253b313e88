from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "boroughhub.evaluation"
    label = "evaluation"
