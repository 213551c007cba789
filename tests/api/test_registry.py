from tests.awards.conftest import (  # noqa: F401 - fixtures
    board,
    decided,
    eligible,
    giay_khen,
    recommended,
    signer,
)
from thidua.accounts.models import Role


def test_award_registry_and_decisions_follow_the_token_scope(city, decided, issue):  # noqa: F811
    _, ward = issue(city.suoi_hoa)
    records = ward.get("/api/v1/award-records", {"q": "vu thi hanh"}).json()
    assert records["count"] == 1
    item = records["items"][0]
    assert (item["registry_reference"], item["decision_reference"]) == ("0001/2022", "01/QĐ-UBND")
    assert item["recipient_name"] == "Bà Vũ Thị Hạnh"
    _, other = issue(city.vu_ninh)
    assert other.get("/api/v1/award-records").json()["count"] == 0  # another ward's awards
    assert other.get("/api/v1/award-records", {"unit_id": city.suoi_hoa.pk}).status_code == 403
    campaign = decided.campaign_id
    assert ward.get(f"/api/v1/campaigns/{campaign}/decisions").status_code == 403
    _, office = issue(city.noivu, role=Role.EMULATION_OFFICE)
    decisions = office.get(f"/api/v1/campaigns/{campaign}/decisions").json()
    assert [(d["reference"], d["status"], d["lines"]) for d in decisions["items"]] == [
        ("01/QĐ-UBND", "final", 1)
    ]
