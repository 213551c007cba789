"""Who may change the unit tree and its people: a system administrator anywhere; Nội vụ within
the bodies it works for (a ward's officer its ward, the city's the city), never another ward's
or the city's units, which would move them, and their people, into the ward's reach
(docs/security.md R24)."""

import pytest
from django.core.exceptions import PermissionDenied

from tests.conftest import make_unit
from thidua.accounts.models import Role
from thidua.core.models import ActionLog
from thidua.organizations.models import Person, Unit, UnitKind
from thidua.organizations.rules import issuer_prefixes_acted_for, issuers_acted_for
from thidua.organizations.services import people, units

pytestmark = pytest.mark.django_db


def test_a_wards_officer_changes_no_unit_outside_the_ward(ward_office, office_user, city):
    neighbour = Person.objects.create(
        full_name="Trần Văn Lâm", gender="male", unit=city.vu_ninh, category="civil_servant"
    )
    before = ActionLog.objects.count()
    for change in (
        # another ward moved under this one would bring its people into the ward's reach
        lambda: units.unit_update(actor=ward_office, unit=city.vu_ninh, parent=city.suoi_hoa),
        lambda: units.unit_update(actor=ward_office, unit=city.noivu, headcount=1),
        lambda: units.unit_update(actor=ward_office, unit=city.suoi_hoa, parent=city.province),
        lambda: units.unit_create(
            actor=ward_office, code="X1", name="Phòng mới", kind=UnitKind.OFFICE, parent=city.city
        ),
        lambda: units.unit_merge(
            actor=ward_office,
            predecessors=[city.vu_ninh, city.suoi_hoa],
            code="P-MOI",
            name="Phường mới",
            effective=city.suoi_hoa.valid_from.replace(year=2024),
        ),
        lambda: people.person_create(
            actor=ward_office,
            full_name="Ngô Thị Hoa",
            gender="female",
            unit=city.vu_ninh,
            category="civil_servant",
        ),
        lambda: people.person_update(actor=ward_office, person=neighbour, position="Chủ tịch"),
    ):
        with pytest.raises(PermissionDenied):
            change()
    assert ActionLog.objects.count() == before
    city.vu_ninh.refresh_from_db()
    assert city.vu_ninh.parent_id == city.city.pk
    # Within the ward, the ward's Nội vụ keeps its units and people; the city's, everything.
    school = units.unit_create(
        actor=ward_office, code="MN-SH", name="Trường Mầm non", kind=UnitKind.SCHOOL,
        parent=city.suoi_hoa,
    )  # fmt: skip
    units.unit_update(actor=ward_office, unit=school, headcount=30)
    units.unit_update(actor=office_user, unit=city.vu_ninh, headcount=40)
    people.person_update(actor=office_user, person=neighbour, position="Chủ tịch")
    assert Unit.objects.get(pk=school.pk).headcount == 30


def test_a_wards_officer_does_not_change_the_citys_block_of_wards(ward_office, office_user, city):
    from thidua.organizations.models import EmulationBlock

    block = people.block_save(
        actor=office_user, block=None, year=2022, name="Khối các phường", kind=EmulationBlock.Kind.BLOCK,
        head_unit=city.vu_ninh, deputy_unit=None, members=[city.vu_ninh, city.suoi_hoa],
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        people.block_save(
            actor=ward_office, block=block, year=2022, name="Khối các phường", kind=EmulationBlock.Kind.BLOCK,
            head_unit=city.suoi_hoa, deputy_unit=None, members=[city.suoi_hoa],
        )  # fmt: skip
    block = EmulationBlock.objects.get(pk=block.pk)
    assert (block.head_unit, block.members.count()) == (city.vu_ninh, 2)


def test_an_officer_works_for_the_body_above_the_unit_of_the_grant(city, make_user):
    """The body (issuer) an officer works for, however deep the unit the role was granted at:
    the body itself, an office of it (read with the roles), or a team inside that office (read
    from the ancestors' kinds); the scope of rows under those bodies is their subtrees."""
    team = make_unit("NV-TO", "Tổ thi đua", UnitKind.OTHER, city.noivu)
    cases = {
        "city-itself": (city.city, city.city),
        "city-office": (city.noivu, city.city),
        "city-team": (team, city.city),
        "ward-itself": (city.vu_ninh, city.vu_ninh),
    }
    for username, (granted_at, body) in cases.items():
        officer = make_user(Role.EMULATION_OFFICE, granted_at, username=username)
        assert issuers_acted_for(officer, Role.EMULATION_OFFICE) == {body.pk}, username
        assert issuer_prefixes_acted_for(officer, Role.EMULATION_OFFICE) == {
            body.pk: f"{body.path}{body.pk}/"
        }, username
        assert issuers_acted_for(officer, Role.SIGNER) == set(), username
