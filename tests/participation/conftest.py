from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from thidua.accounts.models import Role
from thidua.campaigns import services as campaigns
from thidua.demo import CRITERIA, SEED_PLAN


@pytest.fixture
def campaign(city, office_user):
    """The seed plan, with the demo criteria, issued and running."""
    draft = campaigns.campaign_import(
        actor=office_user, text=SEED_PLAN.read_text(encoding="utf-8"), owner_unit=city.city
    )
    draft = campaigns.campaign_update(
        actor=office_user, campaign=draft, version=draft.version, signer_name="A"
    )
    campaigns.campaign_items_replace(
        actor=office_user, campaign=draft, kind="criteria", items=CRITERIA
    )
    return campaigns.campaign_issue(actor=office_user, campaign=draft, issued_on=date(2022, 5, 25))


@pytest.fixture
def officer(make_user, city):
    return make_user(Role.UNIT_OFFICER, city.suoi_hoa)


@pytest.fixture
def head(make_user, city):
    return make_user(Role.UNIT_HEAD, city.suoi_hoa)


def photo(
    name: str = "anh.jpg", size: tuple[int, int] = (640, 480), gps: bool = False
) -> SimpleUploadedFile:
    image = Image.new("RGB", size, (120, 30, 30))
    buffer = BytesIO()
    exif = Image.Exif()
    if gps:
        exif[0x8825] = {1: "N", 2: (21.0, 11.0, 0.0)}
    image.save(buffer, "JPEG", exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")
