from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q

from thidua.core.transitions import can_move, moves


class Registration(models.Model):
    """Đăng ký thi đua: a unit joins a campaign with its commitments."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Đang soạn"
        PENDING_APPROVAL = "pending_approval", "Chờ thủ trưởng duyệt"
        SUBMITTED = "submitted", "Đã đăng ký"

    # The allowed moves: new state ← states it is reached from (core.transitions).
    TRANSITIONS: ClassVar[dict[str, frozenset[str]]] = moves(
        {
            Status.PENDING_APPROVAL: {Status.DRAFT},
            Status.DRAFT: {Status.PENDING_APPROVAL},  # returned (an edit also makes a draft)
            Status.SUBMITTED: {Status.DRAFT, Status.PENDING_APPROVAL},
        }
    )

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="registrations"
    )
    unit = models.ForeignKey(
        "organizations.Unit", on_delete=models.PROTECT, related_name="registrations"
    )
    status = models.CharField("trạng thái", max_length=20, choices=Status, default=Status.DRAFT)
    note = models.TextField("ghi chú", blank=True)
    return_note = models.TextField("lý do trả lại", blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "đăng ký thi đua"
        verbose_name_plural = "đăng ký thi đua"
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit"], name="registration_one_per_unit"),
            models.CheckConstraint(
                condition=~Q(status="submitted") | Q(submitted_at__isnull=False),
                name="registration_submitted_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} – {self.campaign_id}"

    def can_move_to(self, to: str) -> bool:
        return can_move(self.TRANSITIONS, self.status, to)

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    @property
    def can_be_sent_for_approval(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def awaits_approval(self) -> bool:
        return self.status == self.Status.PENDING_APPROVAL


class Commitment(models.Model):
    """A target a unit commits to: on a criterion of the plan, or one of its own."""

    class TargetKind(models.TextChoices):
        NUMBER = "number", "Số lượng"
        YES_NO = "yes_no", "Có/Không"
        TEXT = "text", "Mô tả"

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="commitments"
    )
    criterion = models.ForeignKey(
        "campaigns.Criterion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commitments",
    )
    position = models.PositiveIntegerField(default=0)
    text = models.CharField("nội dung cam kết", max_length=500)
    target_kind = models.CharField(
        "loại chỉ tiêu", max_length=8, choices=TargetKind, default=TargetKind.NUMBER
    )
    target_value = models.DecimalField(
        "chỉ tiêu", max_digits=14, decimal_places=2, null=True, blank=True
    )
    target_unit = models.CharField("đơn vị tính", max_length=64, blank=True)
    target_text = models.CharField("chỉ tiêu (mô tả)", max_length=500, blank=True)
    # Sum of the activities' contributions, kept by services.commitments_recount() so progress
    # figures read one column instead of summing contributions on every page.
    actual = models.DecimalField("đã thực hiện", max_digits=14, decimal_places=2, default=0)

    class Meta:
        ordering = ["registration", "position"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(target_kind="number") | Q(target_value__isnull=False),
                name="commitment_number_has_value",
            ),
        ]

    def __str__(self) -> str:
        return self.text


class Pledge(models.Model):
    """Giao ước thi đua of an emulation block for a campaign."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="pledges"
    )
    block = models.ForeignKey(
        "organizations.EmulationBlock", on_delete=models.PROTECT, related_name="pledges"
    )
    text = models.TextField("nội dung giao ước")
    signed_on = models.DateField("ngày ký")
    members = models.ManyToManyField("organizations.Unit", related_name="pledges")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "block"], name="pledge_one_per_block")
        ]

    def __str__(self) -> str:
        return f"Giao ước {self.block}"


class Activity(models.Model):
    """Something a unit did in one of the plan's forms."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="activities"
    )
    unit = models.ForeignKey(
        "organizations.Unit", on_delete=models.PROTECT, related_name="activities"
    )
    form = models.ForeignKey(
        "campaigns.ActivityForm",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name="hình thức",
    )
    form_code = models.CharField(max_length=32)  # copied from the form: roll-ups group by it
    title = models.CharField("tên hoạt động", max_length=255)
    held_on = models.DateField("ngày tổ chức")
    # First day of held_on's month, stored so dashboards group by a column an index covers.
    held_month = models.DateField(editable=False, null=True)
    ends_on = models.DateField("đến ngày", null=True, blank=True)
    place = models.CharField("địa điểm", max_length=255, blank=True)
    description = models.TextField("mô tả", blank=True)
    participants = models.PositiveIntegerField("số người tham gia", default=0)
    links = models.TextField("đường dẫn (mỗi dòng một địa chỉ)", blank=True)
    search_text = models.CharField(max_length=400, editable=False, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "hoạt động"
        verbose_name_plural = "hoạt động"
        ordering = ["-held_on", "-pk"]
        indexes = [
            # serves activity_list_for(campaign): newest first
            models.Index(fields=["campaign", "-held_on"], name="activity_campaign_date"),
            # serves services.activity_stats_rebuild(): counts and participants by month and
            # form, read from the index alone
            models.Index(
                fields=["campaign", "held_month", "form_code", "participants"],
                name="activity_dashboard",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("held_on")),
                name="activity_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ActivityStat(models.Model):
    """Activities and participants per campaign, month and form, kept by the services so the
    dashboard reads a few rows instead of scanning every activity."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="activity_stats"
    )
    month = models.DateField()
    form_code = models.CharField(max_length=32)
    activities = models.IntegerField(default=0)
    participants = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "month", "form_code"], name="activity_stat_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.month:%m/%Y} {self.form_code}: {self.activities}"


class Contribution(models.Model):
    """How much an activity advances a commitment."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="contributions")
    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="contributions"
    )
    amount = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["activity", "commitment"], name="contribution_once"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="contribution_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} → {self.commitment_id}: {self.amount}"


class GoodModel(models.Model):
    """Mô hình hay, cách làm mới, điển hình tiên tiến proposed by a unit and reviewed by Nội vụ."""

    class Kind(models.TextChoices):
        MODEL = "model", "Mô hình hay, cách làm mới"
        COLLECTIVE = "collective", "Tập thể điển hình tiên tiến"
        INDIVIDUAL = "individual", "Cá nhân điển hình tiên tiến"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Chờ xem xét"
        NEEDS_INFO = "needs_info", "Cần bổ sung"
        ACCEPTED = "accepted", "Được công nhận"
        DECLINED = "declined", "Không công nhận"

    # The allowed moves: new state ← states it is reached from (core.transitions).
    TRANSITIONS: ClassVar[dict[str, frozenset[str]]] = moves(
        {
            Status.PROPOSED: {Status.NEEDS_INFO},  # resubmitted with what was asked
            Status.NEEDS_INFO: {Status.PROPOSED},
            Status.ACCEPTED: {Status.PROPOSED, Status.NEEDS_INFO},
            Status.DECLINED: {Status.PROPOSED, Status.NEEDS_INFO},
        }
    )

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="good_models"
    )
    unit = models.ForeignKey(
        "organizations.Unit", on_delete=models.PROTECT, related_name="good_models"
    )
    kind = models.CharField("loại", max_length=16, choices=Kind, default=Kind.MODEL)
    person = models.ForeignKey(
        "organizations.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="good_models",
        verbose_name="cá nhân",
    )
    title = models.CharField("tên mô hình, điển hình", max_length=255)
    description = models.TextField("mô tả")
    results = models.TextField("kết quả, hiệu quả", blank=True)
    status = models.CharField("trạng thái", max_length=16, choices=Status, default=Status.PROPOSED)
    review_note = models.TextField("ý kiến của Phòng Nội vụ", blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    search_text = models.CharField(max_length=400, editable=False, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "mô hình hay, điển hình"
        verbose_name_plural = "mô hình hay, điển hình"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_accepted(self) -> bool:
        return self.status == self.Status.ACCEPTED

    @property
    def can_be_reviewed(self) -> bool:
        return can_move(self.TRANSITIONS, self.status, self.Status.ACCEPTED)

    @property
    def can_be_resubmitted(self) -> bool:
        return can_move(self.TRANSITIONS, self.status, self.Status.PROPOSED)

    @property
    def is_declined(self) -> bool:
        return self.status == self.Status.DECLINED

    @property
    def ready_for_portal(self) -> bool:
        return self.status == self.Status.ACCEPTED


class Adoption(models.Model):
    """Another unit replicated a good model (nhân rộng)."""

    good_model = models.ForeignKey(GoodModel, on_delete=models.CASCADE, related_name="adoptions")
    unit = models.ForeignKey(
        "organizations.Unit", on_delete=models.PROTECT, related_name="adoptions"
    )
    adopted_on = models.DateField("ngày áp dụng")
    note = models.TextField("cách áp dụng", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["good_model", "unit"], name="adoption_once_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.unit} nhân rộng {self.good_model_id}"


class Evidence(models.Model):
    """A checked file (photo, PDF, DOCX, XLSX) behind an activity or a good model. Private."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    good_model = models.ForeignKey(
        GoodModel, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    kind = models.CharField(max_length=8)  # core.uploads.UploadKind
    file = models.FileField(upload_to="evidence/", max_length=255)
    thumbnail = models.FileField(upload_to="evidence/", max_length=255, blank=True)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    caption = models.CharField("chú thích", max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(activity__isnull=False) | Q(good_model__isnull=False),
                name="evidence_has_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.kind == "image"


class Difficulty(models.Model):
    """Khó khăn, vướng mắc raised to the standing agency."""

    class Status(models.TextChoices):
        OPEN = "open", "Chờ trả lời"
        FORWARDED = "forwarded", "Đã trình lãnh đạo"
        ANSWERED = "answered", "Đã trả lời"
        CLOSED = "closed", "Đã đóng"

    # The allowed moves: new state ← states it is reached from (core.transitions).
    TRANSITIONS: ClassVar[dict[str, frozenset[str]]] = moves(
        {
            Status.FORWARDED: {Status.OPEN},
            Status.ANSWERED: {Status.OPEN, Status.FORWARDED},
            Status.CLOSED: {Status.OPEN, Status.FORWARDED, Status.ANSWERED},
        }
    )

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="difficulties"
    )
    unit = models.ForeignKey(
        "organizations.Unit", on_delete=models.PROTECT, related_name="difficulties"
    )
    title = models.CharField("vấn đề", max_length=255)
    text = models.TextField("nội dung")
    status = models.CharField("trạng thái", max_length=16, choices=Status, default=Status.OPEN)
    answer = models.TextField("trả lời", blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "khó khăn, vướng mắc"
        verbose_name_plural = "khó khăn, vướng mắc"
        ordering = ["-created_at", "-pk"]
        indexes = [  # serves difficulty counts on the campaign page
            models.Index(
                fields=["campaign"],
                condition=Q(status__in=["open", "forwarded"]),
                name="difficulty_open",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def awaits_answer(self) -> bool:
        return self.status in {self.Status.OPEN, self.Status.FORWARDED}

    @property
    def can_be_forwarded(self) -> bool:
        return can_move(self.TRANSITIONS, self.status, self.Status.FORWARDED)
