"""Who may hold a person or a collective (tạm dừng xét khen) and end the hold: Nội vụ of a body
at or above the subject's unit; a ward's officer only within the ward (docs/security.md R17)."""

import importlib
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests.conftest import verified_client
from thidua.accounts.models import Role
from thidua.awards import services
from thidua.awards.models import Hold
from thidua.core.models import ActionLog
from thidua.organizations.models import Person

pytestmark = pytest.mark.django_db


def _person(name: str, unit, folded: str) -> Person:
    return Person.objects.create(
        full_name=name, gender="female", unit=unit, category="worker", search_text=folded
    )


def _hold_log() -> int:
    return ActionLog.objects.filter(action__in=["awards.hold.added", "awards.hold.ended"]).count()


def test_a_wards_officer_holds_only_within_the_ward(office_user, ward_office, city):
    """The ward's Nội vụ officer may not hold a person of another ward, a person of a city
    office or a city-level collective, nor end the hold the city put on one: refused in
    Vietnamese, nothing written or logged. Within the ward they hold and end; the city's Nội vụ
    holds anyone in the city, the ward's people included."""
    elsewhere = _person("Lê Thị Mai", city.vu_ninh, "le thi mai")
    at_city = _person("Phạm Văn Hòa", city.centre, "pham van hoa")
    day = date(2022, 12, 1)
    refused = (
        lambda: services.hold_add(
            actor=ward_office, person=elsewhere, reason="Đang thanh tra", active_from=day
        ),
        lambda: services.hold_add(
            actor=ward_office, person=at_city, reason="Đang thanh tra", active_from=day
        ),
        lambda: services.hold_add(
            actor=ward_office, unit=city.centre, reason="Đang thanh tra", active_from=day
        ),
    )
    for attempt in refused:
        with pytest.raises(PermissionDenied, match="Chỉ Nội vụ của cơ quan quản lý"):
            attempt()
    assert (Hold.objects.count(), _hold_log()) == (0, 0)

    city_hold = services.hold_add(
        actor=office_user, person=at_city, reason="Đang xem xét kỷ luật", active_from=day
    )
    with pytest.raises(PermissionDenied):
        services.hold_end(actor=ward_office, hold=city_hold, day=date(2022, 12, 5))
    city_hold.refresh_from_db()
    assert (city_hold.active_to, _hold_log()) == (None, 1)

    own = _person("Vũ Thị Hạnh", city.suoi_hoa, "vu thi hanh")
    ward_hold = services.hold_add(
        actor=ward_office, person=own, reason="Đang xem xét kỷ luật", active_from=day
    )
    services.hold_end(actor=ward_office, hold=ward_hold, day=date(2022, 12, 5))
    ward_hold.refresh_from_db()
    assert ward_hold.active_to == date(2022, 12, 5)
    services.hold_add(actor=office_user, unit=city.suoi_hoa, reason="Thanh tra", active_from=day)
    services.hold_end(actor=office_user, hold=city_hold, day=date(2022, 12, 5))
    assert _hold_log() == 5


def test_a_wards_officer_sees_and_ends_only_the_wards_holds(office_user, ward_office, city):
    """The page lists, finds and ends only what the ward's officer may hold: the city's hold on
    a city office's employee (its reason is sensitive) is not listed, the employee is not found,
    and posting to end that hold or to hold them changes nothing."""
    at_city = _person("Phạm Văn Hòa", city.centre, "pham van hoa")
    own = _person("Phạm Thị Hoa", city.suoi_hoa, "pham thi hoa")
    day = date(2022, 12, 1)
    city_hold = services.hold_add(
        actor=office_user, person=at_city, reason="Đang thanh tra công vụ", active_from=day
    )
    url = reverse("awards:hold-list")
    ward, town = verified_client(ward_office), verified_client(office_user)

    assert "Đang thanh tra công vụ" in town.get(url).content.decode()
    page = ward.get(url).content.decode()
    assert "Đang thanh tra công vụ" not in page
    assert reverse("awards:hold-end", args=[city_hold.pk]) not in page
    found = ward.get(url, {"q": "pham"}).content.decode()
    assert "Phạm Thị Hoa" in found
    assert "Phạm Văn Hòa" not in found
    assert "Phạm Văn Hòa" in town.get(url, {"q": "pham"}).content.decode()

    assert ward.post(reverse("awards:hold-end", args=[city_hold.pk])).status_code == 404
    refused = ward.post(url, {"person": at_city.pk, "reason": "X", "active_from": "01/12/2022"})
    assert refused.status_code == 200
    city_hold.refresh_from_db()
    assert (city_hold.active_to, Hold.objects.count(), _hold_log()) == (None, 1, 1)

    ward.post(url, {"person": own.pk, "reason": "Kỷ luật", "active_from": "01/12/2022"})
    mine = Hold.objects.get(person=own)
    page = ward.get(url).content.decode()
    assert "Kỷ luật" in page
    assert reverse("awards:hold-end", args=[mine.pk]) in page


def test_a_hold_is_ended_by_the_body_that_placed_it_or_one_above(office_user, ward_office, city):
    """A hold records the body whose Nội vụ placed it. The city's hold on a ward's person is
    listed to the ward's officer (they must know not to propose them) with the city named as
    the body that placed it, but has no end button, and ending it is refused in Vietnamese:
    nothing written or logged. The ward's own hold is ended by the ward or by the city."""
    own = _person("Vũ Thị Hạnh", city.suoi_hoa, "vu thi hanh")
    other = _person("Trần Văn Nam", city.suoi_hoa, "tran van nam")
    day = date(2022, 12, 1)
    city_hold = services.hold_add(
        actor=office_user, person=own, reason="Đang thanh tra công vụ", active_from=day
    )
    ward_hold = services.hold_add(
        actor=ward_office, person=other, reason="Đang xem xét kỷ luật", active_from=day
    )
    assert (city_hold.placed_by, ward_hold.placed_by) == (city.city, city.suoi_hoa)

    with pytest.raises(PermissionDenied, match="Chỉ Nội vụ của Ủy ban nhân dân thành phố"):
        services.hold_end(actor=ward_office, hold=city_hold, day=date(2022, 12, 5))
    url = reverse("awards:hold-list")
    ward, town = verified_client(ward_office), verified_client(office_user)
    page = ward.get(url).content.decode()
    assert "Đang thanh tra công vụ" in page
    assert "Ủy ban nhân dân thành phố Bắc Ninh" in page
    assert reverse("awards:hold-end", args=[city_hold.pk]) not in page
    assert reverse("awards:hold-end", args=[ward_hold.pk]) in page
    assert ward.post(reverse("awards:hold-end", args=[city_hold.pk])).status_code == 403
    city_hold.refresh_from_db()
    assert (city_hold.active_to, _hold_log()) == (None, 2)

    page = town.get(url).content.decode()
    for hold in (city_hold, ward_hold):
        assert reverse("awards:hold-end", args=[hold.pk]) in page
    services.hold_end(actor=office_user, hold=ward_hold, day=date(2022, 12, 5))
    services.hold_end(actor=office_user, hold=city_hold, day=date(2022, 12, 5))
    assert _hold_log() == 4


def test_a_hold_placed_before_bodies_were_recorded_goes_to_the_highest_body_with_noi_vu(
    office_user, ward_office, city
):
    """The data migration gives each existing hold the highest body at or above its subject
    that has a Nội vụ officer: the city (not the province, which has none here), so the ward's
    officer can no longer end it and the city's still can."""
    from django.apps import apps

    fill = importlib.import_module("thidua.awards.migrations.0019_hold_placed_by").fill_placed_by
    own = _person("Vũ Thị Hạnh", city.suoi_hoa, "vu thi hanh")
    old = Hold.objects.create(
        person=own, placed_by=city.suoi_hoa, reason="Kỷ luật", active_from=date(2022, 1, 1)
    )
    collective = Hold.objects.create(
        unit=city.suoi_hoa,
        placed_by=city.suoi_hoa,
        reason="Thanh tra",
        active_from=date(2022, 1, 1),
    )
    fill(apps, None)
    old.refresh_from_db()
    collective.refresh_from_db()
    assert (old.placed_by, collective.placed_by) == (city.city, city.city)
    with pytest.raises(PermissionDenied):
        services.hold_end(actor=ward_office, hold=old, day=date(2022, 12, 5))
    services.hold_end(actor=office_user, hold=old, day=date(2022, 12, 5))


def test_holding_someone_outside_the_body_is_refused_on_the_form_with_the_input_kept(
    ward_office, city
):
    """A ward's officer who sends the hold form for a city office's employee (a page opened
    before they moved, say) gets the service's refusal in Vietnamese on that form, with the
    reason and dates they typed, not a 403 page; nothing is written or logged."""
    at_city = _person("Phạm Văn Hòa", city.centre, "pham van hoa")
    ward = verified_client(ward_office)
    url = reverse("awards:hold-list")
    typed = {
        "person": at_city.pk,
        "reason": "Đang thanh tra công vụ",
        "active_from": "01/12/2022",
        "active_to": "31/12/2022",
    }
    page = ward.post(url, typed)
    assert page.status_code == 200
    form = _refused_form(page.content.decode())
    assert "Chỉ Nội vụ của cơ quan quản lý cá nhân, tập thể này" in form
    assert "Phạm Văn Hòa" in form
    for value in ("Đang thanh tra công vụ", "01/12/2022", "31/12/2022"):
        assert f'value="{value}"' in form
    assert (Hold.objects.count(), _hold_log()) == (0, 0)


def test_a_refused_hold_shows_its_error_on_the_subjects_form_in_the_results(ward_office, city):
    """Among the search results, the form that was sent shows the error and keeps what was
    typed; the other subjects' forms stay empty."""
    own = _person("Phạm Thị Hoa", city.suoi_hoa, "pham thi hoa")
    _person("Phạm Thị Lan", city.suoi_hoa, "pham thi lan")
    ward = verified_client(ward_office)
    url = reverse("awards:hold-list") + "?q=pham"
    page = ward.post(url, {"person": own.pk, "reason": "Kỷ luật", "active_from": "31/02/2022"})
    html = page.content.decode()
    form = _refused_form(html)
    assert "Phạm Thị Hoa" in form
    assert "Ngày bắt đầu không hợp lệ (dd/mm/yyyy)." in form
    assert 'value="Kỷ luật"' in form
    assert 'value="31/02/2022"' in form
    assert html.count('value="Kỷ luật"') == 1
    assert "Phạm Thị Lan" in html
    assert "Chưa ghi nhận tạm dừng xét khen" not in html  # not shown twice
    assert Hold.objects.count() == 0


def _refused_form(html: str) -> str:
    start = html.index('id="hold-refused"')
    return html[start : html.index("</form>", start)]


def test_a_merged_away_wards_holds_pass_to_the_ward_that_takes_over(
    office_user, ward_office, make_user, city
):
    """When the ward that placed a hold merges into a new ward, the hold passes to the new
    ward, as its people do: the new ward's Nội vụ finds it with an end button and ends it, and
    the change is in the action log. A hold the ward had already ended keeps its placer, and
    the city's hold is untouched."""
    from thidua.organizations import services as org_services

    own = _person("Vũ Thị Hạnh", city.suoi_hoa, "vu thi hanh")
    other = _person("Trần Văn Nam", city.suoi_hoa, "tran van nam")
    day = date(2024, 6, 1)
    open_hold = services.hold_add(
        actor=ward_office, person=own, reason="Đang xem xét kỷ luật", active_from=day
    )
    ended = services.hold_add(
        actor=ward_office,
        person=other,
        reason="Đang thanh tra",
        active_from=day,
        active_to=date(2024, 9, 1),
    )
    city_hold = services.hold_add(
        actor=office_user, person=other, reason="Thanh tra công vụ", active_from=day
    )
    new = org_services.unit_merge(
        actor=office_user,
        predecessors=[city.suoi_hoa, city.vu_ninh],
        code="P-SHVN",
        name="Ủy ban nhân dân phường Suối Hoa Vũ Ninh",
        effective=date(2024, 12, 1),
    )
    for hold in (open_hold, ended, city_hold):
        hold.refresh_from_db()
    assert (open_hold.placed_by, ended.placed_by, city_hold.placed_by) == (
        new,
        city.suoi_hoa,
        city.city,
    )
    passed = ActionLog.objects.get(action="awards.hold.passed")
    assert (passed.target_id, passed.data["from"], passed.data["to"]) == (
        str(open_hold.pk),
        "P-SUOIHOA",
        "P-SHVN",
    )

    successor_office = make_user(Role.EMULATION_OFFICE, new, username="noivu-shvn")
    client = verified_client(successor_office)
    page = client.get(reverse("awards:hold-list")).content.decode()
    assert "Đang xem xét kỷ luật" in page
    assert reverse("awards:hold-end", args=[open_hold.pk]) in page
    client.post(reverse("awards:hold-end", args=[open_hold.pk]))
    open_hold.refresh_from_db()
    assert open_hold.active_to is not None


def test_a_broad_hold_search_says_to_narrow_it(office_user, city):
    """The search shows the first 20 people; when more match it says so and asks for more of
    the name (the 21st person was silently missing)."""
    for i in range(21):
        _person(f"Phạm Văn Số {i:02}", city.suoi_hoa, f"pham van so {i:02}")
    client = verified_client(office_user)
    url = reverse("awards:hold-list")
    broad = client.get(url, {"q": "pham"}).content.decode()
    assert broad.count('name="reason"') == 20
    assert "Chỉ hiện 20 cá nhân, 0 tập thể đầu tiên tìm thấy" in broad
    narrow = client.get(url, {"q": "pham van so 07"}).content.decode()
    assert "Phạm Văn Số 07" in narrow
    assert 'id="more-results"' not in narrow
