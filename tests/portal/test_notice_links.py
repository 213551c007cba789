"""A unit told that the article or photo it sent was published or declined had a notice that
opened nothing: it opens the campaign's portal page, where the unit's list of what it sent
shows the answer and the reason."""

import pytest
from django.urls import reverse

from tests.awards.test_notice_links import landing, linked
from tests.portal.conftest import photo
from thidua.portal import services

pytestmark = pytest.mark.django_db


def test_the_answer_to_what_a_unit_sent_opens_its_list_of_sent_items(
    media, site, section, officer, head, city
):
    album = services.album_save(actor=media, site=site, title="Triển lãm")
    sent_photo = services.photo_submit(
        actor=officer,
        album=album,
        unit=city.suoi_hoa,
        image=photo(),
        caption="Ra quân dọn vệ sinh",
        alt_text="Ra quân",
    )
    sent_article = services.article_submit(
        actor=officer,
        site=site,
        unit=city.suoi_hoa,
        section=section,
        title="Phường Suối Hoa ra quân",
        body="<p>Nội dung</p>",
    )
    services.submission_review(actor=media, item=sent_photo, decision="decline", note="Ảnh mờ")
    services.submission_review(actor=media, item=sent_article, decision="accept")
    page = reverse("portal:manage", args=[site.campaign_id]) + "#sent"
    for user in (officer, head):
        assert linked(user, "Ảnh “Ra quân dọn vệ sinh” không được sử dụng") == page
        shown = landing(user, "Ảnh “Ra quân dọn vệ sinh” không được sử dụng")
        assert "Ra quân dọn vệ sinh" in shown
        assert "Ảnh mờ" in shown
        assert linked(user, "Tin bài “Phường Suối Hoa ra quân” đã được đăng") == page
        assert "Phường Suối Hoa ra quân" in landing(user, "Tin bài “Phường Suối Hoa ra quân”")
