from django.apps import AppConfig


class AwardsConfig(AppConfig):
    name = "thidua.awards"
    verbose_name = "Khen thưởng"

    def ready(self) -> None:
        from thidua.awards import printing, registry
        from thidua.core import exports, jobs

        jobs.register(printing.JOB_KIND, printing.decision_certificates_render, queue="documents")
        exports.register("awards.registry", registry.registry_export)
