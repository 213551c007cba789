"""An issued plan is signed with the issuing body's own key when it has one (issue 23)."""

from datetime import date

import pytest
from django.urls import reverse

from thidua.campaigns import services
from thidua.core.models import ActionLog
from thidua.documents import signing
from thidua.documents.models import SignedPdf
from thidua.documents.selectors import signed_pdf_bytes, signed_pdf_for

pytestmark = pytest.mark.django_db


def test_issued_plan_is_signed_and_served_signed(
    draft, office_user, office_client, city, give_signing_key
):
    give_signing_key(unit=city.city)
    issued = services.campaign_issue(actor=office_user, campaign=draft, issued_on=date(2022, 5, 25))
    row = signed_pdf_for(issued, source=SignedPdf.Source.ISSUED)
    assert row is not None
    assert row.status == "valid"
    pdf = signed_pdf_bytes(row)
    result = signing.validate_signed_pdf(pdf)
    assert (result.status, result.last.signer_name) == ("valid", city.city.name)
    assert ActionLog.objects.filter(action="documents.pdf.signed", target_id=str(issued.pk))
    served = office_client.get(reverse("campaigns:campaign-pdf", args=[issued.pk]))
    assert served.content == pdf
    page = office_client.get(reverse("campaigns:campaign-detail", args=[issued.pk]))
    assert "Tải PDF (đã ký số: chữ ký số hợp lệ)" in page.content.decode()


def test_without_a_key_the_plan_is_not_signed(draft, office_user):
    issued = services.campaign_issue(actor=office_user, campaign=draft, issued_on=date(2022, 5, 25))
    assert signed_pdf_for(issued) is None
