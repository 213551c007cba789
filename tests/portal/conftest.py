from datetime import datetime, timedelta

import pytest

from tests.conftest import verified_client
from tests.factories.images import photo
from thidua.accounts.models import Role
from thidua.core.clock import now
from thidua.portal import services


@pytest.fixture
def media(make_user):
    return make_user(Role.MEDIA_STAFF)


@pytest.fixture
def media_client(media):
    return verified_client(media)


@pytest.fixture
def site(campaign, media):
    return services.site_save(actor=media, campaign=campaign, is_public=True, intro="Giới thiệu")


@pytest.fixture
def section(site, media):
    return services.section_create(actor=media, site=site, name="Hoạt động các đơn vị")


@pytest.fixture
def publish(media, site, section):
    """Publish an article now, or at a given moment."""

    def _publish(
        title: str = "Tọa đàm về Tổng Bí thư Nguyễn Văn Cừ", at: datetime | None = None, **extra
    ):
        article = services.article_save(
            actor=media, site=site, section=section, title=title, body="<p>Nội dung</p>", **extra
        )
        return services.article_publish(actor=media, article=article, publish_at=at)

    return _publish


def later(hours: int = 2) -> datetime:
    return now() + timedelta(hours=hours)


__all__ = ["later", "photo"]
