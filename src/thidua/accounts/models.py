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
