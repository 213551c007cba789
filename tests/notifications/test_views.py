import pytest
from django.urls import reverse

from tests.conftest import verified_client
from thidua.accounts.models import Role
from thidua.notifications.models import Notice
from thidua.notifications.services import notify

pytestmark = pytest.mark.django_db


def test_opening_a_notice_marks_it_read_and_goes_to_its_page(make_user):
    """Opening a notice from the list left it unread: the count in the menu only fell with
    "Đánh dấu tất cả đã đọc". Now a notice opened is read, and leads to its page (or back to
    the list when it links nowhere); another user's notice is not found."""
    officer = make_user(Role.UNIT_OFFICER)
    other = make_user(Role.UNIT_OFFICER, username="donvi-khac")
    notify(users=[officer, other], title="Hồ sơ bị trả lại", url="/ho-so/7/")
    notify(users=[officer], title="Nhắc hạn báo cáo")
    notify(users=[officer], title="Liên kết lạ", url="https://vi-du.invalid/dang-nhap")
    client = verified_client(officer)
    listing = client.get(reverse("notifications:notice-list")).content.decode()
    returned, reminder, odd = (
        Notice.objects.get(user=officer, title=t)
        for t in ("Hồ sơ bị trả lại", "Nhắc hạn báo cáo", "Liên kết lạ")
    )
    assert reverse("notifications:notice-open", args=[returned.pk]) in listing
    assert 'badge text-bg-warning">3<' in listing
    opened = client.get(reverse("notifications:notice-open", args=[returned.pk]))
    assert (opened.status_code, opened.url) == (302, "/ho-so/7/")
    returned.refresh_from_db()
    assert returned.read_at is not None
    assert Notice.objects.get(user=other).read_at is None
    back = client.get(reverse("notifications:notice-open", args=[reminder.pk]))
    assert back.url == reverse("notifications:notice-list")
    away = client.get(reverse("notifications:notice-open", args=[odd.pk]))
    assert away.url == reverse("notifications:notice-list")  # never to another site
    listing = client.get(reverse("notifications:notice-list")).content.decode()
    assert "badge text-bg-warning" not in listing
    theirs = Notice.objects.get(user=other)
    assert client.get(reverse("notifications:notice-open", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
