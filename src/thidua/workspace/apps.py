from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    """The start page ("Việc cần làm"): what waits for each user, from every app's selectors.
    It sits in the top layer (beside portal and api) because it reads all the apps below."""

    name = "thidua.workspace"
    verbose_name = "Việc cần làm"

    def ready(self) -> None:
        from thidua.core import periodic
        from thidua.workspace.services import summaries_send_due

        periodic.register("workspace.summaries", summaries_send_due)
