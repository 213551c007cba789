from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "thidua.portal"
    verbose_name = "Cổng thông tin phong trào"
