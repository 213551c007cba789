from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q

from thidua.core.clock import today_local
from thidua.core.transitions import can_move, moves
from thidua.organizations.names import authority_full_name


def default_place() -> str:
    """A new campaign's place until its plan names one: the THIDUA_PLACE setting."""
    return str(settings.THIDUA_PLACE)


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    ISSUED = "issued", "Đã ban hành"
    RUNNING = "running", "Đang triển khai"
    INTERIM_REVIEW = "interim_review", "Sơ kết"
    FINAL_REVIEW = "final_review", "Tổng kết"
    CLOSED = "closed", "Đã kết thúc"


class EmulationMethod(models.TextChoices):
    REGULAR = "regular", "Thi đua thường xuyên"
    THEMATIC = "thematic", "Thi đua theo chuyên đề"


class Campaign(models.Model):
    """A campaign and the plan (kế hoạch) that launches it. Issued text is frozen."""

    # Phases after issue (core.transitions): target → states it may be reached from. Issuing
    # (draft → issued) is its own service: it numbers, delivers and signs.
    TRANSITIONS: ClassVar[dict[str, frozenset[str]]] = moves(
        {
            CampaignStatus.RUNNING: {CampaignStatus.ISSUED, CampaignStatus.INTERIM_REVIEW},
            CampaignStatus.INTERIM_REVIEW: {CampaignStatus.RUNNING},
            CampaignStatus.FINAL_REVIEW: {
                CampaignStatus.RUNNING,
                CampaignStatus.INTERIM_REVIEW,
            },
            CampaignStatus.CLOSED: {CampaignStatus.FINAL_REVIEW},
        }
    )

    status = models.CharField(
        "trạng thái", max_length=16, choices=CampaignStatus, default=CampaignStatus.DRAFT
    )
    owner_unit = models.ForeignKey(
        "organizations.Unit",
        on_delete=models.PROTECT,
        related_name="campaigns",
        verbose_name="cơ quan ban hành",
    )
    # Snapshots as printed on the document: a later merger or rename never rewrites them.
    issuer_parent_name = models.CharField("cơ quan chủ quản", max_length=255, blank=True)
    issuer_name = models.CharField("tên cơ quan ban hành", max_length=255)
    doc_symbol = models.CharField("ký hiệu", max_length=32, default="KH-UBND")
    number = models.PositiveIntegerField("số", null=True, blank=True)
    issued_on = models.DateField("ngày ban hành", null=True, blank=True)
    place = models.CharField("địa danh", max_length=64, default=default_place)
    title = models.CharField("trích yếu", max_length=500)
    method = models.CharField(
        "hình thức thi đua",
        max_length=16,
        choices=EmulationMethod,
        default=EmulationMethod.THEMATIC,
    )
    is_special = models.BooleanField("đợt thi đua đặc biệt", default=False)
    occasion_date = models.DateField("ngày kỷ niệm", null=True, blank=True)
    period_start = models.DateField("thời gian từ", null=True, blank=True)
    period_end = models.DateField("thời gian đến", null=True, blank=True)
    period_text = models.CharField("thời gian (như văn bản)", max_length=255, blank=True)
    report_deadline = models.DateField("hạn báo cáo", null=True, blank=True)
    report_deadline_exclusive = models.BooleanField(
        "hạn ghi “trước ngày”",
        default=True,
        help_text="“trước 15/12/2022”: hạn cuối là 14/12/2022.",
    )
    counts_for_annual_evaluation = models.BooleanField(
        "là căn cứ xét hoàn thành nhiệm vụ năm", default=False
    )
    standing_agency = models.ForeignKey(
        "organizations.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="cơ quan thường trực",
    )
    parent_documents = models.JSONField("văn bản cấp trên", default=list, blank=True)
    participants_collective = models.JSONField("đối tượng tập thể", default=list, blank=True)
    participants_individual = models.JSONField("đối tượng cá nhân", default=list, blank=True)
    invited_units = models.ManyToManyField(
        "organizations.Unit",
        blank=True,
        related_name="invited_campaigns",
        verbose_name="đơn vị tham gia",
    )
    invited_blocks = models.ManyToManyField(
        "organizations.EmulationBlock",
        blank=True,
        related_name="campaigns",
        verbose_name="khối thi đua tham gia",
    )
    signer_authority = models.CharField(
        "thẩm quyền ký", max_length=64, blank=True, default="TM. ỦY BAN NHÂN DÂN"
    )
    signer_title_line = models.CharField(
        "dòng ký thay", max_length=64, blank=True, default="KT. CHỦ TỊCH"
    )
    signer_title = models.CharField(
        "chức danh người ký", max_length=64, blank=True, default="PHÓ CHỦ TỊCH"
    )
    signer_name = models.CharField("người ký", max_length=150, blank=True)
    source_text = models.TextField("văn bản gốc", blank=True)
    parse_result = models.JSONField(default=dict, blank=True)
    # The review page's one-time key: a second "Lưu" of the same review finds this draft.
    source_key = models.CharField(max_length=32, blank=True, default="", editable=False)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    issued_number = models.OneToOneField(
        "core.IssuedDocument", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    launched_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    search_text = models.CharField(max_length=600, editable=False, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "phong trào thi đua"
        verbose_name_plural = "phong trào thi đua"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(number__isnull=False, issued_on__isnull=False),
                name="campaign_issued_has_number",
                violation_error_message="Kế hoạch đã ban hành phải có số và ngày ban hành.",
            ),
            models.CheckConstraint(
                condition=Q(period_end__isnull=True)
                | Q(period_start__isnull=True)
                | Q(period_end__gte=models.F("period_start")),
                name="campaign_period_ordered",
                violation_error_message="Thời gian kết thúc không được trước thời gian bắt đầu.",
            ),
            models.UniqueConstraint(
                fields=["source_key"],
                condition=~Q(source_key=""),
                name="campaign_source_key",
                violation_error_message="Văn bản này đã được lưu thành một dự thảo kế hoạch.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def reference(self) -> str:
        return f"{self.number:02d}/{self.doc_symbol}" if self.number else f"…/{self.doc_symbol}"

    @property
    def issuer_full_name(self) -> str:
        """The issuer as its documents' header names it: in full ("UBND thành phố Bắc Ninh",
        as the review keeps it, prints as "ỦY BAN NHÂN DÂN THÀNH PHỐ BẮC NINH")."""
        return authority_full_name(self.issuer_name)

    def can_move(self, to: str) -> bool:
        return can_move(self.TRANSITIONS, self.status, to)

    @property
    def can_start(self) -> bool:
        return self.status == CampaignStatus.ISSUED

    @property
    def can_begin_interim(self) -> bool:
        return self.can_move(CampaignStatus.INTERIM_REVIEW)

    @property
    def can_end_interim(self) -> bool:
        return self.status == CampaignStatus.INTERIM_REVIEW

    @property
    def can_begin_final(self) -> bool:
        return self.can_move(CampaignStatus.FINAL_REVIEW)

    @property
    def can_close(self) -> bool:
        return self.can_move(CampaignStatus.CLOSED)

    @property
    def is_draft(self) -> bool:
        return self.status == CampaignStatus.DRAFT


HEADING_MAX_LENGTH = 120


class PlanSection(models.Model):
    """One ordered part of the plan text: a heading ("I. MỤC ĐÍCH, YÊU CẦU") and its body.
    Nothing of the source is lost: what the structure does not model stays here as text."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField()
    level = models.PositiveSmallIntegerField(default=1)  # 1 roman, 2 arabic, 3 letter
    label = models.CharField(max_length=16, blank=True)  # "I", "1", "a"
    title = models.CharField(max_length=500, blank=True)
    body = models.TextField(blank=True)  # paragraphs one per line; bullets start with "- "

    class Meta:
        ordering = ["campaign", "position"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "position"], name="section_position_unique")
        ]

    def __str__(self) -> str:
        return f"{self.label}. {self.title}" if self.label else self.title

    @property
    def is_heading(self) -> bool:
        """Short titles are headings; a long "1. …" item is a numbered paragraph."""
        return len(self.title) <= HEADING_MAX_LENGTH

    @property
    def heading(self) -> str:
        if not self.label:
            return self.title
        # "a)" at the third level; a number keeps its point there too ("1.1.")
        sep = ")" if self.level >= 3 and not self.label[:1].isdigit() else "."  # noqa: PLR2004
        return f"{self.label}{sep} {self.title}"


class ActivityForm(models.Model):
    """One of the campaign's own activity types, named as the plan names it ("Lễ phát động và
    ký giao ước thi đua", "Hội thi “Nhà nông giỏi”"); ``code`` is the nearest standard form
    (OTHER when none fits), by which reports and dashboards count activities. Units record
    activities against these; an officer may add one the plan did not list."""

    class Code(models.TextChoices):
        SEMINAR = "SEMINAR", "Tọa đàm"
        TALK = "TALK", "Nói chuyện chuyên đề"
        PHOTO_EXHIBITION = "PHOTO_EXHIBITION", "Triển lãm ảnh"
        BOOK_DISPLAY = "BOOK_DISPLAY", "Trưng bày sách"
        CONTEST = "CONTEST", "Cuộc thi tìm hiểu"
        MEDIA = "MEDIA", "Tuyên truyền trên phương tiện thông tin"
        OTHER = "OTHER", "Hình thức khác"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="forms")
    position = models.PositiveIntegerField(default=0)
    code = models.CharField(
        "hình thức chuẩn gần nhất", max_length=32, choices=Code, default=Code.OTHER
    )
    label = models.CharField("tên hoạt động", max_length=255)
    from_plan = models.BooleanField("có trong kế hoạch", default=True)

    class Meta:
        verbose_name = "loại hoạt động"
        verbose_name_plural = "loại hoạt động"
        ordering = ["campaign", "position"]

    def __str__(self) -> str:
        return self.label


class Criterion(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveIntegerField(default=0)
    text = models.TextField("tiêu chí")
    target_value = models.DecimalField(
        "chỉ tiêu", max_digits=14, decimal_places=2, null=True, blank=True
    )
    target_unit = models.CharField("đơn vị tính", max_length=64, blank=True)

    class Meta:
        ordering = ["campaign", "position"]

    def __str__(self) -> str:
        return self.text[:80]


class AwardForm(models.Model):
    class Target(models.TextChoices):
        COLLECTIVE = "collective", "Tập thể"
        INDIVIDUAL = "individual", "Cá nhân"
        BOTH = "both", "Tập thể và cá nhân"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="award_forms")
    position = models.PositiveIntegerField(default=0)
    name = models.CharField("hình thức khen thưởng", max_length=255)  # "Bằng khen"
    signer = models.CharField("thẩm quyền", max_length=255, blank=True)  # "Chủ tịch UBND tỉnh"
    target = models.CharField("đối tượng", max_length=16, choices=Target, default=Target.BOTH)
    quota = models.PositiveIntegerField("số lượng tối đa", null=True, blank=True)
    quota_collective = models.PositiveIntegerField("tối đa tập thể", null=True, blank=True)
    quota_individual = models.PositiveIntegerField("tối đa cá nhân", null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["campaign", "position"]

    def __str__(self) -> str:
        return f"{self.name} của {self.signer}" if self.signer else self.name


class Prize(models.Model):
    """A contest prize of the plan: "01 giải Nhất" each round or for the whole contest."""

    class Scope(models.TextChoices):
        ROUND = "round", "Mỗi đợt, vòng thi"
        CONTEST = "contest", "Toàn cuộc thi"

    class Target(models.TextChoices):
        INDIVIDUAL = "individual", "Cá nhân"
        COLLECTIVE = "collective", "Tập thể"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="prizes")
    position = models.PositiveIntegerField(default=0)
    tier = models.CharField("giải", max_length=64)  # "Nhất", "Khuyến khích", "A", "tập thể"
    count = models.PositiveIntegerField("số giải", default=1)
    scope = models.CharField("áp dụng", max_length=16, choices=Scope, blank=True)
    target = models.CharField("đối tượng", max_length=16, choices=Target, default=Target.INDIVIDUAL)
    amount = models.PositiveBigIntegerField("trị giá mỗi giải (đồng)", null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = "giải thưởng"
        verbose_name_plural = "giải thưởng"
        ordering = ["campaign", "position"]

    def __str__(self) -> str:
        return f"{self.count:02d} giải {self.tier}"


class Assignment(models.Model):
    """A task the plan gives to agencies (clause IV.2 …), with its deadline."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="assignments")
    position = models.PositiveIntegerField(default=0)
    clause = models.CharField("điều khoản", max_length=16, blank=True)  # "IV.2"
    agencies_text = models.CharField("cơ quan (như văn bản)", max_length=500, blank=True)
    text = models.TextField("nhiệm vụ")
    due_date = models.DateField("hạn hoàn thành", null=True, blank=True)
    due_working_days = models.PositiveSmallIntegerField(
        "hạn theo ngày làm việc",
        null=True,
        blank=True,
        help_text="Số ngày làm việc kể từ ngày ban hành.",
    )

    class Meta:
        ordering = ["campaign", "position"]

    def __str__(self) -> str:
        return f"{self.clause} {self.text[:60]}"


class AssignmentTarget(models.Model):
    class Status(models.TextChoices):
        ASSIGNED = "assigned", "Đã giao"
        ACKNOWLEDGED = "acknowledged", "Đã tiếp nhận"
        DONE = "done", "Đã hoàn thành"

    # Allowed moves (core.transitions): a task goes forward only.
    TRANSITIONS: ClassVar[dict[str, frozenset[str]]] = moves(
        {
            Status.ACKNOWLEDGED: {Status.ASSIGNED},
            Status.DONE: {Status.ASSIGNED, Status.ACKNOWLEDGED},
        }
    )

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey(
        "organizations.Unit", on_delete=models.PROTECT, related_name="assignment_targets"
    )
    status = models.CharField(max_length=16, choices=Status, default=Status.ASSIGNED)
    due_date = models.DateField(null=True, blank=True)  # resolved at issue (working days → a date)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assignment", "unit"], name="assignment_target_unique")
        ]
        indexes = [  # serves task_list_for(unit): a unit's open tasks by deadline
            models.Index(
                fields=["unit", "due_date"],
                condition=~Q(status="done"),
                name="assignment_open_by_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment} → {self.unit}"

    def can_move(self, to: str) -> bool:
        return can_move(self.TRANSITIONS, self.status, to)

    @property
    def can_acknowledge(self) -> bool:
        return self.can_move(self.Status.ACKNOWLEDGED)

    @property
    def can_finish(self) -> bool:
        return self.can_move(self.Status.DONE)

    @property
    def is_overdue(self) -> bool:
        return (
            self.status != self.Status.DONE
            and self.due_date is not None
            and self.due_date < today_local()
        )


class RecipientRole(models.TextChoices):
    """Why a unit receives the plan; only IMPLEMENT units owe reports (issue 20)."""

    IMPLEMENT = "implement", "Thực hiện"
    REPORT = "report", "Để báo cáo"
    INFO = "info", "Để biết"
    ARCHIVE = "archive", "Lưu"


class Recipient(models.Model):
    """A "Nơi nhận" line; `units` is what the line expands to when the plan is sent."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="recipients")
    position = models.PositiveIntegerField(default=0)
    text = models.CharField(max_length=255)
    note = models.CharField(max_length=64, blank=True)  # "để b/c"
    role = models.CharField(
        "vai trò", max_length=16, choices=RecipientRole, default=RecipientRole.IMPLEMENT
    )
    units = models.ManyToManyField("organizations.Unit", blank=True, related_name="+")

    class Meta:
        ordering = ["campaign", "position"]

    def __str__(self) -> str:
        return self.text


class Delivery(models.Model):
    """The issued plan as received by one unit: sent, opened, acknowledged."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="deliveries")
    unit = models.ForeignKey(
        "organizations.Unit", on_delete=models.PROTECT, related_name="campaign_deliveries"
    )
    # IMPLEMENT: the unit acts on the plan and owes its reports; REPORT and INFO units only
    # receive it (a superior body, the issuer's leaders).
    role = models.CharField(
        "vai trò", max_length=16, choices=RecipientRole, default=RecipientRole.IMPLEMENT
    )
    sent_at = models.DateTimeField()
    opened_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit"], name="delivery_one_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} → {self.unit}"
