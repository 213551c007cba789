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


def test_imported_old_awards_are_read_with_their_own_decision(city, office_user, giay_khen, issue):  # noqa: F811
    from tests.awards.test_registry_import import headers, old_row
    from tests.factories.xlsx import xlsx_upload
    from thidua.awards.registry_import import registry_import

    created, _, errors = registry_import(
        actor=office_user,
        upload=xlsx_upload([headers(), old_row("0101/2019", "Lê Văn Tâm", "P-SUOIHOA")]),
    )
    assert (created, errors) == (1, [])
    _, ward = issue(city.suoi_hoa)
    item = ward.get("/api/v1/award-records", {"year": 2019}).json()["items"][0]
    assert (item["registry_reference"], item["decision_reference"], item["signed_on"]) == (
        "0101/2019",
        "1520/QĐ-UBND",
        "2019-12-20",
    )
    assert (item["decision_id"], item["campaign_id"]) == (None, None)
