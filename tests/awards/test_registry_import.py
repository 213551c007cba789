"""Registry import: awards granted before the system join the sổ vàng with their own numbers;
every row is checked first (all or nothing); an export imports back with no change."""

import io
import threading
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import reverse
from openpyxl import load_workbook

from tests.conftest import verified_client
from tests.factories.sheets import excel_serial, office_list_bytes
from tests.factories.xlsx import xlsx_upload
from thidua.awards import printing
from thidua.awards.decisions import REGISTRY_SERIES
from thidua.awards.models import AwardRecord
from thidua.awards.registry import award_statistics, registry_columns
from thidua.awards.registry_import import registry_import
from thidua.core.models import ActionLog, DocumentSequence
from thidua.core.text import person_sort_key, vi_sort_key
from thidua.organizations.models import Person, Unit

pytestmark = pytest.mark.django_db

GK = "Giấy khen của Chủ tịch UBND thành phố"


def headers():
    return [c.header for c in registry_columns()]


def old_row(number, name, unit, subject="Cá nhân", **extra):
    row = {
        "registry": number,
        "year": extra.get("year") or int(number.split("/")[1]),
        "recipient_name": name,
        "recipient_detail": extra.get("detail", ""),
        "unit_name": unit,
        "subject": subject,
        "award_type": extra.get("award", GK),
        "decision": extra.get("decision", "1520/QĐ-UBND"),
        "signed_on": extra.get("signed_on", "20/12/2019"),
        "campaign": "",
        "status": extra.get("status", "Có hiệu lực"),
        "issuer": extra.get("issuer", "TPBN"),
    }
    return [row[c.key] for c in registry_columns()]


def _export(client):
    response = client.get(reverse("awards:registry"), {"xuat": "excel"})
    return b"".join(response.streaming_content)


def _snapshot():
    return list(AwardRecord.objects.order_by("pk").values()), list(
        DocumentSequence.objects.order_by("pk").values()
    )


def test_an_export_imports_back_with_no_change(office_user, decided, city, giay_khen):
    # a registry with an award decided here and one imported from the old registry
    youth = old_row("0101/2019", "Đoàn Thanh niên phường Suối Hoa", "P-SUOIHOA", "Tập thể")
    registry_import(actor=office_user, upload=xlsx_upload([headers(), youth]))
    client = verified_client(office_user)
    content = _export(client)
    before = _snapshot()
    response = client.post(
        reverse("awards:registry-import"),
        {"file": SimpleUploadedFile("so-vang.xlsx", content)},
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert _snapshot() == before
    log = ActionLog.objects.filter(action="awards.registry.imported").latest("pk")
    assert log.data == {"created": 0, "unchanged": 2}


def test_old_awards_join_the_registry_with_their_numbers(office_user, city, giay_khen, decided):
    hanh = Person.objects.get(full_name="Vũ Thị Hạnh")
    upload = xlsx_upload(
        [
            headers(),
            old_row("0101/2019", "Vũ Thị Hạnh", "Ủy ban nhân dân phường Suối Hoa",
                    detail="Công chức văn hóa"),
            old_row("0102/2019", "Đoàn Thanh niên phường Suối Hoa", "P-SUOIHOA", "Tập thể",
                    status="Đã thu hồi"),
        ]
    )  # fmt: skip
    created, unchanged, errors = registry_import(actor=office_user, upload=upload)
    assert (created, unchanged, errors) == (2, 0, [])
    person, collective = AwardRecord.objects.filter(year=2019).order_by("number")
    assert person.registry_reference == "0101/2019"
    assert person.is_imported
    assert (person.decision_reference, person.decision_signed_on) == (
        "1520/QĐ-UBND",
        date(2019, 12, 20),
    )
    assert person.person == hanh  # the unit's only person of that name: her history shows it
    assert person.unit == city.suoi_hoa
    assert collective.unit_name == "Ủy ban nhân dân phường Suối Hoa"  # code → the unit's name
    assert collective.status == "revoked"
    # the honour board's order: a person by given name, a collective by its name
    assert person.name_sort == person_sort_key("Vũ Thị Hạnh")
    assert collective.name_sort == vi_sort_key("Đoàn Thanh niên phường Suối Hoa")
    seq = DocumentSequence.objects.get(issuer_code="TPBN", doc_type=REGISTRY_SERIES, year=2019)
    assert seq.last_number == 102  # numbers taken later in 2019 follow the imported ones

    client = verified_client(office_user)
    page = client.get(reverse("awards:record", args=[person.pk])).content.decode()
    assert "nhập từ sổ vàng cũ" in page
    assert "1520/QĐ-UBND ngày 20/12/2019" in page
    assert "In giấy khen" not in page
    history = client.get(reverse("awards:registry-history", args=["ca-nhan", hanh.pk]))
    assert "1520/QĐ-UBND" in history.content.decode()
    public = client.get(reverse("awards:verify", args=[person.token])).content.decode()
    assert "Giấy khen hợp lệ" in public
    assert "1520/QĐ-UBND" in public
    stats = award_statistics(actor=office_user, start=date(2019, 1, 1), end=date(2019, 12, 31))
    assert stats.total == 1  # the revoked one is not counted
    with pytest.raises(Exception, match="sổ vàng cũ"):
        printing.certificate_pdf(actor=office_user, record=person)


def test_one_bad_row_imports_nothing_and_every_error_is_reported(office_user, decided, giay_khen):
    upload = xlsx_upload(
        [
            headers(),
            old_row("0101/2019", "Nguyễn Văn A", "P-SUOIHOA"),
            old_row("0101/2019", "Nguyễn Văn B", "P-SUOIHOA"),
            old_row("0103/2019", "Nguyễn Văn C", "Phường Không Có"),
            old_row("0104/2019", "Nguyễn Văn D", "P-SUOIHOA", signed_on="05/01/2020"),
            old_row("0105/2019", "Nguyễn Văn E", "P-SUOIHOA", award="Huân chương"),
            old_row("0106/2019", "Nguyễn Văn G", "P-SUOIHOA", issuer="KHONGCO"),
            old_row("0001/2022", "Người khác", "P-SUOIHOA", signed_on="30/12/2022"),
            old_row("12/ab", "Nguyễn Văn H", "P-SUOIHOA", year=2019),
        ]
    )
    created, _, errors = registry_import(actor=office_user, upload=upload)
    assert created == 0
    assert AwardRecord.objects.count() == 1  # only the decided one
    assert [e.row for e in errors] == sorted(e.row for e in errors)  # as the file reads
    found = {(e.row, e.column): e.message for e in errors}
    assert found[(3, "Số vào sổ")] == "Trùng số vào sổ với dòng 2."
    assert found[(4, "Đơn vị")].startswith("Không có đơn vị “Phường Không Có”")
    assert found[(5, "Ngày quyết định")] == "Ngày quyết định phải thuộc năm vào sổ."
    assert "không thuộc danh sách" in found[(6, "Hình thức khen thưởng")]
    assert found[(7, "Mã cơ quan cấp sổ")] == "Không có cơ quan, đơn vị mã “KHONGCO”."
    assert found[(8, "Tên tập thể, cá nhân")].startswith("Số vào sổ 0001/2022 đã có trong sổ vàng")
    assert "0871/2022" in found[(9, "Số vào sổ")]

    client = verified_client(office_user)
    page = client.post(reverse("awards:registry-import"), {"file": upload_again(upload)})
    assert "Chưa nhập dòng nào." in page.content.decode()
    report = client.get(reverse("awards:registry-import-errors"))
    rows = list(load_workbook(io.BytesIO(report.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("Dòng", "Cột", "Lỗi")
    assert len(rows) == len(errors) + 1


def upload_again(upload):
    upload.seek(0)
    return upload


def test_only_the_office_imports(officer, office_user):
    assert verified_client(officer).get(reverse("awards:registry-import")).status_code == 403
    template = verified_client(office_user).get(reverse("awards:registry-template"))
    sheet = load_workbook(io.BytesIO(template.content)).active
    assert next(sheet.iter_rows(values_only=True))[0] == "Số vào sổ *"


def test_a_name_too_long_or_a_number_too_big_is_a_row_error(office_user, decided, giay_khen):
    upload = xlsx_upload(
        [
            headers(),
            old_row("0101/2019", "Nguyễn Văn A", "P-SUOIHOA"),
            old_row("0102/2019", "Nguyễn " * 40, "P-SUOIHOA"),
            old_row("99999999999999999999/2019", "Nguyễn Văn C", "P-SUOIHOA"),
        ]
    )
    before = _snapshot()
    created, _, errors = registry_import(actor=office_user, upload=upload)
    assert created == 0
    assert [(e.row, e.column) for e in errors] == [(3, "Tên tập thể, cá nhân"), (4, "Số vào sổ")]
    assert "tối đa 255 ký tự" in errors[0].message
    assert "quá lớn" in errors[1].message
    assert _snapshot() == before


def test_the_campaign_column_links_an_old_award_to_the_campaign_it_names(
    office_user, decided, campaign, city, giay_khen
):
    from thidua.campaigns.models import Campaign
    from thidua.core.text import fold

    Campaign.objects.create(
        owner_unit=city.city,
        issuer_name="UBND",
        title="Kế hoạch còn dự thảo",
        created_by=office_user,
    )

    def row(number, name, named):
        cells = old_row(number, name, "Ủy ban nhân dân phường Suối Hoa")
        cells[[c.key for c in registry_columns()].index("campaign")] = named
        return cells

    typed = fold(campaign.title).upper()  # in capitals without accents, as old sheets have it
    bad = xlsx_upload(
        [
            headers(),
            row("0101/2019", "Nguyễn Văn A", typed),
            row("0102/2019", "Nguyễn Văn B", "Phong trào không có trên hệ thống"),
            row("0103/2019", "Nguyễn Văn C", "Kế hoạch còn dự thảo"),  # a draft granted nothing
        ]
    )
    created, _, errors = registry_import(actor=office_user, upload=bad)
    assert created == 0
    assert [(e.row, e.column) for e in errors] == [(3, "Phong trào"), (4, "Phong trào")]
    assert "Không có phong trào “Phong trào không có trên hệ thống”" in errors[0].message
    assert "để trống" in errors[0].message

    good = xlsx_upload(
        [headers(), row("0101/2019", "Nguyễn Văn A", typed), row("0102/2019", "Nguyễn Văn B", "")]
    )
    assert registry_import(actor=office_user, upload=good) == (2, 0, [])
    linked, blank = AwardRecord.objects.filter(year=2019).order_by("number")
    assert linked.campaign == campaign
    assert linked.is_imported
    assert blank.campaign is None
    # the registry filtered by the campaign lists it
    page = verified_client(office_user).get(reverse("awards:registry"), {"phong_trao": campaign.pk})
    assert "Nguyễn Văn A" in page.content.decode()
    assert "Nguyễn Văn B" not in page.content.decode()
    # the same file again changes nothing: the name is compared as the import matched it
    assert registry_import(actor=office_user, upload=upload_again(good)) == (0, 2, [])


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_an_import_while_a_decision_is_signed_never_takes_its_number(
    office_user, signer, campaign, giay_khen, officer, head, city
):
    """The sổ vàng's next number is taken by a decision being signed (its transaction still
    open) while an import of the same year brings that number: the import waits for the
    signing and answers with a row error, never a server error or a duplicate number."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    from tests.awards.test_decisions import sent_drafts
    from thidua.awards import decisions

    (draft,) = sent_drafts(1, office_user, campaign, giay_khen, officer, head, city)
    row = old_row("0001/2022", "Vũ Thị Hạnh", "P-SUOIHOA", signed_on="20/12/2022")
    signing, release = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def sign() -> None:
        try:
            with transaction.atomic():
                decisions.decision_approve(
                    actor=signer, decision=draft, signed_on=date(2022, 12, 30)
                )
                signing.set()
                release.wait(10)
        finally:
            signing.set()
            connection.close()

    def run_import() -> None:
        try:
            outcome["result"] = registry_import(
                actor=office_user, upload=xlsx_upload([headers(), row])
            )
        except BaseException as exc:
            outcome["error"] = exc
        finally:
            connection.close()

    signer_thread = threading.Thread(target=sign)
    signer_thread.start()
    assert signing.wait(30)
    importer = threading.Thread(target=run_import)
    importer.start()
    importer.join(1)  # the import reaches the registry while the signing holds its number
    release.set()
    signer_thread.join()
    importer.join()
    assert "error" not in outcome, outcome.get("error")
    created, unchanged, errors = outcome["result"]
    assert (created, unchanged) == (0, 0)
    assert [e.message for e in errors] == [errors[0].message]
    assert "0001/2022 đã có trong sổ vàng" in errors[0].message
    signed = [(r.number, r.decision_id == draft.pk) for r in AwardRecord.objects.all()]
    assert signed == [(1, True)]


def test_a_file_naming_units_by_code_imports_again_with_no_difference(
    office_user, decided, city, giay_khen
):
    """The old registry's sheet gives units by code; the records keep the units' names. The
    same sheet imported again finds every row already there, unchanged; a row giving another
    unit's code still differs from the record."""
    rows = [
        headers(),
        old_row("0101/2019", "Đoàn Thanh niên phường Suối Hoa", "P-SUOIHOA", "Tập thể"),
        old_row("0102/2019", "Nguyễn Văn A", "p-vuninh"),
    ]
    assert registry_import(actor=office_user, upload=xlsx_upload(rows)) == (2, 0, [])
    before = _snapshot()
    assert registry_import(actor=office_user, upload=xlsx_upload(rows)) == (0, 2, [])
    assert _snapshot() == before

    moved = [rows[0], rows[1], old_row("0102/2019", "Nguyễn Văn A", "P-SUOIHOA")]
    created, unchanged, errors = registry_import(actor=office_user, upload=xlsx_upload(moved))
    assert (created, unchanged) == (0, 0)
    assert [(e.row, e.column) for e in errors] == [(3, "Đơn vị")]
    assert "với “Ủy ban nhân dân phường Vũ Ninh”" in errors[0].message
    assert _snapshot() == before


def test_a_wards_officer_imports_only_the_wards_own_registry(
    office_user, make_user, city, decided, giay_khen
):
    """Old awards go into the registry of the body whose Nội vụ imports them (and of a body
    above it with no Nội vụ of its own here: the province's Bằng khen for the city). A ward's
    officer could otherwise write awards "of the city" into the registry, publicly verifiable,
    and take the city's registry numbers (docs/security.md R21)."""
    from thidua.accounts.models import Role

    ward_office = make_user(Role.EMULATION_OFFICE, city.suoi_hoa, username="noivu-suoihoa")
    before = _snapshot()
    for issuer in ("TPBN", "TBN"):
        upload = xlsx_upload(
            [headers(), old_row("0101/2019", "Vũ Thị Hạnh", "P-SUOIHOA", issuer=issuer)]
        )
        created, _unchanged, errors = registry_import(actor=ward_office, upload=upload)
        assert created == 0
        assert [e.message for e in errors] == [
            f"Chỉ cán bộ Nội vụ của cơ quan mã “{issuer}” nhập được sổ khen thưởng của cơ quan đó."
        ]
    assert _snapshot() == before
    own = xlsx_upload(
        [headers(), old_row("0007/2019", "Vũ Thị Hạnh", "P-SUOIHOA", issuer=city.suoi_hoa.code)]
    )
    assert registry_import(actor=ward_office, upload=own)[0] == 1
    province = xlsx_upload(
        [headers(), old_row("0009/2019", "Vũ Thị Hạnh", "P-SUOIHOA", issuer="TBN")]
    )
    assert registry_import(actor=office_user, upload=province)[0] == 1


# --- an old sổ vàng as offices typed it -------------------------------------------------------

OLD_HEADER = (
    ["Số vào sổ", "Năm", "Tên tập thể, cá nhân", "Chức vụ, đơn vị", "Đơn vị", "Đối tượng",
     "Hình thức khen thưởng", "Quyết định", None, "Phong trào", "Tình trạng",
     "Mã cơ quan cấp sổ"],
    [None, None, None, None, None, None, None, "Số", "Ngày", None, None, None],
)  # fmt: skip
# "Quyết định" merged above "Số" and "Ngày"; every other header cell over both lines
OLD_HEADER_MERGES = ("H1:I1", *(f"{c}1:{c}2" for c in "ABCDEFGJKL"))


def old_registry(*rows) -> SimpleUploadedFile:
    data = office_list_bytes(OLD_HEADER, rows, header_merges=OLD_HEADER_MERGES)
    return SimpleUploadedFile("so-vang-cu.xlsx", data)


def test_a_decision_column_over_number_and_date_and_dates_as_typed(office_user, city, giay_khen):
    """A title above a header over two lines ("Quyết định" merged over "Số" and "Ngày"), the
    date as an Excel date, as text "15/3/2021" and as a General cell's day number."""
    upload = old_registry(
        ["0201/2021", 2021, "Nguyễn Văn An", "Chuyên viên", "P-SUOIHOA", "Cá nhân", GK,
         "123/QĐ-UBND", date(2021, 3, 15), None, "Có hiệu lực", "TPBN"],
        ["0202/2021", 2021, "Trần Thị Bình", None, "P-SUOIHOA", "Cá nhân", GK,
         "124/QĐ-UBND", "15/3/2021", None, None, "TPBN"],
        ["0203/2021", "2021", "Lê Văn Cường", None, "P-SUOIHOA", "Cá nhân", GK,
         "125/QĐ-UBND", excel_serial(date(2021, 4, 2)), None, None, "TPBN"],
    )  # fmt: skip
    created, unchanged, errors = registry_import(actor=office_user, upload=upload)
    assert (created, unchanged, errors) == (3, 0, [])
    assert [
        (r.recipient_name, r.legacy_decision, r.legacy_signed_on)
        for r in AwardRecord.objects.filter(year=2021).order_by("number")
    ] == [
        ("Nguyễn Văn An", "123/QĐ-UBND", date(2021, 3, 15)),
        ("Trần Thị Bình", "124/QĐ-UBND", date(2021, 3, 15)),
        ("Lê Văn Cường", "125/QĐ-UBND", date(2021, 4, 2)),
    ]


def test_the_unit_written_with_ubnd_or_its_short_name_is_found(office_user, city, giay_khen):
    """Old registries write the ward as "UBND phường Suối Hoa", "Phường Suối Hoa" or in
    capitals; each is the ward, and the record keeps the name as written (of its day)."""
    upload = old_registry(
        *(
            [f"030{i}/2021", 2021, name, None, unit, "Cá nhân", GK, f"13{i}/QĐ-UBND",
             "15/3/2021", None, None, "TPBN"]
            for i, (name, unit) in enumerate(
                [
                    ("Nguyễn Văn An", "UBND phường Suối Hoa"),
                    ("Trần Thị Bình", "Phường Suối Hoa"),
                    ("Lê Văn Cường", "ỦY BAN NHÂN DÂN PHƯỜNG SUỐI HOA"),
                ],
                start=1,
            )
        )
    )  # fmt: skip
    created, unchanged, errors = registry_import(actor=office_user, upload=upload)
    assert (created, unchanged, errors) == (3, 0, [])
    records = AwardRecord.objects.filter(year=2021).order_by("number")
    assert {r.unit for r in records} == {city.suoi_hoa}
    assert [r.unit_name for r in records] == [
        "UBND phường Suối Hoa",
        "Phường Suối Hoa",
        "ỦY BAN NHÂN DÂN PHƯỜNG SUỐI HOA",
    ]


def test_a_ward_without_a_short_name_is_found_as_files_write_it(office_user, city, giay_khen):
    """The ward's short name not filled in: "Phường Suối Hoa", "P. Suối Hoa" and "UBND P. Suối
    Hoa" are still the ward, read as people's own files are (organizations.UnitFinder)."""
    Unit.objects.filter(pk=city.suoi_hoa.pk).update(short_name="")
    upload = old_registry(
        *(
            [f"080{i}/2021", 2021, name, None, unit, "Cá nhân", GK, f"18{i}/QĐ-UBND",
             "15/3/2021", None, None, "TPBN"]
            for i, (name, unit) in enumerate(
                [
                    ("Nguyễn Văn An", "Phường Suối Hoa"),
                    ("Trần Thị Bình", "P. Suối Hoa"),
                    ("Lê Văn Cường", "UBND P. Suối Hoa"),
                ],
                start=1,
            )
        )
    )  # fmt: skip
    assert registry_import(actor=office_user, upload=upload) == (3, 0, [])
    assert {r.unit for r in AwardRecord.objects.filter(year=2021)} == {city.suoi_hoa}


def test_a_persons_name_in_capitals_is_written_as_names_are(office_user, city, giay_khen):
    """The old book typed names in capitals: a person's reads "Vũ Thị Hạnh" in the registry
    (and finds her), a collective's stays as typed; the same file imports again unchanged."""
    hanh = Person.objects.create(unit=city.suoi_hoa, full_name="Vũ Thị Hạnh")
    rows = (
        ["0401/2021", 2021, "VŨ THỊ HẠNH", None, "P-SUOIHOA", "CÁ NHÂN", GK, "140/QĐ-UBND",
         "15/3/2021", None, None, "TPBN"],
        ["0402/2021", 2021, "ĐOÀN THANH NIÊN PHƯỜNG SUỐI HOA", None, "P-SUOIHOA", "Tập thể",
         GK, "141/QĐ-UBND", "15/3/2021", None, None, "TPBN"],
    )  # fmt: skip
    created, unchanged, errors = registry_import(actor=office_user, upload=old_registry(*rows))
    assert (created, unchanged, errors) == (2, 0, [])
    person, collective = AwardRecord.objects.filter(year=2021).order_by("number")
    assert (person.recipient_name, person.person) == ("Vũ Thị Hạnh", hanh)
    assert person.name_sort == person_sort_key("Vũ Thị Hạnh")
    assert collective.recipient_name == "ĐOÀN THANH NIÊN PHƯỜNG SUỐI HOA"
    assert registry_import(actor=office_user, upload=old_registry(*rows)) == (0, 2, [])


def test_a_name_stored_in_capitals_before_imports_again_unchanged(office_user, city, giay_khen):
    """A record imported in capitals before names were recased ("NGUYỄN VĂN AN" stored): the
    same row is that record, not refused as a changed one; names of several parts ("H'HEN
    NIÊ") are recased part by part."""
    rows = (
        ["0701/2019", 2019, "NGUYỄN VĂN AN", None, "P-SUOIHOA", "Cá nhân", GK, "70/QĐ-UBND",
         "15/3/2019", None, None, "TPBN"],
        ["0702/2019", 2019, "H'HEN NIÊ", None, "P-SUOIHOA", "Cá nhân", GK, "70/QĐ-UBND",
         "15/3/2019", None, None, "TPBN"],
    )  # fmt: skip
    assert registry_import(actor=office_user, upload=old_registry(*rows)) == (2, 0, [])
    first, second = AwardRecord.objects.filter(year=2019).order_by("number")
    assert second.recipient_name == "H'Hen Niê"
    AwardRecord.objects.filter(pk=first.pk).update(recipient_name="NGUYỄN VĂN AN")
    assert registry_import(actor=office_user, upload=old_registry(*rows)) == (0, 2, [])


def test_the_issuers_code_typed_in_small_letters_is_its_code(office_user, city, giay_khen):
    upload = old_registry(
        ["0601/2021", 2021, "Nguyễn Văn An", None, "P-SUOIHOA", "Cá nhân", GK, "150/QĐ-UBND",
         "15/3/2021", None, None, "tpbn"],
    )  # fmt: skip
    assert registry_import(actor=office_user, upload=upload) == (1, 0, [])
    assert AwardRecord.objects.get(year=2021).issuer_code == "TPBN"
