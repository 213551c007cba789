"""Nomination dossiers: the households and holds that bear on them, the dossier with its
nominees and file versions, and each round of appraisal."""

from typing import TYPE_CHECKING, ClassVar, cast

from django.conf import settings
from django.db import models
from django.db.models import Q

from thidua.awards.models.rules import AwardRule, AwardType, Subject
from thidua.core.transitions import can_move, moves

if TYPE_CHECKING:
    from thidua.organizations.models import Unit


class ContributionKind(models.TextChoices):
    """What a household gave (Luật Thi đua, khen thưởng: khen hộ gia đình có đóng góp)."""

    LABOUR = "labour", "Công sức"
    LAND = "land", "Đất đai"
    ASSETS = "assets", "Tài sản"


class DocumentKind(models.TextChoices):
    SUBMISSION = "submission", "Tờ trình"
    ACHIEVEMENT_REPORT = "achievement_report", "Báo cáo thành tích"
    MINUTES = "minutes", "Biên bản họp xét của đơn vị"
    SUMMARY = "summary", "Tóm tắt thành tích"
    OTHER = "other", "Tài liệu khác"


class Hold(models.Model):
    """A disciplinary or inspection hold: no award while it is active. Sensitive, never public."""

    person = models.ForeignKey(
        "organizations.Person",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="holds",
    )
    unit = models.ForeignKey(
        "organizations.Unit", on_delete=models.CASCADE, null=True, blank=True, related_name="holds"
    )
    # The body (administrative unit, issuer) whose Nội vụ placed the hold: only its Nội vụ or a
    # body's above it ends the hold (rules.can_end_hold; docs/security.md R17).
    placed_by = models.ForeignKey(
        "organizations.Unit",
        on_delete=models.PROTECT,
        related_name="holds_placed",
        verbose_name="cơ quan tạm dừng",
    )
    reason = models.CharField("lý do", max_length=255)
    active_from = models.DateField("từ ngày")
    active_to = models.DateField("đến ngày", null=True, blank=True)

    class Meta:
        verbose_name = "trường hợp tạm dừng xét khen"
        verbose_name_plural = "trường hợp tạm dừng xét khen"
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(unit__isnull=False), name="hold_has_subject"
            ),
        ]

    def __str__(self) -> str:
        return self.reason

    @property
    def subject_unit(self) -> "Unit":
        """The unit the hold is about: the person's, or the collective itself."""
        # One of the two is set (hold_has_subject).
        return self.person.unit if self.person is not None else cast("Unit", self.unit)


class Household(models.Model):
    """A household (hộ gia đình) as an award subject: named by its head ("Hộ ông Nguyễn Văn
    Hùng"), at an address in the ward or commune that proposes it."""

    class HeadTitle(models.TextChoices):
        MR = "ông", "Ông"
        MRS = "bà", "Bà"

    unit = models.ForeignKey(
        "organizations.Unit",
        on_delete=models.PROTECT,
        related_name="households",
        verbose_name="xã, phường",
    )
    head_title = models.CharField("ông/bà", max_length=4, choices=HeadTitle, default=HeadTitle.MR)
    head_name = models.CharField("họ tên chủ hộ", max_length=150)
    address = models.CharField("địa chỉ (thôn, tổ dân phố, số nhà)", max_length=255)
    key = models.CharField(max_length=420, editable=False)  # folded name and address
    search_text = models.CharField(max_length=420, editable=False, default="")
    name_sort = models.CharField(max_length=600, editable=False, default="")

    class Meta:
        verbose_name = "hộ gia đình"
        verbose_name_plural = "hộ gia đình"
        constraints = [
            models.UniqueConstraint(fields=["unit", "key"], name="household_once_per_unit"),
        ]

    def __str__(self) -> str:
        return f"Hộ {self.head_title} {self.head_name}"

    @property
    def full_address(self) -> str:
        """ "Số 12, tổ dân phố 3, phường Suối Hoa": the ward's level word in lower case."""
        place = self.unit.short_name or self.unit.name
        if place.startswith(("Phường ", "Xã ", "Thị trấn ")):
            place = place[0].lower() + place[1:]
        return f"{self.address}, {place}"


class Nomination(models.Model):
    """A unit's proposal of collectives and individuals for one award type in a campaign."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Đang soạn"
        PENDING_UNIT_APPROVAL = "pending_unit_approval", "Chờ thủ trưởng duyệt"
        SUBMITTED = "submitted", "Đã gửi"
        UNDER_APPRAISAL = "under_appraisal", "Đang thẩm định"
        RETURNED = "returned", "Bị trả lại"
        ELIGIBLE = "eligible", "Đủ điều kiện"
        NOT_ELIGIBLE = "not_eligible", "Không đủ điều kiện"
        RECOMMENDED = "recommended", "Đề nghị khen thưởng (không qua Hội đồng)"
        IN_COUNCIL = "in_council", "Đang xét tại Hội đồng"
        COUNCIL_DONE = "council_done", "Hội đồng đã xét"
        NOT_RECOMMENDED = "not_recommended", "Hội đồng không đề nghị"
        DECIDED = "decided", "Đã có quyết định khen thưởng"
        WITHDRAWN = "withdrawn", "Đã rút"

    class Route(models.TextChoices):
        FULL = "full", "Thủ tục thông thường"
        SIMPLIFIED = "simplified", "Thủ tục đơn giản"

    # The allowed moves: new state ← states it is reached from (core.transitions).
    TRANSITIONS: ClassVar[dict[str, frozenset[str]]] = moves(
        {
            Status.PENDING_UNIT_APPROVAL: {Status.DRAFT, Status.RETURNED},
            Status.DRAFT: {Status.PENDING_UNIT_APPROVAL},  # the head returns it to the drafter
            Status.SUBMITTED: {Status.DRAFT, Status.PENDING_UNIT_APPROVAL, Status.RETURNED},
            Status.UNDER_APPRAISAL: {Status.SUBMITTED},
            Status.RETURNED: {Status.UNDER_APPRAISAL},
            Status.ELIGIBLE: {Status.UNDER_APPRAISAL},
            Status.NOT_ELIGIBLE: {Status.UNDER_APPRAISAL},
            Status.RECOMMENDED: {Status.UNDER_APPRAISAL},  # eligible, no council vote needed
            Status.IN_COUNCIL: {Status.ELIGIBLE},
            Status.COUNCIL_DONE: {Status.IN_COUNCIL},  # at least one nominee recommended
            Status.NOT_RECOMMENDED: {Status.IN_COUNCIL},  # every nominee voted down: final
            Status.DECIDED: {Status.RECOMMENDED, Status.COUNCIL_DONE},
        }
    )
    # Where a dossier ends: nothing moves it on, so its appraisal deadline no longer matters.
    FINAL: ClassVar[frozenset[str]] = frozenset(
        {Status.NOT_ELIGIBLE, Status.NOT_RECOMMENDED, Status.DECIDED, Status.WITHDRAWN}
    )
    # The unit may change its nominees and files only while the dossier is with it.
    EDITABLE: ClassVar[frozenset[str]] = frozenset({Status.DRAFT, Status.RETURNED})

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.PROTECT, related_name="nominations"
    )
    unit = models.ForeignKey(
        "organizations.Unit",
        on_delete=models.PROTECT,
        related_name="nominations",
        verbose_name="đơn vị đề nghị",
    )
    award_type = models.ForeignKey(AwardType, on_delete=models.PROTECT, related_name="nominations")
    route = models.CharField("thủ tục", max_length=16, choices=Route, default=Route.FULL)
    status = models.CharField("trạng thái", max_length=24, choices=Status, default=Status.DRAFT)
    rule = models.ForeignKey(
        AwardRule, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    appraisal_due = models.DateField("hạn thẩm định", null=True, blank=True)
    review_note = models.TextField("ý kiến thẩm định", blank=True)
    head_note = models.TextField("ý kiến của thủ trưởng đơn vị khi trả lại", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "hồ sơ đề nghị khen thưởng"
        verbose_name_plural = "hồ sơ đề nghị khen thưởng"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "pending_unit_approval", "withdrawn"])
                | Q(submitted_at__isnull=False),
                name="nomination_submitted_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.award_type} – {self.unit}"

    def can_move_to(self, to: str) -> bool:
        return can_move(self.TRANSITIONS, self.status, to)

    @property
    def is_editable(self) -> bool:
        """Nominees and files may change (the dossier is with its unit)."""
        return self.status in self.EDITABLE

    @property
    def can_be_deleted(self) -> bool:
        """A draft that never reached Phòng Nội vụ."""
        return self.status == self.Status.DRAFT and self.submitted_at is None

    @property
    def can_be_submitted(self) -> bool:
        return self.can_move_to(self.Status.SUBMITTED)

    @property
    def can_be_sent_for_approval(self) -> bool:
        return self.can_move_to(self.Status.PENDING_UNIT_APPROVAL)

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def in_appraisal(self) -> bool:
        return self.status == self.Status.UNDER_APPRAISAL

    @property
    def is_not_recommended(self) -> bool:
        """The council recommended none of its nominees: final."""
        return self.status == self.Status.NOT_RECOMMENDED

    @property
    def awaits_head(self) -> bool:
        return self.status == self.Status.PENDING_UNIT_APPROVAL

    @property
    def can_be_received(self) -> bool:
        return self.can_move_to(self.Status.UNDER_APPRAISAL)

    @property
    def can_be_appraised(self) -> bool:
        return self.can_move_to(self.Status.ELIGIBLE)


class Nominee(models.Model):
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="nominees")
    subject = models.CharField("đối tượng", max_length=16, choices=Subject)
    unit = models.ForeignKey(
        "organizations.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="tập thể",
    )
    person = models.ForeignKey(
        "organizations.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nominations",
        verbose_name="cá nhân",
    )
    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nominations",
        verbose_name="hộ gia đình",
    )
    position = models.PositiveIntegerField(default=0)
    achievements = models.TextField("tóm tắt thành tích", blank=True)
    # A household's contribution (công sức, đất đai, tài sản), what it was and what it is worth.
    contribution_kind = models.CharField(
        "hình thức đóng góp", max_length=16, choices=ContributionKind, blank=True
    )
    contribution = models.TextField("nội dung đóng góp", blank=True)
    contribution_value = models.DecimalField(
        "giá trị quy đổi (đồng)", max_digits=15, decimal_places=0, null=True, blank=True
    )

    class Meta:
        ordering = ["nomination", "position"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        subject="collective",
                        unit__isnull=False,
                        person__isnull=True,
                        household__isnull=True,
                    )
                    | Q(
                        subject="individual",
                        person__isnull=False,
                        unit__isnull=True,
                        household__isnull=True,
                    )
                    | Q(
                        subject="household",
                        household__isnull=False,
                        unit__isnull=True,
                        person__isnull=True,
                    )
                ),
                name="nominee_subject_matches",
            ),
            models.CheckConstraint(
                condition=Q(subject="household") | Q(contribution_kind=""),
                name="nominee_contribution_of_household",
            ),
            # One line per subject: a person or a collective twice in one tờ trình is refused.
            models.UniqueConstraint(
                fields=["nomination", "person"],
                condition=Q(person__isnull=False),
                name="nominee_person_once",
            ),
            models.UniqueConstraint(
                fields=["nomination", "unit"],
                condition=Q(unit__isnull=False),
                name="nominee_unit_once",
            ),
            models.UniqueConstraint(
                fields=["nomination", "household"],
                condition=Q(household__isnull=False),
                name="nominee_household_once",
            ),
        ]

    def __str__(self) -> str:
        return str(self.person or self.unit or self.household)


class DossierDocument(models.Model):
    """One version of a dossier file. Replacing a file adds a version (``previous`` links back);
    replaced and removed versions are retired, never deleted, so the history keeps them."""

    class Retired(models.TextChoices):
        REPLACED = "replaced", "Đã được thay thế"
        REMOVED = "removed", "Đã gỡ khỏi hồ sơ"

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="documents")
    nominee = models.ForeignKey(
        Nominee, on_delete=models.SET_NULL, null=True, blank=True, related_name="documents"
    )
    kind = models.CharField("loại tài liệu", max_length=24, choices=DocumentKind)
    file = models.FileField(upload_to="dossiers/", max_length=255)
    thumbnail = models.FileField(upload_to="dossiers/", max_length=255, blank=True)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    pages = models.PositiveIntegerField("số trang", null=True, blank=True)  # PDF only
    version = models.PositiveSmallIntegerField("lần", default=1)
    previous = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next_version"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    retired = models.CharField(max_length=16, choices=Retired, blank=True)
    retired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["nomination", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(retired="", retired_at__isnull=True)
                | (~Q(retired="") & Q(retired_at__isnull=False)),
                name="dossier_document_retired_has_time",
            ),
        ]
        indexes = [  # serves the dossier's current file list and its completeness check
            models.Index(fields=["nomination"], condition=Q(retired=""), name="dossier_current"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_name}"

    @property
    def is_current(self) -> bool:
        return not self.retired

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"


class AppraisalRound(models.Model):
    """One pass of Nội vụ over a dossier; returns and re-submissions each leave a round."""

    class Outcome(models.TextChoices):
        RETURNED = "returned", "Trả lại để bổ sung"
        ELIGIBLE = "eligible", "Đủ điều kiện"
        NOT_ELIGIBLE = "not_eligible", "Không đủ điều kiện"

    # What the appraisal page asks Nội vụ to check (docs/domain.md §8.3), stored in `checklist`
    CHECKS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("ho_so_day_du", "Hồ sơ đủ thành phần theo quy định"),
        ("tieu_chuan", "Đạt tiêu chuẩn khen thưởng"),
        ("khong_trung", "Không trùng, không vượt số lượng"),
    )

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="appraisals")
    number = models.PositiveIntegerField()
    outcome = models.CharField(max_length=16, choices=Outcome)
    checklist = models.JSONField(default=dict)
    note = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["nomination", "number"]
        constraints = [
            models.UniqueConstraint(fields=["nomination", "number"], name="appraisal_round_unique")
        ]

    def __str__(self) -> str:
        return f"Lần {self.number}: {self.get_outcome_display()}"

    @property
    def checked_labels(self) -> list[str]:
        """The checks ticked in this round, as the page named them."""
        return [label for key, label in self.CHECKS if self.checklist.get(key)]

    @classmethod
    def every_check(cls) -> dict[str, bool]:
        """A checklist with every check ticked (what a clean "Đủ điều kiện" carries)."""
        return {key: True for key, _ in cls.CHECKS}
