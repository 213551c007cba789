from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "thidua.campaigns"
    verbose_name = "Phong trào thi đua"

    def ready(self) -> None:
        from thidua.campaigns.services import campaigns_start_due
        from thidua.core import periodic

        periodic.register("campaigns.start_due", campaigns_start_due)
