"""A title pasted in decomposed form (NFD: base letters followed by combining accents, as some
Vietnamese keyboards and Word documents produce) is stored in NFC, and the official PDF prints
it with the accents attached to their letters."""

import unicodedata
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests.campaigns.editor_page import editor_post
from tests.conftest import verified_client

pytestmark = pytest.mark.django_db

TITLE = "Phát động phong trào thi đua “Ngày Chủ nhật xanh” năm 2025 trên địa bàn phường"


def test_an_nfd_title_is_stored_and_printed_in_nfc(draft, office_user):
    nfd = unicodedata.normalize("NFD", TITLE)
    assert len(nfd) > len(TITLE)
    client = verified_client(office_user)
    data = editor_post(client, draft.pk, title=nfd)
    response = client.post(reverse("campaigns:campaign-edit", args=[draft.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]

    draft.refresh_from_db()
    assert draft.title == TITLE  # composed on the way in
    pdf = client.get(reverse("campaigns:campaign-pdf", args=[draft.pk]))
    text = PdfReader(BytesIO(pdf.content)).pages[0].extract_text()
    flat = " ".join(text.split())
    assert unicodedata.is_normalized("NFC", flat)
    assert not any(unicodedata.combining(ch) for ch in flat)  # no detached accent marks
    assert "Ngày Chủ nhật xanh" in flat
    assert "Phát động phong trào thi đua" in flat
