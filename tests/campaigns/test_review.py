"""Review proposals and unit matching at the right level (issue 17), recipient roles and what
they mean for delivery (issue 20)."""

from datetime import date, datetime
from importlib import import_module
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError

from tests.conftest import make_unit
from thidua.campaigns import services
from thidua.campaigns.matching import match_units, unit_candidates
from thidua.campaigns.models import Campaign, Delivery, Recipient, RecipientRole
from thidua.campaigns.review import payload_dump, payload_load, plan_proposal
from thidua.core.models import ActionLog
from thidua.organizations.models import UnitKind

pytestmark = pytest.mark.django_db


def test_a_wards_front_is_its_own_not_the_citys(city):
    city_front = make_unit(
        "MTTQ", "Ủy ban Mặt trận Tổ quốc Việt Nam thành phố", UnitKind.MASS_ORG, city.city
    )
    ward_front = make_unit(
        "MTTQ-SH", "Ủy ban MTTQ Việt Nam phường Suối Hoa", UnitKind.MASS_ORG, city.suoi_hoa
    )
    assert match_units("Ủy ban MTTQ phường", owner=city.suoi_hoa) == [ward_front]
    assert (
        match_units("Ủy ban Mặt trận Tổ quốc phường", owner=city.vu_ninh) == []
    )  # none, never the city's
    assert match_units("Ủy ban MTTQ Việt Nam thành phố", owner=city.suoi_hoa) == [city_front]
    assert match_units("Ủy ban MTTQ Việt Nam thành phố", owner=city.city) == [city_front]


def test_a_commune_under_the_province_after_2025_finds_the_provinces_departments(city):
    department = make_unit("SNV", "Sở Nội vụ tỉnh Bắc Ninh", UnitKind.OFFICE, city.province)
    commune = make_unit("X-TANPHU", "Ủy ban nhân dân xã Tân Phú", UnitKind.COMMUNE, city.province)
    office = make_unit("VHXH-TP", "Phòng Văn hóa - Xã hội", UnitKind.OFFICE, commune)
    assert match_units("Sở Nội vụ", owner=commune) == [department]
    assert match_units("Phòng Văn hóa - Xã hội xã", owner=commune) == [office]
    assert match_units("Phòng Nội vụ", owner=commune) == []  # the old city office is not its own
    assert [c.unit for c in unit_candidates("UBND tỉnh", owner=commune)] == [city.province]


def test_a_name_with_its_tones_placed_the_other_way_finds_the_unit(city):
    """A plan typed under the new rule ("Uỷ ban", "hoá", "Thuỷ") names the units stored under
    the old one, and the other way round."""
    office = make_unit("VHTT-TP", "Phòng Văn hóa và Thông tin", UnitKind.OFFICE, city.city)
    ward = make_unit("P-THUYKHUE", "Ủy ban nhân dân phường Thụy Khuê", UnitKind.WARD, city.city)
    school = make_unit("MN-HB", "Trường Mầm non Hoà Bình", UnitKind.SCHOOL, city.city)
    assert match_units("Phòng Văn hoá và Thông tin", owner=city.city) == [office]
    assert match_units("Uỷ ban nhân dân phường Thuỵ Khuê", owner=city.city) == [ward]
    assert match_units("Trường Mầm non Hòa Bình", owner=city.city) == [school]


def test_the_proposal_keeps_the_issuer_found_and_travels_signed(city, seed_text):
    proposal = plan_proposal(text=seed_text, owner=city.suoi_hoa)
    assert proposal["fields"]["issuer_name"] == "UBND thành phố Bắc Ninh"
    assert "khác đơn vị đã chọn" in proposal["doubts"]["issuer_name"]
    assert payload_load(payload_dump(proposal)) == proposal
    iv5 = next(a for a in proposal["assignments"] if a["clause"] == "IV.5")
    assert iv5["agencies_text"] == "Phòng Nội vụ thành phố"
    assert iv5["units"] == [city.noivu.pk]  # the level above the ward: the city's office
    roles = {r["text"]: r["role"] for r in proposal["recipients"]}
    assert roles["Ban TĐKT, Sở Nội vụ (để b/c)"] == RecipientRole.REPORT
    assert roles["Chủ tịch, các PCT UBND thành phố"] == RecipientRole.INFO
    assert roles["Lưu: VT, NV"] == RecipientRole.ARCHIVE


def test_issue_gives_each_receiving_unit_its_role(city, office_user, seed_text):
    department = make_unit("SNV", "Sở Nội vụ tỉnh Bắc Ninh", UnitKind.OFFICE, city.province)
    party = make_unit("TU", "Thành ủy Bắc Ninh", UnitKind.PARTY, city.city)
    draft = services.campaign_import(actor=office_user, text=seed_text, owner_unit=city.city)
    draft = services.campaign_update(
        actor=office_user, campaign=draft, version=draft.version, signer_name="Nguyễn Văn Thành"
    )
    services.campaign_issue(actor=office_user, campaign=draft, issued_on=date(2022, 5, 25))
    roles = dict(Delivery.objects.filter(campaign=draft).values_list("unit__code", "role"))
    assert roles[department.code] == RecipientRole.REPORT  # "Ban TĐKT, Sở Nội vụ (để b/c)"
    assert roles[party.code] == RecipientRole.REPORT  # "TT Thành uỷ, TT HĐND TP (để b/c)"
    assert roles["P-SUOIHOA"] == roles["P-VUNINH"] == RecipientRole.IMPLEMENT
    assert roles["NV"] == RecipientRole.IMPLEMENT  # it has tasks (IV.5); reporting leaves it out
    assert city.city.code not in roles


def test_the_role_migration_sorts_old_lines_and_deliveries(city, office_user, seed_text):
    department = make_unit("SNV", "Sở Nội vụ tỉnh Bắc Ninh", UnitKind.OFFICE, city.province)
    draft = services.campaign_import(actor=office_user, text=seed_text, owner_unit=city.city)
    draft = services.campaign_update(
        actor=office_user, campaign=draft, version=draft.version, signer_name="A"
    )
    services.campaign_issue(actor=office_user, campaign=draft, issued_on=date(2022, 5, 25))
    Recipient.objects.filter(campaign=draft).update(role=RecipientRole.IMPLEMENT)  # as before
    Delivery.objects.filter(campaign=draft).update(role=RecipientRole.IMPLEMENT)
    migration = import_module("thidua.campaigns.migrations.0004_recipient_and_delivery_roles")
    migration.forwards(apps, None)
    lines = dict(Recipient.objects.filter(campaign=draft).values_list("text", "role"))
    assert lines["Ban TĐKT, Sở Nội vụ (để b/c)"] == RecipientRole.REPORT
    assert lines["Lưu: VT, NV"] == RecipientRole.ARCHIVE
    assert lines["Các phòng, ban, ngành của thành phố"] == RecipientRole.IMPLEMENT
    assert Delivery.objects.get(campaign=draft, unit=department).role == RecipientRole.REPORT
    assert Delivery.objects.get(campaign=draft, unit=city.suoi_hoa).role == RecipientRole.IMPLEMENT


def test_a_junk_draft_is_deleted_and_logged(draft, office_user, make_user, city):
    with pytest.raises(PermissionDenied):
        services.campaign_delete_draft(
            actor=make_user("unit_officer", city.suoi_hoa), campaign=draft
        )
    pk = draft.pk
    services.campaign_delete_draft(actor=office_user, campaign=draft)
    assert not Campaign.objects.filter(pk=pk).exists()
    entry = ActionLog.objects.get(action="campaigns.campaign.deleted", target_id=str(pk))
    assert entry.actor == office_user
    assert entry.data["title"].startswith("Phát động phong trào")


def test_an_issued_plan_cannot_be_deleted(draft, office_user):
    issued = services.campaign_issue(actor=office_user, campaign=draft, issued_on=date(2022, 5, 25))
    with pytest.raises(PermissionDenied):
        services.campaign_delete_draft(actor=office_user, campaign=issued)


def test_an_officer_adds_an_activity_type_the_plan_did_not_list(draft, office_user, ward_officer):
    issued = services.campaign_issue(actor=office_user, campaign=draft, issued_on=date(2022, 5, 25))
    with pytest.raises(PermissionDenied):
        services.activity_form_add(
            actor=ward_officer, campaign=issued, label="Tọa đàm", code="SEMINAR"
        )
    with pytest.raises(ValidationError):
        services.activity_form_add(actor=office_user, campaign=issued, label="  ", code="OTHER")
    added = services.activity_form_add(
        actor=office_user,
        campaign=issued,
        label="Tọa đàm “Tuổi trẻ với Tổng Bí thư Nguyễn Văn Cừ”",
        code="SEMINAR",
    )
    assert (added.from_plan, added.position) == (False, 5)
    again = services.activity_form_add(
        actor=office_user,
        campaign=issued,
        label="tọa đàm “tuổi trẻ với tổng bí thư nguyễn văn cừ”",
        code="OTHER",
    )
    assert again == added
    assert ActionLog.objects.filter(action="campaigns.activity_form.added").count() == 1


def test_a_body_reported_to_stays_a_superior_even_in_an_emulation_block(
    city, office_user, seed_text
):
    """The demo puts Thành ủy in the block of Party and mass organisations; "khối thi đua"
    in IV.1 reaches it, but "TT Thành uỷ (để b/c)" says the plan reports to it."""
    from thidua.organizations.models import EmulationBlock

    party = make_unit("TU", "Thành ủy Bắc Ninh", UnitKind.PARTY, city.city)
    block = EmulationBlock.objects.create(year=2022, name="Khối Đảng, đoàn thể")
    block.members.set([party, city.centre])
    draft = services.campaign_import(actor=office_user, text=seed_text, owner_unit=city.city)
    assert party in {t.unit for t in draft.assignments.get(clause="IV.1").targets.all()}
    draft = services.campaign_update(
        actor=office_user, campaign=draft, version=draft.version, signer_name="A"
    )
    services.campaign_issue(actor=office_user, campaign=draft, issued_on=date(2022, 5, 25))
    assert Delivery.objects.get(campaign=draft, unit=party).role == RecipientRole.REPORT
    assert Delivery.objects.get(campaign=draft, unit=city.centre).role == RecipientRole.IMPLEMENT


def test_a_task_due_before_a_day_is_late_on_that_day(draft, office_user):
    """ "báo cáo … trước 15/12/2022" (IV.3): the last day is 14/12/2022 (docs/domain.md), so the
    unit's task shows that deadline and is overdue on 15/12, not a day later."""
    services.campaign_issue(actor=office_user, campaign=draft, issued_on=date(2022, 5, 25))
    task = draft.assignments.get(clause="IV.3")
    assert task.due_date == date(2022, 12, 14)
    target = task.targets.first()
    with time_machine.travel(datetime(2022, 12, 15, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))):
        assert target.is_overdue
