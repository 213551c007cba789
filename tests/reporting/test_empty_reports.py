"""An empty report (no section text, no figure the unit types, no file) is neither sent to the
unit head nor approved and submitted: Nội vụ would receive nothing while the unit counted as
having reported. Refused where the button was pressed, in Vietnamese, saying what to fill, with
nothing moved, logged or notified; a figure or a file alone is a report; a template of automatic
figures only is sent as it stands (reporting.services.drafts._require_content)."""

import html
import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.conftest import verified_client
from tests.factories.images import photo
from tests.reporting.test_draft_concurrency import Page
from tests.reporting.test_send_saves_first import key, names, send
from thidua.accounts.models import Role
from thidua.core.models import ActionLog
from thidua.notifications.models import Notice
from thidua.participation import services as participation
from thidua.reporting import services
from thidua.reporting.models import ReportAssignment, ReportStatus

pytestmark = pytest.mark.django_db

EMPTY = (
    "Báo cáo chưa có nội dung: cần viết ít nhất một phần nội dung, nhập số liệu ít nhất một "
    "chỉ tiêu hoặc đính kèm tệp báo cáo."
)
MOVES = ("reporting.report.sent_for_approval", "reporting.report.submitted")


@pytest.fixture
def a(report_request, city):
    """Suối Hoa's report: two sections, a figure counted from activities, a figure and a yes/no
    the unit types (tests/reporting/conftest.py), nothing filled in."""
    return report_request.assignments.get(unit=city.suoi_hoa)


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def sent_back(page: Page, url_name: str = "reporting:report-send") -> str:
    """The button pressed on a page of an empty report: refused, the report's own page comes
    back by a redirect (a reload does not post the button again); its text."""
    response = send(page, url_name)
    assert response.status_code == 302
    report_url = reverse("reporting:report", args=[page.a.pk])
    assert response.url == report_url
    return text_of(page.client.get(report_url))


def alert(message: str) -> str:
    return f'<div class="alert alert-danger" role="alert">{message}</div>'


def moves_logged(a: ReportAssignment) -> list[str]:
    return list(
        ActionLog.objects.filter(target_id=str(a.pk), action__in=MOVES).values_list(
            "action", flat=True
        )
    )


def test_the_officers_send_of_an_empty_report_is_refused_on_its_page(a, officer, head):
    page = Page(verified_client(officer), a)
    typed = services.draft_fields(a, {}, None)  # the sections and the figures typed by hand
    assert {page.fields.get(name) for name in typed if name in page.fields} == {""}
    text = sent_back(page)
    assert alert(EMPTY) in text
    send_url = reverse("reporting:report-send", args=[a.pk])
    assert f'form="report-form" formaction="{send_url}">Gửi thủ trưởng duyệt</button>' in text
    assert 'id="draft-bases"' in text  # still editable, to fill in and send again
    a.refresh_from_db()
    assert (a.status, a.submitted_at) == (ReportStatus.PENDING, None)
    assert moves_logged(a) == []
    assert not Notice.objects.filter(user=head).exists()  # the head is not told of it


def test_spaces_and_blank_lines_are_no_text(a, officer, head):
    page = Page(verified_client(officer), a)
    for name in [n for n in page.fields if n.startswith("section-")]:
        page.fields[name] = "   \n\n \t "
    assert alert(EMPTY) in sent_back(page)
    a.refresh_from_db()
    assert a.status == ReportStatus.PENDING
    # The service itself, as the API and any other caller reach it.
    sections = {key(n): " \n " for n in names(a).values() if n.startswith("section-")}
    services.report_draft_save(actor=officer, assignment=a, narratives=sections, values={})
    with pytest.raises(ValidationError) as refused:
        services.report_send_for_approval(actor=officer, assignment=a)
    assert refused.value.messages == [EMPTY]
    with pytest.raises(ValidationError) as refused:
        services.report_submit(actor=head, assignment=a)
    assert refused.value.messages == [EMPTY]
    a.refresh_from_db()
    assert (a.status, a.versions.count(), moves_logged(a)) == (ReportStatus.PENDING, 0, [])


def test_the_heads_approval_of_an_empty_report_is_refused(a, head, office_user):
    # Sent empty before the rule held: waiting for the head, who cannot edit it.
    ReportAssignment.objects.filter(pk=a.pk).update(status=ReportStatus.PENDING_APPROVAL)
    client = verified_client(head)
    report_url = reverse("reporting:report", args=[a.pk])
    response = client.post(reverse("reporting:report-submit", args=[a.pk]), follow=True)
    assert response.redirect_chain == [(report_url, 302)]
    text = text_of(response)
    assert alert(f"{EMPTY} Bấm “Trả lại cán bộ” để cán bộ đầu mối bổ sung.") in text
    assert ">Trả lại cán bộ</button>" in text
    a.refresh_from_db()
    assert (a.status, a.submitted_at, a.versions.count()) == (
        ReportStatus.PENDING_APPROVAL,
        None,
        0,
    )
    assert moves_logged(a) == []
    assert not Notice.objects.filter(user=office_user).exists()  # Nội vụ receives nothing

    # The head submitting a report still being drafted, from its editable page: refused too.
    ReportAssignment.objects.filter(pk=a.pk).update(status=ReportStatus.PENDING)
    assert alert(EMPTY) in sent_back(Page(client, a), "reporting:report-submit")
    a.refresh_from_db()
    assert (a.status, a.versions.count(), moves_logged(a)) == (ReportStatus.PENDING, 0, [])


def test_a_figure_alone_is_a_report_even_zero_or_no(a, report_request, officer, head, make_user):
    page = Page(verified_client(officer), a)
    assert alert(EMPTY) in sent_back(page)
    news = names(a)["Số tin, bài"]
    page.fields[news] = "0"  # nothing published is an answer
    assert send(page).status_code == 302
    a.refresh_from_db()
    assert a.status == ReportStatus.PENDING_APPROVAL
    a = services.report_submit(actor=head, assignment=a)
    assert a.status == ReportStatus.SUBMITTED
    assert a.versions.get().values[key(news)] == 0.0
    # A yes/no answered "Không" alone, in Vũ Ninh's report.
    vu_ninh = report_request.assignments.exclude(pk=a.pk).get()
    officer_vn = make_user(Role.UNIT_OFFICER, vu_ninh.unit)
    plan = key(names(vu_ninh)["Đã ban hành kế hoạch"])
    with pytest.raises(ValidationError):
        services.report_send_for_approval(actor=officer_vn, assignment=vu_ninh)
    services.report_draft_save(
        actor=officer_vn, assignment=vu_ninh, narratives={}, values={plan: "false"}
    )
    vu_ninh = services.report_send_for_approval(actor=officer_vn, assignment=vu_ninh)
    assert vu_ninh.status == ReportStatus.PENDING_APPROVAL


def test_a_file_alone_is_a_report(a, officer, head):
    client = verified_client(officer)
    assert alert(EMPTY) in sent_back(Page(client, a))
    attached = client.post(
        reverse("reporting:report-attach", args=[a.pk]), {"files": [photo("bao-cao-ky.jpg")]}
    )
    assert attached.status_code == 302
    response = send(Page(client, a))  # the form's fields still blank
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.status == ReportStatus.PENDING_APPROVAL
    assert services.report_submit(actor=head, assignment=a).status == ReportStatus.SUBMITTED


def test_a_template_of_automatic_figures_only_is_sent_as_it_stands(
    campaign, office_user, officer, head, make_user, city
):
    """The unit types nothing in such a template: the figures the system counted are the
    report, which the head vouches for, zeros too. A template that also asks for text is
    empty without it, whatever the system counted."""
    participation.activity_record(
        actor=officer,
        campaign=campaign,
        unit=city.suoi_hoa,
        form=campaign.forms.first(),
        title="Tọa đàm về thân thế, sự nghiệp đồng chí Nguyễn Văn Cừ",
        held_on=date(2022, 7, 5),
        participants=85,
    )
    counted = [
        {"name": "Số hoạt động đã tổ chức", "aggregation": "sum", "source": "activities"},
        {"name": "Số lượt người tham gia", "aggregation": "sum", "source": "participants"},
    ]

    def request(name: str, sections: list[dict[str, str]]):
        template = services.template_create(
            actor=office_user, campaign=campaign, name=name, sections=sections, indicators=counted
        )
        return services.request_create(
            actor=office_user,
            campaign=campaign,
            template=template,
            title=name,
            units=[city.suoi_hoa, city.vu_ninh],
            due_date=date(2022, 12, 15),
        )

    with_text = request("Báo cáo kết quả", [{"title": "Kết quả thực hiện", "guidance": ""}])
    mine = with_text.assignments.get(unit=city.suoi_hoa)
    response = sent_back(Page(verified_client(officer), mine))
    assert (
        alert(
            "Báo cáo chưa có nội dung: cần viết ít nhất một phần nội dung hoặc đính kèm tệp báo cáo."
        )
        in response
    )
    mine.refresh_from_db()
    assert mine.status == ReportStatus.PENDING

    figures_only = request("Báo cáo số liệu", [])
    mine = figures_only.assignments.get(unit=city.suoi_hoa)
    assert send(Page(verified_client(officer), mine)).status_code == 302
    mine = services.report_submit(actor=head, assignment=mine)
    assert mine.status == ReportStatus.SUBMITTED
    assert sorted(mine.versions.get().values.values()) == [1, 85]
    # Vũ Ninh recorded nothing: its zeros are its report.
    theirs = figures_only.assignments.get(unit=city.vu_ninh)
    theirs = services.report_submit(
        actor=make_user(Role.UNIT_HEAD, city.vu_ninh), assignment=theirs
    )
    assert sorted(theirs.versions.get().values.values()) == [0, 0]


def hint(text: str) -> str | None:
    """The hint by the send and submit buttons: its words when shown, "" when hidden, None when
    the page has none."""
    found = re.search(r'<p [^>]*id="content-hint"([^>]*)>([^<]*)</p>', text)
    if found is None:
        return None
    return "" if " hidden" in found[1] else found[2]


def test_the_page_says_what_an_empty_report_needs_before_send_is_pressed(a, officer, head):
    client = verified_client(officer)
    report_url = reverse("reporting:report", args=[a.pk])
    assert hint(text_of(client.get(report_url))) == EMPTY
    # The first words typed are autosaved: the answer hides the hint (htmx, out of band).
    page = Page(client, a)
    section = next(name for name in page.fields if name.startswith("section-"))
    saved = page.type(section, "Đã tổ chức 3 buổi tọa đàm.")
    assert re.search(r'<p [^>]*id="content-hint"[^>]* hx-swap-oob="true"', saved)
    assert hint(html.unescape(saved)) == ""
    assert hint(text_of(client.get(report_url))) == ""
    # Cleared again: the hint is back.
    assert hint(html.unescape(page.type(section, "  "))) == EMPTY
    # The head's page, a report still being drafted: the same hint by "Duyệt và nộp báo cáo".
    head_page = text_of(verified_client(head).get(report_url))
    assert ">Duyệt và nộp báo cáo</button>" in head_page
    assert hint(head_page) == EMPTY


def test_the_heads_approval_page_of_an_empty_report_says_so(a, head, office_user):
    ReportAssignment.objects.filter(pk=a.pk).update(status=ReportStatus.PENDING_APPROVAL)
    report_url = reverse("reporting:report", args=[a.pk])
    text = text_of(verified_client(head).get(report_url))
    assert hint(text) == f"{EMPTY} Bấm “Trả lại cán bộ” để cán bộ đầu mối bổ sung."
    # Nội vụ reads the report and has no button to press: no hint.
    assert hint(text_of(verified_client(office_user).get(report_url))) is None


def test_a_report_with_a_file_has_no_hint(a, officer):
    client = verified_client(officer)
    client.post(
        reverse("reporting:report-attach", args=[a.pk]), {"files": [photo("bao-cao-ky.jpg")]}
    )
    assert hint(text_of(client.get(reverse("reporting:report", args=[a.pk])))) == ""


def test_a_refused_send_keeps_what_was_typed_and_a_reload_sends_nothing(a, officer, head):
    """The officer clears the only text and presses send before the autosave: refused as
    empty, the cleared text is saved (as the autosave would have), and the report's own page
    comes back by a redirect, so reloading it does not post the button again."""
    client = verified_client(officer)
    page = Page(client, a)
    section = next(name for name in page.fields if name.startswith("section-"))
    page.type(section, "Bản nháp cũ")
    page.fields[section] = ""
    text = sent_back(page)
    assert alert(EMPTY) in text
    assert hint(text) == EMPTY
    a.refresh_from_db()
    assert a.draft_narratives[key(section)] == ""
    assert (a.status, moves_logged(a)) == (ReportStatus.PENDING, [])
    assert not Notice.objects.filter(user=head).exists()
