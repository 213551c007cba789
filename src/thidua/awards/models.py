import uuid
from datetime import date
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from thidua.core.transitions import can_move, moves


class Target(models.TextChoices):
    COLLECTIVE = "collective", "Tập thể"
    INDIVIDUAL = "individual", "Cá nhân"
    BOTH = "both", "Tập thể và cá nhân"


class Subject(models.TextChoices):
    """Whom an award goes to: a collective, a person, or a household (hộ gia đình)."""

    COLLECTIVE = "collective", "Tập thể"
    INDIVIDUAL = "individual", "Cá nhân"
    HOUSEHOLD = "household", "Hộ gia đình"


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


class StatisticsKind(models.TextChoices):
    """The column an award kind is counted in on the yearly statistics to Bộ Nội vụ (forms
    0602/0603 of Thông tư 02/2023/TT-BNV, awards/statistics/). Blank on an award type: read
    from its name."""

    ORDER_MEDAL = "order_medal", "Huân chương, huy chương"
    HO_CHI_MINH_PRIZE = "hcm_prize", "Giải thưởng Hồ Chí Minh"
    STATE_PRIZE = "state_prize", "Giải thưởng Nhà nước"
    STATE_HONOUR = "state_honour", "Danh hiệu vinh dự nhà nước"
    GOVERNMENT_FLAG = "government_flag", "Cờ thi đua của Chính phủ"
    PRIME_MINISTER_MERIT = "pm_merit", "Bằng khen của Thủ tướng Chính phủ"
    NATIONAL_EMULATION_FIGHTER = "national_fighter", "Chiến sĩ thi đua toàn quốc"
    MERIT = "merit", "Bằng khen (bộ, ban, ngành, tỉnh)"
    PROVINCIAL_EMULATION_FIGHTER = "provincial_fighter", "Chiến sĩ thi đua cấp bộ, cấp tỉnh"
    EMULATION_FLAG = "emulation_flag", "Cờ thi đua (bộ, ban, ngành, tỉnh)"
    BADGE = "badge", "Huy hiệu, kỷ niệm chương"
    COMMENDATION = "commendation", "Giấy khen"
    GRASSROOTS_EMULATION_FIGHTER = "grassroots_fighter", "Chiến sĩ thi đua cơ sở"
    OTHER = "other", "Hình thức khác"


class AwardType(models.Model):
    """Bằng khen Chủ tịch UBND tỉnh, Giấy khen Chủ tịch UBND thành phố, and what admins add."""

    class Level(models.TextChoices):
        STATE = "state", "Cấp Nhà nước"
        MINISTRY = "ministry", "Cấp bộ, ban, ngành, đoàn thể Trung ương"
        PROVINCE = "province", "Cấp tỉnh"
        DISTRICT = "district", "Cấp huyện, thành phố"
        COMMUNE = "commune", "Cấp xã, phường"

    code = models.CharField("mã", max_length=32, unique=True)
    name = models.CharField("tên hình thức", max_length=255)
    level = models.CharField("cấp khen thưởng", max_length=16, choices=Level)
    signer_title = models.CharField("thẩm quyền", max_length=255)  # "Chủ tịch UBND thành phố"
    target = models.CharField("đối tượng", max_length=16, choices=Target, default=Target.BOTH)
    is_thematic = models.BooleanField(
        "khen theo chuyên đề (không tính để xét danh hiệu cao hơn)", default=True
    )
    allows_households = models.BooleanField("khen thưởng hộ gia đình", default=False)
    statistics_kind = models.CharField(
        "cột thống kê (Thông tư 02/2023/TT-BNV)",
        max_length=24,
        choices=StatisticsKind,
        blank=True,
        help_text="Để trống: xác định theo tên hình thức.",
    )

    class Meta:
        verbose_name = "hình thức khen thưởng"
        verbose_name_plural = "hình thức khen thưởng"

    def __str__(self) -> str:
        return self.name

    def allows(self, subject: str) -> bool:
        if subject == Subject.HOUSEHOLD:
            return self.allows_households
        return self.target in {Target.BOTH, subject}


class RuleSet(models.Model):
    """The award law in force over a period (quy định khen thưởng): the legal bases a decision
    cites, the council's quorum, a note on what is unsure, and one AwardRule per award kind.
    Periods never overlap; Nội vụ edits them on the staff page (awards/rule_views.py)."""

    name = models.CharField("tên quy định", max_length=255)
    effective_from = models.DateField("áp dụng từ ngày")
    effective_to = models.DateField("áp dụng đến hết ngày", null=True, blank=True)
    legal_bases = models.TextField("căn cứ pháp lý (mỗi dòng một căn cứ)", blank=True)
    # Quorum as a fraction of the whole council, like CouncilSession's (e.g. two thirds).
    quorum_numerator = models.PositiveSmallIntegerField("số thành viên tối thiểu: tử số", default=2)
    quorum_denominator = models.PositiveSmallIntegerField("mẫu số", default=3)
    note = models.TextField("ghi chú (điểm chưa chắc chắn, cần đối chiếu)", blank=True)
    version = models.PositiveIntegerField(default=1)  # optimistic lock for the edit page
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "bộ quy định khen thưởng"
        verbose_name_plural = "bộ quy định khen thưởng"
        ordering = ["-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                name="ruleset_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(quorum_denominator__gte=1)
                & Q(quorum_numerator__lte=F("quorum_denominator")),
                name="ruleset_quorum_fraction",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def covers(self, day: date) -> bool:
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )

    @property
    def period(self) -> str:
        end = f"{self.effective_to:%d/%m/%Y}" if self.effective_to else "nay"
        return f"{self.effective_from:%d/%m/%Y} – {end}"

    def legal_basis_lines(self) -> list[str]:
        return [line.strip() for line in self.legal_bases.splitlines() if line.strip()]


class AwardRule(models.Model):
    """The rules of an award kind within a RuleSet (or, for rules made before rule sets, alone
    from a date on); a nomination is judged by the rules in force on its submission date and a
    decision cites those in force on its signing date. Rules are data, never constants."""

    award_type = models.ForeignKey(AwardType, on_delete=models.CASCADE, related_name="rules")
    rule_set = models.ForeignKey(
        RuleSet, on_delete=models.CASCADE, null=True, blank=True, related_name="rules"
    )
    # Copied from the rule set by the service, so lookups by date need no join.
    effective_from = models.DateField("áp dụng từ ngày")
    effective_to = models.DateField("áp dụng đến hết ngày", null=True, blank=True)
    decided_by = models.CharField(
        "thẩm quyền quyết định (người ký)", max_length=255, blank=True
    )  # "Chủ tịch UBND cấp xã"; blank: the award type's signer
    legal_basis = models.TextField("căn cứ riêng của hình thức này", blank=True)
    standards = models.TextField("tiêu chuẩn", blank=True)
    full_documents = models.JSONField("hồ sơ (thủ tục thường)", default=list)
    simplified_documents = models.JSONField("hồ sơ (thủ tục đơn giản)", default=list)
    allows_simplified = models.BooleanField("cho phép thủ tục đơn giản", default=False)
    proposer_kinds = models.JSONField(
        "loại đơn vị được đề nghị (trống: mọi đơn vị)", default=list, blank=True
    )
    quota_per_campaign = models.PositiveIntegerField(
        "số lượng tối đa cả phong trào", null=True, blank=True
    )
    quota_per_unit = models.PositiveIntegerField(
        "số lượng tối đa mỗi đơn vị", null=True, blank=True
    )
    council_vote = models.BooleanField("phải bỏ phiếu tại Hội đồng", default=True)
    secret_ballot = models.BooleanField("bỏ phiếu kín", default=True)
    threshold_percent = models.DecimalField(
        "tỷ lệ đồng ý tối thiểu (% tổng số thành viên)", max_digits=5, decimal_places=2, default=50
    )
    processing_working_days = models.PositiveSmallIntegerField(
        "thời hạn thẩm định (ngày làm việc)", default=10
    )
    disclosure_days = models.PositiveSmallIntegerField("số ngày công khai", null=True, blank=True)
    # Prize money as a multiple of the base salary (hệ số mức tiền thưởng), by whom the award
    # goes to; blank: no prize money with this kind (awards/fund.py).
    prize_individual = models.DecimalField(
        "hệ số tiền thưởng: cá nhân", max_digits=6, decimal_places=2, null=True, blank=True
    )
    prize_collective = models.DecimalField(
        "hệ số tiền thưởng: tập thể", max_digits=6, decimal_places=2, null=True, blank=True
    )
    prize_household = models.DecimalField(
        "hệ số tiền thưởng: hộ gia đình", max_digits=6, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = "quy định khen thưởng"
        verbose_name_plural = "quy định khen thưởng"
        ordering = ["award_type", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["award_type", "effective_from"],
                condition=Q(rule_set__isnull=True),
                name="awardrule_one_per_date",
            ),
            models.UniqueConstraint(
                fields=["rule_set", "award_type"], name="awardrule_one_per_set_and_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.award_type} từ {self.effective_from:%d/%m/%Y}"

    def required_documents(self, route: str) -> list[str]:
        return list(
            self.simplified_documents
            if route == Nomination.Route.SIMPLIFIED
            else self.full_documents
        )

    def legal_basis_lines(self) -> list[str]:
        """The rule set's bases, then this kind's own (one per line, or separated by ";")."""
        own = [
            part.strip() for part in self.legal_basis.replace("\n", ";").split(";") if part.strip()
        ]
        common = self.rule_set.legal_basis_lines() if self.rule_set is not None else []
        return common + [line for line in own if line not in common]


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
            Status.COUNCIL_DONE: {Status.IN_COUNCIL},
            Status.DECIDED: {Status.RECOMMENDED, Status.COUNCIL_DONE},
        }
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


class Council(models.Model):
    """Hội đồng Thi đua – Khen thưởng of an issuer, for a term."""

    owner_unit = models.ForeignKey(
        "organizations.Unit", on_delete=models.PROTECT, related_name="councils"
    )
    name = models.CharField("tên hội đồng", max_length=255)
    term_start = models.DateField("nhiệm kỳ từ")
    term_end = models.DateField("nhiệm kỳ đến", null=True, blank=True)

    class Meta:
        verbose_name = "hội đồng thi đua – khen thưởng"
        verbose_name_plural = "hội đồng thi đua – khen thưởng"

    def __str__(self) -> str:
        return self.name


class CouncilMember(models.Model):
    class CouncilRole(models.TextChoices):
        CHAIR = "chair", "Chủ tịch Hội đồng"
        VICE_CHAIR = "vice_chair", "Phó Chủ tịch Hội đồng"
        SECRETARY = "secretary", "Thư ký"
        MEMBER = "member", "Ủy viên"

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="council_seats"
    )
    role = models.CharField(
        "vai trò", max_length=16, choices=CouncilRole, default=CouncilRole.MEMBER
    )
    title = models.CharField("chức vụ", max_length=255, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["council", "user"], name="council_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class CouncilSession(models.Model):
    class Status(models.TextChoices):
        PREPARING = "preparing", "Đang chuẩn bị"
        OPEN = "open", "Đang họp"
        CLOSED = "closed", "Đã kết thúc"

    TRANSITIONS: ClassVar[dict[str, frozenset[str]]] = moves(
        {Status.OPEN: {Status.PREPARING}, Status.CLOSED: {Status.OPEN}}
    )

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="sessions")
    title = models.CharField("nội dung phiên họp", max_length=255)
    held_on = models.DateField("ngày họp")
    starts_at = models.TimeField("giờ họp", null=True, blank=True)
    place = models.CharField("địa điểm", max_length=255, blank=True)
    status = models.CharField(max_length=16, choices=Status, default=Status.PREPARING)
    # Quorum as a fraction of the whole council ("hai phần ba"): exact, no rounding at 66.67 %.
    quorum_numerator = models.PositiveSmallIntegerField(default=2)
    quorum_denominator = models.PositiveSmallIntegerField(default=3)
    members_total = models.PositiveIntegerField(default=0)  # frozen when the session opens
    present_count = models.PositiveIntegerField(default=0)
    quorum_met = models.BooleanField(default=False)
    minutes_number = models.OneToOneField(
        "core.IssuedDocument", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField("kết thúc lúc", null=True, blank=True)

    def __str__(self) -> str:
        return self.title

    @property
    def is_preparing(self) -> bool:
        return self.status == self.Status.PREPARING

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class Attendance(models.Model):
    class Presence(models.TextChoices):
        PRESENT = "present", "Có mặt"
        WRITTEN_OPINION = "written", "Vắng, có ý kiến bằng văn bản"
        ABSENT = "absent", "Vắng"

    class Counting(models.TextChoices):  # ban kiểm phiếu
        NONE = "", "—"
        HEAD = "head", "Trưởng ban kiểm phiếu"
        MEMBER = "member", "Thành viên Ban kiểm phiếu"

    session = models.ForeignKey(CouncilSession, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="+")
    presence = models.CharField(max_length=16, choices=Presence, default=Presence.ABSENT)
    reason = models.CharField("lý do vắng", max_length=255, blank=True)
    counting_role = models.CharField(
        "ban kiểm phiếu", max_length=8, choices=Counting, default=Counting.NONE, blank=True
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.get_presence_display()}"

    @property
    def is_present(self) -> bool:
        return self.presence == self.Presence.PRESENT

    @property
    def sent_written_opinion(self) -> bool:
        return self.presence == self.Presence.WRITTEN_OPINION


class AgendaItem(models.Model):
    """One nominee put to the vote; totals are filled only when the chair closes the vote."""

    class Status(models.TextChoices):
        PENDING = "pending", "Chưa bỏ phiếu"
        VOTING = "voting", "Đang bỏ phiếu"
        CLOSED = "closed", "Đã kiểm phiếu"

    TRANSITIONS: ClassVar[dict[str, frozenset[str]]] = moves(
        {Status.VOTING: {Status.PENDING}, Status.CLOSED: {Status.VOTING}}
    )

    session = models.ForeignKey(CouncilSession, on_delete=models.CASCADE, related_name="items")
    nominee = models.ForeignKey(Nominee, on_delete=models.PROTECT, related_name="agenda_items")
    position = models.PositiveIntegerField(default=0)
    is_secret = models.BooleanField("bỏ phiếu kín", default=True)
    status = models.CharField(max_length=16, choices=Status, default=Status.PENDING)
    threshold_percent = models.DecimalField(max_digits=5, decimal_places=2)
    agree = models.PositiveIntegerField(default=0)
    disagree = models.PositiveIntegerField(default=0)
    abstain = models.PositiveIntegerField(default=0)
    recommended = models.BooleanField(null=True)

    class Meta:
        ordering = ["session", "position"]
        constraints = [
            models.UniqueConstraint(fields=["session", "nominee"], name="agenda_nominee_once")
        ]

    def __str__(self) -> str:
        return f"{self.nominee} ({self.get_status_display()})"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def is_voting(self) -> bool:
        return self.status == self.Status.VOTING

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class Choice(models.TextChoices):
    AGREE = "agree", "Đồng ý"
    DISAGREE = "disagree", "Không đồng ý"
    ABSTAIN = "abstain", "Không biểu quyết"


class BallotCast(models.Model):
    """Who has voted on an item: never what they chose."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="casts")
    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "member"], name="one_ballot_per_member")
        ]

    def __str__(self) -> str:
        return f"Đã bỏ phiếu: {self.member_id} – {self.item_id}"


class SealedBallot(models.Model):
    """A secret ballot while its vote is open: ``seal`` is a random nonce and a keyed MAC of the
    choice (``awards.council``), unreadable without a key held outside the database. Written with
    the voter's BallotCast, so nothing in this row may say what was chosen; the chair's close
    opens every seal and rewrites the choices as shuffled Ballot rows, then deletes these."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="sealed_ballots")
    seal = models.CharField(max_length=96)

    def __str__(self) -> str:
        return "Phiếu kín (niêm phong)"


class Ballot(models.Model):
    """What was chosen, with no voter, no time and a random key, written only when the vote
    closes, all in one transaction and in random order: rows cannot be matched to BallotCast by
    transaction, order, key or timestamp."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="ballots")
    choice = models.CharField(max_length=16, choices=Choice)

    def __str__(self) -> str:
        return "Phiếu kín"  # never reveal a choice in admin lists or logs


class WrittenOpinion(models.Model):
    """An absent member's signed written opinion; not secret, counted as the rules say."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="written_opinions")
    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=16, choices=Choice)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "member"], name="one_opinion_per_member")
        ]

    def __str__(self) -> str:
        return f"Ý kiến bằng văn bản của {self.member}"


class NamedVote(models.Model):
    """A show-of-hands vote, recorded by the secretary, where the rules allow an open vote."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="named_votes")
    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=16, choices=Choice)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "member"], name="one_named_vote_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.get_choice_display()}"


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
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_final(self) -> bool:
        return self.status == self.Status.FINAL

    @property
    def awaits_signature(self) -> bool:
        return self.status == self.Status.AWAITING_SIGNATURE

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


class AwardRecord(models.Model):
    """The award registry (sổ vàng): one row per award granted, numbered per issuer and year.

    Awards granted before the system (imported from the old registry) have no decision, line or
    campaign here; they keep the decision's number and date as text (`legacy_*`)."""

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
    """Per-printer offsets measured on the calibration page, for printing onto phôi."""

    name = models.CharField("tên máy in", max_length=120, unique=True)
    offset_x_mm = models.DecimalField("lệch ngang (mm)", max_digits=5, decimal_places=1, default=0)
    offset_y_mm = models.DecimalField("lệch dọc (mm)", max_digits=5, decimal_places=1, default=0)

    class Meta:
        verbose_name = "máy in"
        verbose_name_plural = "máy in"

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


# The reward fund's models live in their own module (this one is long); importing them here
# registers them in the awards app.
from thidua.awards import fund_models  # noqa: E402, F401
