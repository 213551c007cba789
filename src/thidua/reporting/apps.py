from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "thidua.reporting"
    verbose_name = "Báo cáo, đôn đốc"

    def ready(self) -> None:
        from django.db.models import Count

        from thidua.core import metrics, periodic
        from thidua.reporting.models import Reminder
        from thidua.reporting.services import reminders_send_due

        periodic.register("reporting.reminders", reminders_send_due)

        def reminders_sent() -> dict[str, float]:
            rows = Reminder.objects.values("kind").annotate(n=Count("pk"))
            return {row["kind"]: float(row["n"]) for row in rows}

        metrics.register_gauge("thidua_reminders_sent", "Reminders sent, by kind", reminders_sent)
