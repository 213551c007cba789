from datetime import date
from io import BytesIO

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from tests.awards.conftest import FULL
from thidua.accounts.models import Role
from thidua.awards import services
from thidua.awards.models import AppraisalRound, AwardRule, Hold, Nomination
from thidua.core.models import ActionLog
from thidua.organizations.models import Person

pytestmark = pytest.mark.django_db


def docx(name: str) -> SimpleUploadedFile:
    buffer = BytesIO()
    document = Document()
    document.add_paragraph("Tờ trình đề nghị khen thưởng")
    document.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture
def people(city):
    return [
        Person.objects.create(
            full_name=name, gender="female", unit=city.suoi_hoa, category="civil_servant"
        )
        for name in ("Nguyễn Thị Lan", "Trần Thị Mai", "Lê Thị Hoa")
    ]


def complete(nomination, officer, people):
    for person in people:
        services.nominee_add(
            actor=officer, nomination=nomination, person=person, achievements="Thành tích xuất sắc"
        )
    services.document_attach(
        actor=officer, nomination=nomination, kind="submission", upload=docx("to-trinh.docx")
    )
    services.document_attach(
        actor=officer, nomination=nomination, kind="minutes", upload=docx("bien-ban.docx")
    )


def test_a_dossier_names_only_its_own_units_people_and_itself(campaign, giay_khen, officer, city):
    """The service, not only the page's choices, keeps another ward's people (and another
    unit) out of a dossier: a name put there would show that person's record to this ward."""
    n = services.nomination_create(
        actor=officer, campaign=campaign, unit=city.suoi_hoa, award_type=giay_khen
    )
    stranger = Person.objects.create(
        full_name="Đỗ Văn Nam", gender="male", unit=city.vu_ninh, category="civil_servant"
    )
    with pytest.raises(ValidationError, match="thuộc đơn vị lập hồ sơ"):
        services.nominee_add(actor=officer, nomination=n, person=stranger)
    with pytest.raises(ValidationError, match="thuộc đơn vị lập hồ sơ"):
        services.nominee_add(actor=officer, nomination=n, unit=city.vu_ninh)
    assert not n.nominees.exists()
    services.nominee_add(actor=officer, nomination=n, unit=city.suoi_hoa)
    assert n.nominees.count() == 1


def test_rule_in_force_is_chosen_by_date(giay_khen):
    newer = AwardRule.objects.create(
        award_type=giay_khen,
        effective_from=date(2023, 1, 1),
        full_documents=FULL,
        processing_working_days=8,
    )
    assert services.rule_in_force(giay_khen, date(2022, 12, 31)).processing_working_days == 10
    assert services.rule_in_force(giay_khen, date(2023, 1, 1)) == newer
    with pytest.raises(ValidationError):
        services.rule_in_force(giay_khen, date(2019, 12, 31))


def test_every_refusal_is_listed_and_nothing_is_lost(
    campaign, giay_khen, officer, head, people, city
):
    n = services.nomination_create(
        actor=officer, campaign=campaign, unit=city.suoi_hoa, award_type=giay_khen
    )
    for person in people:
        services.nominee_add(actor=officer, nomination=n, person=person)
    Hold.objects.create(
        person=people[0],
        placed_by=city.city,
        reason="Đang xem xét kỷ luật",
        active_from=date(2022, 1, 1),
    )
    with pytest.raises(ValidationError) as exc:
        services.nomination_submit(actor=head, nomination=n)
    messages = exc.value.messages
    assert "Thiếu tờ trình." in messages
    assert "Thiếu biên bản họp xét của đơn vị." in messages
    assert f"Thiếu báo cáo thành tích của {people[1]}." in messages
    assert (
        f"{people[0]} đang trong thời gian xem xét kỷ luật hoặc thanh tra, chưa xét khen."
        in messages
    )
    assert any(m.startswith("Vượt số lượng") for m in messages)
    n.refresh_from_db()
    assert n.status == Nomination.Status.DRAFT
    assert n.nominees.count() == 3  # what the unit typed is kept


def test_target_not_allowed_and_duplicates(campaign, giay_khen, officer, head, people, city):
    giay_khen.target = "individual"
    giay_khen.save()
    n = services.nomination_create(
        actor=officer, campaign=campaign, unit=city.suoi_hoa, award_type=giay_khen
    )
    complete(n, officer, people[:1])
    services.nominee_add(
        actor=officer, nomination=n, unit=city.suoi_hoa, achievements="Tập thể xuất sắc"
    )
    with pytest.raises(ValidationError) as exc:
        services.nomination_submit(actor=head, nomination=n)
    assert any("không dành cho tập thể" in m for m in exc.value.messages)
    # Within one nomination a person is refused a second time.
    with pytest.raises(ValidationError) as exc:
        services.nominee_add(actor=officer, nomination=n, person=people[0])
    assert exc.value.messages == [f"{people[0]} đã có trong hồ sơ này."]
    assert n.nominees.filter(person=people[0]).count() == 1
    # Across the campaign's nominations the same person is flagged, not blocked.
    first = services.nomination_create(
        actor=officer, campaign=campaign, unit=city.suoi_hoa, award_type=giay_khen
    )
    complete(first, officer, people[:1])
    services.nomination_submit(actor=head, nomination=first)
    second = services.nomination_create(
        actor=officer, campaign=campaign, unit=city.suoi_hoa, award_type=giay_khen
    )
    complete(second, officer, people[:1])
    warnings = services.duplicate_warnings(second)
    assert (
        f"{people[0]} cũng có trong hồ sơ đề nghị “{giay_khen.name}” của "
        f"{city.suoi_hoa.name} (đã gửi)." in warnings
    )
    services.nomination_submit(actor=head, nomination=second)
    second.refresh_from_db()
    assert second.status == Nomination.Status.SUBMITTED


def test_submit_return_resubmit_appraise_with_history(
    campaign, giay_khen, officer, head, office_user, people, city
):
    n = services.nomination_create(
        actor=officer, campaign=campaign, unit=city.suoi_hoa, award_type=giay_khen
    )
    complete(n, officer, people[:2])
    services.nomination_send_for_approval(actor=officer, nomination=n)
    with pytest.raises(PermissionDenied):
        services.nomination_submit(actor=officer, nomination=n)  # the head submits
    n = services.nomination_submit(actor=head, nomination=n)
    assert n.rule is not None
    with time_machine.travel(date(2022, 12, 16)):
        n = services.nomination_receive(actor=office_user, nomination=n)
    assert n.appraisal_due == date(2022, 12, 30)  # 10 working days (domain guide §13)
    with pytest.raises(ValidationError):
        services.nomination_return(actor=office_user, nomination=n, note="")
    n = services.nomination_return(
        actor=office_user, nomination=n, note="Bổ sung báo cáo thành tích chi tiết"
    )
    assert n.status == Nomination.Status.RETURNED
    n = services.nomination_submit(actor=head, nomination=n)
    n = services.nomination_receive(actor=office_user, nomination=n)
    n = services.nomination_appraise(
        actor=office_user,
        nomination=n,
        eligible=True,
        checklist={"ho_so_day_du": True, "tieu_chuan": True},
        note="Số lượng đã đối chiếu với quy định năm 2022.",
    )
    assert n.status == Nomination.Status.ELIGIBLE
    assert [r.outcome for r in n.appraisals.all()] == ["returned", "eligible"]
    with pytest.raises(ValidationError):
        services.nomination_return(
            actor=office_user, nomination=n, note="Muộn"
        )  # invalid transition
    actions = list(
        ActionLog.objects.filter(target_id=str(n.pk), action__startswith="awards.nomination")
        .values_list("action", flat=True)
        .order_by("pk")
    )
    assert actions == [
        "awards.nomination.created",
        "awards.nomination.sent_for_approval",
        "awards.nomination.submitted",
        "awards.nomination.received",
        "awards.nomination.returned",
        "awards.nomination.submitted",
        "awards.nomination.received",
        "awards.nomination.eligible",
    ]


def test_only_the_unit_and_the_office_act(campaign, giay_khen, make_user, officer, city):
    outsider = make_user(Role.UNIT_OFFICER, city.vu_ninh)
    with pytest.raises(PermissionDenied):
        services.nomination_create(
            actor=outsider, campaign=campaign, unit=city.suoi_hoa, award_type=giay_khen
        )
    n = services.nomination_create(
        actor=officer, campaign=campaign, unit=city.suoi_hoa, award_type=giay_khen
    )
    with pytest.raises(PermissionDenied):
        services.nomination_receive(actor=officer, nomination=n)
    fake = SimpleUploadedFile("to-trinh.docx", b"MZ\x90\x00" + b"\x00" * 64)
    with pytest.raises(ValidationError):
        services.document_attach(actor=officer, nomination=n, kind="submission", upload=fake)


def test_who_may_propose_and_the_campaign_quota(campaign, giay_khen, officer, head, people, city):
    rule = giay_khen.rules.get()
    rule.proposer_kinds, rule.quota_per_unit, rule.quota_per_campaign = ["office"], None, 1
    rule.save()
    n = services.nomination_create(
        actor=officer, campaign=campaign, unit=city.suoi_hoa, award_type=giay_khen
    )
    complete(n, officer, people[:2])
    with pytest.raises(ValidationError) as exc:
        services.nomination_submit(actor=head, nomination=n)
    assert any("không thuộc các đơn vị được đề nghị" in m for m in exc.value.messages)
    assert any(m.startswith("Vượt số lượng của cả phong trào") for m in exc.value.messages)


def test_award_without_council_vote_is_recommended_at_appraisal(
    campaign, giay_khen, officer, head, office_user, people, city
):
    giay_khen.rules.update(council_vote=False)
    n = services.nomination_create(
        actor=officer, campaign=campaign, unit=city.suoi_hoa, award_type=giay_khen
    )
    complete(n, officer, people[:1])
    services.nomination_submit(actor=head, nomination=n)
    services.nomination_receive(actor=office_user, nomination=n)
    n = services.nomination_appraise(
        actor=office_user, nomination=n, eligible=True, checklist=AppraisalRound.every_check()
    )
    assert n.status == Nomination.Status.RECOMMENDED
