"""Award kinds and the rules in force: who an award may go to (Target, Subject), the column it
is counted in on the yearly statistics, the award types, rule sets and each kind's rules."""

from datetime import date

from django.db import models
from django.db.models import F, Q


class Target(models.TextChoices):
    COLLECTIVE = "collective", "Tập thể"
    INDIVIDUAL = "individual", "Cá nhân"
    BOTH = "both", "Tập thể và cá nhân"


class Subject(models.TextChoices):
    """Whom an award goes to: a collective, a person, or a household (hộ gia đình)."""

    COLLECTIVE = "collective", "Tập thể"
    INDIVIDUAL = "individual", "Cá nhân"
    HOUSEHOLD = "household", "Hộ gia đình"


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

    @property
    def certificate_title(self) -> str:
        """What the certificate is called, as printed on it in capitals: the name before
        "của" ("Bằng khen của Chủ tịch UBND tỉnh" → "Bằng khen"; "Giấy khen", "Giấy chứng
        nhận", "Cờ thi đua"…)."""
        return self.name.split(" của ")[0].strip()

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
        from thidua.awards.models.nominations import Nomination  # it points here: no cycle

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
