import base64
import html
import io
import re
from datetime import date

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.conftest import one_rate_window, verified_client
from thidua.awards import decisions, printing, registry_views, services
from thidua.awards.certificates import SAMPLE, certificate_values, default_fields
from thidua.awards.models import (
    AwardRecord,
    AwardType,
    CertificateLayout,
    CertificatePrint,
    Decision,
    Hold,
)
from thidua.core.models import ActionLog, Job
from thidua.core.text import person_sort_key
from thidua.documents.certificates import render_certificates
from thidua.organizations.models import Person

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(content))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def test_decision_pages_and_documents(office_user, decided, django_assert_max_num_queries):
    client = verified_client(office_user)
    with django_assert_max_num_queries(30):
        page = client.get(reverse("awards:decision-list", args=[decided.campaign_id]))
    assert "01/QĐ-UBND" in page.content.decode()
    detail = client.get(reverse("awards:decision-detail", args=[decided.pk])).content.decode()
    assert "0001/2022" in detail
    assert "Bà Vũ Thị Hạnh" in detail
    pdf = client.get(reverse("awards:decision-download", args=[decided.pk, "pdf"]))
    pages, text = pdf_text(pdf.content)
    assert pages == 2  # the decision, then its annex on a new page
    assert "Số: 01/QĐ-UBND" in text
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN" in text
    assert "QUYẾT ĐỊNH:" in text
    assert "Kèm theo Quyết định số 01/QĐ-UBND ngày 30/12/2022" in text
    assert "1. Bà Vũ Thị Hạnh" in text
    docx = client.get(reverse("awards:decision-download", args=[decided.pk, "docx"]))
    assert docx.content[:2] == b"PK"


def test_draft_from_the_page_keeps_the_nominees_chosen(office_user, recommended, campaign):
    client = verified_client(office_user)
    url = reverse("awards:decision-list", args=[campaign.pk])
    nominee = recommended.nominees.get()
    assert f'value="{nominee.pk}"' in client.get(url).content.decode()
    response = client.post(url, {"award_type": recommended.award_type_id, "nominees": [nominee.pk]})
    d = Decision.objects.get()
    assert response.url == reverse("awards:decision-detail", args=[d.pk])
    response = client.post(
        reverse("awards:decision-save", args=[d.pk]),
        {
            "summary": "Về việc tặng Giấy khen",
            "legal_bases": "Căn cứ A;\nCăn cứ B.",
            "articles": "",
            "recipients": "Như Điều 3",
            "signer_title": "CHỦ TỊCH",
        },
    )
    assert "Quyết định phải có ít nhất một điều." in response.content.decode()
    d.refresh_from_db()
    assert d.summary == "Về việc tặng Giấy khen của Chủ tịch UBND thành phố"  # nothing half-saved


def test_bulk_print_runs_in_the_background_with_progress(
    office_user, decided, django_capture_on_commit_callbacks
):
    client = verified_client(office_user)
    url = reverse("awards:decision-print", args=[decided.pk])
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(url, follow=True)
    job = Job.objects.get(kind="awards.certificates")
    assert job.status == "done"
    assert (job.done, job.total) == (1, 1)
    assert f'id="job-{job.pk}"' in page.content.decode()
    status = client.get(reverse("core:job", args=[job.pk])).content.decode()
    assert "Đã xong 1/1" in status
    assert "hx-trigger" not in status  # finished: the page stops polling
    download = client.get(reverse("core:job-download", args=[job.pk]))
    assert 'filename="giay-khen-01-qd-ubnd-2022.pdf"' in download["Content-Disposition"]
    content = b"".join(download.streaming_content)
    pages, text = pdf_text(content)
    assert pages == 1
    assert "Bà Vũ Thị Hạnh" in text
    assert "Quyết định số 01/QĐ-UBND ngày 30/12/2022" in text
    assert "Số vào sổ: 0001/2022" in text
    assert CertificatePrint.objects.filter(job=job, is_reprint=False).count() == 1
    # Printing again is a reprint, and the log says so.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"on_blank": "1"})
    assert CertificatePrint.objects.filter(is_reprint=True, on_blank=True).count() == 1
    # Someone else cannot see the job or its file.
    other = verified_client(type(office_user).objects.create_user(username="khac", password="x"))
    assert other.get(reverse("core:job-download", args=[job.pk])).status_code == 403


def test_a_running_job_polls_and_shows_its_percentage(office_user, rf):
    job = Job.objects.create(kind="x", created_by=office_user, total=200, done=50, status="running")
    html = verified_client(office_user).get(reverse("core:job", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in html
    assert 'value="25"' in html
    assert "50/200 (25%)" in html


def test_progress_is_reported_while_rendering():
    layout = CertificateLayout(fields=default_fields())
    seen: list[int] = []
    render_certificates(layout, [SAMPLE] * 120, progress=seen.append)
    assert seen == [50, 100]


def test_single_certificate_print_and_reprint_are_logged(office_user, decided):
    client = verified_client(office_user)
    record = AwardRecord.objects.get()
    url = reverse("awards:certificate", args=[record.pk])
    first = client.get(url)
    assert first["Content-Type"] == "application/pdf"
    assert 'filename="giay-khen-2022-0001.pdf"' in first["Content-Disposition"]
    assert "Bà Vũ Thị Hạnh" in pdf_text(first.content)[1]
    client.get(url)
    assert list(record.prints.order_by("at").values_list("is_reprint", flat=True)) == [
        False,
        True,
    ]
    assert ActionLog.objects.filter(action="awards.certificate.reprinted").count() == 1


def test_on_a_blank_only_the_data_is_printed_shifted_by_the_printer():
    layout = CertificateLayout(fields=default_fields())
    _, full = pdf_text(render_certificates(layout, [SAMPLE]))
    _, blank = pdf_text(render_certificates(layout, [SAMPLE], on_blank=True))
    assert "GIẤY KHEN" in full
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in full
    assert "GIẤY KHEN" not in blank
    assert "Bà Nguyễn Thị Thủy Tiên" in blank


def test_the_printed_qr_code_scans_to_the_verification_page(decided):
    import pypdfium2
    import zxingcpp

    record = AwardRecord.objects.get()
    pdf = render_certificates(
        CertificateLayout(fields=default_fields()), [certificate_values(record)]
    )
    image = pypdfium2.PdfDocument(pdf)[0].render(scale=3).to_pil()
    scanned = [code.text for code in zxingcpp.read_barcodes(image)]
    assert scanned == [settings.SITE_URL + reverse("awards:verify", args=[record.token])]


def test_verification_page_shows_only_what_the_certificate_prints(
    client, office_user, signer, decided
):
    record = AwardRecord.objects.select_related("person").get()
    record.person.birth_year = 1987
    record.person.is_party_member = True
    record.person.save()
    html = client.get(reverse("awards:verify", args=[record.token])).content.decode()
    assert "Giấy khen hợp lệ" in html
    for printed in ("Bà Vũ Thị Hạnh", "01/QĐ-UBND", "30/12/2022", "0001/2022", "Lê Quang Minh"):
        assert printed in html
    for private in ("1987", "Đảng viên", "đảng viên", "Nữ", record.person.unit.email or "@"):
        assert private not in html
    # Revoked by a new decision: the same page says so.
    revoke = decisions.decision_correct(
        actor=office_user, decision=decided, kind="revoke", records=[record], reason="sai sót"
    )
    decisions.decision_send_for_signature(actor=office_user, decision=revoke)
    decisions.decision_approve(actor=signer, decision=revoke, signed_on=date(2023, 1, 9))
    html = client.get(reverse("awards:verify", args=[record.token])).content.decode()
    assert "đã bị thu hồi" in html
    assert "Quyết định số 01/QĐ-UBND ngày 09/01/2023" in html


def test_tokens_are_long_random_and_unrelated_to_numbers(decided, client):
    record = AwardRecord.objects.get()
    assert len(base64.urlsafe_b64decode(record.token)) == 24  # 192 random bits, URL-safe
    other = record.token[:-1] + ("A" if record.token[-1] != "A" else "B")
    assert client.get(reverse("awards:verify", args=[other])).status_code == 404
    assert client.get(reverse("awards:verify", args=["1"])).status_code == 404


def test_the_verification_page_is_rate_limited(decided, monkeypatch):
    """Anonymous, opened from a QR code: one address cannot try token after token."""
    monkeypatch.setattr(registry_views, "VERIFY_RATE", "3/m")
    record = AwardRecord.objects.get()
    tokens = ["sai-1", record.token, "sai-2", record.token]
    with one_rate_window():
        statuses = [Client().get(reverse("awards:verify", args=[t])).status_code for t in tokens]
    assert statuses == [404, 200, 404, 429]


def test_honour_board_and_certificate_check_on_the_portal(client, decided, make_user, city):
    from thidua.portal import services as portal

    media = make_user("media_staff")
    site = portal.site_save(actor=media, campaign=decided.campaign, is_public=True, intro="")
    record = AwardRecord.objects.select_related("person").get()
    record.person.birth_year = 1987
    record.person.save()
    html = client.get(reverse("portal:honours", args=[site.slug])).content.decode()
    assert "Bà Vũ Thị Hạnh" in html
    # sorted by the name, not by "Bà"
    assert record.name_sort == person_sort_key("Vũ Thị Hạnh")
    assert "Ủy ban nhân dân phường Suối Hoa" in html
    assert "01/QĐ-UBND" in html
    assert "1987" not in html
    check = reverse("portal:certificate-check", args=[site.slug])
    found = client.get(check, {"so": "0001/2022", "ten": "vu thi hanh"}).content.decode()
    # the result is shown in the portal, with its navigation, as the QR code's page shows it
    assert 'class="portal-nav"' in found
    assert 'aria-current="page">Tra cứu giấy khen' in found
    assert "<strong>Giấy khen hợp lệ</strong>" in found
    assert "Số 01/QĐ-UBND ngày 30/12/2022 của UBND thành phố Bắc Ninh" in found
    assert "1987" not in found
    missing = client.get(check, {"so": "0002/2022", "ten": "vu thi hanh"})
    assert "Không tìm thấy giấy khen" in missing.content.decode()


def test_the_portal_check_reads_the_number_with_a_dash_or_spaces(client, decided, make_user):
    """The number "0008/2022" was found, but "0008-2022" as many type it was refused."""
    from thidua.portal import services as portal

    media = make_user("media_staff")
    site = portal.site_save(actor=media, campaign=decided.campaign, is_public=True, intro="")
    check = reverse("portal:certificate-check", args=[site.slug])
    for number in ("0001/2022", "0001-2022", "0001 / 2022", " 0001 - 2022 ", "1-2022"):
        page = client.get(check, {"so": number, "ten": "Vũ Thị Hạnh"}).content.decode()
        assert "<strong>Giấy khen hợp lệ</strong>" in page, number
    page = client.get(check, {"so": "0001.2022", "ten": "Vũ Thị Hạnh"}).content.decode()
    assert "Số vào sổ gồm số thứ tự và năm, ví dụ 0003/2022." in page


def test_the_portal_check_wants_the_whole_printed_name(client, decided, make_user):
    """A part of the name (one letter, the given name) must not open an award: with registry
    numbers running 0001, 0002… anyone could read the whole registry from the portal."""
    from thidua.portal import services as portal

    media = make_user("media_staff")
    site = portal.site_save(actor=media, campaign=decided.campaign, is_public=True, intro="")
    check = reverse("portal:certificate-check", args=[site.slug])
    for part in ("a", "h", "Hạnh", "thi hanh", "Vũ Thị", "ba vu"):
        page = client.get(check, {"so": "0001/2022", "ten": part}).content.decode()
        assert "Không tìm thấy giấy khen" in page, part
        assert "Giấy khen hợp lệ" not in page, part
    for whole in ("Vũ Thị Hạnh", "vu thi hanh", "Bà Vũ Thị Hạnh", "  VŨ  THỊ   HẠNH "):
        page = client.get(check, {"so": "0001/2022", "ten": whole}).content.decode()
        assert "<strong>Giấy khen hợp lệ</strong>" in page, whole


def test_registry_search_export_and_history(office_user, decided, django_assert_max_num_queries):
    client = verified_client(office_user)
    with django_assert_max_num_queries(12):
        html = client.get(reverse("awards:registry"), {"q": "vu thi hanh"}).content.decode()
    assert "Bà Vũ Thị Hạnh" in html
    assert "Không có khen thưởng nào phù hợp" in client.get(
        reverse("awards:registry"), {"q": "không có ai"}
    ).content.decode("utf-8")
    export = client.get(reverse("awards:registry"), {"xuat": "excel"})
    assert export.streaming  # streamed: a registry of any size never sits whole in memory
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Số vào sổ *", "Năm *", "Tên tập thể, cá nhân *")
    assert rows[1][:3] == ("0001/2022", 2022, "Bà Vũ Thị Hạnh")
    record = AwardRecord.objects.get()
    history = client.get(
        reverse("awards:registry-history", args=["ca-nhan", record.person_id])
    ).content.decode()
    assert "Giấy khen của Chủ tịch UBND thành phố" in history


def test_statistics_by_type_level_target_and_unit(office_user, decided):
    client = verified_client(office_user)
    html = client.get(
        reverse("awards:statistics"), {"tu": "01/01/2022", "den": "31/12/2022"}
    ).content.decode()
    assert 'id="total">1<' in html
    export = client.get(
        reverse("awards:statistics"), {"tu": "01/01/2022", "den": "31/12/2022", "xuat": "excel"}
    )
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("Nhóm", "Nội dung", "Tập thể", "Cá nhân", "Hộ gia đình", "Tổng")
    assert ("Đối tượng", "Cá nhân", 0, 1, 0, 1) in rows
    assert ("Cấp khen thưởng", "Cấp huyện, thành phố", 0, 1, 0, 1) in rows
    assert ("Đơn vị", "Ủy ban nhân dân phường Suối Hoa", 0, 1, 0, 1) in rows
    empty = client.get(reverse("awards:statistics"), {"tu": "01/01/2021", "den": "31/12/2021"})
    assert 'id="total">0<' in empty.content.decode()


def test_a_bang_khen_layout_is_previewed_as_a_bang_khen_of_the_province(office_user, city):
    """The layout of the province Chairman's Bằng khen is previewed, and its sample printed,
    as a BẰNG KHEN signed by the CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BẮC NINH: the sample was a city
    Giấy khen whatever the layout was for."""
    from thidua.awards.certificates import default_fields

    award = AwardType.objects.get(code="BK-TINH")
    client = verified_client(office_user)
    page = client.get(reverse("awards:layout", args=[award.pk])).content.decode()
    preview = page[page.index("<svg") : page.index("</svg>")]
    assert "BẰNG KHEN" in preview
    assert "GIẤY KHEN" not in preview
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BẮC NINH" in preview
    rows: dict[str, str] = {"rows": str(len(default_fields()))}
    for i, field in enumerate(default_fields()):
        kind, _, text = field["field"].partition(":")
        rows |= {f"f-{i}-field": kind, f"f-{i}-text": text, f"f-{i}-x": str(field["x"])}
        rows |= {f"f-{i}-y": str(field["y"]), f"f-{i}-size": str(field["size"])}
    sample = client.post(reverse("awards:layout-sample", args=[award.pk]), rows)
    text = pdf_text(sample.content)[1]
    assert "BẰNG KHEN" in text
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BẮC NINH" in text


def test_layout_editor_saves_previews_and_keeps_bad_input(office_user, giay_khen):
    client = verified_client(office_user)
    url = reverse("awards:layout", args=[giay_khen.pk])
    page = client.get(url).content.decode()
    assert "<svg" in page
    rows = {
        "rows": "2",
        "f-0-field": "recipient",
        "f-0-x": "148,5",
        "f-0-y": "110",
        "f-0-size": "26",
        "f-0-font": "bold",
        "f-0-align": "centre",
        "f-1-field": "text",
        "f-1-text": "GIẤY KHEN",
        "f-1-x": "400",
        "f-1-y": "130",
        "f-1-size": "40",
    }
    bad = client.post(url, rows).content.decode()
    assert "nằm ngoài trang" in bad
    assert 'value="400"' in bad  # what the admin typed is still there
    assert not CertificateLayout.objects.exists()
    preview = client.post(reverse("awards:layout-preview", args=[giay_khen.pk]), rows)
    assert "nằm ngoài trang" in preview.content.decode()
    rows["f-1-x"] = "148.5"
    # a forged count of rows is read up to what the editor can hold, and nothing is lost
    assert client.post(url, {**rows, "rows": str(10**15), "border": "1"}).status_code == 302
    layout = CertificateLayout.objects.get()
    assert layout.fields[0] == {
        "field": "recipient",
        "font": "bold",
        "align": "centre",
        "x": 148.5,
        "y": 110.0,
        "size": 26.0,
    }
    assert layout.fields[1]["field"] == "text:GIẤY KHEN"
    sample = client.post(reverse("awards:layout-sample", args=[giay_khen.pk]), rows)
    assert "Bà Nguyễn Thị Thủy Tiên" in pdf_text(sample.content)[1]
    # Back to the default layout, saved and logged.
    reset = client.post(reverse("awards:layout-reset", args=[giay_khen.pk]))
    assert reset.status_code == 302
    assert CertificateLayout.objects.get().fields == default_fields(giay_khen)


def test_printer_offsets_and_calibration_page(office_user):
    client = verified_client(office_user)
    url = reverse("awards:printer-list")
    bad = client.post(url, {"name": "Canon", "offset_x_mm": "abc", "offset_y_mm": "0"})
    assert "Độ lệch phải là số" in bad.content.decode()
    nan = client.post(url, {"name": "Canon", "offset_x_mm": "NaN", "offset_y_mm": "0"})
    assert "Độ lệch phải là số" in nan.content.decode()
    client.post(url, {"name": "Canon", "offset_x_mm": "1,5", "offset_y_mm": "-2"})
    printer = printing.PrinterProfile.objects.get()
    assert (float(printer.offset_x_mm), float(printer.offset_y_mm)) == (1.5, -2.0)
    pdf = client.get(reverse("awards:calibration", args=[printer.pk]))
    assert "ngang +1.5 mm, dọc -2.0 mm" in pdf_text(pdf.content)[1]


def test_holds_are_managed_by_noi_vu_and_block_nominations(
    office_user, campaign, officer, giay_khen, city, django_assert_max_num_queries
):
    person = Person.objects.create(
        full_name="Trịnh Văn Đạt",
        gender="male",
        unit=city.suoi_hoa,
        category="worker",
        search_text="trinh van dat",
    )
    client = verified_client(office_user)
    url = reverse("awards:hold-list")
    found = client.get(url, {"q": "trinh van dat"}).content.decode()
    assert "Trịnh Văn Đạt" in found
    bad = client.post(url, {"person": person.pk, "reason": "", "active_from": "01/12/2022"})
    assert "Cần ghi lý do" in bad.content.decode()
    client.post(
        url, {"person": person.pk, "reason": "Đang xem xét kỷ luật", "active_from": "01/12/2022"}
    )
    hold = Hold.objects.get()
    assert ActionLog.objects.filter(action="awards.hold.added", target_id=str(hold.pk)).exists()
    n = services.nomination_create(
        actor=officer, campaign=campaign, unit=city.suoi_hoa, award_type=giay_khen
    )
    services.nominee_add(actor=officer, nomination=n, person=person, achievements="Tốt")
    assert any("kỷ luật" in p for p in services.eligibility_problems(n, date(2022, 12, 10)))
    with django_assert_max_num_queries(12):
        client.get(url)
    client.post(reverse("awards:hold-end", args=[hold.pk]))
    hold.refresh_from_db()
    assert hold.active_to is not None


def test_the_qr_code_follows_the_configured_site_address(decided, settings):
    import pypdfium2
    import zxingcpp

    settings.SITE_URL = "https://thidua.bacninh.gov.vn"
    record = AwardRecord.objects.get()
    pdf = render_certificates(
        CertificateLayout(fields=default_fields()), [certificate_values(record)]
    )
    image = pypdfium2.PdfDocument(pdf)[0].render(scale=3).to_pil()
    scanned = [code.text for code in zxingcpp.read_barcodes(image)]
    assert scanned == [f"https://thidua.bacninh.gov.vn/xac-minh/{record.token}/"]


def test_make_demo_sets_the_site_address_to_the_address_it_serves():
    import os
    import shutil
    import subprocess
    from pathlib import Path

    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    repo = Path(__file__).resolve().parents[2]
    dry = subprocess.run(  # noqa: S603 - a fixed command in the repository
        [make, "-n", "-o", "migrate", "demo", "DEMO_ADDR=127.0.0.1:8123"],
        cwd=repo,
        env={k: v for k, v in os.environ.items() if k != "SITE_URL"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "SITE_URL=http://127.0.0.1:8123" in dry
    assert "runserver 127.0.0.1:8123" in dry


def _shown(page: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert match, name
    return html.unescape(match.group(1))


def test_a_stale_decision_form_cannot_wipe_a_colleagues_edit(office_user, recommended, campaign):
    """Issue 18, M7: two tabs on one draft; the later save of an old copy is refused."""
    client = verified_client(office_user)
    client.post(
        reverse("awards:decision-list", args=[campaign.pk]),
        {"award_type": recommended.award_type_id, "nominees": [recommended.nominees.get().pk]},
    )
    d = Decision.objects.get()
    page = client.get(reverse("awards:decision-detail", args=[d.pk])).content.decode()
    form = {
        "_bases": _shown(page, "_bases"),
        "summary": d.summary,
        "drafted_on": d.drafted_on.strftime("%d/%m/%Y"),
        "legal_bases": "\n".join(d.legal_bases),
        "articles": "\n".join(d.articles),
        "recipients": "\n".join(d.recipients),
        "signer_authority": d.signer_authority,
        "signer_title_line": d.signer_title_line,
        "signer_title": d.signer_title,
        "signer_name": d.signer_name,
    }
    url = reverse("awards:decision-save", args=[d.pk])
    first = client.post(url, {**form, "summary": "Về việc tặng Giấy khen (bản A)"})
    assert first.status_code == 302
    stale = client.post(url, {**form, "summary": "Về việc tặng Giấy khen (bản B)"})
    text = stale.content.decode()
    assert "người khác đã lưu nội dung khác ở “trích yếu”" in text
    assert "Về việc tặng Giấy khen (bản B)" in text  # what was typed stays on screen
    d.refresh_from_db()
    assert d.summary == "Về việc tặng Giấy khen (bản A)"
    # A field the old tab did not touch keeps the colleague's newer value.
    client.post(url, {**form, "signer_name": "Nguyễn Văn Phong"})
    d.refresh_from_db()
    assert (d.summary, d.signer_name) == ("Về việc tặng Giấy khen (bản A)", "Nguyễn Văn Phong")


def test_the_layout_preview_escapes_what_was_typed(office_user, giay_khen):
    """The refusal quotes the typed value: it comes back as text, never as markup."""
    client = verified_client(office_user)
    typed = '<img src=x onerror="alert(1)">'
    response = client.post(
        reverse("awards:layout-preview", args=[giay_khen.pk]),
        {"rows": "1", "f-0-field": "recipient_name", "f-0-x": typed},
    )
    text = response.content.decode()
    assert "không phải là số" in text
    assert "<img" not in text
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in text


def test_a_stale_line_edit_is_refused(office_user, recommended, campaign):
    client = verified_client(office_user)
    client.post(
        reverse("awards:decision-list", args=[campaign.pk]),
        {"award_type": recommended.award_type_id, "nominees": [recommended.nominees.get().pk]},
    )
    d = Decision.objects.get()
    line = d.lines.get()
    page = client.get(reverse("awards:decision-detail", args=[d.pk])).content.decode()
    match = re.search(
        rf'action="{reverse("awards:decision-line-edit", args=[d.pk, line.pk])}".*?'
        r'name="_bases" value="([^"]*)"',
        page,
        re.S,
    )
    assert match
    form = {
        "_bases": html.unescape(match.group(1)),
        "recipient_name": line.recipient_name,
        "recipient_detail": line.recipient_detail,
        "achievement": line.achievement,
    }
    url = reverse("awards:decision-line-edit", args=[d.pk, line.pk])
    client.post(url, {**form, "recipient_name": "Bà Vũ Thị Hạnh (A)"})
    stale = client.post(url, {**form, "recipient_name": "Bà Vũ Thị Hạnh (B)"}, follow=True)
    assert "người khác đã lưu nội dung khác" in stale.content.decode()
    line.refresh_from_db()
    assert line.recipient_name == "Bà Vũ Thị Hạnh (A)"


def province_award(city, number=1):
    """A Bằng khen of the province's Chairman entered from the old registry: the province's
    own numbering series, whose numbers the city's also uses."""
    return AwardRecord.objects.create(
        issuer_code=city.province.code,
        year=2022,
        number=number,
        award_type=AwardType.objects.get(code="BK-TINH"),  # seeded with the law (awards.0010)
        subject="individual",
        unit=city.suoi_hoa,
        recipient_name="Ông Nguyễn Văn Hùng",
        recipient_detail="Phó Chủ tịch UBND phường, phường Suối Hoa",
        unit_name=city.suoi_hoa.name,
        legacy_decision="415/QĐ-UBND",
        legacy_signed_on=date(2022, 3, 10),
        token="bang-khen-tinh-0001-2022-tbn",
        search_text="ong nguyen van hung",
    )


def test_each_number_is_shown_with_the_body_whose_series_it_belongs_to(
    client, office_user, decided, city, make_user
):
    from thidua.portal import services as portal

    province = province_award(city)  # 0001/2022, as the city's Giấy khen of `decided`
    own = AwardRecord.objects.exclude(pk=province.pk).get()
    staff = verified_client(office_user)
    page = staff.get(reverse("awards:registry")).content.decode()
    assert ">Cơ quan khen thưởng</th>" in page
    rows = re.findall(
        r"<tr><td[^>]*>(\d{4}/\d{4})</td><td[^>]*>([^<]+)</td><td[^>]*>([^<]+)</td>", page
    )
    assert rows == [  # one issuer's series together
        ("0001/2022", "UBND tỉnh Bắc Ninh", "415/QĐ-UBND ngày 10/03/2022"),
        ("0001/2022", "UBND thành phố Bắc Ninh", "01/QĐ-UBND ngày 30/12/2022"),
    ]
    entry = staff.get(reverse("awards:record", args=[province.pk])).content.decode()
    assert "415/QĐ-UBND ngày 10/03/2022 của UBND tỉnh Bắc Ninh" in entry
    assert '0001/2022 <span class="text-secondary">(sổ vàng của UBND tỉnh Bắc Ninh)' in entry
    history = staff.get(reverse("awards:registry-history", args=["ca-nhan", own.person_id]))
    assert "01/QĐ-UBND ngày 30/12/2022 của UBND thành phố Bắc Ninh" in history.content.decode()

    # the certificate check says what the award is, and whose
    checked = client.get(reverse("awards:verify", args=[province.token])).content.decode()
    assert "<strong>Bằng khen hợp lệ</strong>" in checked
    assert "sổ vàng khen thưởng của UBND tỉnh Bắc Ninh" in checked
    assert "Số 415/QĐ-UBND ngày 10/03/2022 của UBND tỉnh Bắc Ninh" in checked
    assert "Giấy khen hợp lệ" not in checked
    own_check = client.get(reverse("awards:verify", args=[own.token])).content.decode()
    assert "<strong>Giấy khen hợp lệ</strong>" in own_check
    site = portal.site_save(
        actor=make_user("media_staff"), campaign=decided.campaign, is_public=True, intro=""
    )
    found = client.get(
        reverse("portal:certificate-check", args=[site.slug]),
        {"so": "0001/2022", "ten": "nguyen van hung"},
    ).content.decode()
    assert "<strong>Bằng khen hợp lệ</strong>" in found
    assert "Ông Nguyễn Văn Hùng" in found
    assert 'class="portal-nav"' in found


def test_registry_filters_have_visible_labels(office_user, decided):
    page = verified_client(office_user).get(reverse("awards:registry")).content.decode()
    form = page[
        page.index('id="registry-filter"') : page.index(
            "</form>", page.index('id="registry-filter"')
        )
    ]
    for field, label in (
        ("q", "Tên, đơn vị"),
        ("nam", "Năm"),
        ("hinh_thuc", "Hình thức"),
        ("cap", "Cấp khen thưởng"),
        ("doi_tuong", "Đối tượng"),
        ("phong_trao", "Phong trào"),
    ):
        assert f'<label class="form-label small mb-0" for="{field}">{label}</label>' in form
    assert "visually-hidden" not in form
    assert "col-md-1" not in form  # no filter squeezed into one twelfth of the row


def test_the_certificate_dates_follow_decree_30(decided):
    """Nghị định 30/2020: a zero before days below 10 and before months 1 and 2 only."""
    record = AwardRecord.objects.select_related("decision__campaign").get()
    for day, printed in (
        (date(2022, 6, 5), "ngày 05 tháng 6 năm 2022"),
        (date(2022, 2, 15), "ngày 15 tháng 02 năm 2022"),
        (date(2022, 1, 9), "ngày 09 tháng 01 năm 2022"),
        (date(2022, 12, 30), "ngày 30 tháng 12 năm 2022"),
        (date(2022, 10, 1), "ngày 01 tháng 10 năm 2022"),
    ):
        record.decision.signed_on = day
        assert certificate_values(record)["place_date"] == f"Bắc Ninh, {printed}"


def test_statistics_refuse_a_date_that_does_not_exist_and_a_reversed_period(office_user, decided):
    client = verified_client(office_user)
    url = reverse("awards:statistics")
    bad = client.get(url, {"tu": "31/02/2026"}).content.decode()
    assert "“Từ ngày” không hợp lệ: cần một ngày có thật" in bad
    assert 'value="31/02/2026"' in bad  # what was typed stays, never replaced by 01/01
    assert 'id="total"' not in bad
    reversed_ = client.get(url, {"tu": "31/12/2022", "den": "01/01/2022"}).content.decode()
    assert "“Từ ngày” (31/12/2022) sau “Đến ngày” (01/01/2022)" in reversed_
    assert 'id="total"' not in reversed_
    assert "Không có số liệu" not in reversed_
    export = client.get(url, {"tu": "01/13/2022", "xuat": "excel"})
    assert export["Content-Type"].startswith("text/html")  # the page and its message, no file
    assert "“Từ ngày” không hợp lệ" in export.content.decode()
    # nothing typed: this year to today
    default = client.get(url).content.decode()
    assert 'id="total">' in default
    assert 'value="01/01/' in default


def test_a_decided_nomination_no_longer_shows_its_appraisal_deadline(office_user, decided):
    nomination = decided.lines.select_related("nominee__nomination").first().nominee.nomination
    assert nomination.status == "decided"
    assert nomination.appraisal_due is not None
    page = verified_client(office_user).get(
        reverse("awards:nomination-list", args=[decided.campaign_id])
    )
    html_ = page.content.decode()
    assert "Đã có quyết định khen thưởng" in html_
    assert f"{nomination.appraisal_due:%d/%m/%Y}" not in html_


def test_a_dossier_that_ended_without_an_award_shows_no_appraisal_deadline(office_user, decided):
    nomination = decided.lines.select_related("nominee__nomination").first().nominee.nomination
    type(nomination).objects.filter(pk=nomination.pk).update(status="not_recommended")
    html_ = (
        verified_client(office_user)
        .get(reverse("awards:nomination-list", args=[decided.campaign_id]))
        .content.decode()
    )
    assert "Hội đồng không đề nghị" in html_
    assert f"{nomination.appraisal_due:%d/%m/%Y}" not in html_


def test_the_portal_check_says_what_to_put_right(client, decided, make_user):
    """A half-filled check (a link, a browser that does not stop it) showed nothing at all, and
    a number not in the certificate's form ("3.2022", "2022") said "not found", which sent
    people hunting for a certificate that exists. Each box says what it needs, in Vietnamese
    (the browser's own messages follow the phone's language: novalidate)."""
    from thidua.portal import services as portal

    media = make_user("media_staff")
    site = portal.site_save(actor=media, campaign=decided.campaign, is_public=True, intro="")
    check = reverse("portal:certificate-check", args=[site.slug])
    page = client.get(check, {"so": "0001/2022", "ten": ""}).content.decode()
    assert "Hãy nhập họ tên (hoặc tên tập thể) in trên giấy khen." in page
    assert 'aria-describedby="ten-error"' in page
    assert 'id="ten-error"' in page
    assert "Không tìm thấy giấy khen" not in page
    page = client.get(check, {"so": "", "ten": "Vũ Thị Hạnh"}).content.decode()
    assert "Hãy nhập số vào sổ in trên giấy khen." in page
    for wrong in ("3.2022", "2022", "số 1"):  # "3-2022" is read as 3/2022
        page = client.get(check, {"so": wrong, "ten": "Vũ Thị Hạnh"}).content.decode()
        assert "Số vào sổ gồm số thứ tự và năm, ví dụ 0003/2022." in page, wrong
        assert "Không tìm thấy giấy khen" not in page, wrong
        assert 'id="so-error"' in page
    assert "novalidate" in page
    # a number in the right form still finds, or does not
    page = client.get(check, {"so": " 1 / 2022", "ten": "Vũ Thị Hạnh"}).content.decode()
    assert "<strong>Giấy khen hợp lệ</strong>" in page
    assert "Hãy nhập" not in page
    page = client.get(check).content.decode()  # the empty page asks nothing yet
    assert "Chưa tra cứu được" not in page


def test_a_decision_downloads_under_its_number(office_user, decided):
    """The decision's PDF and DOCX are named after its number with its Vietnamese letters
    (quyet-dinh-01-QĐ-UBND…), in the form browsers read (RFC 6266 filename*); the header was
    MIME-encoded whole ("=?utf-8?q?…"), so the browser saved every decision as
    "quyet-dinh.docx"."""
    from urllib.parse import unquote

    client = verified_client(office_user)
    for kind, disposition in (("pdf", "inline"), ("docx", "attachment")):
        header = client.get(reverse("awards:decision-download", args=[decided.pk, kind]))[
            "Content-Disposition"
        ]
        assert header.isascii()
        assert header.startswith(f"{disposition}; filename*=")
        charset, _language, name = header.split("filename*=", 1)[1].split("'", 2)
        assert charset.lower() == "utf-8"
        assert unquote(name) == f"quyet-dinh-01-QĐ-UBND.{kind}"


def _legacy(city, number, unit_name, *, issuer=None):
    return AwardRecord.objects.create(
        issuer_code=issuer or city.city.code,
        year=2022,
        number=number,
        award_type=AwardType.objects.get(code="BK-TINH"),
        subject="collective",
        unit=city.suoi_hoa,
        recipient_name=unit_name,
        unit_name=unit_name,
        legacy_decision=f"{number}/QĐ-UBND",
        legacy_signed_on=date(2022, 3, 10),
        token=f"so-vang-cu-{number:04d}-2022",
    )


def test_statistics_count_a_unit_once_however_its_tones_are_placed(office_user, city):
    """The old registry was typed by several people: "Thủy Hòa" and "Thuỷ Hoà" are one ward,
    yet the statistics by unit listed each spelling on its own line (the same for "hoá" and
    "hóa"); "Thủy Hoa" is another name and stays apart."""
    for number, name in enumerate(
        (
            "Ủy ban nhân dân phường Thủy Hòa",
            "Uỷ ban nhân dân phường Thuỷ Hoà",
            "Ủy ban nhân dân phường Thủy Hòa",
            "ủy ban nhân dân phường  Thuỷ Hòa",
            "Trung tâm Văn hoá phường Thủy Hòa",
            "Trung tâm Văn hóa phường Thủy Hòa",
            "Ủy ban nhân dân phường Thủy Hoa",
        ),
        start=1,
    ):
        _legacy(city, number, name)
    client = verified_client(office_user)
    query = {"tu": "01/01/2022", "den": "31/12/2022", "xuat": "excel"}
    export = client.get(reverse("awards:statistics"), query)
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert [row[1:] for row in rows if row[0] == "Đơn vị"] == [
        ("Ủy ban nhân dân phường Thủy Hòa", 4, 0, 0, 4),
        ("Trung tâm Văn hóa phường Thủy Hòa", 2, 0, 0, 2),  # a tie: "hóa", as officially
        ("Ủy ban nhân dân phường Thủy Hoa", 1, 0, 0, 1),
    ]
    page = client.get(reverse("awards:statistics"), {"tu": "01/01/2022", "den": "31/12/2022"})
    assert 'id="total">7<' in page.content.decode()
    assert "Thuỷ Hoà" not in page.content.decode()


@pytest.mark.parametrize(
    ("province_name", "shown"),
    [
        ("Uỷ ban nhân dân tỉnh Bắc Ninh", "UBND tỉnh Bắc Ninh"),
        ("Ủy ban nhân dân tỉnh Bắc Ninh", "UBND tỉnh Bắc Ninh"),
        ("UBND tỉnh Bắc Ninh", "UBND tỉnh Bắc Ninh"),
        ("Ủy ban nhân dân  tỉnh Bắc Ninh", "UBND tỉnh Bắc Ninh"),
        ("ỦY BAN NHÂN DÂN TỈNH BẮC NINH", "UBND TỈNH BẮC NINH"),
        ("UỶ BAN NHÂN DÂN TỈNH BẮC NINH", "UBND TỈNH BẮC NINH"),
    ],
)
def test_the_issuer_is_written_ubnd_however_its_name_is_spelt(
    office_user, city, province_name, shown
):
    """The issuer's "Ủy ban nhân dân" was shortened only as two spellings listed by hand: a
    province entered in capitals (as its documents head it) or with a double space showed
    in full in the registry."""
    type(city.province).objects.filter(pk=city.province.pk).update(name=province_name)
    record = _legacy(city, 1, "Ủy ban nhân dân phường Suối Hoa", issuer=city.province.code)
    page = verified_client(office_user).get(reverse("awards:record", args=[record.pk]))
    assert f"(sổ vàng của {shown})" in page.content.decode()


def test_the_registry_offers_a_unit_no_statistics_page_it_may_not_open(officer, office_user):
    """A unit's staff searching the registry were shown "Thống kê" and "Báo cáo thống kê Bộ
    Nội vụ", city-wide pages that answered them 403: only those who may open them see them."""
    pages = (reverse("awards:statistics"), reverse("awards:bnv-statistics"))
    for user, allowed in ((officer, False), (office_user, True)):
        client = verified_client(user)
        shown = client.get(reverse("awards:registry")).content.decode()
        for page in pages:
            assert (f'href="{page}"' in shown) is allowed
            assert (client.get(page).status_code == 200) is allowed
