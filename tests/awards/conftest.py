from datetime import date

import pytest

from thidua.awards.models import AwardRule, AwardType

FULL = ["submission", "achievement_report", "minutes"]


@pytest.fixture
def giay_khen(db):
    award = AwardType.objects.create(
        code="GK-TP",
        name="Giấy khen của Chủ tịch UBND thành phố",
        level="district",
        signer_title="Chủ tịch UBND thành phố",
    )
    AwardRule.objects.create(
        award_type=award,
        effective_from=date(2020, 1, 1),
        full_documents=FULL,
        quota_per_unit=2,
        processing_working_days=10,
        threshold_percent=50,
    )
    return award
