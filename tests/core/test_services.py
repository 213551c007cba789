from datetime import date

import pytest
from django.core.exceptions import ValidationError

from thidua.core.models import ActionLog, IssuedDocument
from thidua.core.services import document_number_take

pytestmark = pytest.mark.django_db


def take(day: date, doc_type: str = "KH") -> IssuedDocument:
    return document_number_take(
        actor=None,
        issuer_code="TPBN",
        doc_type=doc_type,
        symbol=f"{doc_type}-UBND",
        issued_on=day,
        summary="Kế hoạch thử",
    )


def test_numbers_run_per_type_and_restart_each_year():
    assert take(date(2022, 5, 25)).reference == "01/KH-UBND"
    assert take(date(2022, 6, 1)).reference == "02/KH-UBND"
    assert take(date(2022, 6, 1), "QĐ").reference == "01/QĐ-UBND"
    assert take(date(2023, 1, 3)).reference == "01/KH-UBND"
    assert IssuedDocument.objects.count() == 4
    assert ActionLog.objects.filter(action="core.document.numbered").count() == 4


def test_reference_without_leading_zero_from_ten():
    for _ in range(10):
        entry = take(date(2022, 5, 25))
    assert entry.reference == "10/KH-UBND"


def test_numbers_follow_dates_within_a_series():
    take(date(2022, 6, 10), "QĐ")
    with pytest.raises(ValidationError) as exc:
        take(date(2022, 6, 9), "QĐ")
    assert exc.value.messages == [
        "Không thể ban hành với ngày 09/06/2022: Quyết định số 01/QĐ-UBND đã ban hành ngày "
        "10/06/2022 và mang số trước. Số trong sổ văn bản tăng dần theo ngày ban hành, nên ngày "
        "ký phải từ 10/06/2022 trở đi."
    ]
    # The refused attempt used no number; the same day and other series are fine.
    assert take(date(2022, 6, 10), "QĐ").reference == "02/QĐ-UBND"
    assert take(date(2022, 6, 1), "KH").reference == "01/KH-UBND"
    assert take(date(2023, 1, 2), "QĐ").reference == "01/QĐ-UBND"
    assert IssuedDocument.objects.filter(issued_on=date(2022, 6, 9)).count() == 0
