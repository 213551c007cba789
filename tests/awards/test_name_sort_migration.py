"""Migration 0018 recomputes award records' sort keys stored with the salutation."""

import importlib
from datetime import date

import pytest
from django.apps import apps

from thidua.awards.models import AwardRecord, AwardType
from thidua.core.text import person_sort_key, vi_sort_key

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "thidua.awards.migrations.0018_award_record_name_sort_without_salutation"
)


def test_stored_keys_are_recomputed_without_the_salutation(city):
    award = AwardType.objects.get(code="BK-TINH")
    rows = {
        "Bà Vũ Thị Hạnh": "individual",
        "Hộ ông Nguyễn Văn Hùng": "household",
        "Phường Suối Hoa": "collective",
    }
    for n, (name, subject) in enumerate(rows.items(), start=1):
        AwardRecord.objects.create(
            issuer_code="TPBN",
            year=2020,
            number=n,
            award_type=award,
            subject=subject,
            unit=city.suoi_hoa,
            recipient_name=name,
            unit_name=city.suoi_hoa.name,
            legacy_decision="1/QĐ-UBND",
            legacy_signed_on=date(2020, 1, 2),
            token=f"t-{n}",
            name_sort=vi_sort_key(name),  # as stored before
        )
    migration.recompute(apps, None)
    keys = dict(AwardRecord.objects.values_list("recipient_name", "name_sort"))
    assert keys == {
        "Bà Vũ Thị Hạnh": person_sort_key("Vũ Thị Hạnh"),
        "Hộ ông Nguyễn Văn Hùng": person_sort_key("Nguyễn Văn Hùng"),
        "Phường Suối Hoa": vi_sort_key("Phường Suối Hoa"),
    }
