"""The reward fund (quỹ thi đua, khen thưởng): prize amounts, the
ledger's figures, and one service per change (income or expense added, prizes to pay created
when a decision is signed, a prize paid, a shortfall accepted by the signer).

Amounts (Nghị định 98/2023/NĐ-CP, nguyên tắc tính tiền thưởng; Nghị định 91/2017/NĐ-CP Điều 68
before): the base salary in force on the decision's date × the coefficient of the award kind
in the rule in force that day, rounded *up* to the ten thousand đồng. docs/domain.md, "Reward
fund", lists the sources and what is unsure.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum

from thidua.accounts.models import User
from thidua.awards.award_rules import rule_in_force
from thidua.awards.fund_models import (
    BaseSalary,
    FundEntry,
    FundShortfall,
    PrizePayment,
    RewardFund,
)
from thidua.awards.fund_rules import can_keep_fund
from thidua.awards.models import AwardRecord, AwardRule, Decision, Subject
from thidua.core.clock import today_local
from thidua.core.services import action_log_record
from thidua.core.text import vn_thousands
from thidua.organizations.models import Unit
from thidua.organizations.rules import AnyUser

ROUNDING = 10_000  # "làm tròn số lên hàng chục nghìn đồng"
MANUAL_KINDS = (FundEntry.Kind.BUDGET, FundEntry.Kind.OTHER_INCOME, FundEntry.Kind.OTHER_EXPENSE)


def dong(amount: int) -> str:
    """1800000 → "1.800.000 đ"."""
    return f"{vn_thousands(amount)} đ"


# --------------------------------------------------------------------------- amounts


def base_salary_on(day: date) -> BaseSalary | None:
    return BaseSalary.objects.filter(effective_from__lte=day).order_by("-effective_from").first()


def coefficient_of(rule: AwardRule, subject: str) -> Decimal | None:
    by_subject: dict[str, Decimal | None] = {
        Subject.INDIVIDUAL: rule.prize_individual,
        Subject.COLLECTIVE: rule.prize_collective,
        Subject.HOUSEHOLD: rule.prize_household,
    }
    return by_subject.get(subject)


def prize_amount(base_salary: int, coefficient: Decimal) -> int:
    """Base salary × coefficient, rounded up to the ten thousand đồng."""
    tens = (Decimal(base_salary) * coefficient / ROUNDING).to_integral_value(ROUND_CEILING)
    return int(tens) * ROUNDING


@dataclass(frozen=True)
class Prize:
    subject: str
    base_salary: int
    coefficient: Decimal
    amount: int


def prizes_for(decision: Decision, day: date, subjects: list[str]) -> list[Prize | None]:
    """The prize of each subject of a grant dated `day` (None: no prize money for it)."""
    if decision.kind != Decision.Kind.GRANT:
        return [None for _ in subjects]
    salary = base_salary_on(day)
    try:
        rule = rule_in_force(decision.award_type, day)
    except ValidationError:
        return [None for _ in subjects]
    result: list[Prize | None] = []
    for subject in subjects:
        coefficient = coefficient_of(rule, subject)
        if salary is None or coefficient is None or coefficient <= 0:
            result.append(None)
        else:
            amount = prize_amount(salary.amount, coefficient)
            result.append(Prize(subject, salary.amount, coefficient, amount))
    return result


# --------------------------------------------------------------------------- figures


@dataclass(frozen=True)
class Summary:
    issuer: Unit
    year: int
    fund: RewardFund | None
    budget: int = 0
    other_income: int = 0
    prizes_paid: int = 0
    other_expense: int = 0
    pending: int = 0
    pending_count: int = 0

    @property
    def income(self) -> int:
        return self.budget + self.other_income

    @property
    def expense(self) -> int:
        return self.prizes_paid + self.other_expense

    @property
    def balance(self) -> int:
        return self.income - self.expense

    @property
    def available(self) -> int:
        """What is left once the prizes to be made are paid."""
        return self.balance - self.pending

    @property
    def keeps_ledger(self) -> bool:
        """Whether Nội vụ keeps this fund in the system (it has recorded some income)."""
        return self.income > 0


def fund_of(issuer: Unit, year: int) -> RewardFund | None:
    return RewardFund.objects.filter(issuer=issuer, year=year).first()


def fund_summary(issuer: Unit, year: int) -> Summary:
    """The fund's totals in two queries (none when there is no fund yet)."""
    fund = fund_of(issuer, year)
    if fund is None:
        return Summary(issuer, year, None)
    totals = dict(
        fund.entries.values_list("kind").annotate(total=Sum("amount")).values_list("kind", "total")
    )
    pending = fund.payments.filter(status=PrizePayment.Status.PENDING).aggregate(
        total=Sum("amount"), count=Count("pk")
    )
    return Summary(
        issuer,
        year,
        fund,
        budget=totals.get(FundEntry.Kind.BUDGET, 0),
        other_income=totals.get(FundEntry.Kind.OTHER_INCOME, 0),
        prizes_paid=totals.get(FundEntry.Kind.PRIZE, 0),
        other_expense=totals.get(FundEntry.Kind.OTHER_EXPENSE, 0),
        pending=pending["total"] or 0,
        pending_count=pending["count"] or 0,
    )


def entry_list(fund: RewardFund | None) -> QuerySet[FundEntry]:
    if fund is None:
        return FundEntry.objects.none()
    return fund.entries.select_related("payment__record", "payment__decision__number").order_by(
        "entry_date", "pk"
    )


def with_running_balance(
    fund: RewardFund | None, entries: list[FundEntry]
) -> list[tuple[FundEntry, int]]:
    """Each entry with the balance after it (sổ quỹ: "tồn"); one query for the balance before
    the first of them (a later page starts where the previous one ended)."""
    if fund is None or not entries:
        return []
    first = entries[0]
    before = fund.entries.filter(
        Q(entry_date__lt=first.entry_date) | Q(entry_date=first.entry_date, pk__lt=first.pk)
    ).aggregate(
        income=Sum("amount", filter=Q(kind__in=FundEntry.INCOME)),
        expense=Sum("amount", filter=~Q(kind__in=FundEntry.INCOME)),
    )
    balance = (before["income"] or 0) - (before["expense"] or 0)
    rows = []
    for entry in entries:
        balance += entry.amount if entry.is_income else -entry.amount
        rows.append((entry, balance))
    return rows


def payment_list(fund: RewardFund | None, status: str | None = None) -> QuerySet[PrizePayment]:
    if fund is None:
        return PrizePayment.objects.none()
    qs = fund.payments.all() if status is None else fund.payments.filter(status=status)
    return qs.select_related("record__award_type", "decision__number").order_by(
        "decision__signed_on", "decision_id", "record__number"
    )


def payment_for(*, actor: AnyUser, pk: int) -> PrizePayment | None:
    """A payment of a fund the actor keeps."""
    payment = (
        PrizePayment.objects.select_related("fund", "decision", "record").filter(pk=pk).first()
    )
    if payment is None or not can_keep_fund(actor, payment.fund.issuer_id):
        return None
    return payment


@dataclass(frozen=True)
class FundCheck:
    """Whether the issuer's fund of the signing year can pay a decision's prizes."""

    summary: Summary
    required: int
    prizes: int  # how many awards of the decision carry prize money

    @property
    def short(self) -> bool:
        return self.summary.keeps_ledger and self.required > self.summary.available

    @property
    def missing(self) -> int:
        return max(self.required - self.summary.available, 0)


def fund_check(decision: Decision, day: date) -> FundCheck:
    subjects = list(decision.lines.values_list("subject", flat=True))
    prizes = [p for p in prizes_for(decision, day, subjects) if p is not None]
    return FundCheck(
        fund_summary(decision.issuer, day.year), sum(p.amount for p in prizes), len(prizes)
    )


# --------------------------------------------------------------------------- writes


def _fund_locked(issuer: Unit, year: int) -> RewardFund:
    """The fund row, created on first use and locked: writers of one fund go one at a time,
    so two payments cannot both spend the last of the balance."""
    fund, _ = RewardFund.objects.get_or_create(issuer=issuer, year=year)
    return RewardFund.objects.select_for_update().get(pk=fund.pk)


def fund_entry_add(
    *,
    actor: User,
    issuer: Unit,
    year: int,
    kind: str,
    entry_date: date,
    amount: int,
    content: str,
    voucher: str = "",
) -> FundEntry:
    """Nội vụ records a budget allocation, other income, or an expense other than a prize."""
    if not can_keep_fund(actor, issuer.pk):
        raise PermissionDenied
    if kind not in MANUAL_KINDS:
        raise ValidationError("Loại khoản thu, chi không hợp lệ.")
    problems = []
    if amount <= 0:
        problems.append("Số tiền phải lớn hơn 0.")
    if entry_date.year != year:
        problems.append(f"Ngày ghi sổ phải thuộc năm {year}.")
    if entry_date > today_local():
        problems.append("Ngày ghi sổ không được sau ngày hôm nay.")
    if not content.strip():
        problems.append("Cần ghi nội dung.")
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        fund = _fund_locked(issuer, year)
        if kind == FundEntry.Kind.OTHER_EXPENSE:
            balance = fund_summary(issuer, year).balance
            if amount > balance:
                raise ValidationError(
                    f"Số dư của quỹ ({dong(balance)}) không đủ để chi {dong(amount)}."
                )
        entry = FundEntry.objects.create(
            fund=fund,
            kind=kind,
            entry_date=entry_date,
            amount=amount,
            content=content.strip(),
            voucher=voucher.strip(),
            created_by=actor,
        )
        action_log_record(
            actor=actor,
            action="awards.fund.entry_added",
            target=fund,
            data={
                "kind": kind,
                "amount": amount,
                "date": entry_date.isoformat(),
                "voucher": voucher,
            },
        )
    return entry


def fund_shortfall_check(*, actor: User, decision: Decision, day: date, reason: str = "") -> None:
    """Before a decision is signed: refuse when the fund kept in the system cannot pay its
    prizes, unless the signer gives a reason, which is stored and logged. Runs inside the
    signing transaction."""
    # Lock the year's fund (when there is one) until the signing commits: two decisions signed
    # at once cannot both count the same money.
    list(RewardFund.objects.select_for_update().filter(issuer=decision.issuer, year=day.year))
    check = fund_check(decision, day)
    if not check.short:
        return
    if not reason.strip():
        raise ValidationError(
            f"Quỹ thi đua, khen thưởng năm {day.year} không đủ chi tiền thưởng của quyết định "
            f"này: cần {dong(check.required)}, quỹ còn có thể chi "
            f"{dong(check.summary.available)} (thiếu {dong(check.missing)}). Muốn vẫn ký, "
            "hãy ghi lý do.",
            code="fund_short",
        )
    fund = _fund_locked(decision.issuer, day.year)
    FundShortfall.objects.update_or_create(
        decision=decision,
        defaults={
            "fund": fund,
            "required": check.required,
            "available": check.summary.available,
            "reason": reason.strip(),
            "by": actor,
        },
    )
    action_log_record(
        actor=actor,
        action="awards.fund.shortfall_accepted",
        target=decision,
        data={
            "required": check.required,
            "available": check.summary.available,
            "note": reason.strip(),  # the history panel shows a "note"
        },
    )


def prize_payments_create(*, actor: User, decision: Decision) -> list[PrizePayment]:
    """When a grant becomes final: one payment to be made per award that carries prize money,
    computed on the signing date. Safe to repeat (one payment per award)."""
    if decision.kind != Decision.Kind.GRANT or decision.signed_on is None:
        return []
    day = decision.signed_on
    records = list(
        AwardRecord.objects.filter(
            decision=decision, status=AwardRecord.Status.VALID, prize_payment__isnull=True
        ).order_by("number")
    )
    prizes = prizes_for(decision, day, [r.subject for r in records])
    chosen = [(r, p) for r, p in zip(records, prizes, strict=True) if p is not None]
    if not chosen:
        return []
    fund = _fund_locked(decision.issuer, day.year)
    made = PrizePayment.objects.bulk_create(
        PrizePayment(
            fund=fund,
            decision=decision,
            record=record,
            base_salary=prize.base_salary,
            coefficient=prize.coefficient,
            amount=prize.amount,
        )
        for record, prize in chosen
    )
    action_log_record(
        actor=actor,
        action="awards.fund.payments_created",
        target=fund,
        data={
            "decision": decision.reference,
            "count": len(made),
            "amount": sum(p.amount for p in made),
            "base_salary": chosen[0][1].base_salary,
        },
    )
    return made


def prize_payments_cancel(*, actor: User, records: list[int], decision: Decision) -> int:
    """A revoking decision: the prizes of the revoked awards not paid yet are not paid."""
    cancelled = PrizePayment.objects.filter(
        record_id__in=records, status=PrizePayment.Status.PENDING
    )
    ids = list(cancelled.values_list("pk", flat=True))
    if ids:
        PrizePayment.objects.filter(pk__in=ids).update(status=PrizePayment.Status.CANCELLED)
        action_log_record(
            actor=actor,
            action="awards.fund.payments_cancelled",
            target=decision,
            data={"payments": ids},
        )
    return len(ids)


def prize_payments_follow(
    *, actor: User, replaced: dict[int, AwardRecord], decision: Decision
) -> int:
    """An amending decision: a prize not paid yet follows the corrected award to its new
    registry entry (`replaced`: old record id → new record), so it is paid under the corrected
    name and a later revocation of that entry cancels it."""
    moved = 0
    for payment in PrizePayment.objects.filter(
        record_id__in=list(replaced), status=PrizePayment.Status.PENDING
    ):
        payment.record = replaced[payment.record_id]
        payment.save(update_fields=["record"])
        moved += 1
    if moved:
        action_log_record(
            actor=actor,
            action="awards.fund.payments_moved",
            target=decision,
            data={"records": {str(old): new.pk for old, new in replaced.items()}},
        )
    return moved


def prize_payment_pay(
    *, actor: User, payment: PrizePayment, paid_on: date, voucher: str
) -> PrizePayment:
    """Nội vụ records a prize as paid (its date and voucher): an expense in the ledger."""
    if not can_keep_fund(actor, payment.fund.issuer_id):
        raise PermissionDenied
    with transaction.atomic():
        fund = RewardFund.objects.select_for_update().get(pk=payment.fund_id)
        p = PrizePayment.objects.select_related("record", "decision__number").get(pk=payment.pk)
        if p.status == PrizePayment.Status.PAID:
            return p  # double click
        if p.status != PrizePayment.Status.PENDING:
            raise ValidationError("Khoản tiền thưởng này không còn phải chi.")
        problems = []
        if not voucher.strip():
            problems.append("Cần ghi số chứng từ chi.")
        if p.decision.signed_on and paid_on < p.decision.signed_on:
            problems.append("Ngày chi không được trước ngày ký quyết định.")
        if paid_on > today_local():
            problems.append("Ngày chi không được sau ngày hôm nay.")
        summary = fund_summary(fund.issuer, fund.year)
        if summary.keeps_ledger and p.amount > summary.balance:
            problems.append(
                f"Số dư của quỹ ({dong(summary.balance)}) không đủ để chi {dong(p.amount)}: "
                "hãy ghi khoản thu bổ sung trước."
            )
        if problems:
            raise ValidationError(problems)
        p.status, p.paid_on, p.voucher = PrizePayment.Status.PAID, paid_on, voucher.strip()
        p.save(update_fields=["status", "paid_on", "voucher"])
        FundEntry.objects.create(
            fund=fund,
            kind=FundEntry.Kind.PRIZE,
            entry_date=paid_on,
            amount=p.amount,
            content=f"Tiền thưởng {p.record.recipient_name} (QĐ {p.decision.reference})"[:500],
            voucher=p.voucher,
            payment=p,
            created_by=actor,
        )
        action_log_record(
            actor=actor,
            action="awards.fund.payment_paid",
            target=p,
            data={"amount": p.amount, "paid_on": paid_on.isoformat(), "voucher": p.voucher},
        )
    return p


def payments_of_decision(decision: Decision) -> QuerySet[PrizePayment]:
    return decision.prize_payments.filter(~Q(status=PrizePayment.Status.CANCELLED))
