"""Award decisions (quyết định khen thưởng) and the lines of their annex."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q

from thidua.awards.models.nominations import Nominee
from thidua.awards.models.rules import AwardRule, AwardType
from thidua.core.transitions import can_move, moves


class Decision(models.Model):
    """Quyết định khen thưởng. Final once signed; corrected only by a new decision that amends
    or revokes it (``corrects``)."""

    class Kind(models.TextChoices):
        GRANT = "grant", "Tặng thưởng"
        AMEND = "amend", "Sửa đổi"
        REVOKE = "revoke", "Thu hồi"

    class Status(models.TextChoices):
        DRAFT = "draft", "Dự thảo"
        AWAITING_SIGNATURE = "awaiting_signature", "Chờ ký"
        FINAL = "final", "Đã ban hành"

    TRANSITIONS: ClassVar[dict[str, frozenset[str]]] = moves(
        {
            Status.AWAITING_SIGNATURE: {Status.DRAFT},
            Status.DRAFT: {Status.AWAITING_SIGNATURE},  # the signer returns it
            Status.FINAL: {Status.AWAITING_SIGNATURE},
        }
    )

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.PROTECT, related_name="award_decisions"
    )
    award_type = models.ForeignKey(AwardType, on_delete=models.PROTECT, related_name="decisions")
    issuer = models.ForeignKey(
        "organizations.Unit", on_delete=models.PROTECT, related_name="award_decisions"
    )
    kind = models.CharField(max_length=8, choices=Kind, default=Kind.GRANT)
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name="quyết định được sửa đổi, thu hồi",
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    summary = models.CharField("trích yếu", max_length=500)
    legal_bases = models.JSONField("căn cứ", default=list)
    # The rule whose bases the text cites, the date that chose it (the draft's date until
    # signed), and whether Nội vụ edited the bases by hand (then they are never refreshed).
    rule = models.ForeignKey(
        AwardRule, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    drafted_on = models.DateField("ngày dự thảo", null=True, blank=True)
    legal_bases_edited = models.BooleanField("căn cứ đã sửa tay", default=False)
    articles = models.JSONField("các điều", default=list)
    recipients = models.JSONField("nơi nhận", default=list)
    signer_authority = models.CharField(
        "thẩm quyền ký", max_length=64, default="TM. ỦY BAN NHÂN DÂN"
    )
    signer_title_line = models.CharField("ký thay", max_length=64, blank=True)
    signer_title = models.CharField("chức vụ người ký", max_length=64, default="CHỦ TỊCH")
    signer_name = models.CharField("người ký", max_length=150, blank=True)
    number = models.OneToOneField(
        "core.IssuedDocument", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_on = models.DateField("ngày ký", null=True, blank=True)
    signed_scan = models.FileField(upload_to="decisions/", max_length=255, blank=True)
    return_note = models.TextField("ý kiến của người ký", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "quyết định khen thưởng"
        verbose_name_plural = "quyết định khen thưởng"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="final") | Q(number__isnull=False, signed_on__isnull=False),
                name="decision_final_is_numbered",
            ),
            models.CheckConstraint(
                condition=Q(kind="grant", corrects__isnull=True)
                | (~Q(kind="grant") & Q(corrects__isnull=False)),
                name="decision_correction_has_target",
            ),
        ]

    def __str__(self) -> str:
        return self.reference or f"Dự thảo: {self.summary}"

    @property
    def reference(self) -> str:
        return self.number.reference if self.number_id and self.number else ""

    @property
    def citation(self) -> str:
        """How texts cite a signed decision: "Quyết định số 01/QĐ-UBND ngày 30/12/2022"."""
        return f"Quyết định số {self.reference} ngày {self.signed_on:%d/%m/%Y}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_final(self) -> bool:
        return self.status == self.Status.FINAL

    @property
    def awaits_signature(self) -> bool:
        return self.status == self.Status.AWAITING_SIGNATURE

    @property
    def can_be_discarded(self) -> bool:
        """Unsigned (a draft, or awaiting signature): Nội vụ may still discard it."""
        return self.status != self.Status.FINAL

    def can_move_to(self, to: str) -> bool:
        return can_move(self.TRANSITIONS, self.status, to)


class DecisionLine(models.Model):
    """One collective or individual in the decision's annex, named as on the decision date."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="lines")
    nominee = models.ForeignKey(
        Nominee, on_delete=models.PROTECT, null=True, blank=True, related_name="decision_lines"
    )
    record = models.ForeignKey(  # the award an amending or revoking line corrects
        "AwardRecord", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    position = models.PositiveIntegerField(default=0)
    subject = models.CharField(max_length=16, choices=Nominee._meta.get_field("subject").choices)
    recipient_name = models.CharField("tên tập thể, cá nhân", max_length=255)
    recipient_detail = models.CharField("chức vụ, đơn vị", max_length=500, blank=True)
    achievement = models.TextField("thành tích", blank=True)

    class Meta:
        ordering = ["decision", "subject", "position"]

    def __str__(self) -> str:
        return self.recipient_name
