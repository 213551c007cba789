"""Nothing typed in a unit's report is lost silently (review): the autosave keeps the figures it
can read and names the one it cannot, under its field; "Gửi thủ trưởng duyệt" and "Duyệt và
nộp báo cáo" post what is on screen, which is saved first, and the report moves only if all of
it was. Refused, the page comes back as typed, with the messages, and nothing is sent."""

import html
import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.conftest import verified_client
from tests.factories.reports import report_written
from tests.reporting.test_draft_concurrency import Page
from thidua.accounts.models import Role
from thidua.core.models import ActionLog
from thidua.notifications.models import Notice
from thidua.reporting import services
from thidua.reporting.models import ReportStatus
from thidua.reporting.services.drafts import STALE_PAGE

pytestmark = pytest.mark.django_db


@pytest.fixture
def a(campaign, office_user, city):
    """The review's report: two figures typed by hand, a yes/no, a figure counted from
    activities, and a section."""
    template = services.template_create(
        actor=office_user,
        campaign=campaign,
        name="Báo cáo kết quả thực hiện",
        sections=[{"title": "Công tác chỉ đạo, triển khai", "guidance": ""}],
        indicators=[
            {"name": "Số hoạt động đã tổ chức", "aggregation": "sum", "source": "activities"},
            {"name": "Số người dự thi tìm hiểu", "unit_of_measure": "người"},
            {"name": "Số tin, bài tuyên truyền", "unit_of_measure": "tin, bài"},
            {
                "name": "Đã ban hành kế hoạch của đơn vị",
                "aggregation": "yes_share",
                "is_yes_no": True,
            },
        ],
    )
    request = services.request_create(
        actor=office_user,
        campaign=campaign,
        template=template,
        title="Báo cáo kết quả thực hiện phong trào",
        units=[city.suoi_hoa],
        due_date=date(2022, 12, 15),
    )
    return request.assignments.get()


def names(a) -> dict[str, str]:
    """Form field names by the indicator's or section's name."""
    return {label: name for name, label in services.draft_labels(a).items()}


def key(name: str) -> str:
    return name.partition("-")[2]


def typed(a) -> dict[str, float]:
    """The draft's figures typed by hand (the page also posts the one counted from activities,
    which is stored as sent)."""
    a.refresh_from_db()
    counted = str(a.request.template.indicators.get(source="activities").pk)
    return {k: v for k, v in a.draft_values.items() if k != counted}


def send(page: Page, url_name: str = "reporting:report-send"):
    """The button posts the page's own form: every field as on screen, and its bases."""
    return page.client.post(
        reverse(url_name, args=[page.a.pk]), {**page.fields, "_bases": page.bases}
    )


def test_autosave_keeps_the_valid_figures_and_names_the_invalid_one_under_it(a, officer):
    field = names(a)
    contest, news = field["Số người dự thi tìm hiểu"], field["Số tin, bài tuyên truyền"]
    page = Page(verified_client(officer), a)
    page.type(contest, "12")
    page.fields[news] = "12500"
    answer = page.type(contest, "mười hai")
    # The valid figure is saved; the unreadable one keeps what was saved before.
    assert typed(a) == {key(contest): 12.0, key(news): 12500.0}
    assert "Đã tự động lưu lúc" in answer
    assert "Chưa lưu “Số người dự thi tìm hiểu”: số liệu chưa đúng, xem dưới ô." in answer
    error = re.search(
        rf'<div class="([^"]*)" id="{contest}-error" hx-swap-oob="true">([^<]*)<', answer
    )
    assert error[1] == "invalid-feedback d-block"
    assert html.unescape(error[2]) == "“mười hai” không phải là số."
    cleared = re.search(
        rf'<div class="([^"]*)" id="{news}-error" hx-swap-oob="true">([^<]*)<', answer
    )
    assert cleared.groups() == ("invalid-feedback", "")
    # Corrected later, the figure is this page's edit: written, with no conflict reported.
    answer = page.type(contest, "13")
    assert "người khác" not in answer
    assert "Chưa lưu" not in answer
    assert typed(a) == {key(contest): 13.0, key(news): 12500.0}


def test_the_page_has_a_slot_for_each_figures_message_and_buttons_that_post_its_form(
    a, officer, head
):
    page = verified_client(officer).get(reverse("reporting:report", args=[a.pk])).content.decode()
    field = names(a)
    for label in ("Số người dự thi tìm hiểu", "Số tin, bài tuyên truyền"):
        assert f'id="{field[label]}-error"' in page
        assert f'aria-describedby="{field[label]}-error"' in page
    send_url = reverse("reporting:report-send", args=[a.pk])
    assert f'form="report-form" formaction="{send_url}">Gửi thủ trưởng duyệt</button>' in page
    # The head, while the report is drafted, submits the form too; once it waits for approval
    # the page is read only and the head's button is a form of its own.
    head_client = verified_client(head)
    submit_url = reverse("reporting:report-submit", args=[a.pk])
    page = head_client.get(reverse("reporting:report", args=[a.pk])).content.decode()
    assert f'form="report-form" formaction="{submit_url}">Duyệt và nộp báo cáo</button>' in page
    services.report_send_for_approval(actor=officer, assignment=report_written(a, officer))
    page = head_client.get(reverse("reporting:report", args=[a.pk])).content.decode()
    assert f'<form method="post" action="{submit_url}">' in page
    assert 'formaction="' not in page


def test_a_send_with_one_invalid_and_one_valid_figure_saves_the_valid_one_and_sends_nothing(
    a, officer, head
):
    """The review's case: letters in one figure, 12500 typed in another, "Gửi thủ trưởng
    duyệt" clicked before the autosave ran."""
    field = names(a)
    contest, news = field["Số người dự thi tìm hiểu"], field["Số tin, bài tuyên truyền"]
    page = Page(verified_client(officer), a)
    page.fields |= {contest: "mười hai", news: "12500"}
    response = send(page)
    assert response.status_code == 200  # the page again, not a redirect
    a.refresh_from_db()
    assert a.status == ReportStatus.PENDING
    assert typed(a) == {key(news): 12500.0}
    assert not ActionLog.objects.filter(action="reporting.report.sent_for_approval").exists()
    assert not Notice.objects.filter(user=head).exists()
    text = response.content.decode()
    assert "Đã gửi thủ trưởng duyệt" not in text
    assert (
        "Báo cáo chưa được gửi đi: số liệu “Số người dự thi tìm hiểu” chưa đúng (xem dưới ô), "
        "các nội dung khác đã được lưu."
    ) in html.unescape(text)
    # The values as typed, the message under the field, the form still editable.
    shown = Page(page.client, a, text)
    assert (shown.fields[contest], shown.fields[news]) == ("mười hai", "12500")
    assert f'class="form-control is-invalid" id="{contest}"' in text
    error = f'<div class="invalid-feedback d-block" id="{contest}-error">'
    assert html.unescape(text).split(error)[1].startswith("“mười hai” không phải là số.</div>")
    # Corrected on that page, with the bases it came back with, the report goes.
    shown.fields[contest] = "12"
    response = send(shown)
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.status == ReportStatus.PENDING_APPROVAL
    assert typed(a) == {key(contest): 12.0, key(news): 12500.0}


def test_a_valid_send_saves_what_is_on_screen_then_sends_it(a, officer, head):
    field = names(a)
    contest, news = field["Số người dự thi tìm hiểu"], field["Số tin, bài tuyên truyền"]
    section = field["Công tác chỉ đạo, triển khai"]
    page = Page(verified_client(officer), a)
    page.type(contest, "40")  # autosaved
    page.fields |= {news: "12500", section: "Đã ban hành Kế hoạch số 15/KH-UBND."}  # not yet
    response = send(page)
    assert response.status_code == 302
    followed = page.client.get(response["Location"]).content.decode()
    assert "Đã gửi thủ trưởng duyệt." in followed
    a.refresh_from_db()
    assert a.status == ReportStatus.PENDING_APPROVAL
    assert typed(a) == {key(contest): 40.0, key(news): 12500.0}
    assert a.draft_narratives == {key(section): "Đã ban hành Kế hoạch số 15/KH-UBND."}
    # A second click of the same page (the first already sent) is a harmless repeat.
    assert send(page).status_code == 302
    assert ActionLog.objects.filter(action="reporting.report.sent_for_approval").count() == 1
    # The head approves what was on the officer's screen.
    response = verified_client(head).post(reverse("reporting:report-submit", args=[a.pk]))
    assert response.status_code == 302
    version = a.versions.get()
    assert version.values[key(news)] == 12500.0
    assert version.values[key(contest)] == 40.0


def test_a_head_submitting_a_draft_with_an_invalid_figure_submits_nothing(a, head):
    field = names(a)
    contest, news = field["Số người dự thi tìm hiểu"], field["Số tin, bài tuyên truyền"]
    page = Page(verified_client(head), a)
    page.fields |= {contest: "-3", news: "7"}
    response = send(page, "reporting:report-submit")
    assert response.status_code == 200
    assert "Không được là số âm." in response.content.decode()
    a.refresh_from_db()
    assert (a.status, typed(a), a.versions.count()) == (
        ReportStatus.PENDING,
        {key(news): 7.0},
        0,
    )
    page.fields[contest] = "3"
    assert send(page, "reporting:report-submit").status_code == 302
    a.refresh_from_db()
    assert a.status == ReportStatus.SUBMITTED
    assert a.versions.get().values[key(contest)] == 3.0


def test_a_send_is_refused_when_someone_elses_newer_text_is_not_on_screen(
    a, officer, make_user, city
):
    """Kept from a colleague's save, their text would be sent unseen: the page comes back
    with it (by a redirect: all this page changed is saved, so a reload posts nothing), and
    the next click sends."""
    section = names(a)["Công tác chỉ đạo, triển khai"]
    news = names(a)["Số tin, bài tuyên truyền"]
    mine = Page(verified_client(officer), a)
    theirs = Page(verified_client(make_user(Role.UNIT_OFFICER, city.suoi_hoa)), a)
    theirs.type(section, "Văn bản của đồng nghiệp")
    mine.fields[news] = "5"
    response = send(mine)
    assert response.status_code == 302
    assert response.url == reverse("reporting:report", args=[a.pk])
    page = mine.client.get(response.url).content.decode()
    text = html.unescape(page)
    assert "người khác vừa lưu “Công tác chỉ đạo, triển khai”" in text
    assert ">Văn bản của đồng nghiệp</textarea>" in text
    a.refresh_from_db()
    assert a.status == ReportStatus.PENDING
    assert typed(a) == {key(news): 5.0}  # this page's figure is saved
    shown = Page(mine.client, a, page)
    assert (shown.fields[section], shown.fields[news]) == ("Văn bản của đồng nghiệp", "5")
    assert send(shown).status_code == 302
    a.refresh_from_db()
    assert a.status == ReportStatus.PENDING_APPROVAL
    assert a.draft_narratives[key(section)] == "Văn bản của đồng nghiệp"


def test_a_page_left_open_after_the_report_was_sent_sends_nothing_and_keeps_the_typing(
    a, officer, make_user, city
):
    section = names(a)["Công tác chỉ đạo, triển khai"]
    stale = Page(verified_client(officer), a)
    stale_head = Page(verified_client(make_user(Role.UNIT_HEAD, city.suoi_hoa)), a)
    colleague = make_user(Role.UNIT_OFFICER, city.suoi_hoa)
    services.report_draft_save(
        actor=colleague, assignment=a, narratives={key(section): "Bản đã gửi"}, values={}
    )
    services.report_send_for_approval(actor=colleague, assignment=a)
    stale.fields[section] = "Bản tôi đang gõ"
    response = send(stale)
    assert response.status_code == 200
    text = html.unescape(response.content.decode())
    assert STALE_PAGE in text
    assert ">Bản đã gửi</textarea>" in text  # the report as it stands, read only
    assert '<div class="alert alert-warning" id="report-unsaved">' in text
    assert '<dd class="mb-1 text-pre">Bản tôi đang gõ</dd>' in text
    a.refresh_from_db()
    assert a.draft_narratives == {key(section): "Bản đã gửi"}
    # The head's page, opened while drafting and untouched, now differs from the report:
    # refused too, and shown the report as it stands (its own page: nothing typed to keep).
    response = send(stale_head, "reporting:report-submit")
    assert response.status_code == 302
    text = html.unescape(stale_head.client.get(response.url).content.decode())
    assert STALE_PAGE in text
    assert ">Bản đã gửi</textarea>" in text
    a.refresh_from_db()
    assert a.status == ReportStatus.PENDING_APPROVAL


def test_the_services_save_first_and_refuse_by_field(a, officer):
    field = names(a)
    contest, news = field["Số người dự thi tìm hiểu"], field["Số tin, bài tuyên truyền"]
    draft = services.ShownDraft(narratives={}, values={key(contest): "NaN", key(news): "8"})
    with pytest.raises(ValidationError) as refused:
        services.report_send_for_approval(actor=officer, assignment=a, draft=draft)
    assert refused.value.message_dict[contest] == ["“NaN” không phải là số."]
    a.refresh_from_db()
    assert (a.status, typed(a)) == (ReportStatus.PENDING, {key(news): 8.0})
    # Without `invalid` (the API's whole-draft save), an unreadable figure refuses it all.
    with pytest.raises(ValidationError) as refused:
        services.report_draft_save(
            actor=officer, assignment=a, narratives={}, values={key(contest): "x"}
        )
    assert refused.value.messages == ["“Số người dự thi tìm hiểu”: “x” không phải là số."]
