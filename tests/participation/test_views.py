import html
import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import verified_client
from tests.factories.images import photo
from tests.participation.test_services import register
from thidua.accounts.models import Role
from thidua.participation import services
from thidua.participation.models import Activity

pytestmark = pytest.mark.django_db


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def add_activities(campaign, officer, unit, n):
    form = campaign.forms.first()
    for i in range(n):
        services.activity_record(
            actor=officer,
            campaign=campaign,
            unit=unit,
            form=form,
            title=f"Hoạt động {i}",
            held_on=date(2022, 7, 1),
            participants=10,
            files=[photo()],
        )


def test_activity_list_query_count_is_flat(campaign, officer, head, office_client, city):
    register(campaign, officer, head, city.suoi_hoa)
    url = reverse("participation:activity-list", args=[campaign.pk])
    add_activities(campaign, officer, city.suoi_hoa, 1)
    one = queries(office_client, url)
    add_activities(campaign, officer, city.suoi_hoa, 12)
    assert queries(office_client, url) == one


def test_registration_and_good_model_lists_query_count_is_flat(
    campaign, officer, head, office_client, make_user, city
):
    reg_url = reverse("participation:registration-list", args=[campaign.pk])
    gm_url = reverse("participation:good-model-list", args=[campaign.pk])
    register(campaign, officer, head, city.suoi_hoa)
    services.good_model_propose(
        actor=officer,
        campaign=campaign,
        unit=city.suoi_hoa,
        kind="model",
        title="A",
        description="B",
    )
    filtered = f"{reg_url}?q=phuong&trang-thai=submitted"
    reg_one, gm_one = queries(office_client, reg_url), queries(office_client, gm_url)
    filtered_one = queries(office_client, filtered)
    other_officer, other_head = (
        make_user(Role.UNIT_OFFICER, city.vu_ninh),
        make_user(Role.UNIT_HEAD, city.vu_ninh),
    )
    register(campaign, other_officer, other_head, city.vu_ninh)
    for i in range(5):
        services.good_model_propose(
            actor=other_officer,
            campaign=campaign,
            unit=city.vu_ninh,
            kind="model",
            title=f"M{i}",
            description="B",
        )
    assert queries(office_client, reg_url) == reg_one
    assert queries(office_client, filtered) == filtered_one
    assert queries(office_client, gm_url) == gm_one


def test_registration_board_filters_by_unit_name_and_status(
    campaign, officer, head, office_client, city
):
    register(campaign, officer, head, city.suoi_hoa)
    url = reverse("participation:registration-list", args=[campaign.pk])
    board = office_client.get(url)
    total = len(board.context["rows"])
    assert total > 2

    def units(params) -> list[str]:
        response = office_client.get(url, params)
        page = response.content.decode()
        # the heading counts the whole board whatever is shown
        assert f"1/{total} đơn vị đã đăng ký" in page
        return re.findall(r'<td><a href="[^"]+/dang-ky/\d+/">([^<]+)</a></td>', page)

    assert units({"q": "suoi hoa"}) == [city.suoi_hoa.name]
    assert units({"q": "SUỐI"}) == [city.suoi_hoa.name]
    assert units({"trang-thai": "submitted"}) == [city.suoi_hoa.name]
    waiting = units({"trang-thai": "chua-dang-ky"})
    assert len(waiting) == total - 1
    assert city.suoi_hoa.name not in waiting
    assert units({"q": "suoi hoa", "trang-thai": "chua-dang-ky"}) == []
    page = office_client.get(url, {"q": "không có phường này"}).content.decode()
    assert "Không có đơn vị nào khớp" in page
    assert 'value="không có phường này"' in page


def test_the_board_reads_commitments_as_done_against_target(campaign, officer, office_client, city):
    talk = campaign.criteria.first()
    services.registration_save(
        actor=officer,
        campaign=campaign,
        unit=city.suoi_hoa,
        note="",
        commitments=[
            {
                "criterion_id": talk.pk,
                "text": "Tọa đàm",
                "target_kind": "number",
                "target_value": Decimal(2),
                "target_unit": "buổi",
            },
            {
                "criterion_id": None,
                "text": "Cán bộ tham gia cuộc thi",
                "target_kind": "number",
                "target_value": Decimal(60),
                "target_unit": "%",
            },
        ],
    )
    url = reverse("participation:registration-list", args=[campaign.pk])
    page = office_client.get(url).content.decode()
    assert "Tọa đàm: đạt 0/2 buổi" in page
    assert "Cán bộ tham gia cuộc thi: đạt 0% (chỉ tiêu 60%)" in page
    assert "0/60 %" not in page
    # the unit's page writes the percent sign against the number too
    url = reverse("participation:registration", args=[campaign.pk, city.suoi_hoa.pk])
    page = office_client.get(url).content.decode()
    assert '<td data-label="Chỉ tiêu">60%</td>' in page
    assert '<td data-label="Đã thực hiện">0%</td>' in page
    assert '<td data-label="Chỉ tiêu">2 buổi</td>' in page
    assert " %<" not in page


def test_record_activity_page_with_bad_file_keeps_the_form(campaign, officer, head, city):
    register(campaign, officer, head, city.suoi_hoa)
    client = verified_client(officer)
    url = reverse("participation:activity-create", args=[campaign.pk])
    form = campaign.forms.get(code="PHOTO_EXHIBITION")
    from django.core.files.uploadedfile import SimpleUploadedFile

    exe = SimpleUploadedFile(
        "anh-trien-lam.jpg", b"MZ\x90\x00" + b"\x00" * 100, content_type="image/jpeg"
    )
    response = client.post(
        url,
        {
            "form": form.pk,
            "title": "Triển lãm ảnh",
            "held_on": "01/07/2022",
            "participants": 120,
            "attachments": [photo(), exe],
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "anh-trien-lam.jpg" in page
    assert 'value="Triển lãm ảnh"' in page  # nothing typed is lost
    assert not Activity.objects.exists()
    talks = campaign.registrations.get().commitments.get(position=0)
    response = client.post(
        url,
        {
            "form": form.pk,
            "title": "Triển lãm ảnh",
            "held_on": "01/07/2022",
            "participants": 120,
            f"contribution_{talks.pk}": "1",
            "attachments": [photo("1.jpg"), photo("2.jpg"), photo("3.jpg")],
        },
    )
    activity = Activity.objects.get()
    assert response["Location"] == reverse("participation:activity-detail", args=[activity.pk])
    assert activity.contributions.get().amount == Decimal(1)
    evidence = activity.evidence.first()
    thumb = client.get(reverse("participation:evidence-thumb", args=[evidence.pk]))
    assert (
        b"".join(thumb.streaming_content)[:2] == b"\xff\xd8"
    )  # a JPEG, read to the end (closes the file)
    assert thumb["Content-Type"] == "image/jpeg"
    outsider = verified_client(_outsider(city))
    assert (
        outsider.get(reverse("participation:evidence-file", args=[evidence.pk])).status_code == 403
    )
    assert (
        outsider.get(reverse("participation:activity-detail", args=[activity.pk])).status_code
        == 403
    )


def _outsider(city):
    from thidua.accounts.models import User
    from thidua.organizations.models import UnitRole

    user = User.objects.create_user("ngoai", password="x")
    UnitRole.objects.create(user=user, unit=city.vu_ninh, role=Role.UNIT_OFFICER)
    return user


def test_edit_activity_adds_a_photo_and_changes_contribution(campaign, officer, head, city):
    register(campaign, officer, head, city.suoi_hoa)
    talks = campaign.registrations.get().commitments.get(position=0)
    activity = services.activity_record(
        actor=officer,
        campaign=campaign,
        unit=city.suoi_hoa,
        form=campaign.forms.first(),
        title="Tọa đàm",
        held_on=date(2022, 7, 1),
        participants=10,
        contributions={talks.pk: Decimal(1)},
    )
    client = verified_client(officer)
    url = reverse("participation:activity-edit", args=[activity.pk])
    page = client.get(url).content.decode()
    assert 'value="Tọa đàm"' in page
    response = client.post(
        url,
        {
            "form": activity.form_id,
            "title": "Tọa đàm mở rộng",
            "held_on": "01/07/2022",
            "participants": 40,
            f"contribution_{talks.pk}": "2",
            "attachments": [photo()],
        },
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.title, activity.participants) == ("Tọa đàm mở rộng", 40)
    assert activity.contributions.get().amount == Decimal(2)
    evidence = activity.evidence.get()
    client.post(reverse("participation:evidence-delete", args=[evidence.pk]))
    assert not activity.evidence.exists()


def test_edit_page_lists_the_attached_evidence_and_removes_one(campaign, officer, head, city):
    """An officer adding evidence sees what is already attached (name, size, who and when, a
    download link) and can remove a wrong file without leaving the edit page."""
    from django.template.defaultfilters import filesizeformat
    from django.utils import timezone, translation

    from tests.factories.pdfs import pdf

    register(campaign, officer, head, city.suoi_hoa)
    activity = services.activity_record(
        actor=officer,
        campaign=campaign,
        unit=city.suoi_hoa,
        form=campaign.forms.first(),
        title="Tọa đàm",
        held_on=date(2022, 7, 1),
        participants=10,
        files=[photo("anh-toa-dam.jpg"), pdf("bien-ban-toa-dam.pdf")],
    )
    image, sheet = activity.evidence.order_by("pk")
    client = verified_client(officer)
    url = reverse("participation:activity-edit", args=[activity.pk])
    page = html.unescape(client.get(url).content.decode())
    section = page[page.index('id="attached-evidence"') :]
    with translation.override("vi"):
        sizes = [str(filesizeformat(e.size)) for e in (image, sheet)]
    when = timezone.localtime(sheet.created_at).strftime("%d/%m/%Y %H:%M")
    for e, size in zip((image, sheet), sizes, strict=True):
        assert e.original_name in section
        assert size in section
        assert reverse("participation:evidence-file", args=[e.pk]) in section
        assert reverse("participation:evidence-delete", args=[e.pk]) in section
    assert officer.full_name in section
    assert when in section
    response = client.post(reverse("participation:evidence-delete", args=[sheet.pk]), {"ve": "sua"})
    assert response["Location"] == url  # back on the edit page, not the detail
    page = client.get(url).content.decode()
    assert "bien-ban-toa-dam.pdf" not in page
    assert "anh-toa-dam.jpg" in page
    assert list(activity.evidence.all()) == [image]


def test_a_unit_records_an_activity_type_added_after_issue(
    campaign, officer, head, city, office_client
):
    """Issue 17: the plan listed no "Tọa đàm" of the youth union; Nội vụ adds it, units use it."""
    page = office_client.post(
        reverse("campaigns:activity-form-add", args=[campaign.pk]),
        {"label": "Tọa đàm “Tuổi trẻ với Tổng Bí thư Nguyễn Văn Cừ”", "code": "SEMINAR"},
        follow=True,
    ).content.decode()
    assert "Đã thêm loại hoạt động" in page
    assert "bổ sung" in page
    added = campaign.forms.get(from_plan=False)
    register(campaign, officer, head, city.suoi_hoa)
    client = verified_client(officer)
    url = reverse("participation:activity-create", args=[campaign.pk])
    assert "Tọa đàm “Tuổi trẻ với Tổng Bí thư Nguyễn Văn Cừ”" in client.get(url).content.decode()
    client.post(
        url,
        {
            "form": added.pk,
            "title": "Tọa đàm tuổi trẻ",
            "held_on": "15/07/2022",
            "participants": 80,
        },
    )
    activity = Activity.objects.get()
    assert (activity.form, activity.form_code) == (added, "SEMINAR")


def _registration_post(page: str, **changes) -> dict:
    """The form as the page shows it (every input and textarea), with some fields changed."""
    data = {
        name: html.unescape(value)
        for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page)
    }
    data.update(
        (name, html.unescape(text))
        for name, text in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)</textarea>', page)
    )
    for name in re.findall(r'<select[^>]*name="([^"]+)"', page):
        chosen = re.search(
            rf'name="{re.escape(name)}".*?<option value="([^"]*)" selected', page, re.S
        )
        data[name] = chosen.group(1) if chosen else ""
    data.pop("csrfmiddlewaretoken", None)
    return {**data, **changes}


def test_registration_actions_have_their_own_urls_and_a_stale_page_cannot_overwrite(
    campaign, officer, head, city
):
    """Issue 18, M7: two tabs on one registration; the older save is refused in Vietnamese."""
    client = verified_client(officer)
    page_url = reverse("participation:registration", args=[campaign.pk, city.suoi_hoa.pk])
    save_url = reverse("participation:registration-save", args=[campaign.pk, city.suoi_hoa.pk])
    first_tab = client.get(page_url).content.decode()
    second_tab = first_tab
    saved = client.post(save_url, _registration_post(first_tab, note="Bản của tab thứ nhất"))
    assert saved.status_code == 302
    stale = client.post(
        save_url, _registration_post(second_tab, note="Bản của tab thứ hai"), follow=True
    )
    text = stale.content.decode()
    assert "người khác đã lưu bản đăng ký này" in text
    assert "Bản của tab thứ hai" in text  # what was typed stays on screen
    reg = campaign.registrations.get(unit=city.suoi_hoa)
    assert reg.note == "Bản của tab thứ nhất"
    # A fresh page saves; then the draft goes to the head and back.
    fresh = client.get(page_url).content.decode()
    assert client.post(save_url, _registration_post(fresh, note="Đã sửa")).status_code == 302
    args = [campaign.pk, city.suoi_hoa.pk]
    sent = client.post(reverse("participation:registration-send", args=args), follow=True)
    assert "Đã gửi thủ trưởng đơn vị duyệt." in sent.content.decode()
    returned = verified_client(head).post(
        reverse("participation:registration-return", args=args), {"note": ""}, follow=True
    )
    assert "Cần ghi lý do trả lại." in returned.content.decode()
    reg.refresh_from_db()
    assert (reg.note, reg.status) == ("Đã sửa", "pending_approval")
    assert client.get(reverse("participation:registration-send", args=args)).status_code == 405


def test_good_model_and_difficulty_actions_have_their_own_urls(
    campaign, officer, office_user, city
):
    gm = services.good_model_propose(
        actor=officer,
        campaign=campaign,
        unit=city.suoi_hoa,
        kind="model",
        title="Tủ sách dòng họ",
        description="Mỗi dòng họ một tủ sách",
    )
    office = verified_client(office_user)
    unit_client = verified_client(officer)
    bad = office.post(reverse("participation:good-model-review", args=[gm.pk]), {"note": "x"})
    assert bad.status_code == 200  # the page again, with the form's errors
    asked = office.post(
        reverse("participation:good-model-review", args=[gm.pk]),
        {"decision": "more", "note": "Bổ sung số liệu"},
        follow=True,
    )
    assert "Đã ghi kết luận." in asked.content.decode()
    page = unit_client.get(reverse("participation:good-model-detail", args=[gm.pk]))
    assert reverse("participation:good-model-resubmit", args=[gm.pk]) in page.content.decode()
    resent = unit_client.post(
        reverse("participation:good-model-resubmit", args=[gm.pk]),
        {"description": "Mỗi dòng họ một tủ sách, 40 tủ", "results": "40 tủ"},
        follow=True,
    )
    assert "Đã gửi lại đề xuất." in resent.content.decode()
    gm.refresh_from_db()
    assert (gm.status, gm.results) == ("proposed", "40 tủ")

    d = services.difficulty_raise(
        actor=officer, campaign=campaign, unit=city.suoi_hoa, title="Thiếu kinh phí", text="…"
    )
    forwarded = office.post(reverse("participation:difficulty-forward", args=[d.pk]), follow=True)
    assert "Đã trình lãnh đạo." in forwarded.content.decode()
    answered = office.post(
        reverse("participation:difficulty-answer", args=[d.pk]),
        {"answer": "Dùng nguồn xã hội hóa"},
        follow=True,
    )
    assert "Đã trả lời đơn vị." in answered.content.decode()
    # The button says what it closes (the difficulty, not the page) and asks first.
    assert re.search(
        r'data-confirm="Đóng khó khăn[^"]*">Đóng khó khăn, vướng mắc</button>',
        answered.content.decode(),
    )
    office.post(reverse("participation:difficulty-close", args=[d.pk]))
    d.refresh_from_db()
    assert d.status == "closed"
    assert office.get(reverse("participation:difficulty-close", args=[d.pk])).status_code == 405


def test_activity_form_refuses_a_future_date_on_its_field_and_pages_group_thousands(
    campaign, officer, head, city, office_client
):
    register(campaign, officer, head, city.suoi_hoa)
    client = verified_client(officer)
    url = reverse("participation:activity-create", args=[campaign.pk])
    data = {"form": campaign.forms.first().pk, "title": "Hội thi", "participants": 1586}
    page = client.post(url, {**data, "held_on": "15/03/2027"}).content.decode()
    assert re.search(  # under the date field, not at the top of the form
        r'id="id_held_on"[^>]*>\s*<div class="invalid-feedback d-block">Hoạt động chưa diễn ra: '
        r"ngày tổ chức 15/03/2027",
        page,
    )
    assert not Activity.objects.exists()
    page = client.post(url, {**data, "held_on": "30/04/2022"}).content.decode()
    assert "nằm ngoài thời gian của phong trào (01/05/2022 – 31/12/2022)" in page
    # a typing slip in the head count (PostgreSQL's integer column refused 2.147.483.648)
    slip = {**data, "held_on": "15/07/2022", "participants": "2147483648"}
    assert "Số người tham gia từ 0 đến 1.000.000." in client.post(url, slip).content.decode()
    assert not Activity.objects.exists()
    response = client.post(url, {**data, "held_on": "15/07/2022"})
    activity = Activity.objects.get()
    assert response["Location"] == reverse("participation:activity-detail", args=[activity.pk])

    detail = client.get(response["Location"]).content.decode()
    line = re.search(r'<p class="text-secondary">(.*?)</p>', detail, re.S).group(1)
    assert "· ·" not in line  # no place given: nothing between the dots
    assert line.endswith(f"15/07/2022 · {city.suoi_hoa.name}")
    assert "<strong>1.586</strong> người tham gia" in detail

    rollup = office_client.get(reverse("participation:rollup", args=[campaign.pk]))
    assert '<div class="fs-3 fw-bold">1.586</div>' in rollup.content.decode()
    dashboard = office_client.get(reverse("reporting:dashboard", args=[campaign.pk]))
    assert '<div class="fs-3 fw-bold">1.586</div>' in dashboard.content.decode()


def test_pledge_page_shows_registration_as_its_section_on_phones(campaign, office_client):
    """The phone's section menu names the section a page belongs to: signing the block's pledge
    is part of registration, not a blank "Mục:"."""
    from thidua.organizations.models import EmulationBlock

    EmulationBlock.objects.create(year=2022, name="Khối các phường")
    page = office_client.get(reverse("participation:pledge-sign", args=[campaign.pk]))
    assert page.status_code == 200
    assert re.search(r"Mục: <strong>Đăng ký</strong>", page.content.decode())


def test_a_refused_registration_save_keeps_registration_as_its_section_on_phones(
    campaign, officer, city
):
    """A save with a mistake shows the form again from the save's own address: its phone menu
    still reads "Mục: Đăng ký", not a blank "Mục:"."""
    client = verified_client(officer)
    page = client.get(
        reverse("participation:registration", args=[campaign.pk, city.suoi_hoa.pk])
    ).content.decode()
    refused = client.post(
        reverse("participation:registration-save", args=[campaign.pk, city.suoi_hoa.pk]),
        _registration_post(page, **{"cam-ket-0-target_value": "abc"}),
    ).content.decode()
    assert "Nhập một số." in refused
    assert "Nhập chỉ tiêu bằng số." not in refused  # one mistake, one message
    assert re.search(r"Mục: <strong>Đăng ký</strong>", refused)


def test_unit_forms_name_their_empty_choice_in_words(campaign, officer):
    """A select left empty reads as Vietnamese ("— Chọn hình thức —"), not Django's "---------"."""
    client = verified_client(officer)
    activity = client.get(reverse("participation:activity-create", args=[campaign.pk]))
    assert "— Chọn hình thức —" in activity.content.decode()
    model = client.get(reverse("participation:good-model-create", args=[campaign.pk]))
    assert "— Không (mô hình của tập thể) —" in model.content.decode()
    for page in (activity, model):
        assert page.status_code == 200
        assert "---------" not in page.content.decode()


def test_activity_form_sent_back_with_an_error_asks_to_pick_the_files_again(
    campaign, officer, head, city
):
    """A browser never refills a file input: the photos picked before a mistake in the date are
    gone, and the officer who only fixes the date would record the activity without evidence."""
    register(campaign, officer, head, city.suoi_hoa)
    client = verified_client(officer)
    url = reverse("participation:activity-create", args=[campaign.pk])
    data = {"form": campaign.forms.first().pk, "title": "Tọa đàm", "participants": 85}
    page = client.post(
        url, {**data, "held_on": "15/03/2027", "attachments": [photo("toa-dam-1.jpg")]}
    ).content.decode()
    assert not Activity.objects.exists()
    assert "Tệp đã chọn chưa được lưu: “toa-dam-1.jpg”. Hãy chọn lại tệp trước khi gửi." in page
    page = client.post(url, {**data, "held_on": "15/03/2027"}).content.decode()
    assert "chưa được lưu" not in page  # nothing picked, nothing to pick again


def test_registration_reads_and_shows_targets_as_vietnamese_numbers(campaign, officer, city):
    """A target reads "2" on the page, not "2.00" in a number box; "2,5" (the Vietnamese decimal
    comma) is a number, not "Nhập một số."."""
    client = verified_client(officer)
    page_url = reverse("participation:registration", args=[campaign.pk, city.suoi_hoa.pk])
    save_url = reverse("participation:registration-save", args=[campaign.pk, city.suoi_hoa.pk])
    page = client.get(page_url).content.decode()
    targets = re.findall(r'<input[^>]*name="cam-ket-\d+-target_value"[^>]*>', page)
    assert targets
    assert not [t for t in targets if ".00" in t or 'type="number"' in t]
    saved = client.post(save_url, _registration_post(page, **{"cam-ket-0-target_value": "2,5"}))
    assert saved.status_code == 302
    commitment = campaign.registrations.get(unit=city.suoi_hoa).commitments.get(position=0)
    assert commitment.target_value == Decimal("2.5")
    page = client.get(page_url).content.decode()
    assert re.search(r'name="cam-ket-0-target_value"[^>]*value="2,5"', page)
