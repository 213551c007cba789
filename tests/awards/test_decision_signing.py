"""The leader's "Ký duyệt" signs the decision PDF; a signed PDF uploaded back is checked; the
public verification page says whether the decision is digitally signed (issue 23, item 1)."""

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from tests.awards.test_decisions import draft
from tests.conftest import verified_client
from tests.documents.test_signing import decision_pdf, root_of, stamp
from thidua.awards import decisions
from thidua.awards.models import AwardRecord, Decision
from thidua.core.models import ActionLog
from thidua.documents import signing
from thidua.documents.models import SignedPdf, SigningKey
from thidua.documents.selectors import signed_pdf_bytes

pytestmark = pytest.mark.django_db


def awaiting(office_user, campaign, recommended):
    d = draft(office_user, campaign, recommended)
    return decisions.decision_send_for_signature(actor=office_user, decision=d)


def test_ky_duyet_signs_the_decision_pdf(
    office_user, signer, campaign, recommended, give_signing_key, test_ca
):
    give_signing_key(signer)
    d = awaiting(office_user, campaign, recommended)
    before = verified_client(signer).get(reverse("awards:decision-detail", args=[d.pk]))
    assert "Quyết định sẽ được ký số bằng khóa của bạn" in before.content.decode()
    d = decisions.decision_approve(actor=signer, decision=d, signed_on=date(2022, 12, 30))
    assert d.status == Decision.Status.FINAL
    row = SignedPdf.objects.get(source="issued")
    assert (row.status, row.signer_name) == ("valid", "Lê Quang Minh")
    pdf = signed_pdf_bytes(row)
    result = signing.validate_signed_pdf(pdf, trust_roots=[root_of(test_ca)])
    assert result.status == "valid"
    assert ActionLog.objects.filter(action="documents.pdf.signed", target_id=str(d.pk)).exists()
    # Decree 30: the annex's first page carries the number and the signing time (ISO 8601)
    annex = PdfReader(io.BytesIO(pdf)).pages[-1].extract_text()
    assert "Danh sách tập thể, cá nhân được tặng" in annex
    note = annex.strip().splitlines()[-2:]  # drawn last, over the page
    assert note[0] == d.reference
    assert note[1].endswith("+07:00")
    # the decision's PDF, as served, is the signed copy
    client = verified_client(office_user)
    served = client.get(reverse("awards:decision-download", args=[d.pk, "pdf"]))
    assert served.content == pdf
    page = client.get(reverse("awards:decision-detail", args=[d.pk])).content.decode()
    assert "Chữ ký số hợp lệ" in page
    # the certificate's subject in Vietnamese, from its attributes (never "Common Name: …")
    assert (
        "Chứng thư số (Cấp cho: Lê Quang Minh; Tổ chức: UBND thành phố Bắc Ninh; "
        "Quốc gia: Việt Nam)" in page
    )
    assert "Common Name" not in page
    # the certificate's verification page says so too
    record = AwardRecord.objects.get(decision=d)
    public = verified_client(office_user).get(reverse("awards:verify", args=[record.token]))
    html = public.content.decode()
    assert 'data-status="valid"' in html
    assert "Chữ ký số hợp lệ" in html
    assert "Ký bởi Lê Quang Minh" in html


def test_without_a_key_approval_is_unchanged(office_user, signer, campaign, recommended, client):
    d = awaiting(office_user, campaign, recommended)
    d = decisions.decision_approve(actor=signer, decision=d, signed_on=date(2022, 12, 30))
    assert d.status == Decision.Status.FINAL
    assert not SignedPdf.objects.exists()
    record = AwardRecord.objects.get(decision=d)
    html = client.get(reverse("awards:verify", args=[record.token])).content.decode()
    assert "Quyết định không có bản ký số trên hệ thống" in html


def test_a_key_that_cannot_be_opened_issues_nothing(
    office_user, signer, campaign, recommended, give_signing_key, monkeypatch
):
    give_signing_key(signer)
    monkeypatch.setenv("THIDUA_TEST_P12_PASS", "sai-mat-khau")
    d = awaiting(office_user, campaign, recommended)
    with pytest.raises(ValidationError, match="Không mở được tệp khóa ký số"):
        decisions.decision_approve(actor=signer, decision=d, signed_on=date(2022, 12, 30))
    d.refresh_from_db()
    assert d.status == Decision.Status.AWAITING_SIGNATURE
    assert not AwardRecord.objects.exists()


def test_inactive_key_is_not_used(office_user, signer, campaign, recommended, give_signing_key):
    give_signing_key(signer)
    SigningKey.objects.update(active=False)
    d = awaiting(office_user, campaign, recommended)
    decisions.decision_approve(actor=signer, decision=d, signed_on=date(2022, 12, 30))
    assert not SignedPdf.objects.exists()


def _signed_elsewhere(test_ca, tmp_path):
    path = tmp_path / "noi-khac.p12"
    path.write_bytes(test_ca.pkcs12("Nguyễn Văn Phong", "UBND thành phố Bắc Ninh", b"pw"))
    data, box = decision_pdf()
    return signing.sign_pdf(data, key=signing.Pkcs12Key(path, b"pw"), stamp=stamp(), box=box)


@pytest.mark.parametrize(
    ("tamper", "status", "label"),
    [
        (False, "valid", "Chữ ký số hợp lệ"),
        (True, "modified", "Tài liệu đã bị sửa sau khi ký"),
    ],
)
def test_a_signed_pdf_uploaded_back_is_checked(
    office_user, campaign, recommended, test_ca, settings, tmp_path, tamper, status, label
):
    test_ca.write_root(settings.THIDUA_SIGNING_TRUST_DIR)
    pdf = _signed_elsewhere(test_ca, tmp_path)
    if tamper:
        at = pdf.index(b"thidua")
        pdf = pdf[:at] + b"T" + pdf[at + 1 :]
    d = awaiting(office_user, campaign, recommended)
    d = decisions.decision_record_signed_scan(
        actor=office_user,
        decision=d,
        scan=SimpleUploadedFile("qd-ky-so.pdf", pdf, content_type="application/pdf"),
        signed_on=date(2022, 12, 29),
        signer_name="Nguyễn Văn Phong",
    )
    row = SignedPdf.objects.get(source="received")
    assert row.status == status
    assert row.file.name == d.signed_scan.name
    page = verified_client(office_user).get(reverse("awards:decision-detail", args=[d.pk]))
    assert label in page.content.decode()


def test_untrusted_upload_is_shown_as_such(office_user, campaign, recommended, tmp_path):
    from tests.documents.ca import make_ca

    pdf = _signed_elsewhere(make_ca("Unknown CA"), tmp_path)  # its root is not configured
    d = awaiting(office_user, campaign, recommended)
    decisions.decision_record_signed_scan(
        actor=office_user,
        decision=d,
        scan=SimpleUploadedFile("qd.pdf", pdf, content_type="application/pdf"),
        signed_on=date(2022, 12, 29),
        signer_name="Nguyễn Văn Phong",
    )
    assert SignedPdf.objects.get().get_status_display() == "Chứng thư không được tin cậy"


def test_a_photo_scan_has_no_signature_check(office_user, campaign, recommended):
    from tests.factories.images import photo

    d = awaiting(office_user, campaign, recommended)
    decisions.decision_record_signed_scan(
        actor=office_user,
        decision=d,
        scan=photo("quyet-dinh-da-ky.jpg"),
        signed_on=date(2022, 12, 29),
        signer_name="Nguyễn Văn Phong",
    )
    assert not SignedPdf.objects.exists()
