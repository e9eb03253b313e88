from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "boroughhub.network"
    label = "network"
    verbose_name = "The network: events, apprentices, guidance, recruitment"
