"""Who may receive and appraise a dossier: Nội vụ of the body running its campaign, never a
ward's own emulation officer for the city's campaign (docs/security.md R15)."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.conftest import verified_client
from thidua.accounts.models import Role
from thidua.awards import rules, selectors, services
from thidua.awards.models import AppraisalRound, Nomination
from thidua.core.clock import today_local
from thidua.core.models import ActionLog
from thidua.organizations.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(campaign, giay_khen, officer, head, city):
    """A dossier of the city's campaign, submitted by a ward's unit head."""
    person = Person.objects.create(
        full_name="Vũ Thị Hạnh", gender="female", unit=city.suoi_hoa, category="public_employee"
    )
    n = services.nomination_create(
        actor=officer, campaign=campaign, unit=city.suoi_hoa, award_type=giay_khen
    )
    from tests.awards.test_services import complete

    complete(n, officer, [person])
    return services.nomination_submit(actor=head, nomination=n)


def _appraisal_trace(n: Nomination) -> tuple[str, int, int]:
    """The dossier's state, its appraisal rounds and its log lines about receiving/appraising."""
    n.refresh_from_db()
    logged = ActionLog.objects.filter(
        action__in=[
            "awards.nomination.received",
            "awards.nomination.returned",
            "awards.nomination.eligible",
            "awards.nomination.not_eligible",
        ]
    ).count()
    return n.status, AppraisalRound.objects.filter(nomination=n).count(), logged


def test_a_wards_officer_cannot_appraise_the_citys_dossiers(office_user, ward_office, submitted):
    """The ward's Nội vụ officer neither receives the city campaign's dossier nor, once the city
    received it, returns it or finds it eligible or not: refused, nothing changed, nothing
    logged. The city's Nội vụ receives and appraises it."""
    n = submitted
    with pytest.raises(PermissionDenied):
        services.nomination_receive(actor=ward_office, nomination=n)
    assert _appraisal_trace(n) == (Nomination.Status.SUBMITTED, 0, 0)

    services.nomination_receive(actor=office_user, nomination=n)
    assert _appraisal_trace(n) == (Nomination.Status.UNDER_APPRAISAL, 0, 1)
    refused = (
        lambda: services.nomination_return(actor=ward_office, nomination=n, note="Bổ sung"),
        lambda: services.nomination_appraise(
            actor=ward_office, nomination=n, eligible=True, checklist=AppraisalRound.every_check()
        ),
        lambda: services.nomination_appraise(
            actor=ward_office, nomination=n, eligible=False, note="Không đạt"
        ),
    )
    for attempt in refused:
        with pytest.raises(PermissionDenied):
            attempt()
    # Through the page as well.
    ward = verified_client(ward_office)
    response = ward.post(
        reverse("awards:nomination-appraise", args=[n.pk]),
        {"outcome": "eligible", "check": ["ho_so_day_du", "tieu_chuan", "khong_trung"]},
    )
    assert response.status_code in (302, 403)
    assert _appraisal_trace(n) == (Nomination.Status.UNDER_APPRAISAL, 0, 1)

    services.nomination_appraise(
        actor=office_user, nomination=n, eligible=True, checklist=AppraisalRound.every_check()
    )
    status, rounds, logged = _appraisal_trace(n)
    assert status != Nomination.Status.UNDER_APPRAISAL
    assert (rounds, logged) == (1, 2)


def test_a_wards_officer_is_not_asked_to_appraise_the_citys_dossiers(
    office_user, ward_office, submitted
):
    """The city's dossier is on the city's Nội vụ to-appraise list (and start page), with its
    receive button and then its appraisal form; the ward's officer sees neither."""
    n = submitted
    assert list(selectors.nominations_to_appraise_for(actor=office_user)) == [n]
    assert list(selectors.nominations_to_appraise_for(actor=ward_office)) == []
    city, ward = verified_client(office_user), verified_client(ward_office)
    url = reverse("awards:nomination-detail", args=[n.pk])
    receive = reverse("awards:nomination-receive", args=[n.pk])
    assert receive in city.get(url).content.decode()
    assert receive not in ward.get(url).content.decode()
    services.nomination_receive(actor=office_user, nomination=n)
    appraise = reverse("awards:nomination-appraise", args=[n.pk])
    assert appraise in city.get(url).content.decode()
    assert appraise not in ward.get(url).content.decode()
    assert list(selectors.nominations_to_appraise_for(actor=ward_office)) == []
    start = reverse("workspace:home")
    assert f"/de-nghi/{n.pk}/" in city.get(start).content.decode()
    assert f"/de-nghi/{n.pk}/" not in ward.get(start).content.decode()


def test_the_to_appraise_list_is_one_query(office_user, submitted, django_assert_num_queries):
    office_user.__dict__.pop("_thidua_fund_issuers", None)
    list(selectors.nominations_to_appraise_for(actor=office_user))  # roles, cached on the user
    with django_assert_num_queries(1):
        assert list(selectors.nominations_to_appraise_for(actor=office_user)) == [submitted]


def test_the_to_appraise_list_finds_the_body_above_the_campaigns_owner(
    office_user, ward_office, submitted, make_user, city
):
    """A campaign run by Phòng Nội vụ is the city's (the wards sit beside Phòng Nội vụ, not
    above it), and a neighbouring town's Nội vụ is not asked to appraise the city's dossiers."""
    from tests.conftest import make_unit
    from thidua.organizations.models import UnitKind

    town = make_unit("TXTS", "Ủy ban nhân dân thị xã Từ Sơn", UnitKind.DISTRICT, city.province)
    town_office = make_user(
        Role.EMULATION_OFFICE,
        make_unit("NV-TS", "Phòng Nội vụ thị xã", UnitKind.OFFICE, town),
        username="noivu-tuson",
    )
    for owner in (city.city, city.noivu):
        submitted.campaign.owner_unit = owner
        submitted.campaign.save(update_fields=["owner_unit"])
        n = Nomination.objects.get(pk=submitted.pk)  # the services' rule agrees with the list
        assert rules.can_appraise_nomination(office_user, n)
        assert not rules.can_appraise_nomination(ward_office, n)
        assert not rules.can_appraise_nomination(town_office, n)
        assert list(selectors.nominations_to_appraise_for(actor=office_user)) == [submitted]
        assert list(selectors.nominations_to_appraise_for(actor=ward_office)) == []
        assert list(selectors.nominations_to_appraise_for(actor=town_office)) == []


def test_another_bodys_officers_read_no_appraisal_notes_history_or_holds(
    office_user, make_user, submitted, campaign, giay_khen, officer, city
):
    """Another ward's Nội vụ officer and leader may open the city campaign's dossier (they read
    every dossier) but not how the city appraises it: the note it was returned with, the
    appraisal rounds, the dossier's history, the warning that a nominee is on hold (discipline,
    inspection) or in another dossier. The proposing unit, the city's Nội vụ and the city's
    leader read them as before."""
    n = submitted
    note = "Thiếu biên bản họp xét của đơn vị"
    services.nomination_receive(actor=office_user, nomination=n)
    services.nomination_return(actor=office_user, nomination=n, note=note)
    person = n.nominees.get().person
    services.hold_add(actor=office_user, person=person, reason="Kỷ luật", active_from=today_local())
    other = services.nomination_create(
        actor=officer, campaign=campaign, unit=city.suoi_hoa, award_type=giay_khen
    )
    services.nominee_add(actor=officer, nomination=other, person=person, achievements="Tốt")
    sensitive = (note, "Các lần thẩm định", "Lịch sử hồ sơ", "xem xét kỷ luật", "cũng có trong")

    url = reverse("awards:nomination-detail", args=[n.pk])
    for outsider in (
        make_user(Role.EMULATION_OFFICE, city.vu_ninh, username="noivu-vuninh"),
        make_user(Role.SIGNER, city.vu_ninh, username="ld-vuninh"),
    ):
        page = verified_client(outsider).get(url)
        assert page.status_code == 200
        for text in sensitive:
            assert text not in page.content.decode(), (outsider.username, text)
    for insider in (officer, office_user):
        page = verified_client(insider).get(url).content.decode()
        for text in sensitive:
            assert text in page, (insider.username, text)
    city_leader = verified_client(make_user(Role.SIGNER, city.city, username="ld-thanhpho"))
    assert note in city_leader.get(url).content.decode()


def test_eligible_with_a_check_left_blank_needs_the_reason(office_user, submitted):
    """ "Đủ điều kiện" clicked with checks unticked and no note concludes nothing and names the
    checks left blank; all checks ticked, or a note giving the reason (an override), concludes."""
    n = services.nomination_receive(actor=office_user, nomination=submitted)
    client = verified_client(office_user)
    url = reverse("awards:nomination-appraise", args=[n.pk])

    page = client.post(url, {"outcome": "eligible", "check": ["ho_so_day_du"]}, follow=True)
    text = page.content.decode()
    assert "Chưa kết luận" in text
    assert "Đạt tiêu chuẩn khen thưởng" in text.split("Chưa kết luận", 1)[1]
    assert _appraisal_trace(n) == (Nomination.Status.UNDER_APPRAISAL, 0, 1)

    client.post(url, {"outcome": "eligible", "note": "Đã đối chiếu bản gốc, đủ tiêu chuẩn."})
    n.refresh_from_db()
    assert n.status != Nomination.Status.UNDER_APPRAISAL
    appraisal = AppraisalRound.objects.get(nomination=n)
    assert appraisal.note == "Đã đối chiếu bản gốc, đủ tiêu chuẩn."


def test_eligible_with_every_check_ticked_concludes(office_user, submitted):
    n = services.nomination_receive(actor=office_user, nomination=submitted)
    checks = ["ho_so_day_du", "tieu_chuan", "khong_trung"]
    verified_client(office_user).post(
        reverse("awards:nomination-appraise", args=[n.pk]), {"outcome": "eligible", "check": checks}
    )
    n.refresh_from_db()
    assert n.status != Nomination.Status.UNDER_APPRAISAL
    assert AppraisalRound.objects.get(nomination=n).checklist == dict.fromkeys(checks, True)


def test_the_checks_ticked_are_shown_with_the_round_even_when_returned(
    office_user, officer, submitted
):
    """What Nội vụ ticked is kept with the round whatever the outcome, and the proposing unit
    reads it beside the outcome (it was stored for "Đủ điều kiện" only, and shown nowhere)."""
    n = services.nomination_receive(actor=office_user, nomination=submitted)
    verified_client(office_user).post(
        reverse("awards:nomination-appraise", args=[n.pk]),
        {"outcome": "return", "note": "Bổ sung báo cáo thành tích.", "check": ["khong_trung"]},
    )
    appraisal = AppraisalRound.objects.get(nomination=n)
    assert appraisal.outcome == AppraisalRound.Outcome.RETURNED
    assert appraisal.checklist == {"khong_trung": True}
    page = verified_client(officer).get(reverse("awards:nomination-detail", args=[n.pk]))
    rounds = page.content.decode().split("Các lần thẩm định", 1)[1]
    assert "Đã kiểm tra: Không trùng, không vượt số lượng" in rounds


@pytest.mark.parametrize(
    ("outcome", "check", "note"),
    [("eligible", ["ho_so_day_du", "khong_trung"], ""), ("return", ["tieu_chuan"], "   ")],
)
def test_a_refused_conclusion_keeps_the_ticks_and_the_note(
    office_user, submitted, outcome, check, note
):
    """Refused (a check left blank, a return without its reason), the dossier comes back with
    what Nội vụ ticked and typed, not a blank form to fill again."""
    n = services.nomination_receive(actor=office_user, nomination=submitted)
    response = verified_client(office_user).post(
        reverse("awards:nomination-appraise", args=[n.pk]),
        {"outcome": outcome, "check": check, "note": note},
    )
    assert response.status_code == 200
    page = response.content.decode()
    ticked = set(re.findall(r'name="check" value="(\w+)" id="c\d"\s*checked', page))
    assert ticked == set(check)
    assert _appraisal_trace(n) == (Nomination.Status.UNDER_APPRAISAL, 0, 1)


def test_the_service_holds_the_override_rule_not_only_the_page(office_user, submitted):
    """Any caller (the page, the demo, a script) concluding "Đủ điều kiện" with a check left
    blank needs the note; with every check ticked it concludes."""
    n = services.nomination_receive(actor=office_user, nomination=submitted)
    with pytest.raises(ValidationError, match="Chưa kết luận: chưa đánh dấu"):
        services.nomination_appraise(actor=office_user, nomination=n, eligible=True)
    assert _appraisal_trace(n) == (Nomination.Status.UNDER_APPRAISAL, 0, 1)
    n = services.nomination_appraise(
        actor=office_user, nomination=n, eligible=True, checklist=AppraisalRound.every_check()
    )
    assert n.status != Nomination.Status.UNDER_APPRAISAL
