"""One object's history panel (core.selectors.action_log_for): its own entries only, newest
first, at most `limit`, whatever other object shares its id."""

import pytest

from thidua.accounts.models import User
from thidua.core.selectors import action_log_for
from thidua.core.services import action_log_record

pytestmark = pytest.mark.django_db


def test_history_is_the_objects_own_newest_first_and_bounded(city, office_user):
    ward = city.vu_ninh
    for n in range(4):
        action_log_record(actor=office_user, action=f"test.step{n}", target=ward)
    action_log_record(actor=None, action="test.other_unit", target=city.suoi_hoa)
    # Another kind of object with the ward's primary key: not in the panel.
    action_log_record(actor=None, action="test.other_kind", target=User(pk=ward.pk))

    history = list(action_log_for(ward, limit=3))

    assert [e.action for e in history] == ["test.step3", "test.step2", "test.step1"]
    assert all(e.actor is not None for e in history)
