from django.apps import AppConfig


class ContestsConfig(AppConfig):
    name = "thidua.contests"
    verbose_name = "Cuộc thi tìm hiểu"

    def ready(self) -> None:
        from thidua.contests import services
        from thidua.core import periodic

        periodic.register("contests.close_expired", services.attempts_close_expired)
