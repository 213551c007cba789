from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q

from thidua.core.text import fold
from thidua.core.transitions import can_move, moves


class ReportTemplate(models.Model):
    """Narrative sections and numeric indicators that units fill in."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="report_templates"
    )
    name = models.CharField("tên mẫu báo cáo", max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "mẫu báo cáo"
        verbose_name_plural = "mẫu báo cáo"

    def __str__(self) -> str:
        return self.name


class TemplateSection(models.Model):
    template = models.ForeignKey(ReportTemplate, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField(default=0)
    title = models.CharField("tiêu đề phần", max_length=255)
    guidance = models.TextField("hướng dẫn", blank=True)

    class Meta:
        ordering = ["template", "position"]

    def __str__(self) -> str:
        return self.title


class Indicator(models.Model):
    class Aggregation(models.TextChoices):
        SUM = "sum", "Cộng"
        AVERAGE = "average", "Trung bình"
        COUNT = "count", "Đếm số đơn vị có số liệu"
        YES_SHARE = "yes_share", "Tỷ lệ đơn vị trả lời Có"

    class Source(models.TextChoices):
        MANUAL = "manual", "Đơn vị tự nhập"
        ACTIVITIES = "activities", "Số hoạt động đã ghi nhận"
        PARTICIPANTS = "participants", "Số người tham gia các hoạt động"
        GOOD_MODELS = "good_models", "Số mô hình hay được công nhận"

    template = models.ForeignKey(
        ReportTemplate, on_delete=models.CASCADE, related_name="indicators"
    )
    position = models.PositiveIntegerField(default=0)
    name = models.CharField("chỉ tiêu", max_length=255)
    unit_of_measure = models.CharField("đơn vị tính", max_length=64, blank=True)
    is_yes_no = models.BooleanField("trả lời Có/Không", default=False)
    aggregation = models.CharField(
        "cách tổng hợp", max_length=16, choices=Aggregation, default=Aggregation.SUM
    )
    source = models.CharField("nguồn số liệu", max_length=16, choices=Source, default=Source.MANUAL)

    class Meta:
        ordering = ["template", "position"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_percent(self) -> bool:
        """Its figures are percentages (unit "%", "tỷ lệ %", "phần trăm"): 85 means 85 %."""
        unit = self.unit_of_measure
        return "%" in unit or fold(unit).strip() == "phan tram"


class RequestKind(models.TextChoices):
    REGULAR = "regular", "Báo cáo định kỳ"
    INTERIM = "interim", "Báo cáo sơ kết"
    FINAL = "final", "Báo cáo tổng kết"


DEFAULT_REMINDER_OFFSETS = [-5, -2, -1, 0]  # working days relative to the due date


class ReportRequest(models.Model):
    """A template sent to units with a deadline and a reminder schedule."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="report_requests"
    )
    template = models.ForeignKey(ReportTemplate, on_delete=models.PROTECT, related_name="requests")
    kind = models.CharField(
        "loại báo cáo", max_length=16, choices=RequestKind, default=RequestKind.REGULAR
    )
    title = models.CharField("tên yêu cầu", max_length=255)
    due_date = models.DateField("hạn nộp (hết ngày)")
    reminder_offsets = models.JSONField("nhắc trước/sau hạn (ngày làm việc)", default=list)
    repeat_every = models.PositiveSmallIntegerField(
        "quá hạn: nhắc lại sau mỗi (ngày làm việc)", default=2
    )
    escalate_after = models.PositiveSmallIntegerField(
        "quá hạn bao nhiêu ngày làm việc thì báo lãnh đạo", default=3
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "yêu cầu báo cáo"
        verbose_name_plural = "yêu cầu báo cáo"
        ordering = ["-due_date", "-pk"]

    def __str__(self) -> str:
        return self.title


class ReportStatus(models.TextChoices):
    PENDING = "pending", "Chưa nộp"
    PENDING_APPROVAL = "pending_approval", "Chờ thủ trưởng duyệt"
    SUBMITTED = "submitted", "Đã nộp"
    RETURNED = "returned", "Bị trả lại"
    ACCEPTED = "accepted", "Đã tiếp nhận"


# Still owed to Nội vụ: with the unit (drafting, or returned) or waiting for its head's approval.
# Past the deadline, these are the late reports (selectors.overdue_q), reminded and urged.
OWED: tuple[str, ...] = (ReportStatus.PENDING, ReportStatus.PENDING_APPROVAL, ReportStatus.RETURNED)


class ReportAssignment(models.Model):
    """One unit's report for one request: the live draft plus every submitted version."""

    # Allowed moves: target state → states it may be reached from (core.transitions).
    TRANSITIONS: ClassVar[dict[str, frozenset[str]]] = moves(
        {
            ReportStatus.PENDING_APPROVAL: {ReportStatus.PENDING, ReportStatus.RETURNED},
            ReportStatus.SUBMITTED: {
                ReportStatus.PENDING,
                ReportStatus.PENDING_APPROVAL,
                ReportStatus.RETURNED,
            },
            # Nội vụ returns a submitted report; the unit head sends one waiting for approval
            # back to the officer: to where it was drafted, "Bị trả lại" if Nội vụ had returned
            # it, else "Chưa nộp" (report_return_to_officer).
            ReportStatus.RETURNED: {ReportStatus.SUBMITTED, ReportStatus.PENDING_APPROVAL},
            ReportStatus.PENDING: {ReportStatus.PENDING_APPROVAL},
            ReportStatus.ACCEPTED: {ReportStatus.SUBMITTED},
        }
    )

    request = models.ForeignKey(ReportRequest, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(
        "organizations.Unit", on_delete=models.PROTECT, related_name="report_assignments"
    )
    status = models.CharField(max_length=16, choices=ReportStatus, default=ReportStatus.PENDING)
    draft_narratives = models.JSONField(default=dict, blank=True)  # section id → text
    draft_values = models.JSONField(default=dict, blank=True)  # indicator id → number or bool
    draft_saved_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    is_late = models.BooleanField(default=False)
    review_note = models.TextField("ý kiến của Phòng Nội vụ", blank=True)
    # Why the unit head sent it back to the officer; cleared when it leaves the officer again.
    head_note = models.TextField("ý kiến của thủ trưởng đơn vị khi trả lại", blank=True)
    next_reminder_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveIntegerField(default=0)
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "unit"], name="assignment_one_per_unit"),
            models.CheckConstraint(
                condition=~Q(status="submitted") | Q(submitted_at__isnull=False),
                name="assignment_submitted_has_time",
            ),
        ]
        indexes = [  # serves reminders_claim_due(): reports still owed whose reminder is due
            models.Index(
                fields=["next_reminder_at"],
                condition=Q(status__in=["pending", "pending_approval", "returned"]),
                name="assignment_reminder_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} – {self.request}"

    def can_move(self, to: str) -> bool:
        return can_move(self.TRANSITIONS, self.status, to)

    @property
    def is_drafting(self) -> bool:
        """With its unit: not yet sent, or returned for revision."""
        return self.status in {ReportStatus.PENDING, ReportStatus.RETURNED}

    @property
    def is_returned(self) -> bool:
        return self.status == ReportStatus.RETURNED

    @property
    def is_returned_by_head(self) -> bool:
        """Sent back by the unit head to its officer, with a reason, and not yet sent again."""
        return self.is_drafting and bool(self.head_note)

    @property
    def is_in(self) -> bool:
        """Submitted to Nội vụ (accepted or not yet reviewed)."""
        return self.status in {ReportStatus.SUBMITTED, ReportStatus.ACCEPTED}


class ReportVersion(models.Model):
    """A frozen copy of what the unit submitted; versions are compared after a return."""

    assignment = models.ForeignKey(
        ReportAssignment, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField()
    narratives = models.JSONField(default=dict)
    values = models.JSONField(default=dict)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField()
    is_late = models.BooleanField(default=False)

    class Meta:
        ordering = ["assignment", "number"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "number"], name="version_number_unique")
        ]

    def __str__(self) -> str:
        return f"v{self.number}"


class ReportAttachment(models.Model):
    assignment = models.ForeignKey(
        ReportAssignment, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to="reports/", max_length=255)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.original_name


class Reminder(models.Model):
    """One reminder sent; the unique step makes a second scheduler's send a no-op."""

    class Kind(models.TextChoices):
        BEFORE = "before", "Nhắc trước hạn"
        OVERDUE = "overdue", "Nhắc quá hạn"
        ESCALATION = "escalation", "Báo lãnh đạo"

    assignment = models.ForeignKey(
        ReportAssignment, on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=16, choices=Kind)
    step = models.DateTimeField()  # the scheduled time this reminder was for
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "kind", "step"], name="reminder_once_per_step"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.step:%d/%m/%Y}"


class AggregatedReport(models.Model):
    """The city's báo cáo tổng hợp for a request: built by the system, finished by Nội vụ."""

    request = models.OneToOneField(
        ReportRequest, on_delete=models.CASCADE, related_name="aggregate"
    )
    title = models.CharField("trích yếu", max_length=500)
    body = models.TextField("nội dung")
    built_at = models.DateTimeField()
    number = models.PositiveIntegerField(null=True, blank=True)
    issued_on = models.DateField(null=True, blank=True)
    issued_number = models.OneToOneField(
        "core.IssuedDocument", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The annex (Phụ lục) as it stood when the report was issued: its XLSX, stored privately
    # (served only through the annex view) with its number of rows for the export log. Blank
    # before issue, when the annex is built live.
    annex = models.FileField(
        "phụ lục khi ban hành", upload_to="reports/annex/", max_length=255, blank=True
    )
    annex_rows = models.PositiveIntegerField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return self.title


class UrgingLetter(models.Model):
    """Công văn đôn đốc listing the late units, numbered from the register."""

    request = models.ForeignKey(
        ReportRequest, on_delete=models.CASCADE, related_name="urging_letters"
    )
    issued_number = models.OneToOneField(
        "core.IssuedDocument", on_delete=models.PROTECT, related_name="+"
    )
    units = models.ManyToManyField("organizations.Unit", related_name="+")
    body = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Công văn {self.issued_number}"
