"""The demo's signing key: a self-made demo CA, a PKCS#12 for the city leader (issue 23)."""

import io

import pytest
from django.core.management import call_command

from thidua.documents import signing
from thidua.documents.demo_keys import demo_key_for
from thidua.documents.official import OfficialDocument, Paragraph, render_pdf
from thidua.documents.services import key_source_for, stamp_for

pytestmark = pytest.mark.django_db


def test_demo_key_signs_and_its_root_is_trusted(make_user, city, settings, monkeypatch):
    monkeypatch.delenv("THIDUA_DEMO_SIGNING_PASSPHRASE", raising=False)
    user = make_user(None, username="lanhdao")
    user.full_name = "Lê Quang Minh"
    user.save(update_fields=["full_name"])
    key = demo_key_for(user, city.city)
    assert (settings.THIDUA_SIGNING_KEY_DIR / key.pkcs12_file).exists()
    assert (settings.THIDUA_SIGNING_TRUST_DIR / "demo-ca.pem").exists()
    assert "demo-ky-so" not in str(key.__dict__)  # the passphrase is not in the database
    pdf = render_pdf(
        OfficialDocument(
            None, "UBND", "1", "QĐ-UBND", "Bắc Ninh", None, "QUYẾT ĐỊNH", "x", body=[Paragraph("y")]
        )
    )
    source = key_source_for(user)
    signed = signing.sign_pdf(pdf, key=source, stamp=stamp_for(city.city, "Lê Quang Minh"))
    result = signing.validate_signed_pdf(signed)
    assert result.status == "valid"
    assert result.last.organisation == "UBND thành phố Bắc Ninh"
    # a second run reuses the CA and the key file
    assert demo_key_for(user, city.city).pk == key.pk
    out = io.StringIO()
    call_command("signing_demo_key", "lanhdao", city.city.code, stdout=out)
    assert "demo-lanhdao.p12" in out.getvalue()
