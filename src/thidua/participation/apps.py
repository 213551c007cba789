from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    name = "thidua.participation"
    verbose_name = "Tham gia phong trào"
