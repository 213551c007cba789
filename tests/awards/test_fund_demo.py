import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from thidua import demo
from thidua.awards import fund
from thidua.awards.fund_models import PrizePayment
from thidua.organizations.models import Unit

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def test_demo_city_fund_has_budget_and_the_signed_decisions_prizes(settings):
    settings.THIDUA_TOTP_REQUIRED = False
    call_command("demo_load", stdout=io.StringIO())
    summary = fund.fund_summary(Unit.objects.get(code="TPBN"), 2022)
    assert summary.budget == 60_000_000
    payments = PrizePayment.objects.filter(fund=summary.fund)
    assert payments.count() == 4  # the decision of 30/12/2022: two wards, two people
    assert {p.amount for p in payments} == {900_000, 450_000}  # 1.490.000 đ × 0,6 / × 0,3
    assert payments.filter(status="paid").count() == 2
    assert summary.balance == 65_000_000 - 1_200_000 - 1_800_000
    client = Client()
    client.post(reverse("accounts:login"), {"username": "noivu", "password": demo.DEMO_PASSWORD})
    page = client.get(reverse("awards:fund"), {"nam": 2022}).content.decode()
    assert "62.000.000 đ" in page
    assert "Quỹ thi đua, khen thưởng" in "\n".join(demo.login_lines())
