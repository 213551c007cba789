from django.apps import AppConfig


class AwardsConfig(AppConfig):
    name = "thidua.awards"
    verbose_name = "Khen thưởng"

    def ready(self) -> None:
        from thidua.awards import printing, registry, registry_import, services
        from thidua.core import exports, imports, jobs
        from thidua.organizations.services import on_unit_merge

        jobs.register(printing.JOB_KIND, printing.decision_certificates_render, queue="documents")
        exports.register("awards.registry", registry.registry_export)
        imports.register("awards.registry", registry_import.registry_import_file)
        on_unit_merge(services.holds_pass_on_merge)
