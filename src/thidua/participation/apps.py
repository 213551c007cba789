from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    name = "thidua.participation"
    verbose_name = "Tham gia phong trào"

    def ready(self) -> None:
        from thidua.core import exports, imports
        from thidua.participation import services

        exports.register("participation.activities", services.activities_export)
        imports.register("participation.activities", services.activities_import_file)
