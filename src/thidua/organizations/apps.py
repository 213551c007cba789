from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "thidua.organizations"
    verbose_name = "Tổ chức, đơn vị"

    def ready(self) -> None:
        from thidua.core import exports
        from thidua.organizations import services

        exports.register("organizations.units", services.units_export)
        exports.register("organizations.people", services.people_export)
