from django.conf import settings
from django.db import models
from django.db.models import Q


class Notice(models.Model):
    """An in-app notification for one user."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices"
    )
    title = models.CharField("tiêu đề", max_length=255)
    body = models.TextField("nội dung", blank=True)
    url = models.CharField("đường dẫn", max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "thông báo"
        verbose_name_plural = "thông báo"
        ordering = ["-created_at", "-pk"]
        indexes = [  # serves unread_count(): the badge in the navigation bar
            models.Index(fields=["user"], condition=Q(read_at__isnull=True), name="notice_unread"),
        ]

    def __str__(self) -> str:
        return self.title


class OutboxMail(models.Model):
    """Mail waiting to be sent: written in the same transaction as the change it reports."""

    class Status(models.TextChoices):
        PENDING = "pending", "Chờ gửi"
        SENT = "sent", "Đã gửi"
        FAILED = "failed", "Gửi lỗi"

    to = models.EmailField()
    subject = models.CharField(max_length=255)
    body = models.TextField()
    status = models.CharField(max_length=16, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = "thư chờ gửi"
        verbose_name_plural = "hộp thư đi"
        indexes = [  # serves outbox_send_pending(): the sweep of unsent mail
            models.Index(
                fields=["created_at"], condition=Q(status="pending"), name="outbox_pending"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"


class Digest(models.Model):
    """One user's daily digest: items gather during the day and go out together, once.
    `sent_at` is claimed by compare-and-set, so two schedulers never send it twice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests"
    )
    day = models.DateField("ngày gửi")
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "thư tổng hợp trong ngày"
        verbose_name_plural = "thư tổng hợp trong ngày"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "day"],
                name="digest_one_per_user_day",
                violation_error_message="Mỗi người chỉ có một thư tổng hợp mỗi ngày.",
            )
        ]
        indexes = [  # serves digests_send_due(): digests not sent yet
            models.Index(fields=["day"], condition=Q(sent_at__isnull=True), name="digest_unsent"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.day:%d/%m/%Y}"


class DigestItem(models.Model):
    digest = models.ForeignKey(Digest, on_delete=models.CASCADE, related_name="items")
    section = models.CharField(max_length=120)  # "Đơn vị chậm báo cáo"
    text = models.CharField(max_length=500)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["digest", "section", "pk"]

    def __str__(self) -> str:
        return self.text


class MailPreference(models.Model):
    """Whether a user wants a summary mail of what waits for them, daily or weekly."""

    class Summary(models.TextChoices):
        NONE = "none", "Không nhận"
        DAILY = "daily", "Hằng ngày (sáng các ngày làm việc)"
        WEEKLY = "weekly", "Hằng tuần (sáng thứ Hai)"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mail_preference"
    )
    summary = models.CharField(
        "thư tổng hợp việc cần làm", max_length=8, choices=Summary, default=Summary.NONE
    )
    last_summary_on = models.DateField(null=True, blank=True)  # claimed by compare-and-set

    class Meta:
        verbose_name = "tùy chọn nhận thư"
        verbose_name_plural = "tùy chọn nhận thư"

    def __str__(self) -> str:
        return f"{self.user}: {self.get_summary_display()}"
