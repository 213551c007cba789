"""One visibility rule per object kind (issue 21): for nominations, `nominations_visible_to`
(docs/domain.md: the proposing unit's officers and head, Phòng Nội vụ, signers, and council
members for dossiers on their agenda). The list page, the detail page and the API agree."""

import pytest
from django.urls import reverse

from tests.conftest import verified_client
from thidua.accounts.models import Role
from thidua.awards import services
from thidua.awards.selectors import nominations_visible_to
from thidua.campaigns.models import Delivery

pytestmark = pytest.mark.django_db

ROLES = [
    Role.SYSTEM_ADMIN,
    Role.EMULATION_OFFICE,
    Role.COUNCIL_MEMBER,
    Role.SIGNER,
    Role.UNIT_OFFICER,
    Role.UNIT_HEAD,
    Role.MEDIA_STAFF,
    Role.CONTEST_ORGANISER,
]


@pytest.fixture
def dossiers(campaign, giay_khen, officer, make_user, city):
    """A dossier of phường Suối Hoa and one of another delivered unit."""
    other = Delivery.objects.filter(campaign=campaign).exclude(unit=city.suoi_hoa).first().unit
    other_officer = make_user(Role.UNIT_OFFICER, other)
    return [
        services.nomination_create(
            actor=officer, campaign=campaign, unit=city.suoi_hoa, award_type=giay_khen
        ),
        services.nomination_create(
            actor=other_officer, campaign=campaign, unit=other, award_type=giay_khen
        ),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_the_same_dossiers_in_the_list_and_the_detail(
    role, dossiers, campaign, make_user
):
    user = make_user(role)
    client = verified_client(user)
    listed = {
        n["pk"]
        for n in client.get(reverse("awards:nomination-list", args=[campaign.pk])).context[
            "nominations"
        ]
    }
    opened = {
        n.pk
        for n in dossiers
        if client.get(reverse("awards:nomination-detail", args=[n.pk])).status_code == 200
    }
    visible = set(
        nominations_visible_to(actor=user)
        .filter(pk__in=[n.pk for n in dossiers])
        .values_list("pk", flat=True)
    )
    assert listed == opened == visible
    if role in {Role.EMULATION_OFFICE, Role.SIGNER}:
        assert visible == {n.pk for n in dossiers}
    elif role in {Role.UNIT_OFFICER, Role.UNIT_HEAD}:
        assert visible == {dossiers[0].pk}  # their own unit's only
    else:
        assert visible == set()
