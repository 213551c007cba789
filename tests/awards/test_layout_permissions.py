"""Who keeps the certificate layouts and the printer profiles (docs/security.md R26): one layout
per award type serves every body, so the city's Nội vụ and system administrators keep them and a
ward's Nội vụ views and previews them only; printers belong to the body that prints, so each
body's Nội vụ keeps its own list (a ward's its ward's) and system administrators every body's."""

import importlib

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests.conftest import verified_client
from thidua.accounts.models import Role, User
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


def _printers_logged() -> int:
    return ActionLog.objects.filter(action="awards.printer.saved").count()


def test_a_wards_noi_vu_saves_no_shared_layout_nor_the_citys_printer(
    office_user, ward_office, ward_award, city
):
    """The ward's Nội vụ would change how every ward's (and the city's) certificates print, or
    the offsets the city prints with: refused by the services, nothing changed, nothing logged.
    (The city has its Nội vụ, `office_user`: the highest body with one keeps the layouts, as
    the award rules, R22; the city's printers are the city's.)"""
    layout = layout_for(ward_award)
    printer = PrinterProfile.objects.create(
        owner=city.city, name="Canon phòng Nội vụ", offset_x_mm=1
    )
    with pytest.raises(PermissionDenied):
        printing.certificate_layout_save(
            actor=ward_office, layout=layout, fields=_moved(layout.fields), border=False
        )
    with pytest.raises(PermissionDenied):
        printing.printer_save(
            actor=ward_office, printer=printer, name="Canon", offset_x_mm=5, offset_y_mm=5
        )
    for body in (city.city, city.vu_ninh):  # the city's list, another ward's
        with pytest.raises(PermissionDenied):
            printing.printer_save(
                actor=ward_office,
                printer=None,
                owner=body,
                name="HP mới",
                offset_x_mm=0,
                offset_y_mm=0,
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


def test_a_wards_noi_vu_previews_layouts_and_keeps_the_wards_own_printers(
    office_user, ward_office, ward_award, city
):
    """The layout page stays open to read and preview, says who edits, and a posted save is a
    403. The printer page is the ward's own list: the ward's officer adds and corrects its
    printers there; the city's printer is neither listed nor opened, and a post editing it is a
    403 that changes and logs nothing."""
    citys = PrinterProfile.objects.create(owner=city.city, name="Canon phòng Nội vụ")
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
    assert not CertificateLayout.objects.exists()
    # The printer page: the ward's list, empty, with the form to add one.
    printers_url = reverse("awards:printer-list")
    printers = client.get(printers_url).content.decode()
    assert "Máy in của Phòng Nội vụ phường Suối Hoa" in printers
    assert "Phòng Nội vụ phường Suối Hoa chưa khai báo máy in nào." in printers
    assert "Thêm máy in" in printers
    assert "Canon phòng Nội vụ" not in printers
    assert reverse("awards:calibration", args=[citys.pk]) not in printers
    assert client.get(reverse("awards:calibration", args=[citys.pk])).status_code == 404
    # Editing the city's printer by a forged post: 403, nothing changed or logged.
    forged = {"pk": citys.pk, "name": "Canon", "offset_x_mm": "5", "offset_y_mm": "5"}
    assert client.post(printers_url, forged).status_code == 403
    citys.refresh_from_db()
    assert (citys.name, float(citys.offset_x_mm)) == ("Canon phòng Nội vụ", 0.0)
    assert _printers_logged() == 0
    # Adding the ward office's printer, then correcting it after the calibration page.
    added = {"name": "HP LaserJet văn phòng", "offset_x_mm": "0", "offset_y_mm": "0"}
    assert client.post(printers_url, added).status_code == 302
    own = PrinterProfile.objects.get(name="HP LaserJet văn phòng")
    assert own.owner == city.suoi_hoa
    calibration = client.get(reverse("awards:calibration", args=[own.pk]))
    assert calibration["Content-Type"] == "application/pdf"
    corrected = {"pk": own.pk, "name": own.name, "offset_x_mm": "1,5", "offset_y_mm": "-2"}
    assert client.post(printers_url, corrected).status_code == 302
    own.refresh_from_db()
    assert (float(own.offset_x_mm), float(own.offset_y_mm)) == (1.5, -2.0)
    page = client.get(printers_url).content.decode()
    assert "HP LaserJet văn phòng" in page
    assert "chưa khai báo máy in nào" not in page
    assert _printers_logged() == 2
    assert PrinterProfile.objects.count() == 2


def test_the_citys_noi_vu_does_not_see_or_edit_a_wards_printers(office_user, ward_office, city):
    """The city's list is the city's: a ward's printers are not on the city officer's page nor
    offered to it, and it corrects them no more than the ward corrects the city's."""
    wards = printing.printer_save(
        actor=ward_office,
        printer=None,
        owner=city.suoi_hoa,
        name="HP phường",
        offset_x_mm=1,
        offset_y_mm=0,
    )
    client = verified_client(office_user)
    page = client.get(reverse("awards:printer-list")).content.decode()
    assert "Máy in của Phòng Nội vụ thành phố Bắc Ninh" in page
    assert "Phòng Nội vụ thành phố Bắc Ninh chưa khai báo máy in nào." in page
    assert "HP phường" not in page
    assert "phường Suối Hoa" not in page
    assert client.get(reverse("awards:calibration", args=[wards.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        printing.printer_save(
            actor=office_user, printer=wards, name="HP", offset_x_mm=9, offset_y_mm=9
        )
    wards.refresh_from_db()
    assert (wards.name, float(wards.offset_x_mm)) == ("HP phường", 1.0)
    assert _printers_logged() == 1


def test_the_same_printer_name_in_two_wards_but_not_twice_in_one(make_user, ward_office, city):
    """Two ward offices may both have a "Canon LBP 2900"; the same ward twice is refused with
    a Vietnamese message, also when renaming another of its printers to it."""
    vu_ninh = make_user(Role.EMULATION_OFFICE, city.vu_ninh, username="noivu-vuninh")
    post = {"name": "Canon LBP 2900", "offset_x_mm": "0", "offset_y_mm": "0"}
    for officer in (ward_office, vu_ninh):
        assert (
            verified_client(officer).post(reverse("awards:printer-list"), post).status_code == 302
        )
    assert sorted(PrinterProfile.objects.values_list("owner__code", flat=True)) == [
        "P-SUOIHOA",
        "P-VUNINH",
    ]
    client = verified_client(ward_office)
    again = client.post(reverse("awards:printer-list"), post, follow=True)
    assert "Đã có máy in tên này." in again.content.decode()
    other = client.post(reverse("awards:printer-list"), {**post, "name": "HP 1020"})
    assert other.status_code == 302
    hp = PrinterProfile.objects.get(name="HP 1020")
    renamed = client.post(
        reverse("awards:printer-list"),
        {**post, "pk": hp.pk, "name": " Canon LBP 2900 "},
        follow=True,
    )
    assert "Đã có máy in tên này." in renamed.content.decode()
    hp.refresh_from_db()
    assert hp.name == "HP 1020"
    assert PrinterProfile.objects.count() == 3
    assert _printers_logged() == 3
    # a name longer than the register keeps is said so (PostgreSQL refused it with a 500)
    long = client.post(reverse("awards:printer-list"), {**post, "name": "C" * 121}, follow=True)
    assert long.status_code == 200
    assert "120 ký tự" in long.content.decode()
    assert PrinterProfile.objects.count() == 3


def test_the_printer_page_reads_in_a_fixed_number_of_queries(
    ward_office, city, django_assert_max_num_queries
):
    """The page's queries do not grow with the printers listed (owner read with each)."""
    client = verified_client(ward_office)
    client.get(reverse("awards:printer-list"))  # warm the session and the user's roles
    for i in range(12):
        PrinterProfile.objects.create(owner=city.suoi_hoa, name=f"Máy in {i}")
    with django_assert_max_num_queries(9):
        page = client.get(reverse("awards:printer-list"))
    assert page.content.decode().count("Trang căn chỉnh") == 12


def _user(who: str, office_user: User, make_user) -> User:
    return office_user if who == "city_noi_vu" else make_user(Role.SYSTEM_ADMIN)


@pytest.mark.parametrize("who", ["city_noi_vu", "system_admin"])
def test_the_citys_noi_vu_and_a_system_admin_keep_the_shared_layouts(
    who, office_user, make_user, ward_award, city
):
    """The layouts, and the city's printers: the city's Nội vụ adds to its own list, a system
    administrator to any body's (here the only body with Nội vụ officers: the city)."""
    user = _user(who, office_user, make_user)
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
    assert PrinterProfile.objects.get().owner == city.city
    assert _logged() == 2


def test_a_system_admin_keeps_every_bodys_printers(make_user, ward_office, office_user, city):
    """A system administrator sees each body's list under its name, and adds to the one chosen
    (the choice lists the bodies whose Nội vụ print)."""
    wards = PrinterProfile.objects.create(owner=city.suoi_hoa, name="HP phường")
    admin = verified_client(make_user(Role.SYSTEM_ADMIN))
    page = admin.get(reverse("awards:printer-list")).content.decode()
    assert "Máy in của Phòng Nội vụ phường Suối Hoa" in page
    assert "HP phường" in page
    assert f'<option value="{city.city.pk}"' in page
    assert f'<option value="{city.suoi_hoa.pk}"' in page
    post = {"owner": city.suoi_hoa.pk, "name": "Canon", "offset_x_mm": "0", "offset_y_mm": "0"}
    assert admin.post(reverse("awards:printer-list"), post).status_code == 302
    corrected = {"pk": wards.pk, "name": "HP phường", "offset_x_mm": "2", "offset_y_mm": "0"}
    assert admin.post(reverse("awards:printer-list"), corrected).status_code == 302
    assert sorted(PrinterProfile.objects.values_list("owner__code", "name")) == [
        ("P-SUOIHOA", "Canon"),
        ("P-SUOIHOA", "HP phường"),
    ]
    assert _printers_logged() == 2


def test_the_migration_gives_existing_printers_to_the_top_body_with_noi_vu(
    office_user, ward_office, city
):
    """The printers saved before they had a body were the city's Nội vụ's (the only officers
    who could save them): each goes to the highest body with Nội vụ officers, the city (not the
    province, which has none here), so the city's officer keeps them and the ward's does not."""
    from django.apps import apps

    fill = importlib.import_module("thidua.awards.migrations.0023_printer_owner").fill_owner
    old = PrinterProfile.objects.create(owner=city.suoi_hoa, name="Canon phòng Nội vụ")
    fill(apps, None)
    old.refresh_from_db()
    assert old.owner == city.city
    with pytest.raises(PermissionDenied):
        printing.printer_save(
            actor=ward_office, printer=old, name=old.name, offset_x_mm=1, offset_y_mm=0
        )
    printing.printer_save(
        actor=office_user, printer=old, name=old.name, offset_x_mm=1, offset_y_mm=0
    )


def test_without_noi_vu_officers_the_migration_takes_the_highest_body(city):
    from django.apps import apps

    fill = importlib.import_module("thidua.awards.migrations.0023_printer_owner").fill_owner
    old = PrinterProfile.objects.create(owner=city.suoi_hoa, name="Canon")
    fill(apps, None)
    old.refresh_from_db()
    assert old.owner == city.province


def test_going_back_to_one_printer_list_keeps_every_printer_under_a_unique_name(city):
    """Reversing awards.0024 restores the installation-wide unique name: two bodies' printers of
    one name must not stop it, and none is lost; the highest body keeps the bare name."""
    from django.apps import apps

    reverse = importlib.import_module(
        "thidua.awards.migrations.0024_printer_owner_required"
    ).names_unique_across_bodies
    ward = PrinterProfile.objects.create(owner=city.suoi_hoa, name="Canon LBP 2900")
    taken = PrinterProfile.objects.create(
        owner=city.province, name=f"Canon LBP 2900 ({city.suoi_hoa.name})"
    )
    mine = PrinterProfile.objects.create(owner=city.city, name="Canon LBP 2900")
    other = PrinterProfile.objects.create(owner=city.suoi_hoa, name="Epson")
    reverse(apps, None)
    names = dict(PrinterProfile.objects.values_list("pk", "name"))
    assert len(set(names.values())) == len(names) == 4
    assert names[mine.pk] == "Canon LBP 2900"
    assert names[taken.pk] == f"Canon LBP 2900 ({city.suoi_hoa.name})"
    assert names[ward.pk] == f"Canon LBP 2900 ({city.suoi_hoa.name} 2)"
    assert names[other.pk] == "Epson"
