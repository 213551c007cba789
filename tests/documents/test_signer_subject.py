"""The signer's certificate subject is shown in Vietnamese, built from the certificate's
attributes (documents.signing.subject), on the pages and for rows checked before."""

import importlib

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.x509.oid import NameOID, ObjectIdentifier
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from tests.documents.test_signing import PASS, decision_pdf, root_of, stamp
from thidua.documents import signing
from thidua.documents.models import SignedPdf
from thidua.organizations.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(test_ca, tmp_path):
    """A decision signed with a key whose subject is C=VN, O=UBND thành phố Bắc Ninh, CN=…"""
    path = tmp_path / "chutich.p12"
    path.write_bytes(test_ca.pkcs12("Lê Quang Minh", "UBND thành phố Bắc Ninh", PASS))
    data, box = decision_pdf()
    key = signing.Pkcs12Key(path, PASS)
    return signing.sign_pdf(data, key=key, stamp=stamp(), box=box, reason="Ký duyệt")


def asn1_name(*attributes: tuple[ObjectIdentifier, str]) -> asn1_x509.Name:
    name = x509.Name([x509.NameAttribute(oid, value) for oid, value in attributes])
    return asn1_x509.Name.load(name.public_bytes())


def test_the_subject_reads_in_vietnamese_from_its_attributes():
    name = asn1_name(
        (NameOID.COUNTRY_NAME, "VN"),
        (NameOID.STATE_OR_PROVINCE_NAME, "Bắc Ninh"),
        (NameOID.LOCALITY_NAME, "thành phố Bắc Ninh"),
        (NameOID.ORGANIZATION_NAME, "UBND thành phố Bắc Ninh"),
        (NameOID.ORGANIZATIONAL_UNIT_NAME, "Văn phòng HĐND và UBND"),
        (NameOID.TITLE, "Chủ tịch"),
        (NameOID.USER_ID, "CCCD:001234567890"),
        (ObjectIdentifier("1.2.3.4"), "khác"),
        (NameOID.COMMON_NAME, "Lê Quang Minh"),
    )
    attributes = signing.subject_attributes(name)
    assert attributes[0] == ("country_name", "VN")  # the certificate's order
    assert ("1.2.3.4", "khác") in attributes
    assert signing.subject_text(attributes) == (
        "Cấp cho: Lê Quang Minh; Chức danh: Chủ tịch; Đơn vị: Văn phòng HĐND và UBND; "
        "Tổ chức: UBND thành phố Bắc Ninh; Mã định danh: CCCD:001234567890; "
        "Địa phương: thành phố Bắc Ninh; Tỉnh, thành phố: Bắc Ninh; Quốc gia: Việt Nam; "
        "Thuộc tính 1.2.3.4: khác"
    )
    # another country keeps its code; empty values are left out
    assert signing.subject_text([("country_name", "FR"), ("organization_name", " ")]) == (
        "Quốc gia: FR"
    )


def test_a_checked_signature_names_its_signer_in_vietnamese(signed, test_ca):
    sig = signing.validate_signed_pdf(signed, trust_roots=[root_of(test_ca)]).last
    assert sig.signer_subject == (
        "Cấp cho: Lê Quang Minh; Tổ chức: UBND thành phố Bắc Ninh; Quốc gia: Việt Nam"
    )
    assert sig.as_json()["subject"] == [
        ["country_name", "VN"],
        ["organization_name", "UBND thành phố Bắc Ninh"],
        ["common_name", "Lê Quang Minh"],
    ]
    for english in ("Common Name", "Organization", "Country"):
        assert english not in sig.signer_subject


def test_rows_checked_before_are_reworded_from_their_certificate(signed, city):
    """Migration documents.0002: the English subject kept before is read again from the PDF."""
    target = {"target_type": ContentType.objects.get_for_model(Unit), "target_id": "1"}
    english = "Common Name: Lê Quang Minh, Organization: UBND thành phố Bắc Ninh, Country: VN"
    kept = SignedPdf.objects.create(
        **target,
        source="issued",
        file=default_storage.save("signed/2026/12/a.pdf", ContentFile(signed)),
        sha256="0" * 64,
        status="valid",
        signer_name="Lê Quang Minh",
        signer_subject=english,
        details={"signatures": [{"signer_subject": english}]},
    )
    lost = SignedPdf.objects.create(
        **target,
        source="received",
        file="signed/2026/12/khong-con.pdf",
        sha256="1" * 64,
        status="valid",
        signer_subject=english,
    )
    migration = importlib.import_module(
        "thidua.documents.migrations.0002_signer_subject_in_vietnamese"
    )
    migration.reword(apps, None)
    kept.refresh_from_db()
    lost.refresh_from_db()
    vietnamese = "Cấp cho: Lê Quang Minh; Tổ chức: UBND thành phố Bắc Ninh; Quốc gia: Việt Nam"
    assert kept.signer_subject == vietnamese
    assert kept.details["signatures"][-1]["signer_subject"] == vietnamese
    assert lost.signer_subject == english  # the file cannot be read: nothing is erased
