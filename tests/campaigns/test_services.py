from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from thidua.accounts.models import Role
from thidua.campaigns import services
from thidua.campaigns.models import (
    Assignment,
    AssignmentTarget,
    Campaign,
    CampaignStatus,
    Criterion,
    Delivery,
    Prize,
)
from thidua.campaigns.services import editing
from thidua.core.models import ActionLog
from thidua.notifications.models import Notice, OutboxMail

pytestmark = pytest.mark.django_db


def actions(campaign: Campaign) -> list[str]:
    return list(
        ActionLog.objects.filter(target_id=str(campaign.pk), target_type__model="campaign")
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_import_seed_builds_a_structured_draft(draft, city):
    assert draft.status == CampaignStatus.DRAFT
    assert draft.number is None
    assert draft.title.startswith("Phát động phong trào thi đua đặc biệt")
    assert (draft.period_start, draft.period_end) == (date(2022, 5, 1), date(2022, 12, 31))
    assert draft.report_deadline == date(2022, 12, 15)
    assert draft.standing_agency == city.noivu
    assert draft.parent_documents[0]["number"] == "272/KH-UBND"
    assert [f.code for f in draft.forms.all()] == [
        "SEMINAR",
        "TALK",
        "PHOTO_EXHIBITION",
        "BOOK_DISPLAY",
        "CONTEST",
    ]
    assert [(a.name, a.signer) for a in draft.award_forms.all()] == [
        ("Bằng khen", "Chủ tịch UBND tỉnh"),
        ("Giấy khen", "Chủ tịch UBND thành phố"),
    ]
    assert [a.clause for a in draft.assignments.all()] == ["IV.1", "IV.2", "IV.3", "IV.5", "IV.6"]
    assert draft.recipients.count() == 11
    assert draft.recipients.last().text == "Lưu: VT, NV"
    # Nothing lost: every line of the body is somewhere in the sections.
    body = " ".join(f"{s.title} {s.body}" for s in draft.sections.all())
    assert "tránh hình thức, lãng phí" in body
    assert "xét hoàn thành nhiệm vụ năm 2022" in body
    assert actions(draft)[0] == "campaigns.campaign.imported"


def test_seed_tasks_reach_the_named_agencies(draft, city):
    iv5 = draft.assignments.get(clause="IV.5")
    assert [t.unit for t in iv5.targets.all()] == [city.noivu]
    iv1 = draft.assignments.get(clause="IV.1")
    assert {city.vu_ninh, city.suoi_hoa} <= {t.unit for t in iv1.targets.all()}


def test_only_the_emulation_office_drafts(city, make_user, seed_text):
    with pytest.raises(PermissionDenied):
        services.campaign_import(
            actor=make_user(Role.UNIT_OFFICER), text=seed_text, owner_unit=city.city
        )


def test_issue_numbers_sends_and_starts(
    draft, office_user, ward_officer, django_capture_on_commit_callbacks
):
    with time_machine.travel(date(2022, 5, 25)), django_capture_on_commit_callbacks(execute=True):
        issued = services.campaign_issue(
            actor=office_user, campaign=draft, issued_on=date(2022, 5, 25)
        )
    assert issued.reference == "01/KH-UBND"
    assert issued.status == CampaignStatus.RUNNING  # the period began on 1/5/2022
    assert actions(issued)[-2:] == ["campaigns.campaign.issued", "campaigns.campaign.started"]
    assert Delivery.objects.filter(campaign=issued, unit__code="P-SUOIHOA").exists()
    assert Notice.objects.filter(
        user=ward_officer, title__startswith="Kế hoạch số 01/KH-UBND"
    ).exists()
    assert OutboxMail.objects.filter(to=ward_officer.email).exists()
    # A second click does nothing more.
    again = services.campaign_issue(actor=office_user, campaign=issued, issued_on=date(2022, 5, 26))
    assert again.number == 1
    assert actions(issued).count("campaigns.campaign.issued") == 1


def test_issue_refuses_an_incomplete_plan(city, office_user, seed_text):
    campaign = services.campaign_import(actor=office_user, text=seed_text, owner_unit=city.city)
    with pytest.raises(ValidationError) as exc:
        services.campaign_issue(actor=office_user, campaign=campaign, issued_on=date(2022, 5, 25))
    assert "Chưa có họ tên người ký." in exc.value.messages
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT


def test_unit_officer_cannot_issue(draft, ward_officer):
    with pytest.raises(PermissionDenied):
        services.campaign_issue(actor=ward_officer, campaign=draft, issued_on=date(2022, 5, 25))


@time_machine.travel(date(2022, 4, 28))
def test_lifecycle_transitions_in_order(draft, office_user, ward_officer):
    issued = services.campaign_issue(actor=office_user, campaign=draft, issued_on=date(2022, 4, 28))
    assert issued.status == CampaignStatus.ISSUED  # 28/4: the period starts on 1/5
    with time_machine.travel(date(2022, 5, 2)):
        assert services.campaigns_start_due() == 1
    issued.refresh_from_db()
    assert issued.status == CampaignStatus.RUNNING
    with pytest.raises(PermissionDenied):
        services.campaign_interim_begin(actor=ward_officer, campaign=issued)
    with pytest.raises(ValidationError):
        services.campaign_close(actor=office_user, campaign=issued)
    for step, expected in [
        (services.campaign_interim_begin, CampaignStatus.INTERIM_REVIEW),
        (services.campaign_interim_end, CampaignStatus.RUNNING),
        (services.campaign_final_begin, CampaignStatus.FINAL_REVIEW),
        (services.campaign_close, CampaignStatus.CLOSED),
    ]:
        issued = step(actor=office_user, campaign=issued)
        assert issued.status == expected
    assert actions(issued)[-4:] == [
        "campaigns.campaign.interim_begun",
        "campaigns.campaign.interim_ended",
        "campaigns.campaign.final_begun",
        "campaigns.campaign.closed",
    ]


def test_units_open_and_acknowledge(draft, office_user, ward_officer, make_user):
    issued = services.campaign_issue(actor=office_user, campaign=draft, issued_on=date(2022, 5, 25))
    assert services.delivery_open(actor=ward_officer, campaign=issued) == 1
    assert services.delivery_open(actor=ward_officer, campaign=issued) == 0
    assert services.delivery_acknowledge(actor=ward_officer, campaign=issued) == 1
    delivery = Delivery.objects.get(campaign=issued, unit__code="P-SUOIHOA")
    assert delivery.acknowledged_by == ward_officer
    assert not Delivery.objects.filter(
        campaign=issued, unit__code="P-VUNINH", acknowledged_at__isnull=False
    ).exists()
    with pytest.raises(PermissionDenied):
        services.delivery_acknowledge(actor=make_user(Role.MEDIA_STAFF), campaign=issued)


def test_working_day_deadline_and_task_status(draft, office_user, ward_officer, city):
    iv3 = draft.assignments.get(clause="IV.3")
    services.assignment_save(
        actor=office_user,
        campaign=draft,
        assignment=iv3,
        clause="IV.3",
        text=iv3.text,
        units=[city.suoi_hoa],
        due_date=None,
        due_working_days=10,
    )
    services.campaign_issue(actor=office_user, campaign=draft, issued_on=date(2022, 8, 29))
    target = AssignmentTarget.objects.get(assignment=iv3, unit=city.suoi_hoa)
    assert target.due_date == date(
        2022, 9, 14
    )  # 1–2/9/2022 National Day holiday and weekends skipped
    target = services.assignment_target_set_status(
        actor=ward_officer, target=target, status="acknowledged"
    )
    target = services.assignment_target_set_status(actor=ward_officer, target=target, status="done")
    assert target.done_at is not None
    with pytest.raises(ValidationError):
        services.assignment_target_set_status(actor=ward_officer, target=target, status="assigned")


def test_edit_conflict_is_refused(draft, office_user):
    services.campaign_update(
        actor=office_user, campaign=draft, version=draft.version, place="Bắc Ninh"
    )
    with pytest.raises(ValidationError):
        services.campaign_update(
            actor=office_user, campaign=draft, version=draft.version - 1, title="Khác"
        )


def test_issued_plan_is_frozen_and_copy_makes_a_new_draft(draft, office_user):
    issued = services.campaign_issue(actor=office_user, campaign=draft, issued_on=date(2022, 5, 25))
    with pytest.raises(PermissionDenied):
        services.campaign_update(
            actor=office_user, campaign=issued, version=issued.version, title="Sửa"
        )
    copy = services.campaign_copy(actor=office_user, source=issued)
    assert copy.status == CampaignStatus.DRAFT
    assert copy.number is None
    assert copy.sections.count() == issued.sections.count()
    assert copy.assignments.count() == 5
    assert copy.recipients.count() == 11


def _children(campaign, related, fields):
    return [
        tuple(getattr(row, f) for f in fields)
        for row in getattr(campaign, related).order_by("position", "pk")
    ]


def _linked(campaign, related, link, field):
    return [
        sorted(getattr(row, link).values_list(field, flat=True))
        for row in getattr(campaign, related).order_by("position", "pk")
    ]


def test_copy_keeps_every_part_of_the_plan(draft, office_user):
    Criterion.objects.create(
        campaign=draft, position=0, text="Số buổi nói chuyện", target_value=12, target_unit="buổi"
    )
    Prize.objects.create(campaign=draft, position=0, tier="Nhất", count=1, amount=2_000_000)
    issued = services.campaign_issue(actor=office_user, campaign=draft, issued_on=date(2022, 5, 25))
    copy = services.campaign_copy(actor=office_user, source=issued)
    parts = {
        "sections": ("position", "level", "label", "title", "body"),
        "forms": ("position", "code", "label", "from_plan"),
        "criteria": ("position", "text", "target_value", "target_unit"),
        "award_forms": (
            "position",
            "name",
            "signer",
            "target",
            "quota",
            "quota_collective",
            "quota_individual",
            "text",
        ),
        "prizes": ("position", "tier", "count", "scope", "target", "amount", "text"),
        "assignments": ("position", "clause", "agencies_text", "text", "due_working_days"),
        "recipients": ("position", "text", "note", "role"),
    }
    for related, fields in parts.items():
        assert _children(copy, related, fields) == _children(issued, related, fields), related
    for related in parts:
        assert _children(issued, related, ("position",)), f"the seed plan has no {related}"
    recipients_units = _linked(issued, "recipients", "units", "pk")
    assert _linked(copy, "recipients", "units", "pk") == recipients_units
    task_units = _linked(issued, "assignments", "targets", "unit_id")
    assert _linked(copy, "assignments", "targets", "unit_id") == task_units
    assert any(recipients_units)
    assert any(task_units)


def _due_dates(campaign):
    return [
        (a.clause, a.due_date, a.due_working_days)
        for a in campaign.assignments.order_by("position", "pk")
    ]


def test_a_copy_for_next_year_moves_every_fixed_date_by_a_year(draft, office_user):
    """Copying last year's plan kept tasks in working days but dropped the fixed deadline of
    IV.3 (15/12/2022): the new plan had a task without a deadline."""
    Assignment.objects.filter(campaign=draft, clause="IV.5").update(due_working_days=10)
    issued = services.campaign_issue(actor=office_user, campaign=draft, issued_on=date(2022, 5, 25))
    copy = services.campaign_copy(actor=office_user, source=issued, year=2023)
    assert (copy.period_start, copy.period_end) == (date(2023, 5, 1), date(2023, 12, 31))
    assert (copy.report_deadline, copy.occasion_date) == (date(2023, 12, 15), date(2023, 7, 9))
    assert ("IV.3", date(2023, 12, 14), None) in _due_dates(copy)
    assert ("IV.5", None, 10) in _due_dates(copy)  # working days count from the new issue date
    assert ("IV.3", date(2022, 12, 14), None) in _due_dates(issued)  # the source is untouched
    log = ActionLog.objects.get(action="campaigns.campaign.copied")
    assert log.data == {"from": issued.pk, "years_moved": 1}


def test_a_draft_without_a_start_date_is_copied_from_the_year_its_dates_name(draft, office_user):
    """A draft for 2023 with no start date yet (issuing needs one; copying does not): its
    other dates say 2023, and a copy for 2024 moves them by one year."""
    Campaign.objects.filter(pk=draft.pk).update(
        period_start=None, occasion_date=None, period_end=date(2023, 12, 31),
        report_deadline=date(2023, 12, 15),
    )  # fmt: skip
    draft.refresh_from_db()
    copy = services.campaign_copy(actor=office_user, source=draft, year=2024)
    assert (copy.period_end, copy.report_deadline) == (date(2024, 12, 31), date(2024, 12, 15))
    assert ActionLog.objects.get(action="campaigns.campaign.copied").data["years_moved"] == 1


def test_a_copy_with_no_year_keeps_the_fixed_dates(draft, office_user):
    copy = services.campaign_copy(actor=office_user, source=draft)
    assert copy.period_start == draft.period_start
    assert ("IV.3", date(2022, 12, 14), None) in _due_dates(copy)


def test_shift_years_keeps_day_and_month():
    assert editing.shift_years(date(2022, 12, 15), 1) == date(2023, 12, 15)
    assert editing.shift_years(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert editing.shift_years(date(2024, 3, 1), -2) == date(2022, 3, 1)
    assert editing.shift_years(None, 1) is None
