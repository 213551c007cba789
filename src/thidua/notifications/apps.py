from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "thidua.notifications"
    verbose_name = "Thông báo"

    def ready(self) -> None:
        from thidua.core import periodic
        from thidua.notifications.services import digests_send_due, outbox_send_pending

        periodic.register("notifications.outbox", outbox_send_pending)
        periodic.register("notifications.digests", digests_send_due)
