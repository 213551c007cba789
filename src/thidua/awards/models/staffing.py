"""Emulation staffing figures entered for the yearly statistics (forms 0604 and 0605)."""

from django.conf import settings
from django.db import models


class EmulationStaffing(models.Model):
    """What forms 0604 and 0605 of Thông tư 02/2023/TT-BNV count and the system does not hold:
    the organisations and civil servants doing emulation and award work, entered by Nội vụ per
    reporting unit and year. ``organisations``: {"02": n, …}; ``staff``: {"01": [total, women],
    …}, keyed by the forms' row codes (awards/statistics/)."""

    issuer = models.ForeignKey("organizations.Unit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("năm")
    organisations = models.JSONField(default=dict)
    staff = models.JSONField(default=dict)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "số liệu tổ chức, công chức làm công tác thi đua"
        verbose_name_plural = "số liệu tổ chức, công chức làm công tác thi đua"
        constraints = [
            models.UniqueConstraint(fields=["issuer", "year"], name="staffing_once_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.issuer_id}: {self.year}"
