from django.conf import settings
from django.db import models
from django.db.models import Q

from thidua.accounts.models import Role


class TokenAccess(models.TextChoices):
    READ = "read", "Chỉ đọc"
    WRITE = "write", "Đọc và ghi"


# Roles a token's service user may hold in its units: a unit's own officer, or the city office.
TOKEN_ROLES = [
    (Role.UNIT_OFFICER.value, Role.UNIT_OFFICER.label),
    (Role.EMULATION_OFFICE.value, Role.EMULATION_OFFICE.label),
]


class ApiToken(models.Model):
    """A token issued to one integration. It acts as its own service user, whose unit roles are
    the token's scope, so the API goes through the same selectors and services as the web UI.

    Only a SHA-256 hash of the secret is stored; the secret is shown once when issued."""

    name = models.CharField("tên tích hợp", max_length=120)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="api_token",
        verbose_name="tài khoản dịch vụ",
    )
    units = models.ManyToManyField(
        "organizations.Unit", related_name="+", verbose_name="đơn vị trong phạm vi"
    )
    role = models.CharField(
        "vai trò", max_length=32, choices=TOKEN_ROLES, default=Role.UNIT_OFFICER
    )
    access = models.CharField("quyền", max_length=8, choices=TokenAccess, default=TokenAccess.READ)
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    rate_per_minute = models.PositiveIntegerField("giới hạn yêu cầu mỗi phút", default=120)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField("lần dùng gần nhất", null=True, blank=True)
    revoked_at = models.DateTimeField("thu hồi lúc", null=True, blank=True)

    class Meta:
        verbose_name = "khóa API"
        verbose_name_plural = "khóa API"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rate_per_minute__gte=1),
                name="apitoken_rate_positive",
                violation_error_message="Giới hạn số yêu cầu mỗi phút phải từ 1 trở lên.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @property
    def can_write(self) -> bool:
        return self.access == TokenAccess.WRITE and self.revoked_at is None
