"""Who keeps the certificate layouts and the printer profiles: one layout per award type and
one list of printers serve every body, so the city's Nội vụ and system administrators keep
them; a ward's Nội vụ views and previews them only (docs/security.md R26)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests.conftest import verified_client
from thidua.accounts.models import Role
from thidua.awards import printing
from thidua.awards.certificates import default_fields, layout_for
from thidua.awards.models import AwardType, CertificateLayout, PrinterProfile
from thidua.core.models import ActionLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def ward_award(db) -> AwardType:
    """A ward-level award type: the same row serves every ward's Chairman."""
    return AwardType.objects.create(
        code="GK-PHUONG",
        name="Giấy khen của Chủ tịch UBND phường",
        level="commune",
        signer_title="Chủ tịch UBND phường",
    )


def _moved(fields: list[dict]) -> list[dict]:
    return [{**fields[0], "x": 20.0}, *fields[1:]]


def _posted(fields: list[dict]) -> dict[str, str]:
    rows: dict[str, str] = {"rows": str(len(fields))}
    for i, field in enumerate(fields):
        kind, _, text = field["field"].partition(":")
        rows |= {f"f-{i}-field": kind, f"f-{i}-text": text, f"f-{i}-x": str(field["x"])}
        rows |= {f"f-{i}-y": str(field["y"]), f"f-{i}-size": str(field["size"])}
    return rows


def _logged() -> int:
    return ActionLog.objects.filter(
        action__in=["awards.certificate_layout.saved", "awards.printer.saved"]
    ).count()


def test_a_wards_noi_vu_saves_no_shared_layout_or_printer(office_user, ward_office, ward_award):
    """The ward's Nội vụ would change how every ward's (and the city's) certificates print:
    refused by the services, nothing changed, nothing logged. (The city has its Nội vụ,
    `office_user`: the highest body with one keeps them, as the award rules, R22.)"""
    layout = layout_for(ward_award)
    printer = PrinterProfile.objects.create(name="Canon phòng Nội vụ", offset_x_mm=1)
    with pytest.raises(PermissionDenied):
        printing.certificate_layout_save(
            actor=ward_office, layout=layout, fields=_moved(layout.fields), border=False
        )
    with pytest.raises(PermissionDenied):
        printing.printer_save(
            actor=ward_office, printer=printer, name="Canon", offset_x_mm=5, offset_y_mm=5
        )
    with pytest.raises(PermissionDenied):
        printing.printer_save(
            actor=ward_office, printer=None, name="HP mới", offset_x_mm=0, offset_y_mm=0
        )
    assert not CertificateLayout.objects.exists()
    printer.refresh_from_db()
    assert (printer.name, float(printer.offset_x_mm), float(printer.offset_y_mm)) == (
        "Canon phòng Nội vụ",
        1.0,
        0.0,
    )
    assert PrinterProfile.objects.count() == 1
    assert _logged() == 0


def test_a_wards_noi_vu_views_and_previews_but_sees_no_save_button(
    office_user, ward_office, ward_award
):
    """The pages stay open to read and preview, say who edits, and a posted save is a 403."""
    printer = PrinterProfile.objects.create(name="Canon phòng Nội vụ")
    client = verified_client(ward_office)
    url = reverse("awards:layout", args=[ward_award.pk])
    page = client.get(url).content.decode()
    assert "<svg" in page
    assert "Lưu mẫu in" not in page
    assert "Khôi phục mẫu mặc định" not in page
    assert "chỉ cán bộ Phòng Nội vụ thành phố và quản trị hệ thống" in page
    assert "Xem PDF mẫu" in page
    rows = _posted(_moved(default_fields(ward_award)))
    assert (
        client.post(reverse("awards:layout-preview", args=[ward_award.pk]), rows).status_code == 200
    )
    sample = client.post(reverse("awards:layout-sample", args=[ward_award.pk]), rows)
    assert sample["Content-Type"] == "application/pdf"
    assert client.post(url, rows).status_code == 403
    assert client.post(reverse("awards:layout-reset", args=[ward_award.pk])).status_code == 403
    printers = client.get(reverse("awards:printer-list")).content.decode()
    assert "Thêm máy in" not in printers
    assert 'name="offset_x_mm"' not in printers
    assert "chỉ cán bộ Phòng Nội vụ thành phố và quản trị hệ thống" in printers
    assert reverse("awards:calibration", args=[printer.pk]) in printers  # printing stays open
    post = {"name": "HP mới", "offset_x_mm": "0", "offset_y_mm": "0"}
    assert client.post(reverse("awards:printer-list"), post).status_code == 403
    calibration = client.get(reverse("awards:calibration", args=[printer.pk]))
    assert calibration["Content-Type"] == "application/pdf"
    assert not CertificateLayout.objects.exists()
    assert PrinterProfile.objects.count() == 1
    assert _logged() == 0


@pytest.mark.parametrize("who", ["city_noi_vu", "system_admin"])
def test_the_citys_noi_vu_and_a_system_admin_keep_the_shared_layouts(
    who, office_user, make_user, ward_award
):
    user = office_user if who == "city_noi_vu" else make_user(Role.SYSTEM_ADMIN)
    client = verified_client(user)
    url = reverse("awards:layout", args=[ward_award.pk])
    page = client.get(url).content.decode()
    assert "Lưu mẫu in" in page
    assert "chỉ cán bộ Phòng Nội vụ thành phố" not in page
    moved = _moved(default_fields(ward_award))
    assert client.post(url, _posted(moved)).status_code == 302
    assert CertificateLayout.objects.get(award_type=ward_award).fields[0]["x"] == 20.0
    printers = client.get(reverse("awards:printer-list"))
    assert "Thêm máy in" in printers.content.decode()
    post = {"name": "Canon", "offset_x_mm": "1,5", "offset_y_mm": "0"}
    assert client.post(reverse("awards:printer-list"), post).status_code == 302
    assert PrinterProfile.objects.get().name == "Canon"
    assert _logged() == 2
