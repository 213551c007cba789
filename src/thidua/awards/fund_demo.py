"""The reward fund of the demo: the city's fund of 2022 with its budget allocation, a gift from
another source, and the prizes of the signed decision of 30/12/2022, some of them paid."""

from datetime import date

from django.conf import settings
from django.urls import reverse

from thidua.accounts.models import User
from thidua.awards import fund
from thidua.awards.fund_models import FundEntry, PrizePayment
from thidua.organizations.models import Unit

YEAR = 2022
PAID = 2  # how many of the decision's prizes are paid in the demo


def load() -> None:
    city = Unit.objects.filter(code="TPBN").first()
    office = User.objects.filter(username="noivu").first()
    if city is None or office is None:
        return
    current = fund.fund_of(city, YEAR)
    if current is None or not current.entries.exists():
        fund.fund_entry_add(
            actor=office,
            issuer=city,
            year=YEAR,
            kind=FundEntry.Kind.BUDGET,
            entry_date=date(YEAR, 1, 14),
            amount=60_000_000,
            content="Dự toán kinh phí thi đua, khen thưởng năm 2022 được giao",
            voucher="125/QĐ-UBND",
        )
        fund.fund_entry_add(
            actor=office,
            issuer=city,
            year=YEAR,
            kind=FundEntry.Kind.OTHER_INCOME,
            entry_date=date(YEAR, 9, 5),
            amount=5_000_000,
            content="Công ty Cổ phần Kinh Bắc ủng hộ Quỹ thi đua, khen thưởng thành phố",
            voucher="PT-018",
        )
        fund.fund_entry_add(
            actor=office,
            issuer=city,
            year=YEAR,
            kind=FundEntry.Kind.OTHER_EXPENSE,
            entry_date=date(YEAR, 12, 28),
            amount=1_200_000,
            content="In phôi Giấy khen, mua khung Giấy khen",
            voucher="PC-102",
        )
    pending = PrizePayment.objects.filter(
        fund__issuer=city, fund__year=YEAR, status=PrizePayment.Status.PENDING
    ).order_by("record__number")
    if not PrizePayment.objects.filter(fund__issuer=city, status=PrizePayment.Status.PAID).exists():
        for i, payment in enumerate(pending[:PAID], start=1):
            fund.prize_payment_pay(
                actor=office, payment=payment, paid_on=date(YEAR, 12, 30), voucher=f"PC-{110 + i}"
            )


def instructions() -> list[str]:
    return [
        "Quỹ thi đua, khen thưởng thành phố năm 2022 (sổ quỹ, tiền thưởng chờ chi và đã chi): "
        "noivu hoặc lanhdao → Sổ vàng → Quỹ thi đua, khen thưởng:",
        f"  {settings.SITE_URL}{reverse('awards:fund')}?nam=2022",
    ]
