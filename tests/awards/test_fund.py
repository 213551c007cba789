"""The reward fund: prize amounts from the base salary and coefficient in force on the
decision's date, the ledger's balance, the check before signing, who may see a fund, the pages
and the Excel export."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from tests.conftest import verified_client
from thidua.accounts.models import Role
from thidua.awards import decisions, fund
from thidua.awards import services as awards
from thidua.awards.fund_models import BaseSalary, FundEntry, FundShortfall, PrizePayment
from thidua.awards.law import seed_base_salaries
from thidua.awards.models import AppraisalRound, AwardRule, AwardType, Decision
from thidua.core.models import ActionLog
from thidua.organizations.models import Person


@pytest.fixture
def salaries(db):
    seed_base_salaries(BaseSalary)  # the data migration's, again after a flushed test


@pytest.fixture
def bang_khen(db):
    """An award kind with prize money (1,0 for a person, 2,0 for a collective), no council."""
    award = AwardType.objects.create(
        code="BK-T", name="Bằng khen thử", level="district", signer_title="Chủ tịch"
    )
    AwardRule.objects.create(
        award_type=award,
        effective_from=date(2020, 1, 1),
        council_vote=False,
        full_documents=[],
        prize_individual=Decimal("1.0"),
        prize_collective=Decimal("2.0"),
        prize_household=Decimal("1.0"),
    )
    return award


@pytest.fixture
def chair(make_user, city):
    return make_user(Role.SIGNER, city.city, username="chutich")


def awaiting(campaign, office_user, make_user, city, award, people=1, collectives=()):
    """A decision awaiting signature for `people` persons of Suối Hoa and the `collectives`."""
    officer = make_user(Role.UNIT_OFFICER, city.suoi_hoa)
    n = awards.nomination_create(
        actor=officer, campaign=campaign, unit=city.suoi_hoa, award_type=award
    )
    for i in range(people):
        person = Person.objects.create(
            full_name=f"Nguyễn Văn {chr(65 + i % 26)}{i}",
            gender="male",
            unit=city.suoi_hoa,
            category="civil_servant",
        )
        awards.nominee_add(actor=officer, nomination=n, person=person, achievements="Tốt")
    for unit in collectives:
        awards.nominee_add(actor=officer, nomination=n, unit=unit, achievements="Tốt")
    awards.nomination_submit(actor=make_user(Role.UNIT_HEAD, city.suoi_hoa), nomination=n)
    awards.nomination_receive(actor=office_user, nomination=n)
    awards.nomination_appraise(
        actor=office_user, nomination=n, eligible=True, checklist=AppraisalRound.every_check()
    )
    d = decisions.decision_draft(
        actor=office_user, campaign=campaign, award_type=award, nominees=list(n.nominees.all())
    )
    return decisions.decision_send_for_signature(actor=office_user, decision=d)


def budget(office_user, city, year, amount, day=None):
    return fund.fund_entry_add(
        actor=office_user,
        issuer=city.city,
        year=year,
        kind=FundEntry.Kind.BUDGET,
        entry_date=day or date(year, 1, 15),
        amount=amount,
        content="Dự toán được giao",
        voucher="12/QĐ-UBND",
    )


# --------------------------------------------------------------------------- amounts


def test_prize_is_rounded_up_to_ten_thousand_dong():
    assert fund.prize_amount(2_340_000, Decimal("0.3")) == 710_000  # 702.000 → 710.000
    assert fund.prize_amount(1_490_000, Decimal("0.15")) == 230_000  # 223.500 → 230.000
    assert fund.prize_amount(1_800_000, Decimal("0.3")) == 540_000  # exact: unchanged
    assert fund.prize_amount(1_390_000, Decimal("0.8")) == 1_120_000  # the Ban's own example


def test_shipped_law_has_base_salaries_and_coefficients(salaries):
    assert fund.base_salary_on(date(2019, 6, 30)).amount == 1_390_000
    assert fund.base_salary_on(date(2019, 7, 1)).amount == 1_490_000
    assert fund.base_salary_on(date(2023, 7, 1)).amount == 1_800_000
    assert fund.base_salary_on(date(2024, 7, 1)).amount == 2_340_000


@pytest.mark.parametrize(
    ("signed_on", "person", "collective"),
    [
        (date(2024, 6, 30), 1_800_000, 3_600_000),
        (date(2024, 7, 1), 2_340_000, 4_680_000),
    ],
)
def test_payments_use_the_base_salary_in_force_on_the_decision_date(
    salaries,
    campaign,
    office_user,
    make_user,
    city,
    bang_khen,
    chair,
    signed_on,
    person,
    collective,
):
    d = awaiting(campaign, office_user, make_user, city, bang_khen, collectives=[city.suoi_hoa])
    d = decisions.decision_approve(actor=chair, decision=d, signed_on=signed_on)
    payments = {p.record.subject: p for p in PrizePayment.objects.filter(decision=d)}
    assert payments["individual"].amount == person
    assert payments["collective"].amount == collective
    assert payments["collective"].coefficient == Decimal("2.0")
    assert {p.status for p in payments.values()} == {"pending"}
    assert {p.fund.year for p in payments.values()} == {signed_on.year}
    assert {p.fund.issuer_id for p in payments.values()} == {city.city.pk}
    log = ActionLog.objects.get(action="awards.fund.payments_created")
    assert log.data["amount"] == person + collective


def test_kind_without_coefficient_makes_no_payment(
    salaries, campaign, office_user, make_user, city, bang_khen, chair
):
    AwardRule.objects.filter(award_type=bang_khen).update(prize_individual=None)
    d = awaiting(campaign, office_user, make_user, city, bang_khen)
    decisions.decision_approve(actor=chair, decision=d, signed_on=date(2024, 7, 1))
    assert not PrizePayment.objects.exists()


# --------------------------------------------------------------------------- ledger


def test_balance_counts_income_expenses_and_prizes_to_pay(
    salaries, campaign, office_user, make_user, city, bang_khen, chair
):
    budget(office_user, city, 2024, 10_000_000)
    fund.fund_entry_add(
        actor=office_user,
        issuer=city.city,
        year=2024,
        kind=FundEntry.Kind.OTHER_INCOME,
        entry_date=date(2024, 3, 1),
        amount=500_000,
        content="Ủng hộ",
    )
    fund.fund_entry_add(
        actor=office_user,
        issuer=city.city,
        year=2024,
        kind=FundEntry.Kind.OTHER_EXPENSE,
        entry_date=date(2024, 3, 2),
        amount=300_000,
        content="In phôi",
    )
    d = awaiting(campaign, office_user, make_user, city, bang_khen, people=2)
    decisions.decision_approve(actor=chair, decision=d, signed_on=date(2024, 7, 1))
    summary = fund.fund_summary(city.city, 2024)
    assert (summary.income, summary.expense, summary.balance) == (10_500_000, 300_000, 10_200_000)
    assert (summary.pending, summary.available) == (4_680_000, 5_520_000)

    first = PrizePayment.objects.order_by("pk").first()
    fund.prize_payment_pay(
        actor=office_user, payment=first, paid_on=date(2024, 7, 5), voucher="PC-1"
    )
    again = fund.prize_payment_pay(
        actor=office_user, payment=first, paid_on=date(2024, 7, 6), voucher="PC-2"
    )
    assert again.paid_on == date(2024, 7, 5)  # a repeat changes nothing
    summary = fund.fund_summary(city.city, 2024)
    assert (summary.prizes_paid, summary.balance, summary.pending) == (
        2_340_000,
        7_860_000,
        2_340_000,
    )
    assert summary.available == 5_520_000
    entry = FundEntry.objects.get(kind=FundEntry.Kind.PRIZE)
    assert entry.payment == first
    assert entry.voucher == "PC-1"
    assert ActionLog.objects.filter(action="awards.fund.payment_paid").count() == 1


def test_expense_beyond_the_balance_and_wrong_year_are_refused(office_user, city):
    budget(office_user, city, 2024, 1_000_000)
    with pytest.raises(ValidationError, match="không đủ"):
        fund.fund_entry_add(
            actor=office_user,
            issuer=city.city,
            year=2024,
            kind=FundEntry.Kind.OTHER_EXPENSE,
            entry_date=date(2024, 5, 1),
            amount=1_000_001,
            content="Chi",
        )
    with pytest.raises(ValidationError, match="thuộc năm 2024"):
        budget(office_user, city, 2024, 5, day=date(2023, 12, 31))


def test_revoking_an_award_cancels_its_unpaid_prize(
    salaries, campaign, office_user, make_user, city, bang_khen, chair
):
    d = awaiting(campaign, office_user, make_user, city, bang_khen)
    d = decisions.decision_approve(actor=chair, decision=d, signed_on=date(2024, 7, 1))
    revoke = decisions.decision_correct(
        actor=office_user, decision=d, kind="revoke", records=list(d.records.all()), reason="Sai"
    )
    decisions.decision_send_for_signature(actor=office_user, decision=revoke)
    decisions.decision_approve(actor=chair, decision=revoke, signed_on=date(2024, 7, 2))
    assert PrizePayment.objects.get().status == PrizePayment.Status.CANCELLED


# --------------------------------------------------------------------------- signing check


def test_signing_when_the_fund_is_short_needs_a_reason(
    salaries, campaign, office_user, make_user, city, bang_khen, chair
):
    budget(office_user, city, 2024, 2_000_000)  # a person's prize is 2.340.000 đ
    d = awaiting(campaign, office_user, make_user, city, bang_khen)
    with pytest.raises(ValidationError, match=r"thiếu 340\.000 đ"):
        decisions.decision_approve(actor=chair, decision=d, signed_on=date(2024, 7, 1))
    d.refresh_from_db()
    assert d.status == Decision.Status.AWAITING_SIGNATURE
    assert not PrizePayment.objects.exists()

    d = decisions.decision_approve(
        actor=chair,
        decision=d,
        signed_on=date(2024, 7, 1),
        shortfall_reason="Đã có văn bản bổ sung dự toán",
    )
    assert d.status == Decision.Status.FINAL
    shortfall = FundShortfall.objects.get(decision=d)
    assert (shortfall.required, shortfall.available) == (2_340_000, 2_000_000)
    assert shortfall.reason == "Đã có văn bản bổ sung dự toán"
    assert shortfall.by == chair
    log = ActionLog.objects.get(action="awards.fund.shortfall_accepted")
    assert log.data["note"] == "Đã có văn bản bổ sung dự toán"
    assert log.actor == chair


def test_enough_money_or_no_ledger_signs_without_reason(
    salaries, campaign, office_user, make_user, city, bang_khen, chair
):
    d = awaiting(campaign, office_user, make_user, city, bang_khen)
    decisions.decision_approve(actor=chair, decision=d, signed_on=date(2023, 7, 1))  # no ledger
    budget(office_user, city, 2024, 2_340_000)
    d = awaiting(campaign, office_user, make_user, city, bang_khen)
    decisions.decision_approve(actor=chair, decision=d, signed_on=date(2024, 7, 1))  # exactly
    assert not FundShortfall.objects.exists()
    assert PrizePayment.objects.count() == 2


def test_signing_page_warns_and_takes_the_reason(
    salaries, campaign, office_user, make_user, city, bang_khen, chair
):
    budget(office_user, city, 2026, 100_000, day=date(2026, 1, 2))
    d = awaiting(campaign, office_user, make_user, city, bang_khen)
    client = verified_client(chair)
    url = reverse("awards:decision-detail", args=[d.pk])
    html = client.get(url).content.decode()
    assert "Quỹ không đủ chi" in html
    assert 'name="shortfall_reason"' in html
    approve = reverse("awards:decision-approve", args=[d.pk])
    client.post(approve)
    d.refresh_from_db()
    assert d.status == Decision.Status.AWAITING_SIGNATURE
    client.post(approve, {"shortfall_reason": "Chi từ nguồn bổ sung"})
    d.refresh_from_db()
    assert d.status == Decision.Status.FINAL
    assert d.fund_shortfall.reason == "Chi từ nguồn bổ sung"
    page = client.get(url).content.decode()
    assert "Chi từ nguồn bổ sung" in page  # in the decision's history
    assert "Ký quyết định khi quỹ khen thưởng không đủ" in page


# --------------------------------------------------------------------------- who


def test_ward_staff_cannot_see_the_city_fund(make_user, city, office_user):
    budget(office_user, city, 2024, 1_000_000)
    ward_office = verified_client(make_user(Role.EMULATION_OFFICE, city.suoi_hoa))
    assert ward_office.get(reverse("awards:fund"), {"don_vi": city.city.pk}).status_code == 404
    assert ward_office.get(reverse("awards:fund")).context["issuer"] == city.suoi_hoa
    officer = verified_client(make_user(Role.UNIT_OFFICER, city.suoi_hoa))
    assert officer.get(reverse("awards:fund"), {"don_vi": city.city.pk}).status_code == 403
    with pytest.raises(PermissionDenied):
        fund.fund_entry_add(
            actor=make_user(Role.EMULATION_OFFICE, city.suoi_hoa),
            issuer=city.city,
            year=2024,
            kind=FundEntry.Kind.BUDGET,
            entry_date=date(2024, 1, 1),
            amount=1,
            content="x",
        )


def test_leaders_read_but_do_not_write(make_user, city, office_user):
    budget(office_user, city, 2024, 1_000_000)
    leader = make_user(Role.SIGNER, city.city)
    client = verified_client(leader)
    html = client.get(reverse("awards:fund"), {"nam": 2024}).content.decode()
    assert "1.000.000 đ" in html
    assert "Ghi khoản thu, chi" not in html
    assert client.get(reverse("awards:fund-entry")).status_code == 403
    with pytest.raises(PermissionDenied):
        budget(leader, city, 2024, 1)


# --------------------------------------------------------------------------- pages


def test_income_form_records_an_entry(office_client, city):
    url = reverse("awards:fund-entry") + "?nam=2026"
    response = office_client.post(
        url,
        {
            "kind": "budget",
            "entry_date": "02/01/2026",
            "amount": "50.000.000",
            "content": "Dự toán năm 2026",
            "voucher": "=HYPERLINK(1)",
        },
    )
    assert response.status_code == 302
    entry = FundEntry.objects.get()
    assert (entry.amount, entry.entry_date) == (50_000_000, date(2026, 1, 2))
    html = office_client.get(response.url).content.decode()
    assert "50.000.000 đ" in html
    assert "02/01/2026" in html


def test_payments_page_marks_a_prize_paid(
    salaries, campaign, office_user, office_client, make_user, city, bang_khen, chair
):
    d = awaiting(campaign, office_user, make_user, city, bang_khen)
    decisions.decision_approve(actor=chair, decision=d, signed_on=date(2024, 7, 1))
    payment = PrizePayment.objects.get()
    url = reverse("awards:fund-payments") + "?nam=2024"
    html = office_client.get(url).content.decode()
    assert "2.340.000 đ" in html
    assert "Đã chi" in html
    office_client.post(url, {"payment": payment.pk, "paid_on": "05/07/2024", "voucher": "PC-7"})
    payment.refresh_from_db()
    assert payment.status == "paid"
    assert payment.paid_on == date(2024, 7, 5)
    html = office_client.get(url + "&trang_thai=da-chi").content.decode()
    assert "05/07/2024" in html
    assert "PC-7" in html
    empty = office_client.get(url).content.decode()
    assert "Không có tiền thưởng nào chờ chi." in empty


def test_empty_ledger_says_so(office_client):
    html = office_client.get(reverse("awards:fund"), {"nam": 2021}).content.decode()
    assert "chưa có khoản thu, chi nào" in html


def test_ledger_xlsx_cell_by_cell(
    salaries, campaign, office_user, office_client, make_user, city, bang_khen, chair
):
    budget(office_user, city, 2024, 10_000_000)
    fund.fund_entry_add(
        actor=office_user,
        issuer=city.city,
        year=2024,
        kind=FundEntry.Kind.OTHER_EXPENSE,
        entry_date=date(2024, 2, 1),
        amount=200_000,
        content="=1+1 khung giấy khen",
        voucher='=HYPERLINK("x")',
    )
    d = awaiting(campaign, office_user, make_user, city, bang_khen)
    decisions.decision_approve(actor=chair, decision=d, signed_on=date(2024, 7, 1))
    fund.prize_payment_pay(
        actor=office_user,
        payment=PrizePayment.objects.get(),
        paid_on=date(2024, 7, 3),
        voucher="PC-9",
    )
    response = office_client.get(reverse("awards:fund-export"), {"nam": 2024})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["STT", "Ngày", "Loại", "Nội dung", "Số chứng từ", "Thu (đồng)",
                       "Chi (đồng)", "Tồn quỹ (đồng)"]  # fmt: skip
    assert rows[1][0] == 1
    assert rows[1][1].date() == date(2024, 1, 15)
    assert rows[1][2:] == ["Dự toán ngân sách được giao", "Dự toán được giao", "12/QĐ-UBND",
                           10_000_000, None, 10_000_000]  # fmt: skip
    assert rows[2][2:] == ["Chi khác", "=1+1 khung giấy khen", "=HYPERLINK(\"x\")", None,
                           200_000, 9_800_000]  # fmt: skip
    assert sheet.cell(3, 4).data_type == "s"
    assert sheet.cell(3, 5).data_type == "s"
    assert rows[3][2] == "Chi tiền thưởng"
    assert rows[3][4] == "PC-9"
    assert rows[3][5:] == [None, 2_340_000, 7_460_000]
    totals = {r[2]: r[7] for r in rows[5:] if r[2]}
    assert totals["Tổng thu"] == 10_000_000
    assert totals["Tổng chi"] == 2_540_000
    assert totals["Số dư"] == 7_460_000
    assert totals["Tiền thưởng chờ chi"] == 0

    response = office_client.get(
        reverse("awards:fund-export"), {"nam": 2024, "bang": "tien-thuong"}
    )
    rows = [
        list(r)
        for r in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    ]
    assert rows[0][9] == "Số tiền (đồng)"
    assert rows[1][5] == "Cá nhân"
    assert rows[1][7:11] == [2_340_000, 1, 2_340_000, "Đã chi"]
    assert rows[1][11].date() == date(2024, 7, 3)
    assert rows[1][12] == "PC-9"


# --------------------------------------------------------------------------- query counts


@pytest.mark.parametrize("rows", [1, 30])
def test_ledger_query_count_is_flat(
    rows, office_user, office_client, city, django_assert_num_queries
):
    for i in range(rows):
        budget(office_user, city, 2024, 1000 + i, day=date(2024, 1, 1 + i % 28))
    office_client.get(reverse("awards:fund"), {"nam": 2024})  # warm session and role caches
    with django_assert_num_queries(LEDGER_QUERIES):
        response = office_client.get(reverse("awards:fund"), {"nam": 2024})
    assert len(response.context["rows"]) == rows


@pytest.mark.parametrize("rows", [1, 30])
def test_payments_query_count_is_flat(
    rows, salaries, campaign, office_user, office_client, make_user, city, bang_khen, chair,
    django_assert_num_queries,
):  # fmt: skip
    d = awaiting(campaign, office_user, make_user, city, bang_khen, people=rows)
    decisions.decision_approve(actor=chair, decision=d, signed_on=date(2024, 7, 1))
    office_client.get(reverse("awards:fund-payments"), {"nam": 2024})
    with django_assert_num_queries(PAYMENT_QUERIES):
        response = office_client.get(reverse("awards:fund-payments"), {"nam": 2024})
    assert len(response.context["page"].object_list) == rows


LEDGER_QUERIES = 12
PAYMENT_QUERIES = 11


def test_a_prize_beyond_the_balance_is_not_paid(
    salaries, campaign, office_user, make_user, city, bang_khen, chair
):
    budget(office_user, city, 2024, 1_000_000)
    d = awaiting(campaign, office_user, make_user, city, bang_khen)
    decisions.decision_approve(
        actor=chair, decision=d, signed_on=date(2024, 7, 1), shortfall_reason="Sẽ bổ sung"
    )
    payment = PrizePayment.objects.get()
    with pytest.raises(ValidationError, match="hãy ghi khoản thu bổ sung"):
        fund.prize_payment_pay(
            actor=office_user, payment=payment, paid_on=date(2024, 7, 2), voucher="PC"
        )
    budget(office_user, city, 2024, 1_340_000, day=date(2024, 7, 2))
    paid = fund.prize_payment_pay(
        actor=office_user, payment=payment, paid_on=date(2024, 7, 2), voucher="PC"
    )
    assert paid.status == PrizePayment.Status.PAID
    assert fund.fund_summary(city.city, 2024).balance == 0


def test_revoking_an_amended_award_cancels_its_unpaid_prize(
    salaries, campaign, office_user, make_user, city, bang_khen, chair
):
    """Award → amending decision (a name corrected) → revocation of the amended entry: the prize
    follows the award in force, so the revocation stops it and it can no longer be paid."""
    d = awaiting(campaign, office_user, make_user, city, bang_khen)
    d = decisions.decision_approve(actor=chair, decision=d, signed_on=date(2024, 7, 1))
    amend = decisions.decision_correct(
        actor=office_user, decision=d, kind="amend", records=list(d.records.all()), reason="Sai"
    )
    decisions.decision_send_for_signature(actor=office_user, decision=amend)
    amend = decisions.decision_approve(actor=chair, decision=amend, signed_on=date(2024, 7, 2))
    payment = PrizePayment.objects.get()
    assert (payment.status, payment.record) == ("pending", amend.records.get())  # one prize

    revoke = decisions.decision_correct(
        actor=office_user,
        decision=amend,
        kind="revoke",
        records=list(amend.records.all()),
        reason="Gian dối",
    )
    decisions.decision_send_for_signature(actor=office_user, decision=revoke)
    decisions.decision_approve(actor=chair, decision=revoke, signed_on=date(2024, 7, 3))
    payment.refresh_from_db()
    assert payment.status == PrizePayment.Status.CANCELLED
    with pytest.raises(ValidationError):
        fund.prize_payment_pay(
            actor=office_user, payment=payment, paid_on=date(2024, 7, 4), voucher="PC-01"
        )


def test_the_issuer_in_sql_agrees_with_the_issuer_in_python(city):
    """`issuer_id_subquery` (lists, one query) and `issuer_id_of` (one object) are the same rule
    written twice: over a whole tree, from the province down to a school's team and a unit with
    no administrative unit above it, they name the same issuer."""
    from tests.conftest import make_unit
    from thidua.organizations.models import Unit, UnitKind
    from thidua.organizations.rules import issuer_id_of, issuer_id_subquery

    school = make_unit("THCS-SH", "Trường THCS Suối Hoa", UnitKind.SCHOOL, city.suoi_hoa)
    make_unit("TO-TOAN", "Tổ Toán – Tin", UnitKind.OTHER, school)
    make_unit("TO-NV", "Tổ một cửa", UnitKind.OTHER, city.noivu)
    make_unit("XA-HOALONG", "Ủy ban nhân dân xã Hòa Long", UnitKind.COMMUNE, city.city)
    lone = make_unit("HOI", "Hội Khuyến học", UnitKind.MASS_ORG)
    make_unit("CHI-HOI", "Chi hội Khuyến học phường", UnitKind.OTHER, lone)

    rows = Unit.objects.filter(parent__isnull=False).annotate(issuer=issuer_id_subquery("parent"))
    found = {u.code: (u.issuer, issuer_id_of(u.parent)) for u in rows.select_related("parent")}
    assert all(sql == python for sql, python in found.values()), found
    assert found["TO-TOAN"][0] == city.suoi_hoa.pk  # a school's team: its ward
    assert found["TO-NV"][0] == city.city.pk  # Phòng Nội vụ works for the city's UBND
    assert found["TPBN"][0] == city.province.pk
    assert found["CHI-HOI"][0] is None  # no administrative unit above it
    assert len(found) == 10
