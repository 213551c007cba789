"""The public portal on a phone, and the editorial side, as users would try them."""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.axe import serious_violations
from tests.e2e.test_foundation import sign_in
from tests.factories.images import photo
from thidua.accounts.models import Role, User
from thidua.portal import demo as portal_demo
from thidua.portal import services
from thidua.portal.models import Article, ContentStatus, Photo, PortalSite

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "portal"
PHONE = {"width": 390, "height": 844}


def check_accessibility(page, name: str, full_page: bool = True) -> None:
    """Save a screenshot, then no serious axe-core violation (tests/e2e/axe.py)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)
    serious = serious_violations(page)
    assert serious == [], f"{name}: {serious}"


@pytest.fixture
def demo_site(campaign, make_user, city):
    make_user(Role.MEDIA_STAFF, username="truyenthong")
    make_user(Role.UNIT_OFFICER, city.suoi_hoa, username="donvi")
    portal_demo.load(campaign)
    return PortalSite.objects.get()


def phone(browser, live_server):
    context = browser.new_context(
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        base_url=live_server.url,
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    return context.new_page()


def swipe(page, selector: str, dx: int) -> None:
    page.evaluate(
        """([selector, dx]) => {
          const el = document.querySelector(selector);
          const touch = (x) => new Touch({identifier: 1, target: el, clientX: x, clientY: 300});
          el.dispatchEvent(new TouchEvent('touchstart', {changedTouches: [touch(200)], bubbles: true}));
          el.dispatchEvent(new TouchEvent('touchend', {changedTouches: [touch(200 + dx)], bubbles: true}));
        }""",
        [selector, dx],
    )


def go_by_menu(page, name: str) -> None:
    """On a phone the menu is folded behind "Danh mục": open it, then follow the link."""
    page.get_by_role("button", name="Danh mục").click()
    page.locator("#portal-menu").get_by_role("link", name=name).click()


def test_a_visitor_on_a_phone(page, browser, live_server, demo_site):  # noqa: PLR0915 - one story
    visitor = phone(browser, live_server)
    csp: list[str] = []
    visitor.on(
        "console", lambda m: csp.append(m.text) if "Content Security Policy" in m.text else None
    )
    visitor.goto(f"/cong-thong-tin/{demo_site.slug}/")
    expect(visitor.get_by_role("heading", name="Chuyên trang phong trào thi đua")).to_be_visible()
    expect(visitor.get_by_text("đơn vị đăng ký tham gia")).to_be_visible()
    expect(visitor.locator('meta[property="og:image"]')).to_have_count(1)
    # A short header: the menu folded (the search box beside its button), the page on screen.
    assert visitor.evaluate("document.querySelector('header').offsetHeight") < 160
    expect(visitor.locator("#portal-menu")).to_be_hidden()
    expect(visitor.get_by_label("Tìm kiếm")).to_be_visible()
    # The campaign's dates in one column, whatever the longest term ("Hạn báo cáo tổng kết").
    lefts = visitor.evaluate(
        "[...document.querySelectorAll('.portal-timeline dd')]"
        ".map(d => Math.round(d.getBoundingClientRect().left))"
    )
    assert len(lefts) >= 3
    assert len(set(lefts)) == 1, lefts
    check_accessibility(visitor, "1-landing")
    visitor.get_by_role("button", name="Danh mục").click()
    expect(visitor.get_by_role("button", name="Danh mục")).to_have_attribute(
        "aria-expanded", "true"
    )
    expect(visitor.locator("#portal-menu").get_by_role("link", name="Vinh danh")).to_be_visible()
    check_accessibility(visitor, "1-landing-menu", full_page=False)
    visitor.get_by_role("button", name="Danh mục").click()
    expect(visitor.locator("#portal-menu")).to_be_hidden()

    visitor.get_by_role(
        "link", name="Tổng Bí thư Nguyễn Văn Cừ: những mốc son cuộc đời"
    ).first.click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(
        "Tổng Bí thư Nguyễn Văn Cừ: những mốc son cuộc đời"
    )
    expect(visitor.get_by_text("Tin liên quan")).to_be_visible()
    check_accessibility(visitor, "2-article")

    go_by_menu(visitor, "Triển lãm ảnh")
    check_accessibility(visitor, "3-exhibition")
    visitor.get_by_role("link", name="Tổng Bí thư Nguyễn Văn Cừ – cuộc đời và sự nghiệp").click()
    check_accessibility(visitor, "4-album")
    visitor.locator("#gallery .photo-link").first.click()
    viewer = visitor.locator("#viewer")
    expect(viewer).to_be_visible()
    caption = visitor.locator("#viewer-caption")
    expect(caption).to_contain_text("1/6")
    swipe(visitor, "#viewer", -150)  # swipe left: next photo
    expect(caption).to_contain_text("2/6")
    swipe(visitor, "#viewer", 150)
    expect(caption).to_contain_text("1/6")
    visitor.keyboard.press("ArrowLeft")  # wraps round to the last
    expect(caption).to_contain_text("6/6")
    visitor.keyboard.press("ArrowRight")
    expect(caption).to_contain_text("1/6")
    expect(visitor.locator("#viewer-img")).to_have_attribute(
        "alt", "Ảnh minh họa: khu lưu niệm tổng bí thư nguyễn văn cừ ở phù khê, từ sơn"
    )
    assert visitor.evaluate("() => document.getElementById('viewer-img').naturalWidth") > 0
    check_accessibility(visitor, "5-viewer", full_page=False)
    visitor.keyboard.press("Escape")
    expect(viewer).to_be_hidden()

    visitor.get_by_label("Tìm kiếm").fill("nguyen van cu")
    visitor.get_by_label("Tìm kiếm").press("Enter")
    expect(visitor.locator("#search-count")).to_contain_text("kết quả")
    expect(visitor.get_by_role("link", name="Tự chỉ trích")).to_be_visible()
    check_accessibility(visitor, "6-search")

    go_by_menu(visitor, "Trưng bày sách")
    expect(visitor.get_by_role("heading", name="Dân ca Quan họ Bắc Ninh")).to_be_visible()
    check_accessibility(visitor, "7-books")
    go_by_menu(visitor, "Sự kiện")
    expect(visitor.get_by_role("heading", name="Sắp diễn ra")).to_be_visible()
    check_accessibility(visitor, "8-events")
    visitor.get_by_role(
        "link", name="Tọa đàm về Tổng Bí thư Nguyễn Văn Cừ tại phường Đáp Cầu"
    ).click()
    check_accessibility(visitor, "9-event")
    go_by_menu(visitor, "Mô hình hay")
    check_accessibility(visitor, "10-good-models")
    go_by_menu(visitor, "Tin tức")
    check_accessibility(visitor, "11-news")
    visitor.context.close()
    assert csp == []


def test_media_staff_draft_preview_schedule_publish_and_accept_a_ward_photo(  # noqa: PLR0915 - one story
    page, demo_site, settings, tmp_path
):
    settings.THIDUA_TOTP_REQUIRED = False
    campaign = demo_site.campaign
    sign_in(page, "truyenthong")
    page.goto(f"/phong-trao/{campaign.pk}/cong-thong-tin/")
    expect(page.get_by_role("heading", name="Cổng thông tin phong trào")).to_be_visible()
    page.get_by_role("link", name="Viết tin bài").click()
    page.get_by_label("Chuyên mục").select_option(label="Tin hoạt động")
    page.get_by_role("textbox", name="Tiêu đề").fill(
        "Ra mắt tủ sách Nguyễn Văn Cừ tại phường Vạn An"
    )
    page.get_by_label("Tóm tắt").fill("Tủ sách đặt tại nhà văn hóa khu phố.")
    editor = page.locator(".pell-content")
    editor.click()
    page.keyboard.type("Tủ sách có hơn 100 đầu sách.")
    page.get_by_role("button", name="Chữ đậm").click()
    page.keyboard.type(" Mời bạn đọc tới mượn.")
    cover = tmp_path / "bia.jpg"
    cover.write_bytes(photo(size=(1200, 800), gps=True).read())
    page.get_by_label("Ảnh bìa", exact=True).set_input_files(str(cover))
    page.get_by_role("button", name="Lưu bản nháp").click()
    # Alt text is required with a cover: the form keeps what was typed.
    expect(page.locator(".invalid-feedback").first).to_contain_text("mô tả")
    expect(page.get_by_role("textbox", name="Tiêu đề")).to_have_value(
        "Ra mắt tủ sách Nguyễn Văn Cừ tại phường Vạn An"
    )
    page.get_by_label("Ảnh bìa", exact=True).set_input_files(str(cover))
    page.get_by_label("Mô tả ảnh bìa (cho người khiếm thị)").fill("Tủ sách tại nhà văn hóa")
    page.get_by_role("button", name="Lưu bản nháp").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã lưu tin bài")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "20-editor.png"), full_page=True)
    article = Article.objects.get(title__startswith="Ra mắt tủ sách")
    assert article.status == ContentStatus.DRAFT
    assert "Mời bạn đọc" in article.body

    with page.context.expect_page() as preview_info:
        page.get_by_role("link", name="Xem trước").click()
    preview = preview_info.value
    expect(preview.get_by_text("Bản xem trước")).to_be_visible()
    expect(preview.get_by_role("heading", level=1)).to_have_text(article.title)
    preview.close()

    page.get_by_label("Hẹn giờ đăng").fill("01/01/2099 08:00")
    page.get_by_role("button", name="Đăng", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Đã hẹn giờ đăng")
    expect(page.locator("#article-status")).to_contain_text("Hẹn giờ đăng 01/01/2099 08:00")
    page.get_by_label("Hẹn giờ đăng").fill("")
    page.get_by_role("button", name="Đăng", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Đã đăng tin bài")
    page.goto(f"/cong-thong-tin/{demo_site.slug}/tin-tuc/")
    expect(page.get_by_role("link", name=article.title)).to_be_visible()

    page.goto(f"/phong-trao/{campaign.pk}/cong-thong-tin/bai-anh-gui/")
    pending = Photo.objects.get(status=ContentStatus.SUBMITTED)
    card = page.locator(f"#anh-{pending.pk}")
    page.screenshot(path=str(SHOTS / "21-submissions.png"), full_page=True)
    expect(card).to_contain_text("Phường Suối Hoa")
    card.get_by_role("button", name="Nhận đăng").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã nhận đăng")
    pending.refresh_from_db()
    assert pending.status == ContentStatus.PUBLISHED


def load_lazy_images(page) -> None:
    page.evaluate(
        "document.querySelectorAll('img[loading=lazy]').forEach(i => i.loading = 'eager')"
    )
    page.evaluate(
        "() => Promise.all([...document.images].map(i => i.complete ? null"
        " : new Promise(done => { i.onload = done; i.onerror = done; })))"
    )


def test_media_staff_reorder_and_delete(page, demo_site, settings):  # noqa: PLR0915 - one story
    """Books and photos move with up/down buttons (in place, through htmx); deletes ask first."""
    settings.THIDUA_TOTP_REQUIRED = False
    campaign = demo_site.campaign
    sign_in(page, "truyenthong")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/phong-trao/{campaign.pk}/cong-thong-tin/")
    books = page.locator("#manage-books > li")
    expect(books).to_have_count(10)
    expect(books.first).to_contain_text("Tự chỉ trích")
    down = page.get_by_role("button", name="Đưa “Tự chỉ trích” xuống sau")
    down.click()
    expect(books.nth(1)).to_contain_text("Tự chỉ trích")
    expect(down).to_be_focused()  # the list was swapped in place; the keyboard keeps its place
    page.locator("#manage-books").scroll_into_view_if_needed()
    check_accessibility(page, "22-manage-books-desktop", full_page=False)
    page.mouse.move(0, 0)  # no hover colours in transition while axe measures contrast
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(300)
    page.locator("#manage-books").scroll_into_view_if_needed()
    check_accessibility(page, "23-manage-books-phone", full_page=False)

    page.goto(f"/cong-thong-tin/{demo_site.slug}/trung-bay-sach/")
    titles = page.locator(".book h2")
    expect(titles.nth(1)).to_have_text("Tự chỉ trích")
    load_lazy_images(page)  # for the full-page screenshots
    check_accessibility(page, "24-books-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    check_accessibility(page, "25-books-desktop")

    book = demo_site.books.get(title="Văn hiến Kinh Bắc (tập II)")
    page.goto(f"/phong-trao/{campaign.pk}/cong-thong-tin/sach/{book.pk}/")
    check_accessibility(page, "26-book-edit-desktop")
    page.get_by_role("button", name="Xóa sách khỏi trưng bày").click()  # dismissed: nothing goes
    expect(page.get_by_role("heading", name="Văn hiến Kinh Bắc (tập II)")).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Xóa sách khỏi trưng bày").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã xóa sách “Văn hiến Kinh Bắc (tập II)”")
    expect(page.locator("#manage-books > li")).to_have_count(9)

    event = demo_site.events.get(title__contains="Đáp Cầu")
    page.goto(f"/phong-trao/{campaign.pk}/cong-thong-tin/su-kien/{event.pk}/")
    expect(page.get_by_text("bỏ chọn “Đăng công khai”")).to_be_visible()

    album = demo_site.albums.get()
    page.goto(f"/bo-anh/{album.pk}/")
    photos = page.locator("#album-photos li")
    first = "Khu lưu niệm Tổng Bí thư Nguyễn Văn Cừ ở Phù Khê, Từ Sơn"
    expect(photos.first).to_contain_text(first)
    page.get_by_role("button", name=f"Đưa ảnh “{first}” xuống sau").click()
    expect(photos.nth(1)).to_contain_text(first)
    page.mouse.move(0, 0)
    page.wait_for_timeout(300)
    check_accessibility(page, "27-album-edit-desktop")
    page.set_viewport_size(PHONE)
    check_accessibility(page, "28-album-edit-phone")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name=f"Gỡ ảnh “{first}”").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã gỡ ảnh")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name=f"Xóa ảnh “{first}”").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã xóa ảnh")
    assert not Photo.objects.filter(caption=first).exists()
    page.goto(f"/cong-thong-tin/{demo_site.slug}/trien-lam-anh/{album.slug}/")
    expect(page.locator("#gallery .photo-link")).to_have_count(5)  # the ward's still waits


def test_the_viewer_goes_on_across_an_albums_pages(browser, live_server, demo_site):
    """Forty photos a page: past the last photo of a page the viewer opens the next page on its
    first photo, and back; a link to a photo (#anh-<pk>) opens the viewer on it."""
    staff = User.objects.get(username="truyenthong")
    album = demo_site.albums.get(title="Tổng Bí thư Nguyễn Văn Cừ – cuộc đời và sự nghiệp")
    shown = album.photos.filter(status=ContentStatus.PUBLISHED).count()
    image = photo()
    for n in range(42 - shown):
        image.seek(0)
        services.photo_add(actor=staff, album=album, image=image, caption=f"Ảnh thêm {n + 1}",
                           alt_text="Ảnh thêm")  # fmt: skip
    visitor = phone(browser, live_server)
    url = reverse("portal:album", args=[demo_site.slug, album.slug])
    visitor.goto(url)
    expect(visitor.get_by_text("Trang 1/2 · 42 ảnh")).to_be_visible()
    visitor.locator("#gallery .photo-link").last.click()
    caption = visitor.locator("#viewer-caption")
    expect(caption).to_contain_text("40/42")
    visitor.keyboard.press("ArrowRight")  # past the page's last photo: the next page
    expect(visitor).to_have_url(re.compile(r"\?trang=2#xem-dau$"))
    expect(visitor.locator("#viewer")).to_be_visible()
    expect(caption).to_contain_text("41/42")
    swipe(visitor, "#viewer", 150)  # back: the previous page, on its last photo
    expect(visitor).to_have_url(re.compile(r"\?trang=1#xem-cuoi$"))
    expect(caption).to_contain_text("40/42")
    visitor.keyboard.press("Escape")
    expect(visitor.locator("#viewer")).to_be_hidden()
    expect(visitor).to_have_url(re.compile(r"\?trang=1$"))  # a reload shows the page
    last = album.photos.order_by("-position", "-pk").first()
    visitor.goto(f"{url}?trang=2#anh-{last.pk}")
    expect(caption).to_contain_text("42/42")
    check_accessibility(visitor, "12-album-page-2", full_page=False)
    visitor.context.close()


def test_the_landing_pages_lead_picture_sits_beside_its_title_on_a_desktop(
    browser, live_server, demo_site
):
    """At 1366 px the lead article's picture filled the column, 1,110 × 740 px: a screen of its
    own before the visitor read what it was about. Beside its title now; above it on a phone."""
    desktop = browser.new_context(
        locale="vi-VN", base_url=live_server.url, viewport={"width": 1366, "height": 768}
    ).new_page()
    for visitor in (desktop, phone(browser, live_server)):
        visitor.goto(f"/cong-thong-tin/{demo_site.slug}/")
        picture = visitor.locator(".lead-article img").bounding_box()
        title = visitor.locator(".lead-article h3").bounding_box()
        if visitor is desktop:
            assert picture["height"] < 480
            assert title["x"] > picture["x"] + picture["width"]
            assert title["y"] < picture["y"] + picture["height"]
            visitor.locator("#news-title").scroll_into_view_if_needed()
            check_accessibility(visitor, "13-landing-desktop", full_page=False)
        else:
            assert title["y"] >= picture["y"] + picture["height"]
        visitor.context.close()


def test_the_portals_menu_and_search_box_share_one_row_on_a_desktop(
    browser, live_server, demo_site
):
    """At 1366 px the search box fell to a second row under the menu, a header 91 px taller
    than its one row of links; on a laptop (992-1199 px) too, and at 1024 px the links took
    two rows. One row now; on a phone the menu still folds behind its button."""
    for width in (1024, 1100, 1366):
        desktop = browser.new_context(
            locale="vi-VN", base_url=live_server.url, viewport={"width": width, "height": 768}
        ).new_page()
        desktop.goto(f"/cong-thong-tin/{demo_site.slug}/")
        links = desktop.locator("#portal-menu a")
        first, last = links.first.bounding_box(), links.last.bounding_box()
        search = desktop.get_by_role("searchbox", name="Tìm kiếm").bounding_box()
        button = desktop.get_by_role("button", name="Tìm", exact=True).bounding_box()
        assert last["y"] == first["y"], width
        assert search["y"] < first["y"] + first["height"], width
        assert search["x"] > last["x"] + last["width"], width
        assert search["width"] >= 100, width
        assert button["x"] + button["width"] <= width, width  # nothing runs off the screen
        desktop.context.close()
    visitor = phone(browser, live_server)
    visitor.goto(f"/cong-thong-tin/{demo_site.slug}/")
    expect(visitor.locator("#portal-menu")).to_be_hidden()
    visitor.get_by_role("button", name="Danh mục").click()
    expect(visitor.get_by_role("link", name="Tin tức", exact=True)).to_be_visible()
    visitor.context.close()
