"""The pages citizens and officials open most, checked by axe-core (tests/e2e/vendor/axe.min.js,
4.14.1, MPL-2.0, injected by the driver: nothing served to users loads it) at 1366 px and 390 px,
on the demo data: no serious or critical violation of WCAG 2 A/AA or axe's best practices.

Found and fixed when this test was written (05/12/2026): links in rows still to send or check
(a report request's units, a campaign's registrations) and in the rule set in force (its row and
its alert) were Bootstrap's blue on a yellow or cyan tint, about 4:1 (WCAG 1.4.3 asks 4.5:1)."""

import io
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.axe import serious_violations
from tests.e2e.test_contests import _solve
from tests.e2e.test_foundation import sign_in
from thidua.awards.models import AwardRecord, CouncilSession, Nomination
from thidua.contests.models import Contest, Round
from thidua.demo import DEMO_PASSWORD, REPORT_ROUND_TITLE
from thidua.portal.models import Album, Article, PortalSite
from thidua.reporting.models import ReportRequest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTHS = ({"width": 1366, "height": 900}, {"width": 390, "height": 844})

# Violations that need a larger redesign, each named by its rule and the page (the name given to
# check() below), with the reason: {("color-contrast", "portal-home"): "why"}. Nothing else is
# tolerated; none is needed today.
ALLOWED: dict[tuple[str, str], str] = {}


class Axe:
    """Runs axe on each page at both widths and keeps what it finds, so one run lists them all."""

    def __init__(self) -> None:
        self.found: list[str] = []
        self.pages: list[str] = []

    def check(self, page, name: str, *, widths=WIDTHS) -> None:
        self.pages.append(name)
        page.wait_for_load_state("networkidle")
        page.mouse.move(0, 0)  # no hover colour while axe measures contrast
        for size in widths:
            page.set_viewport_size(size)
            page.wait_for_timeout(100)
            for v in serious_violations(page):
                if (v["id"], name) in ALLOWED:
                    continue
                where = f"{v['id']} ({v['impact']}: {v['help']}) on {name} at {size['width']} px"
                self.found += [f"{where} ({page.url}): {node}" for node in v["nodes"][:5]]
                if len(v["nodes"]) > 5:
                    self.found.append(f"{where}: {len(v['nodes']) - 5} more elements")
        page.set_viewport_size(WIDTHS[0])

    def visit(self, page, name: str, url: str) -> None:
        response = page.goto(url)
        assert response is not None, f"{name}: {url}"
        assert response.ok, f"{name}: {url} answered {response.status}"
        self.check(page, name)


def signed_in(browser, live_server, username: str):
    context = browser.new_context(
        locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", base_url=live_server.url
    )
    page = context.new_page()
    sign_in(page, username, DEMO_PASSWORD)
    expect(page.get_by_role("heading", name="Việc cần làm")).to_be_visible()
    return page


def load_demo() -> None:
    """The demo data, loaded in a thread of its own: the demo signs its minutes with
    asyncio.run(), which cannot run in this thread, where Playwright's event loop runs."""
    failed: list[BaseException] = []

    def load() -> None:
        try:
            call_command("demo_load", stdout=io.StringIO())
        except BaseException as exc:  # handed to the test's thread
            failed.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=load)
    thread.start()
    thread.join()
    if failed:
        raise failed[0]


@pytest.fixture
def demo(settings):
    settings.THIDUA_TOTP_REQUIRED = False  # the TOTP flow has its own browser test
    load_demo()
    # the demo's report round: reports in every state, Suối Hoa's still to write
    return ReportRequest.objects.get(title=REPORT_ROUND_TITLE)


def test_most_used_pages_have_no_serious_accessibility_violation(  # noqa: PLR0915 - one walk
    page, browser, live_server, demo
):
    axe = Axe()
    site = PortalSite.objects.get()
    article = Article.objects.filter(site=site).order_by("pk").first()
    album = Album.objects.filter(site=site).order_by("pk").first()
    record = AwardRecord.objects.filter(decision__isnull=False).order_by("pk").first()
    contest = Contest.objects.get()
    campaign = site.campaign

    # Citizens: the portal, the certificate check, the contest
    check = reverse("portal:certificate-check", args=[site.slug])
    for name, url in (
        ("portal-home", reverse("portal:home", args=[site.slug])),
        ("news", reverse("portal:news", args=[site.slug])),
        ("news-item", reverse("portal:article", args=[site.slug, article.slug])),
        ("exhibition", reverse("portal:exhibition", args=[site.slug])),
        ("album", reverse("portal:album", args=[site.slug, album.slug])),
        ("honour-board", reverse("portal:honours", args=[site.slug])),
        ("certificate-check", check),
        ("certificate-check-half-filled", f"{check}?so=12&ten="),
        ("certificate-check-not-found", f"{check}?so=0999/2022&ten=Nguyễn Văn An"),
    ):
        axe.visit(page, name, url)
    page.goto(check)
    page.get_by_label("Số vào sổ").fill(f"{record.number:04d}/{record.year}")
    page.get_by_label("Họ tên").fill(record.recipient_name)
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.get_by_role("heading", name="Kết quả tra cứu")).to_be_visible()
    axe.check(page, "certificate-check-result")

    axe.visit(page, "contest", reverse("contests:public-contest", args=[contest.pk]))
    page.get_by_role("button", name="Đăng ký").click()  # nothing filled: every field's error
    expect(page.get_by_text("Chưa đăng ký được")).to_be_visible()
    axe.check(page, "contest-registration-errors")
    page.get_by_label("Họ và tên").fill("Nguyễn Thị Hoa")
    page.get_by_label("Năm sinh").fill("1998")
    page.get_by_label("Phường hoặc đơn vị").select_option(label="Phường Suối Hoa")
    page.get_by_label("Số điện thoại").fill("0912 345 670")
    label = page.locator("label[for=id_challenge]").inner_text()
    page.get_by_label(label).fill(_solve(label))
    page.get_by_label("Tôi đồng ý").check()
    page.get_by_role("button", name="Đăng ký").click()
    expect(page.get_by_text("Xin chào Nguyễn Thị Hoa")).to_be_visible()
    axe.check(page, "contest-registered")
    page.get_by_role("button", name="Làm bài thi thử").click()
    questions = page.locator("fieldset.q[data-question]")
    expect(questions.first).to_be_visible()
    questions.first.locator("input[type=radio]").first.check()
    axe.check(page, "contest-question")

    axe.visit(page, "login", reverse("accounts:login"))
    page.get_by_label("Tên đăng nhập").fill("khong-co")
    page.get_by_label("Mật khẩu").fill("sai-mat-khau")
    page.get_by_role("button", name="Đăng nhập").click()
    axe.check(page, "login-refused")

    # A unit's officer
    officer = signed_in(browser, live_server, "donvi")
    axe.check(officer, "officer-home")
    officer.set_viewport_size(WIDTHS[1])
    officer.get_by_role("button", name="Mở menu").click()  # the phone's menu, open
    expect(officer.locator("#mainnav")).to_be_visible()
    axe.check(officer, "officer-menu-open", widths=WIDTHS[1:])
    axe.visit(officer, "officer-campaign", reverse("campaigns:campaign-detail", args=[campaign.pk]))
    axe.visit(
        officer,
        "officer-activity-form",
        reverse("participation:activity-create", args=[campaign.pk]),
    )
    officer.get_by_role("button", name="Lưu hoạt động").click()  # nothing filled
    axe.check(officer, "officer-activity-form-errors")
    axe.visit(officer, "officer-reports", reverse("reporting:my-reports"))
    assignment = demo.assignments.get(unit__code="P-SUOIHOA")
    axe.visit(officer, "officer-report", reverse("reporting:report", args=[assignment.pk]))

    # Phòng Nội vụ
    office = signed_in(browser, live_server, "noivu")
    dossier = Nomination.objects.filter(status="submitted").order_by("pk").first()
    for name, url in (
        ("office-home", reverse("workspace:home")),
        ("office-campaigns", reverse("campaigns:campaign-list")),
        ("office-registrations", reverse("participation:registration-list", args=[campaign.pk])),
        ("office-report-request", reverse("reporting:request-detail", args=[demo.pk])),
        ("office-nominations", reverse("awards:nomination-list", args=[campaign.pk])),
        ("office-dossier", reverse("awards:nomination-detail", args=[dossier.pk])),
        ("office-rules", reverse("awards:rule-list")),
        ("office-statistics", reverse("awards:bnv-statistics") + "?nam=2022"),
    ):
        axe.visit(office, name, url)
    for session in CouncilSession.objects.order_by("pk"):
        axe.visit(
            office, f"council-session-{session.pk}", reverse("awards:session", args=[session.pk])
        )

    # A council member
    member = signed_in(browser, live_server, "hoidong")
    for session in CouncilSession.objects.order_by("pk"):
        axe.visit(
            member, f"member-session-{session.pk}", reverse("awards:session", args=[session.pk])
        )

    # The contest's organiser: a closed round's ranking
    organiser = signed_in(browser, live_server, "bantochuc")
    closed = Round.objects.filter(contest=contest).order_by("pk").first()
    axe.visit(organiser, "organiser-round", reverse("contests:round-detail", args=[closed.pk]))

    assert len(axe.pages) >= 30
    assert axe.found == [], "serious or critical accessibility violations:\n" + "\n".join(axe.found)
