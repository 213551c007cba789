from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    """Roles are granted per unit (organizations.UnitRole); rights add up."""

    SYSTEM_ADMIN = "system_admin", "Quản trị hệ thống"
    EMULATION_OFFICE = "emulation_office", "Chuyên viên Phòng Nội vụ"
    COUNCIL_MEMBER = "council_member", "Thành viên Hội đồng TĐKT"
    SIGNER = "signer", "Lãnh đạo ký duyệt"
    UNIT_OFFICER = "unit_officer", "Cán bộ đầu mối thi đua"
    UNIT_HEAD = "unit_head", "Thủ trưởng đơn vị"
    MEDIA_STAFF = "media_staff", "Cán bộ truyền thông"
    CONTEST_ORGANISER = "contest_organiser", "Ban tổ chức cuộc thi"


# Roles that act for the whole city rather than for one unit.
CITY_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.EMULATION_OFFICE, Role.SIGNER, Role.COUNCIL_MEMBER})


class User(AbstractUser):
    full_name = models.CharField("họ và tên", max_length=150, blank=True)
    position = models.CharField("chức vụ", max_length=150, blank=True)

    class Meta:
        verbose_name = "người dùng"
        verbose_name_plural = "người dùng"

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username


class TOTPEnrolment(models.Model):
    """A one-time code that lets an account enrol an authenticator app (its first one, or a new
    phone in place of a lost one). The password alone never does: an administrator issues the
    code (shown once, or sent to the account's mailbox); only its SHA-256 hash is stored. It
    expires, works once, and issuing another revokes the codes still open."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="totp_enrolments")
    code_hash = models.CharField(max_length=64, unique=True, editable=False)
    issued_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    issued_at = models.DateTimeField("cấp lúc")
    expires_at = models.DateTimeField("hết hạn lúc")
    sent_to = models.EmailField("gửi tới", blank=True)
    used_at = models.DateTimeField("dùng lúc", null=True, blank=True)
    revoked_at = models.DateTimeField("thu hồi lúc", null=True, blank=True)
    # The unconfirmed device created when the code was used; confirmed by its first good code.
    device = models.ForeignKey(
        "otp_totp.TOTPDevice", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "mã kích hoạt xác thực hai lớp"
        verbose_name_plural = "mã kích hoạt xác thực hai lớp"
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("issued_at")),
                name="totpenrolment_expires_after_issue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.issued_at:%d/%m/%Y %H:%M}"
