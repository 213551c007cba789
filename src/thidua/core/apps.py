from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "thidua.core"
    verbose_name = "Lõi hệ thống"

    def ready(self) -> None:
        from thidua.core import exports, imports, jobs, metrics, periodic

        jobs.register("core.drill", jobs.drill_job)
        jobs.register(exports.JOB_KIND, exports.export_job, queue="documents")
        jobs.register(imports.JOB_KIND, imports.import_job, queue="documents", atomic=True)
        periodic.register("core.jobs_files_expire", jobs.jobs_files_expire)
        periodic.register("core.imports_expire", imports.imports_expire)

        metrics.register_gauge(
            "thidua_celery_queue_length", "Tasks waiting per queue", metrics.celery_queue_lengths
        )
        metrics.register_gauge("thidua_jobs", "Background jobs by status", jobs.jobs_by_status)
