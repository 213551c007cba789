"""The reward fund (quỹ thi đua, khen thưởng): the base salary over time, one ledger per issuer
and year, its income and expense entries, and the prize payment of each award granted.

Imported by awards/models/__init__.py, so Django registers these models in the awards app.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class BaseSalary(models.Model):
    """Mức lương cơ sở from a date on (a Government decree sets it); prize amounts use the one
    in force on the decision's date."""

    amount = models.PositiveIntegerField("mức lương cơ sở (đồng/tháng)")
    effective_from = models.DateField("áp dụng từ ngày", unique=True)
    legal_basis = models.CharField("văn bản quy định", max_length=255, blank=True)

    class Meta:
        verbose_name = "mức lương cơ sở"
        verbose_name_plural = "mức lương cơ sở"
        ordering = ["-effective_from"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="base_salary_positive")
        ]

    def __str__(self) -> str:
        return f"{self.amount} từ {self.effective_from:%d/%m/%Y}"


class RewardFund(models.Model):
    """The fund of one issuer (the administrative unit that signs award decisions) in one year."""

    issuer = models.ForeignKey(
        "organizations.Unit", on_delete=models.PROTECT, related_name="reward_funds"
    )
    year = models.PositiveSmallIntegerField("năm")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "quỹ thi đua, khen thưởng"
        verbose_name_plural = "quỹ thi đua, khen thưởng"
        constraints = [
            models.UniqueConstraint(fields=["issuer", "year"], name="reward_fund_once_per_year")
        ]

    def __str__(self) -> str:
        return f"Quỹ {self.year} ({self.issuer_id})"


class PrizePayment(models.Model):
    """The prize money (tiền thưởng) of one award: the base salary in force on the decision's
    date × the award kind's coefficient for the subject, rounded up to ten thousand đồng."""

    class Status(models.TextChoices):
        PENDING = "pending", "Chờ chi"
        PAID = "paid", "Đã chi"
        CANCELLED = "cancelled", "Không chi (khen thưởng đã thu hồi)"

    fund = models.ForeignKey(RewardFund, on_delete=models.PROTECT, related_name="payments")
    decision = models.ForeignKey(
        "awards.Decision", on_delete=models.PROTECT, related_name="prize_payments"
    )
    record = models.OneToOneField(
        "awards.AwardRecord", on_delete=models.PROTECT, related_name="prize_payment"
    )
    base_salary = models.PositiveIntegerField("mức lương cơ sở")
    coefficient = models.DecimalField("hệ số", max_digits=6, decimal_places=2)
    amount = models.PositiveBigIntegerField("số tiền (đồng)")
    status = models.CharField(max_length=16, choices=Status, default=Status.PENDING)
    paid_on = models.DateField("ngày chi", null=True, blank=True)
    voucher = models.CharField("số chứng từ", max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "tiền thưởng"
        verbose_name_plural = "tiền thưởng"
        ordering = ["fund", "decision", "record__number"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="paid") | Q(paid_on__isnull=False),
                name="prize_payment_paid_has_date",
            )
        ]
        indexes = [  # serves the list of payments to be made of a fund
            models.Index(fields=["fund", "status"], name="prize_payment_fund_status")
        ]

    def __str__(self) -> str:
        return f"Tiền thưởng {self.record_id}: {self.amount}"

    @property
    def is_paid(self) -> bool:
        return self.status == self.Status.PAID

    @property
    def is_due(self) -> bool:
        """Still to be paid."""
        return self.status == self.Status.PENDING


class FundEntry(models.Model):
    """One line of the fund's ledger: money in (budget allocation, other sources) or out (a prize
    paid, another expense)."""

    class Kind(models.TextChoices):
        BUDGET = "budget", "Dự toán ngân sách được giao"
        OTHER_INCOME = "other_income", "Thu từ nguồn khác"
        PRIZE = "prize", "Chi tiền thưởng"
        OTHER_EXPENSE = "other_expense", "Chi khác"

    INCOME = (Kind.BUDGET, Kind.OTHER_INCOME)

    fund = models.ForeignKey(RewardFund, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField("loại", max_length=16, choices=Kind)
    entry_date = models.DateField("ngày")
    amount = models.PositiveBigIntegerField("số tiền (đồng)")
    content = models.CharField("nội dung", max_length=500)
    voucher = models.CharField("số chứng từ, văn bản", max_length=64, blank=True)
    payment = models.OneToOneField(
        PrizePayment, on_delete=models.PROTECT, null=True, blank=True, related_name="entry"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "khoản thu, chi của quỹ"
        verbose_name_plural = "khoản thu, chi của quỹ"
        ordering = ["entry_date", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="fund_entry_positive"),
            models.CheckConstraint(
                condition=Q(kind="prize", payment__isnull=False)
                | (~Q(kind="prize") & Q(payment__isnull=True)),
                name="fund_entry_prize_has_payment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} ({self.entry_date:%d/%m/%Y})"

    @property
    def is_income(self) -> bool:
        return self.kind in self.INCOME


class FundShortfall(models.Model):
    """A decision signed although the fund could not pay its prizes: the signer's reason."""

    decision = models.OneToOneField(
        "awards.Decision", on_delete=models.PROTECT, related_name="fund_shortfall"
    )
    fund = models.ForeignKey(RewardFund, on_delete=models.PROTECT, related_name="shortfalls")
    required = models.PositiveBigIntegerField("tiền thưởng của quyết định")
    available = models.BigIntegerField("quỹ còn có thể chi")
    reason = models.TextField("lý do vẫn ký")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "ký khi quỹ không đủ"
        verbose_name_plural = "ký khi quỹ không đủ"

    def __str__(self) -> str:
        return f"{self.decision_id}: {self.reason[:40]}"
