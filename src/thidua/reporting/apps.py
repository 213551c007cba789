from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "thidua.reporting"
    verbose_name = "Báo cáo, đôn đốc"

    def ready(self) -> None:
        from thidua.core import periodic
        from thidua.reporting.services import reminders_send_due

        periodic.register("reporting.reminders", reminders_send_due)
