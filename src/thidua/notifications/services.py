from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from thidua.accounts.models import User
from thidua.core.clock import now
from thidua.core.services import action_log_record
from thidua.notifications.models import Digest, DigestItem, MailPreference, Notice, OutboxMail

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


def mail_queue(*, to: Iterable[str], subject: str, body: str) -> int:
    """Mail only (no in-app notice), through the outbox, sent after the commit."""
    emails = sorted({e for e in to if e})
    OutboxMail.objects.bulk_create(OutboxMail(to=e, subject=subject, body=body) for e in emails)
    if emails:
        from thidua.notifications.tasks import outbox_send_task

        transaction.on_commit(outbox_send_task.delay)
    return len(emails)


# --- Daily digests ---------------------------------------------------------------------------

DIGEST_TIME = time(10, 0)  # local time; the 8:00 reminders and their escalations come first


def _digest_day(at: datetime) -> date:
    """The digest an item joins: today's until it goes out at DIGEST_TIME, then tomorrow's."""
    local = timezone.localtime(at)
    return local.date() if local.time() < DIGEST_TIME else local.date() + timedelta(days=1)


def digest_add(
    *, users: Iterable[User], section: str, text: str, url: str = "", at: datetime | None = None
) -> int:
    """Queue a line for each user's daily digest instead of a notice of its own: one run that
    finds 41 late units gives a leader one mail listing them, not 41."""
    day = _digest_day(at or now())
    count = 0
    for user in {u.pk: u for u in users}.values():
        digest, _ = Digest.objects.get_or_create(user=user, day=day)
        if digest.sent_at is not None:  # already out (a clock at the boundary): next day's
            digest, _ = Digest.objects.get_or_create(user=user, day=day + timedelta(days=1))
        DigestItem.objects.create(digest=digest, section=section[:120], text=text[:500], url=url)
        count += 1
    return count


def digests_send_due(at: datetime | None = None) -> int:
    """Periodic job: each due digest claimed by compare-and-set, then one notice and one mail
    per user and day, listing every item under its section."""
    at = at or now()
    local = timezone.localtime(at)
    due = Q(day__lt=local.date())
    if local.time() >= DIGEST_TIME:
        due |= Q(day=local.date())
    sent = 0
    pending = Digest.objects.filter(due, sent_at__isnull=True).select_related("user")
    for digest in pending.order_by("day", "pk")[:500]:
        with transaction.atomic():
            if not Digest.objects.filter(pk=digest.pk, sent_at__isnull=True).update(sent_at=at):
                continue  # a rival run has it
            items = list(digest.items.order_by("section", "pk"))
            if not items:
                continue
            by_section: dict[str, list[DigestItem]] = defaultdict(list)
            for item in items:
                by_section[item.section].append(item)
            lines = []
            for section, entries in by_section.items():
                lines.append(f"{section} ({len(entries)}):")
                lines.extend(
                    f"- {e.text}" + (f" – {settings.SITE_URL}{e.url}" if e.url else "")
                    for e in entries
                )
                lines.append("")
            summary = "; ".join(f"{section} ({len(e)})" for section, e in by_section.items())
            notify(
                users=[digest.user],
                title=f"Tổng hợp ngày {digest.day:%d/%m/%Y}: {summary}"[:255],
                body="\n".join(lines).strip(),
                url=reverse("workspace:home"),
            )
            sent += 1
    return sent


# --- Summary mail of what waits (daily or weekly, per user) --------------------------------


def mail_preference_for(user: User) -> MailPreference:
    return MailPreference.objects.filter(user=user).first() or MailPreference(user=user)


def mail_preference_set(*, actor: User, summary: str) -> MailPreference:
    if summary not in MailPreference.Summary.values:
        raise ValueError(summary)
    with transaction.atomic():
        pref, _ = MailPreference.objects.select_for_update().get_or_create(user=actor)
        if pref.summary != summary:
            pref.summary = summary
            pref.save(update_fields=["summary"])
            action_log_record(
                actor=actor,
                action="notifications.preference.updated",
                target=pref,
                data={"summary": summary},
            )
    return pref


def summary_claim(*, pref: MailPreference, day: date) -> bool:
    """Compare-and-set on the last day sent: a rival scheduler updates 0 rows and skips."""
    seen = pref.last_summary_on
    same = Q(last_summary_on=seen) if seen else Q(last_summary_on__isnull=True)
    return bool(MailPreference.objects.filter(same, pk=pref.pk).update(last_summary_on=day))
