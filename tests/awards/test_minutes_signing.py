"""The council's secretary signs the minutes when numbering them (issue 23, item 1)."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests.awards.test_minutes import held_session
from tests.conftest import verified_client
from thidua.awards.models import CouncilMember
from thidua.documents import signing
from thidua.documents.models import SignedPdf
from thidua.documents.selectors import signed_pdf_bytes, signed_pdf_for

pytestmark = pytest.mark.django_db


def test_secretary_with_a_key_signs_the_minutes(
    office_user, council11, agenda, give_signing_key, tmp_path
):
    body, members = council11
    CouncilMember.objects.filter(council=body, role="secretary").update(user=office_user)
    for member in members:  # Nội vụ's officer is the council's secretary, as in the demo
        member.refresh_from_db()
    give_signing_key(office_user)
    session = held_session(office_user, council11, agenda)
    row = signed_pdf_for(session, source=SignedPdf.Source.ISSUED)
    assert row is not None
    assert row.status == "valid"
    pdf = signed_pdf_bytes(row)
    assert signing.validate_signed_pdf(pdf).status == "valid"
    (tmp_path / "bien-ban-ky-so.pdf").write_bytes(pdf)  # to look at: pdftoppm
    # the stamp is in the secretary's blank: the left half of the page
    reader = PdfReader(io.BytesIO(pdf))
    widget = next(
        a.get_object()
        for page in reader.pages
        for a in page.get("/Annots", [])
        if a.get_object().get("/FT") == "/Sig" or a.get_object().get("/Parent")
    )
    x1 = float(widget["/Rect"][0])
    assert x1 < float(reader.pages[0].mediabox.width) / 2
    served = verified_client(office_user).get(reverse("awards:minutes-pdf", args=[session.pk]))
    assert served.content == pdf


def test_a_numberer_who_is_not_the_secretary_does_not_sign(
    office_user, council11, agenda, give_signing_key
):
    give_signing_key(office_user)  # a key, but not the council's secretary
    session = held_session(office_user, council11, agenda)
    assert signed_pdf_for(session) is None
