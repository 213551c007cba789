from django.apps import AppConfig


class ContestsConfig(AppConfig):
    name = "thidua.contests"
    verbose_name = "Cuộc thi tìm hiểu"

    def ready(self) -> None:
        from thidua.contests import services
        from thidua.core import imports, periodic

        periodic.register("contests.close_expired", services.attempts_close_expired)
        imports.register("contests.questions", services.question_import_file)
        imports.register("contests.targets", services.unit_targets_import_file)
