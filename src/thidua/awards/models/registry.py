"""The award registry (sổ vàng) and certificate printing: layouts, printers and every print."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q

from thidua.awards.models.decisions import Decision, DecisionLine
from thidua.awards.models.nominations import Household, Nominee
from thidua.awards.models.rules import AwardType, Subject
from thidua.core.text import person_sort_key, vi_sort_key
from thidua.organizations.names import authority_short_name


def record_name_sort(name: str, subject: str) -> str:
    """An award record's `name_sort`: a collective by its name; a person or a household by the
    name without its salutation ("Bà", "Hộ ông"), given name first, as people lists sort."""
    return vi_sort_key(name) if subject == Subject.COLLECTIVE else person_sort_key(name)


class AwardRecord(models.Model):
    """The award registry (sổ vàng): one row per award granted, numbered per issuer and year.

    Awards granted before the system (imported from the old registry) have no decision or line
    here, and a campaign only when the old registry names one the system holds; they keep the
    decision's number and date as text (`legacy_*`)."""

    class Status(models.TextChoices):
        VALID = "valid", "Có hiệu lực"
        REVOKED = "revoked", "Đã thu hồi"
        AMENDED = "amended", "Đã được sửa đổi"

    issuer_code = models.CharField(max_length=32)
    year = models.PositiveSmallIntegerField("năm")
    number = models.PositiveIntegerField("số vào sổ")
    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="records"
    )
    line = models.OneToOneField(
        DecisionLine, on_delete=models.PROTECT, null=True, blank=True, related_name="award"
    )
    award_type = models.ForeignKey(AwardType, on_delete=models.PROTECT, related_name="records")
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="award_records",
    )
    legacy_decision = models.CharField("số quyết định (sổ vàng cũ)", max_length=64, blank=True)
    legacy_signed_on = models.DateField("ngày quyết định (sổ vàng cũ)", null=True, blank=True)
    subject = models.CharField(max_length=16, choices=Nominee._meta.get_field("subject").choices)
    person = models.ForeignKey(
        "organizations.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="award_records",
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, null=True, blank=True, related_name="award_records"
    )
    # the collective, the individual's unit on the decision date, or the household's ward
    unit = models.ForeignKey(
        "organizations.Unit", on_delete=models.PROTECT, related_name="award_records"
    )
    recipient_name = models.CharField("tên", max_length=255)
    recipient_detail = models.CharField("chức vụ, đơn vị", max_length=500, blank=True)
    unit_name = models.CharField("đơn vị (tên tại ngày quyết định)", max_length=255)
    achievement = models.TextField("thành tích", blank=True)
    status = models.CharField(max_length=16, choices=Status, default=Status.VALID)
    ended_by = models.ForeignKey(
        Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="ended_records"
    )
    # Printed as a QR code; opens the public verification page. Unguessable (192 random bits).
    token = models.CharField(max_length=64, unique=True, editable=False)
    search_text = models.CharField(max_length=800, editable=False, default="")
    name_sort = models.CharField(max_length=1000, editable=False, default="")

    class Meta:
        verbose_name = "sổ vàng khen thưởng"
        verbose_name_plural = "sổ vàng khen thưởng"
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer_code", "year", "number"], name="award_record_number_unique"
            ),
            models.CheckConstraint(  # granted by a decision here, or imported with its decision
                condition=Q(decision__isnull=False, line__isnull=False, campaign__isnull=False)
                | (
                    Q(decision__isnull=True, line__isnull=True, legacy_signed_on__isnull=False)
                    & ~Q(legacy_decision="")
                ),
                name="award_record_decided_or_imported",
            ),
        ]
        indexes = [models.Index(fields=["award_type", "campaign", "status"])]

    def __str__(self) -> str:
        return f"{self.number}/{self.year}: {self.recipient_name}"

    @property
    def is_valid(self) -> bool:
        return self.status == self.Status.VALID

    @property
    def is_revoked(self) -> bool:
        return self.status == self.Status.REVOKED

    @property
    def is_imported(self) -> bool:
        return self.decision_id is None

    @property
    def issuer_name(self) -> str:
        """The body whose register the record is in, as usually written ("UBND thành phố Bắc
        Ninh", whichever way the unit's name spells "Ủy ban nhân dân"); its code when no unit
        has it, or when the record was not read through ``registry.with_issuer``."""
        name = getattr(self, "issuer_unit_name", None)
        return authority_short_name(name) if name else self.issuer_code

    @property
    def decision_reference(self) -> str:
        return self.decision.reference if self.decision is not None else self.legacy_decision

    @property
    def decision_signed_on(self) -> date | None:
        return self.decision.signed_on if self.decision is not None else self.legacy_signed_on

    @property
    def registry_reference(self) -> str:
        return f"{self.number:04d}/{self.year}"


class CertificateLayout(models.Model):
    """Where each field of a certificate is drawn, editable by an admin with a live preview.

    ``fields``: a list of {"field", "x", "y" (mm from the bottom-left), "size", "font"
    ("regular"/"bold"/"italic"/"bolditalic"), "align" ("left"/"centre"/"right"), "width"
    (mm, wraps when set), "colour" ("#rrggbb"), "preprinted" (skipped on a pre-printed blank)}.
    "field" is a data field name or "text:<fixed text>"; "qr" draws the verification code.
    """

    award_type = models.OneToOneField(
        AwardType, on_delete=models.CASCADE, related_name="certificate_layout"
    )
    page_width_mm = models.PositiveSmallIntegerField(default=297)
    page_height_mm = models.PositiveSmallIntegerField(default=210)
    border = models.BooleanField("vẽ khung viền (giấy trắng)", default=True)
    fields = models.JSONField(default=list)

    class Meta:
        verbose_name = "mẫu in bằng, giấy khen"
        verbose_name_plural = "mẫu in bằng, giấy khen"

    def __str__(self) -> str:
        return f"Mẫu in {self.award_type}"


class PrinterProfile(models.Model):
    """Per-printer offsets measured on the calibration page, for printing onto phôi.

    A printer belongs to the body (administrative unit, issuer) whose Nội vụ keeps it and
    prints on it: a ward's officer keeps the ward office's printers, the city's the city's
    (docs/security.md R26). Names are unique within a body only."""

    owner = models.ForeignKey(
        "organizations.Unit",
        on_delete=models.PROTECT,
        related_name="printers",
        verbose_name="cơ quan",
    )
    name = models.CharField("tên máy in", max_length=120)
    offset_x_mm = models.DecimalField("lệch ngang (mm)", max_digits=5, decimal_places=1, default=0)
    offset_y_mm = models.DecimalField("lệch dọc (mm)", max_digits=5, decimal_places=1, default=0)

    class Meta:
        verbose_name = "máy in"
        verbose_name_plural = "máy in"
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="printer_name_per_owner")
        ]

    def __str__(self) -> str:
        return self.name


class CertificatePrint(models.Model):
    """Every print of a certificate; a second print of the same award is a reprint."""

    record = models.ForeignKey(AwardRecord, on_delete=models.PROTECT, related_name="prints")
    printer = models.ForeignKey(PrinterProfile, on_delete=models.SET_NULL, null=True, blank=True)
    on_blank = models.BooleanField(default=False)
    is_reprint = models.BooleanField(default=False)
    job = models.ForeignKey("core.Job", on_delete=models.SET_NULL, null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"In {self.record} ({self.at:%d/%m/%Y})"
