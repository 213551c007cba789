from django.apps import AppConfig


class ContestsConfig(AppConfig):
    name = "thidua.contests"
    verbose_name = "Cuộc thi tìm hiểu"

    def ready(self) -> None:
        from thidua.contests.services import attempts, collective, questions
        from thidua.core import imports, periodic

        periodic.register("contests.close_expired", attempts.attempts_close_expired)
        imports.register("contests.questions", questions.question_import_file)
        imports.register("contests.targets", collective.unit_targets_import_file)
