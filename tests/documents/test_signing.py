"""Signing and validating PDFs with a CA of the tests' own (issue 23, item 1)."""

import io
import os
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pypdfium2
import pytest
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from tests.documents.ca import make_ca
from thidua.core.uploads import UploadKind, check_upload
from thidua.documents import signing
from thidua.documents.official import (
    OfficialDocument,
    Paragraph,
    Signature,
    render_pdf_with_signature_box,
)

PASS = b"mat-khau"


def root_of(ca):
    return asn1_x509.Certificate.load(ca.cert.public_bytes(serialization.Encoding.DER))


def decision_pdf():
    doc = OfficialDocument(
        issuer_parent="UBND TỈNH BẮC NINH",
        issuer="ỦY BAN NHÂN DÂN THÀNH PHỐ BẮC NINH",
        number="12",
        symbol="QĐ-UBND",
        place="Bắc Ninh",
        date=None,
        doc_type="QUYẾT ĐỊNH",
        summary="Về việc tặng Giấy khen",
        body=[Paragraph("Điều 1. Tặng Giấy khen cho 01 cá nhân.")],
        recipients=["Như Điều 3", "Lưu: VT"],
        signature=Signature(
            authority="TM. ỦY BAN NHÂN DÂN", title_line=None, title="CHỦ TỊCH", name="Lê Quang Minh"
        ),
    )
    return render_pdf_with_signature_box(doc)


def stamp(moment=None):
    return signing.StampInfo(
        signer_name="Lê Quang Minh",
        organisation="Ủy ban nhân dân thành phố Bắc Ninh",
        signed_at=moment or datetime(2026, 12, 3, 2, 30, tzinfo=UTC),
        seal_top="ỦY BAN NHÂN DÂN",
        seal_bottom="THÀNH PHỐ BẮC NINH",
    )


@pytest.fixture
def p12(test_ca, tmp_path):
    path = tmp_path / "chutich.p12"
    path.write_bytes(test_ca.pkcs12("Lê Quang Minh", "UBND thành phố Bắc Ninh", PASS))
    return signing.Pkcs12Key(path, PASS)


@pytest.fixture
def signed(p12):
    data, box = decision_pdf()
    return signing.sign_pdf(data, key=p12, stamp=stamp(), box=box, reason="Ký duyệt")


def test_signed_pdf_validates_against_its_root(signed, test_ca):
    result = signing.validate_signed_pdf(signed, trust_roots=[root_of(test_ca)])
    assert result.status == "valid"
    assert result.label == "Chữ ký số hợp lệ"
    sig = result.last
    assert sig.signer_name == "Lê Quang Minh"
    assert sig.organisation == "UBND thành phố Bắc Ninh"
    assert "Lê Quang Minh" in sig.signer_subject
    assert (sig.trusted, sig.intact, sig.unmodified) == (True, True, True)
    assert sig.signed_at == datetime(2026, 12, 3, 2, 30, tzinfo=UTC)  # the stamp's time


def test_trust_roots_come_from_the_configured_folder(signed, test_ca, settings):
    assert signing.validate_signed_pdf(signed).status == "untrusted"  # folder empty
    test_ca.write_root(settings.THIDUA_SIGNING_TRUST_DIR, "goc.pem")
    (settings.THIDUA_SIGNING_TRUST_DIR / "hong.crt").write_bytes(b"not a certificate")
    (settings.THIDUA_SIGNING_TRUST_DIR / "ghi-chu.txt").write_text("ignored")
    assert signing.validate_signed_pdf(signed).status == "valid"


def test_another_root_is_not_trusted(signed):
    result = signing.validate_signed_pdf(signed, trust_roots=[root_of(make_ca("Other CA"))])
    assert result.status == "untrusted"
    assert result.label == "Chứng thư không được tin cậy"
    assert result.last.intact


def test_one_byte_changed_in_the_signed_range_fails(signed, test_ca):
    at = signed.index(b"thidua")  # the producer in the document information, signed
    tampered = signed[:at] + b"T" + signed[at + 1 :]
    result = signing.validate_signed_pdf(tampered, trust_roots=[root_of(test_ca)])
    assert result.status == "modified"
    assert result.label == "Tài liệu đã bị sửa sau khi ký"
    assert not result.last.intact


def test_an_incremental_update_that_changes_the_page_fails(signed, test_ca):
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    ref = writer.add_object(generic.StreamObject(stream_data=b"0 0 1 rg 100 100 200 50 re f"))
    writer.add_stream_to_page(0, ref)
    out = io.BytesIO()
    writer.write(out)
    result = signing.validate_signed_pdf(out.getvalue(), trust_roots=[root_of(test_ca)])
    assert result.status == "modified"
    assert result.last.intact  # the signed bytes are untouched, but content was added after
    assert not result.last.unmodified


def test_unsigned_and_broken_files(test_ca):
    data, _box = decision_pdf()
    assert signing.validate_signed_pdf(data).status == "unsigned"
    assert signing.validate_signed_pdf(b"not a pdf").status == "invalid"


def test_wrong_passphrase_is_a_signing_error(test_ca, tmp_path):
    path = tmp_path / "k.p12"
    path.write_bytes(test_ca.pkcs12("A", "B", PASS))
    data, box = decision_pdf()
    with pytest.raises(signing.SigningError):
        signing.sign_pdf(data, key=signing.Pkcs12Key(path, b"sai"), stamp=stamp(), box=box)


def test_a_signed_pdf_passes_the_upload_checks(signed):
    checked = check_upload(io.BytesIO(signed), allowed=[UploadKind.PDF], name="qd.pdf")
    assert checked.kind == UploadKind.PDF


def test_the_stamp_is_drawn_in_the_signature_blank(signed, tmp_path):
    """The stamp's text is on the page where the blank was, between title and name."""
    _data, box = decision_pdf()
    pdf = pypdfium2.PdfDocument(signed)
    pdf.init_forms()  # the stamp is a signature widget
    page = pdf[box.page]
    image = page.render(scale=2, draw_annots=True).to_pil()  # the stamp is an annotation
    x1, y1 = int(box.x1 * 2), int((page.get_height() - box.y2) * 2)
    x2, y2 = int(box.x2 * 2), int((page.get_height() - box.y1) * 2)
    crop = image.convert("RGB").crop((x1, y1, x2, y2))
    page.close()
    pdf.close()
    reds = sum(1 for r, g, b in crop.get_flattened_data() if r > 180 and g < 90 and b < 90)
    assert reds > 200  # the seal
    crop.save(tmp_path / "stamp.png")
    if shutil.which("pdftoppm"):  # a second renderer, the one the brief names
        (tmp_path / "s.pdf").write_bytes(signed)
        subprocess.run(  # noqa: S603 - fixed arguments
            ["pdftoppm", "-r", "60", "-png", str(tmp_path / "s.pdf"), str(tmp_path / "p")],  # noqa: S607
            check=True,
        )
        assert list(tmp_path.glob("p*.png"))


def test_default_box_is_the_bottom_right_of_the_last_page(p12, test_ca):
    data, _box = decision_pdf()
    signed = signing.sign_pdf(data, key=p12, stamp=stamp())
    assert signing.validate_signed_pdf(signed, trust_roots=[root_of(test_ca)]).status == "valid"


SOFTHSM = Path("/usr/lib/softhsm/libsofthsm2.so")


@pytest.mark.skipif(
    not SOFTHSM.exists() or not shutil.which("softhsm2-util"),
    reason="SoftHSM2 is not installed (make test installs the Debian package softhsm2)",
)
def test_pkcs11_token_signs(test_ca, tmp_path, monkeypatch):
    """A key on a PKCS#11 token (SoftHSM2 standing in for a USB token)."""
    import pkcs11
    from pkcs11 import Attribute, CertificateType, ObjectClass

    (tmp_path / "tokens").mkdir()
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tmp_path / 'tokens'}\nobjectstore.backend = file\n")
    monkeypatch.setenv("SOFTHSM2_CONF", str(conf))
    env = {**os.environ, "SOFTHSM2_CONF": str(conf)}
    util = shutil.which("softhsm2-util")
    subprocess.run(  # noqa: S603 - fixed arguments
        [util, "--init-token", "--free", "--label", "ThiDua", "--pin", "1234", "--so-pin", "5678"],
        check=True,
        env=env,
        capture_output=True,
    )
    key, cert = test_ca.issue("Lê Quang Minh", "UBND thành phố Bắc Ninh")
    pem = tmp_path / "key.pem"
    pem.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    subprocess.run(  # noqa: S603 - fixed arguments
        [
            util,
            "--import",
            str(pem),
            "--token",
            "ThiDua",
            "--label",
            "chutich",
            "--id",
            "01",
            "--pin",
            "1234",
        ],
        check=True,
        env=env,
        capture_output=True,
    )
    lib = pkcs11.lib(str(SOFTHSM))
    token = lib.get_token(token_label="ThiDua")
    with token.open(rw=True, user_pin="1234") as session:
        session.create_object(
            {
                Attribute.CLASS: ObjectClass.CERTIFICATE,
                Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                Attribute.TOKEN: True,
                Attribute.LABEL: "chutich",
                Attribute.ID: b"\x01",
                Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER),
                Attribute.SUBJECT: cert.subject.public_bytes(),
            }
        )
    data, box = decision_pdf()
    key_source = signing.Pkcs11Key(
        module=str(SOFTHSM), token_label="ThiDua", key_label="chutich", pin="1234"
    )
    signed = signing.sign_pdf(data, key=key_source, stamp=stamp(), box=box)
    result = signing.validate_signed_pdf(signed, trust_roots=[root_of(test_ca)])
    assert result.status == "valid"
    assert result.last.signer_name == "Lê Quang Minh"
