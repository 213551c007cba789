import pytest

from thidua.accounts.models import Role
from thidua.campaigns import services
from thidua.demo import SEED_PLAN


@pytest.fixture
def seed_text() -> str:
    return SEED_PLAN.read_text(encoding="utf-8")


@pytest.fixture
def draft(city, office_user, seed_text):
    """The seed plan imported as a draft by Nội vụ, with what issuing requires filled in."""
    campaign = services.campaign_import(actor=office_user, text=seed_text, owner_unit=city.city)
    return services.campaign_update(
        actor=office_user,
        campaign=campaign,
        version=campaign.version,
        signer_name="Nguyễn Văn Thành",
    )


@pytest.fixture
def ward_officer(make_user, city):
    return make_user(Role.UNIT_OFFICER, city.suoi_hoa)
