from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "thidua.core"
    verbose_name = "Lõi hệ thống"

    def ready(self) -> None:
        from thidua.core import jobs, metrics

        jobs.register("core.drill", jobs.drill_job)

        metrics.register_gauge(
            "thidua_celery_queue_length", "Tasks waiting per queue", metrics.celery_queue_lengths
        )
        metrics.register_gauge("thidua_jobs", "Background jobs by status", jobs.jobs_by_status)
