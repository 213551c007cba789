"""Households (hộ gia đình): nominated for what they gave, listed as "III. Hộ gia đình" in the
tờ trình and the decision's annex, entered in the registry, printed on certificates."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.awards.test_registry_import import old_row
from tests.awards.test_services import complete
from tests.conftest import verified_client
from tests.factories.xlsx import xlsx_upload
from thidua.awards import decisions, printing, services
from thidua.awards.documents import decision_document, submission_document
from thidua.awards.models import AppraisalRound, AwardRecord, Household, Nomination
from thidua.awards.registry import award_statistics, registry_columns
from thidua.awards.registry_import import registry_import
from thidua.awards.selectors import recommended_nominees
from thidua.documents.official import render_docx, render_pdf
from thidua.organizations.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def households_allowed(giay_khen):
    giay_khen.allows_households = True
    giay_khen.save(update_fields=["allows_households"])
    giay_khen.rules.update(council_vote=False)  # recommended at appraisal: a shorter path
    return giay_khen


@pytest.fixture
def draft(campaign, households_allowed, officer, city):
    return services.nomination_create(
        actor=officer, campaign=campaign, unit=city.suoi_hoa, award_type=households_allowed
    )


def add_hung(officer, nomination, **extra):
    return services.household_nominee_add(
        actor=officer,
        nomination=nomination,
        head_title="ông",
        head_name="Nguyễn  Văn Hùng",
        address="Số 12, tổ dân phố 3",
        contribution_kind="land",
        contribution="Hiến 120 m² đất mở rộng đường liên khu phố",
        contribution_value=Decimal(360_000_000),
        **extra,
    )


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_a_household_is_nominated_with_its_contribution(draft, officer):
    nominee = add_hung(officer, draft, achievements="Gương mẫu trong xây dựng nông thôn mới")
    household = nominee.household
    assert str(household) == "Hộ ông Nguyễn Văn Hùng"
    assert household.full_address == "Số 12, tổ dân phố 3, phường Suối Hoa"
    assert (nominee.subject, nominee.contribution_kind) == ("household", "land")
    assert nominee.contribution_value == 360_000_000
    with pytest.raises(ValidationError, match="đã có trong hồ sơ này"):
        add_hung(officer, draft)  # the same head and address, spelled with other spaces
    assert Household.objects.count() == 1
    with pytest.raises(ValidationError) as exc:
        services.household_nominee_add(
            actor=officer,
            nomination=draft,
            head_name="",
            address="",
            contribution_kind="money",
            contribution="",
        )
    assert set(exc.value.message_dict) == {
        "head_name",
        "address",
        "contribution_kind",
        "contribution",
    }


def test_an_award_that_does_not_allow_households_refuses_them(draft, officer, head, giay_khen):
    add_hung(officer, draft)
    giay_khen.allows_households = False
    giay_khen.save(update_fields=["allows_households"])
    problems = services.eligibility_problems(draft, date(2022, 12, 1))
    assert f"“{giay_khen.name}” không dành cho hộ gia đình (Hộ ông Nguyễn Văn Hùng)." in problems


def test_the_submission_lists_households_third(draft, officer, city):
    person = Person.objects.create(
        full_name="Đặng Thị Thu", gender="female", unit=city.suoi_hoa, category="civil_servant"
    )
    add_hung(officer, draft)
    services.nominee_add(actor=officer, nomination=draft, person=person, achievements="Tốt")
    services.nominee_add(actor=officer, nomination=draft, unit=city.suoi_hoa, achievements="Tốt")
    doc = submission_document(draft)
    text = "\n".join(p.text for p in Document(io.BytesIO(render_docx(doc))).paragraphs)
    assert "cho 1 tập thể, 1 cá nhân và 1 hộ gia đình có thành tích" in text
    assert text.index("I. TẬP THỂ") < text.index("II. CÁ NHÂN") < text.index("III. HỘ GIA ĐÌNH")
    assert (
        "Hộ ông Nguyễn Văn Hùng, Số 12, tổ dân phố 3, phường Suối Hoa: đất đai – Hiến 120 m² "
        "đất mở rộng đường liên khu phố (trị giá 360.000.000 đồng)" in text
    )
    pdf = _pdf_text(render_pdf(doc))
    assert "III. HỘ GIA ĐÌNH" in pdf
    assert "360.000.000" in pdf


def test_a_household_from_nomination_to_certificate_registry_and_statistics(
    draft, officer, head, office_user, signer, campaign, households_allowed, city
):
    households_allowed.rules.update(quota_per_unit=None)
    add_hung(officer, draft)  # its contribution stands for the achievement summary
    services.nominee_add(actor=officer, nomination=draft, unit=city.suoi_hoa, achievements="Tốt")
    person = Person.objects.create(
        full_name="Đặng Thị Thu", gender="female", unit=city.suoi_hoa, category="civil_servant"
    )
    complete(draft, officer, [person])  # the person, the tờ trình and the minutes
    services.nomination_submit(actor=head, nomination=draft)
    services.nomination_receive(actor=office_user, nomination=draft)
    draft = services.nomination_appraise(
        actor=office_user, nomination=draft, eligible=True, checklist=AppraisalRound.every_check()
    )
    assert draft.status == Nomination.Status.RECOMMENDED
    d = decisions.decision_draft(
        actor=office_user,
        campaign=campaign,
        award_type=households_allowed,
        nominees=list(recommended_nominees(campaign=campaign)),
    )
    assert "cho 01 tập thể, 01 cá nhân và 01 hộ gia đình" in d.articles[0]
    annex = _pdf_text(render_pdf(decision_document(d)))
    assert annex.index("I. TẬP THỂ (01 tập thể)") < annex.index("II. CÁ NHÂN (01 cá nhân)")
    assert annex.index("II. CÁ NHÂN") < annex.index("III. HỘ GIA ĐÌNH (01 hộ gia đình)")
    assert "Hộ ông Nguyễn Văn Hùng, Số 12, tổ dân phố 3, phường Suối Hoa" in annex
    assert "Danh sách tập thể, cá nhân, hộ gia đình được tặng" in " ".join(annex.split())
    decisions.decision_send_for_signature(actor=office_user, decision=d)
    d = decisions.decision_approve(actor=signer, decision=d, signed_on=date(2022, 12, 30))
    record = AwardRecord.objects.get(decision=d, subject="household")
    assert (record.subject, record.household, record.person) == (
        "household",
        draft.nominees.get(subject="household").household,
        None,
    )
    assert record.unit == city.suoi_hoa
    assert record.recipient_name == "Hộ ông Nguyễn Văn Hùng"
    # The certificate: recipient "Hộ ông …" and the address.
    text = _pdf_text(printing.certificate_pdf(actor=office_user, record=record))
    assert "Hộ ông Nguyễn Văn Hùng" in text
    assert "Số 12, tổ dân phố 3, phường Suối Hoa" in text
    assert "thành tích đóng góp xuất sắc" in text
    # The registry: listed, filtered, its history, exported and imported back unchanged.
    client = verified_client(office_user)
    page = client.get(reverse("awards:registry"), {"doi_tuong": "household"}).content.decode()
    assert "Hộ ông Nguyễn Văn Hùng" in page
    history_url = reverse("awards:registry-history", args=["ho-gia-dinh", record.household_id])
    assert history_url in page
    history = client.get(history_url).content.decode()
    assert "Quá trình khen thưởng: Hộ ông Nguyễn Văn Hùng" in history
    export = client.get(reverse("awards:registry"), {"xuat": "excel"})
    content = b"".join(export.streaming_content)
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    row = next(r for r in rows if r[2] == "Hộ ông Nguyễn Văn Hùng")
    assert "Hộ gia đình" in row
    assert "Số 12, tổ dân phố 3, phường Suối Hoa" in row
    assert registry_import(actor=office_user, upload=io.BytesIO(content)) == (0, 3, [])
    # Statistics count households apart.
    stats = award_statistics(actor=office_user, start=date(2022, 1, 1), end=date(2022, 12, 31))
    by_subject = {row["label"]: row for row in stats.by_subject}
    assert by_subject["Hộ gia đình"]["households"] == 1
    assert by_subject["Hộ gia đình"]["count"] == 1
    assert stats.total == 3
    assert {row["label"]: row["households"] for row in stats.by_unit} == {city.suoi_hoa.name: 1}


def _import_old_hung_award(office_user, city):
    """Registry entry 0007/2019 from the old book: Hùng's household, with its home address."""
    header = [c.header for c in registry_columns()]
    row = old_row(
        "0007/2019",
        "Hộ ông Nguyễn Văn Hùng",
        city.suoi_hoa.name,
        subject="Hộ gia đình",
        detail="Số 12, tổ dân phố 3",
    )
    return registry_import(actor=office_user, upload=xlsx_upload([header, row]))


def test_an_old_household_award_imports_and_joins_the_households_history(
    draft, officer, office_user, city, households_allowed
):
    nominee = add_hung(officer, draft)
    created, _unchanged, errors = _import_old_hung_award(office_user, city)
    assert (created, errors) == (1, [])
    record = AwardRecord.objects.get(number=7, year=2019)
    assert (record.subject, record.household) == ("household", nominee.household)


def test_the_page_adds_a_household(draft, officer):
    client = verified_client(officer)
    url = reverse("awards:nomination-detail", args=[draft.pk])
    assert 'id="household-form"' in client.get(url).content.decode()
    add = reverse("awards:nominee-household-add", args=[draft.pk])
    response = client.post(
        add,
        {
            "head_title": "bà",
            "head_name": "Trần Thị Lụa",
            "address": "Thôn Đông",
            "contribution_kind": "assets",
            "contribution": "Tặng 50 bộ bàn ghế cho nhà văn hóa",
            "contribution_value": "25.000.000",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Đã thêm hộ gia đình." in page
    assert "Hộ bà Trần Thị Lụa" in page
    assert "trị giá 25.000.000 đồng" in page
    bad = client.post(
        add,
        {
            "head_title": "ông",
            "head_name": "Lê Văn Tám",
            "address": "Thôn Đông",
            "contribution_kind": "labour",
            "contribution": "Góp 30 ngày công",
            "contribution_value": "ba triệu",
        },
        follow=True,
    )
    assert "Giá trị quy đổi phải là số tiền" in bad.content.decode()
    assert draft.nominees.count() == 1


def test_the_public_certificate_check_never_shows_a_households_home_address(
    client, draft, officer, office_user, city, households_allowed, make_user
):
    """The QR code's page and the portal's check are public: a household is named with its
    ward, never with its house number and street (personal data)."""
    from thidua.portal import services as portal

    add_hung(officer, draft)
    _import_old_hung_award(office_user, city)
    record = AwardRecord.objects.get(number=7, year=2019)
    site = portal.site_save(
        actor=make_user("media_staff"), campaign=draft.campaign, is_public=True, intro=""
    )
    pages = [
        client.get(reverse("awards:verify", args=[record.token])),
        client.get(
            reverse("portal:certificate-check", args=[site.slug]),
            {"so": "0007/2019", "ten": "Nguyễn Văn Hùng"},
        ),
    ]
    for response in pages:
        html = response.content.decode()
        assert "Hộ ông Nguyễn Văn Hùng" in html
        assert city.suoi_hoa.name in html
        assert "Số 12" not in html
        assert "tổ dân phố 3" not in html


def test_a_refused_household_keeps_what_was_typed(draft, officer):
    html = (
        verified_client(officer)
        .post(
            reverse("awards:nominee-household-add", args=[draft.pk]),
            {
                "head_title": "bà",
                "head_name": "Trần Thị Mai",
                "address": "",
                "contribution_kind": "labour",
                "contribution": "200 ngày công làm đường",
                "achievements": "Vận động 12 hộ cùng góp",
            },
        )
        .content.decode()
    )
    assert "Cần ghi địa chỉ của hộ" in html
    assert 'value="Trần Thị Mai"' in html
    assert 'value="200 ngày công làm đường"' in html
    assert ">Vận động 12 hộ cùng góp</textarea>" in html
