from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "thidua.organizations"
    verbose_name = "Tổ chức, đơn vị"

    def ready(self) -> None:
        from thidua.core import exports, imports
        from thidua.organizations import services

        exports.register("organizations.units", services.units_export)
        exports.register("organizations.people", services.people_export)
        imports.register("organizations.units", services.units_import_file)
        imports.register("organizations.people", services.people_import_file)
