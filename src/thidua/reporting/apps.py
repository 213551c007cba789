from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "thidua.reporting"
    verbose_name = "Báo cáo, đôn đốc"

    def ready(self) -> None:
        from django.db.models import Count

        from thidua.core import exports, imports, jobs, metrics, periodic
        from thidua.reporting import services
        from thidua.reporting.models import Reminder

        periodic.register("reporting.reminders", services.reminders_send_due)
        jobs.register(services.AGGREGATE_JOB, services.aggregate_build_job, queue="documents")
        exports.register("reporting.indicators", services.indicators_export)
        exports.register(services.ANNEX_SOURCE, services.aggregate_annex_export)
        imports.register("reporting.indicators", services.indicators_import_file)

        def reminders_sent() -> dict[str, float]:
            rows = Reminder.objects.values("kind").annotate(n=Count("pk"))
            return {row["kind"]: float(row["n"]) for row in rows}

        metrics.register_gauge("thidua_reminders_sent", "Reminders sent, by kind", reminders_sent)
