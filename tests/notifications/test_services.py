import pytest
from django.core import mail

from thidua.accounts.models import Role
from thidua.notifications.models import Notice, OutboxMail
from thidua.notifications.services import notify, outbox_send_pending

pytestmark = pytest.mark.django_db


def test_notify_sends_mail_only_after_commit(make_user, django_capture_on_commit_callbacks):
    user = make_user(Role.UNIT_OFFICER)
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            users=[user, user], title="Kế hoạch mới", body="Đã ban hành kế hoạch.", url="/don-vi/"
        )
        assert len(mail.outbox) == 0
    assert Notice.objects.filter(user=user).count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Kế hoạch mới"
    assert OutboxMail.objects.get().status == OutboxMail.Status.SENT


def test_outbox_sweep_does_not_send_twice(make_user):
    OutboxMail.objects.create(to="a@example.vn", subject="Nhắc hạn", body="...")
    assert outbox_send_pending() == 1
    assert outbox_send_pending() == 0
    assert len(mail.outbox) == 1
