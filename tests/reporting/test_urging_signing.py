"""An urging letter (công văn đôn đốc) is signed at issue with the issuing body's own key
(issue 23, item 1: documents other than decisions)."""

from datetime import date

import pytest
from django.urls import reverse

from tests.documents.test_signing import root_of
from thidua.core.models import ActionLog
from thidua.documents import signing
from thidua.documents.models import SignedPdf
from thidua.documents.selectors import signed_pdf_bytes, signed_pdf_for
from thidua.reporting import services

pytestmark = pytest.mark.django_db


def test_urging_letter_is_signed_with_the_bodys_key(
    report_request, office_user, office_client, city, give_signing_key, test_ca
):
    give_signing_key(unit=city.city)
    letter = services.urging_letter_create(
        actor=office_user, request=report_request, issued_on=date(2022, 12, 16)
    )
    row = signed_pdf_for(letter, source=SignedPdf.Source.ISSUED)
    assert row is not None
    assert (row.status, row.signer_name) == ("valid", "Ủy ban nhân dân thành phố Bắc Ninh")
    pdf = signed_pdf_bytes(row)
    assert signing.validate_signed_pdf(pdf, trust_roots=[root_of(test_ca)]).status == "valid"
    assert ActionLog.objects.filter(action="documents.pdf.signed", target_id=str(letter.pk))
    served = office_client.get(reverse("reporting:urging-download", args=[letter.pk, "pdf"]))
    assert served.content == pdf


def test_without_the_bodys_key_the_letter_is_unsigned(report_request, office_user, city):
    letter = services.urging_letter_create(
        actor=office_user, request=report_request, issued_on=date(2022, 12, 16)
    )
    assert signed_pdf_for(letter) is None
