from celery import shared_task

from thidua.notifications.services import outbox_send_pending


@shared_task(acks_late=True)
def outbox_send_task() -> int:
    return outbox_send_pending()
