"""core.transitions through a real state machine: the registration's."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from tests.participation.test_services import commitments
from thidua.core.models import ActionLog
from thidua.core.transitions import can_move, transition
from thidua.notifications.models import Notice
from thidua.participation import services
from thidua.participation.models import Registration

pytestmark = pytest.mark.django_db


def test_every_move_of_a_registration_is_in_its_table():
    table = Registration.TRANSITIONS
    assert can_move(table, "draft", "pending_approval")
    assert can_move(table, "pending_approval", "submitted")
    assert not can_move(table, "submitted", "draft")  # a submitted registration is final


def test_transition_locks_checks_writes_logs_and_notifies(campaign, officer, head, city):
    reg = services.registration_save(
        actor=officer,
        campaign=campaign,
        unit=city.suoi_hoa,
        note="",
        commitments=commitments(campaign),
    )
    moved = transition(
        reg,
        to=Registration.Status.PENDING_APPROVAL,
        allowed_from=Registration.TRANSITIONS[Registration.Status.PENDING_APPROVAL],
        action="participation.registration.sent_for_approval",
        actor=officer,
        notify=lambda r: Notice.objects.create(user=head, title="chờ duyệt"),
        note="đã sửa",
    )
    moved.refresh_from_db()
    assert (moved.status, moved.note) == ("pending_approval", "đã sửa")
    assert (
        ActionLog.objects.filter(
            target_id=str(reg.pk), action="participation.registration.sent_for_approval"
        ).count()
        == 1
    )
    assert Notice.objects.filter(user=head, title="chờ duyệt").count() == 1

    again = services.registration_send_for_approval(actor=officer, registration=reg)  # a repeat
    assert again.status == "pending_approval"
    assert (
        ActionLog.objects.filter(
            target_id=str(reg.pk), action="participation.registration.sent_for_approval"
        ).count()
        == 1
    )  # nothing logged twice

    with pytest.raises(PermissionDenied):  # the table allows it, the rule does not
        services.registration_return(actor=officer, registration=reg, note="Sửa")
    services.registration_approve(actor=head, registration=reg)
    with pytest.raises(ValidationError, match="Chỉ trả lại được bản đăng ký đang chờ duyệt"):
        services.registration_return(actor=head, registration=reg, note="Muộn")


def test_touches_runs_in_the_transaction_after_the_save_and_not_on_a_repeat(
    campaign, officer, city
):
    reg = services.registration_save(
        actor=officer,
        campaign=campaign,
        unit=city.suoi_hoa,
        note="",
        commitments=commitments(campaign),
    )
    seen = []

    def touches(r):
        assert transaction.get_connection().in_atomic_block
        seen.append(Registration.objects.get(pk=r.pk).status)  # saved already

    to = Registration.Status.PENDING_APPROVAL
    for _ in range(2):  # the second is a repeat
        transition(
            reg,
            to=to,
            allowed_from=Registration.TRANSITIONS[to],
            action="participation.registration.sent_for_approval",
            actor=officer,
            touches=touches,
        )
    assert seen == ["pending_approval"]
