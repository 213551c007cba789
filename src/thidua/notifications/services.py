from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F

from thidua.accounts.models import User
from thidua.core.clock import now
from thidua.notifications.models import Notice, OutboxMail

MAX_ATTEMPTS = 5


def notify(
    *,
    users: Iterable[User],
    title: str,
    body: str = "",
    url: str = "",
    extra_emails: Iterable[str] = (),
) -> int:
    """In-app notice and mail for each user. Call inside the change's transaction: the outbox
    row commits with it, and sending starts only after the commit."""
    users = list({u.pk: u for u in users}.values())
    Notice.objects.bulk_create(Notice(user=u, title=title, body=body, url=url) for u in users)
    link = f"\n\n{settings.SITE_URL}{url}" if url else ""
    emails = {u.email for u in users if u.email} | {e for e in extra_emails if e}
    OutboxMail.objects.bulk_create(
        OutboxMail(to=email, subject=title, body=f"{body}{link}") for email in sorted(emails)
    )
    if emails:
        from thidua.notifications.tasks import outbox_send_task

        transaction.on_commit(outbox_send_task.delay)
    return len(users)


def outbox_send_pending(limit: int = 200) -> int:
    """Send pending mail. Each row is claimed by a conditional UPDATE, so two workers never
    send the same message."""
    sent = 0
    pending = OutboxMail.objects.filter(status=OutboxMail.Status.PENDING, attempts__lt=MAX_ATTEMPTS)
    for pk, attempts in pending.order_by("created_at").values_list("pk", "attempts")[:limit]:
        claimed = OutboxMail.objects.filter(
            pk=pk, attempts=attempts, status=OutboxMail.Status.PENDING
        ).update(attempts=F("attempts") + 1)
        if not claimed:
            continue
        mail = OutboxMail.objects.get(pk=pk)
        try:
            send_mail(mail.subject, mail.body, None, [mail.to])
        except Exception as exc:
            status = (
                OutboxMail.Status.FAILED
                if mail.attempts >= MAX_ATTEMPTS
                else OutboxMail.Status.PENDING
            )
            OutboxMail.objects.filter(pk=pk).update(status=status, last_error=str(exc)[:2000])
        else:
            OutboxMail.objects.filter(pk=pk).update(status=OutboxMail.Status.SENT, sent_at=now())
            sent += 1
    return sent


def notice_mark_read(*, user: User, notice_ids: Iterable[int] | None = None) -> int:
    qs = Notice.objects.filter(user=user, read_at__isnull=True)
    if notice_ids is not None:
        qs = qs.filter(pk__in=list(notice_ids))
    return qs.update(read_at=now())
