import unicodedata
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.campaigns.editor_page import editor_post
from tests.conftest import verified_client
from thidua.campaigns import services
from thidua.campaigns.models import AssignmentTarget, Campaign, Delivery
from thidua.core.models import ActionLog

pytestmark = pytest.mark.django_db


def queries(client, url) -> int:
    """Queries of a warm request: counts campaign pages cache (core.versions) are filled."""
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_campaign_list_query_count_is_flat(draft, office_user, office_client):
    url = reverse("campaigns:campaign-list")
    one = queries(office_client, url)
    for _ in range(5):
        services.campaign_copy(actor=office_user, source=draft)
    assert queries(office_client, url) == one
    assert len(office_client.get(url).context["campaigns"]) == 6


def test_task_and_delivery_lists_query_count_is_flat(
    draft, office_user, office_client, ward_officer
):
    issued = services.campaign_issue(actor=office_user, campaign=draft, issued_on=date(2022, 5, 25))
    ward_client = verified_client(ward_officer)
    tasks, deliveries = (
        reverse("campaigns:task-list"),
        reverse("campaigns:campaign-deliveries", args=[issued.pk]),
    )
    filtered = f"{tasks}?q=suoi+hoa&trang-thai=assigned"
    few_tasks, few_deliveries = queries(ward_client, tasks), queries(office_client, deliveries)
    few_filtered = queries(office_client, filtered)
    second = services.campaign_copy(actor=office_user, source=issued)
    services.campaign_update(
        actor=office_user, campaign=second, version=second.version, signer_name="Lê Văn A"
    )
    services.campaign_issue(
        actor=office_user, campaign=Campaign.objects.get(pk=second.pk), issued_on=date(2022, 6, 1)
    )
    assert queries(ward_client, tasks) == few_tasks
    assert queries(office_client, filtered) == few_filtered
    assert queries(office_client, deliveries) == few_deliveries


def form_data(forms) -> dict:
    """What the browser posts back for the review page's form and formsets, untouched."""
    data: dict = {}

    def add(field):
        value = field.value()
        if field.widget_type == "checkbox":
            if value:
                data[field.html_name] = "on"
        elif isinstance(value, list):
            data[field.html_name] = [str(v) for v in value]
        elif value is not None:
            data[field.html_name] = field.field.widget.format_value(value) or ""

    for form in forms.values():
        if hasattr(form, "management_form"):
            for field in form.management_form:
                add(field)
            for row in form.forms:
                for field in row:
                    add(field)
        else:
            for field in form:
                add(field)
    return data


def review_page(client, owner, text):
    response = client.post(
        reverse("campaigns:campaign-import"), {"owner_unit": owner.pk, "text": text}
    )
    assert response.status_code == 200
    return response


def test_import_shows_an_editable_review_and_saves_nothing(city, office_client, seed_text):
    response = review_page(office_client, city.city, seed_text)
    page = response.content.decode()
    assert not Campaign.objects.exists()  # leaving now creates nothing
    assert 'action="/phong-trao/nhap/doi-chieu/"' in page
    assert 'name="title"' in page
    assert 'name="assignments-0-agencies_text"' in page
    assert "272/KH-UBND" in page
    assert "Nơi nhận:" in page  # the source, side by side
    assert "review-doubt" in page  # uncertain fields are highlighted
    assert "Chưa có người ký." in page


def test_saving_the_review_creates_the_corrected_draft(city, office_client, seed_text):
    response = review_page(office_client, city.city, seed_text)
    data = form_data(response.context["forms"])
    data["title"] = "Trích yếu đã sửa trên trang đối chiếu"
    data["assignments-2-agencies_text"] = "Các phòng, ban, ngành thành phố; UBND các phường"
    data["recipients-0-role"] = "info"
    saved = office_client.post(reverse("campaigns:campaign-import-review"), data)
    campaign = Campaign.objects.get()
    assert saved["Location"] == reverse("campaigns:campaign-detail", args=[campaign.pk])
    assert campaign.title == "Trích yếu đã sửa trên trang đối chiếu"
    assert campaign.assignments.get(clause="IV.3").agencies_text.startswith("Các phòng, ban, ngành")
    assert campaign.recipients.get(position=0).role == "info"
    assert campaign.issuer_name == "UBND thành phố Bắc Ninh"  # found in the text, kept
    assert campaign.source_text == unicodedata.normalize("NFC", seed_text).strip()  # as typed
    assert [f.label for f in campaign.forms.all()][:2] == ["Tọa đàm", "Nói chuyện chuyên đề"]
    assert ActionLog.objects.filter(action="campaigns.campaign.imported").count() == 1
    again = office_client.post(reverse("campaigns:campaign-import-review"), data)
    assert again["Location"] == saved["Location"]  # a second click finds the same draft
    assert Campaign.objects.count() == 1


def test_review_errors_keep_what_was_typed(city, office_client, seed_text):
    data = form_data(review_page(office_client, city.city, seed_text).context["forms"])
    data["period_start"], data["period_end"] = "01/12/2022", "01/05/2022"
    data["title"] = "Giữ nguyên chữ đã gõ"
    response = office_client.post(reverse("campaigns:campaign-import-review"), data)
    assert response.status_code == 422
    page = response.content.decode()
    assert "Thời gian kết thúc phải sau thời gian bắt đầu." in page
    assert "Giữ nguyên chữ đã gõ" in page
    assert not Campaign.objects.exists()


def test_a_tampered_review_is_refused(city, office_client, seed_text):
    data = form_data(review_page(office_client, city.city, seed_text).context["forms"])
    data["payload"] = data["payload"][:-3] + "abc"
    response = office_client.post(reverse("campaigns:campaign-import-review"), data, follow=True)
    assert "Phiên đối chiếu đã hết hạn hoặc không hợp lệ" in response.content.decode()
    assert not Campaign.objects.exists()


def test_a_different_issuer_is_asked_not_overwritten(city, office_client, seed_text):
    """The seed is the city's plan; imported under a ward, the page asks instead of replacing."""
    header = "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ BẮC NINH\nSố: 118/KH-UBND    Bắc Ninh, ngày 25 tháng 5 năm 2022\n\n"
    response = review_page(office_client, city.suoi_hoa, header + seed_text)
    page = response.content.decode()
    assert "khác đơn vị đã chọn" in page
    assert response.context["forms"]["main"].initial["issuer_name"] == "UBND thành phố Bắc Ninh"


def test_import_rejects_a_fake_docx(city, office_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("ke-hoach.docx", b"MZ this is not a word file")
    response = office_client.post(
        reverse("campaigns:campaign-import"), {"owner_unit": city.city.pk, "docx": fake}
    )
    assert "không được phép. Chỉ nhận: Word (.docx)" in response.content.decode()
    assert not Campaign.objects.exists()


def test_unit_sees_only_campaigns_sent_to_it(draft, office_user, make_user, city):
    outsider = make_user("unit_officer", city.centre)
    services.campaign_issue(actor=office_user, campaign=draft, issued_on=date(2022, 5, 25))
    Delivery.objects.filter(unit=city.centre).delete()
    client = verified_client(outsider)
    assert client.get(reverse("campaigns:campaign-detail", args=[draft.pk])).status_code == 404
    assert len(client.get(reverse("campaigns:campaign-list")).context["campaigns"]) == 0


def test_opening_the_plan_is_recorded_for_the_unit(draft, office_user, ward_officer):
    issued = services.campaign_issue(actor=office_user, campaign=draft, issued_on=date(2022, 5, 25))
    verified_client(ward_officer).get(reverse("campaigns:campaign-detail", args=[issued.pk]))
    assert Delivery.objects.get(campaign=issued, unit__code="P-SUOIHOA").opened_at is not None


def test_live_preview_shows_unsaved_fields(draft, office_client):
    url = reverse("campaigns:campaign-preview", args=[draft.pk])
    form_data = {
        "version": draft.version,
        "issuer_name": draft.issuer_name,
        "doc_symbol": "KH-UBND",
        "place": "Bắc Ninh",
        "title": "Trích yếu đang sửa",
        "method": "thematic",
        "signer_name": "Trần Văn Bình",
        "signer_title": "CHỦ TỊCH",
    }
    page = office_client.post(url, form_data).content.decode()
    assert "Trích yếu đang sửa" in page
    assert "Trần Văn Bình" in page
    draft.refresh_from_db()
    assert draft.title != "Trích yếu đang sửa"


def test_prizes_and_parent_documents_are_edited_on_the_draft(draft, office_client):
    url = reverse("campaigns:campaign-edit", args=[draft.pk])
    prizes = editor_post(office_client, draft.pk) | {
        "prizes-TOTAL_FORMS": 2,
        "prizes-INITIAL_FORMS": 0,
        "prizes-0-tier": "Nhất",
        "prizes-0-count": 1,
        "prizes-0-scope": "round",
        "prizes-0-target": "individual",
        "prizes-0-amount": 1000000,
        "prizes-0-ORDER": 1,
        "prizes-1-tier": "tập thể",
        "prizes-1-count": 3,
        "prizes-1-scope": "contest",
        "prizes-1-target": "collective",
        "prizes-1-ORDER": 2,
    }
    assert office_client.post(url, prizes).status_code == 302
    assert [str(p) for p in draft.prizes.all()] == ["01 giải Nhất", "03 giải tập thể"]
    parents = editor_post(office_client, draft.pk) | {
        "parent_documents-TOTAL_FORMS": 1,
        "parent_documents-INITIAL_FORMS": 0,
        "parent_documents-0-type": "Kế hoạch",
        "parent_documents-0-number": "87-KH/ĐU",
        "parent_documents-0-date": "06/01/2026",
        "parent_documents-0-issuer": "Đảng ủy phường",
        "parent_documents-0-relation": "implements",
        "parent_documents-0-text": "",  # the row replaces the seed's parent document
        "parent_documents-0-ORDER": 1,
    }
    assert office_client.post(url, parents).status_code == 302
    draft.refresh_from_db()
    assert draft.parent_documents == [
        {
            "type": "Kế hoạch",
            "number": "87-KH/ĐU",
            "date": "2026-01-06",
            "issuer": "Đảng ủy phường",
            "relation": "implements",
            "text": "",
        }
    ]
    page = office_client.get(reverse("campaigns:campaign-detail", args=[draft.pk])).content.decode()
    assert "87-KH/ĐU" in page
    assert "01 giải Nhất – mỗi đợt, vòng thi, 1.000.000 đồng" in page


def test_a_junk_draft_is_deleted_after_confirmation(draft, office_client):
    url = reverse("campaigns:campaign-delete", args=[draft.pk])
    assert "Xóa dự thảo kế hoạch?" in office_client.get(url).content.decode()
    response = office_client.post(url, follow=True)
    assert "Đã xóa dự thảo" in response.content.decode()
    assert not Campaign.objects.filter(pk=draft.pk).exists()
    assert ActionLog.objects.filter(action="campaigns.campaign.deleted").count() == 1


def test_task_list_offers_the_way_back_from_finished_tasks(ward_officer):
    """Once finished tasks are shown, the button offers going back to the open ones rather than
    repeating the offer to include them."""
    client = verified_client(ward_officer)
    url = reverse("campaigns:task-list")
    assert "Gồm cả nhiệm vụ đã xong" in client.get(url).content.decode()
    everything = client.get(url, {"tat-ca": "1"}).content.decode()
    assert "Chỉ nhiệm vụ chưa xong" in everything
    assert "Gồm cả nhiệm vụ đã xong" not in everything


def test_task_list_filters_by_unit_name_without_accents_and_by_status(
    draft, office_user, office_client, ward_officer, city
):
    services.campaign_issue(actor=office_user, campaign=draft, issued_on=date(2022, 5, 25))
    url = reverse("campaigns:task-list")
    everyone = office_client.get(url).context["targets"]
    assert {t.unit_id for t in everyone} > {city.suoi_hoa.pk}
    ward = office_client.get(url, {"q": "suoi hoa"})
    mine = list(ward.context["targets"])
    assert mine
    assert {t.unit_id for t in mine} == {city.suoi_hoa.pk}
    assert f"{len(mine)} nhiệm vụ</p>" in ward.content.decode()
    # the other choice keeps the filter
    assert 'href="?q=suoi+hoa&amp;tat-ca=1">Gồm cả nhiệm vụ đã xong' in ward.content.decode()
    services.assignment_target_set_status(
        actor=ward_officer, target=mine[0], status=AssignmentTarget.Status.ACKNOWLEDGED
    )
    taken = office_client.get(url, {"q": "Suối", "trang-thai": "acknowledged"})
    assert [t.pk for t in taken.context["targets"]] == [mine[0].pk]
    assert 'value="Suối"' in taken.content.decode()
    none = office_client.get(url, {"q": "không có phường này"}).content.decode()
    assert "Không có đơn vị nào khớp" in none


def test_delivery_page_counts_each_figure_once_and_leads_back_to_the_list(
    draft, office_user, office_client
):
    issued = services.campaign_issue(actor=office_user, campaign=draft, issued_on=date(2022, 5, 25))
    page = office_client.get(reverse("campaigns:campaign-deliveries", args=[issued.pk]))
    text = page.content.decode()
    total = Delivery.objects.filter(campaign=issued).count()
    assert f"{total} đơn vị nhận · 0 đã mở · 0 đã xác nhận</p>" in text
    assert "tổng</p>" not in text  # the total was printed a second time
    assert f'href="{reverse("campaigns:campaign-list")}">Phong trào</a>' in text


def test_the_copy_page_says_which_fixed_dates_moved(draft, office_user, office_client):
    """Copying asks the year the new plan is for (the next one by default) and says on the new
    draft's page that the fixed dates moved, or that they were kept and need checking."""
    issued = services.campaign_issue(actor=office_user, campaign=draft, issued_on=date(2022, 5, 25))
    detail = office_client.get(reverse("campaigns:campaign-detail", args=[issued.pk]))
    assert 'name="year" type="number" min="2000" max="2100" value="2023"' in detail.content.decode()
    url = reverse("campaigns:campaign-copy", args=[issued.pk])

    page = office_client.post(url, {"year": "2023"}, follow=True).content.decode()
    assert "Các ngày cố định đã được dời sang năm 2023 (1 năm sau" in page
    assert "hạn của các nhiệm vụ (IV.3: 14/12/2023)" in page

    kept = office_client.post(url, {"year": ""}, follow=True).content.decode()
    assert "giữ nguyên như kế hoạch cũ, cần xem lại: IV.3: 14/12/2022." in kept

    copies = Campaign.objects.filter(copied_from=issued).count()
    bad = office_client.post(url, {"year": "năm sau"}, follow=True).content.decode()
    assert "Sao chép kế hoạch: Năm phải là một số, ví dụ 2026." in bad
    assert Campaign.objects.filter(copied_from=issued).count() == copies  # nothing made


def test_a_law_cited_without_a_number_is_shown_as_the_plan_cites_it(city, office_user, seed_text):
    """ "Căn cứ Luật Thi đua, khen thưởng ngày 15/6/2022;": no "số", so the page must not read
    "Luật số" with nothing after it."""
    text = seed_text.replace(
        "Thực hiện Kế hoạch số 272/KH-UBND",
        "Căn cứ Luật Thi đua, khen thưởng ngày 15/6/2022;\nThực hiện Kế hoạch số 272/KH-UBND",
        1,
    )
    draft = services.campaign_import(actor=office_user, text=text, owner_unit=city.city)
    assert any(not p["number"] for p in draft.parent_documents)
    client = verified_client(office_user)
    for name in ("campaigns:campaign-detail", "campaigns:campaign-review"):
        page = " ".join(client.get(reverse(name, args=[draft.pk])).content.decode().split())
        assert "Luật số" not in page
        assert "Luật Thi đua, khen thưởng ngày 15/6/2022" in page
        assert "Kế hoạch số 272/KH-UBND" in page


def test_task_list_puts_tasks_with_a_deadline_first_and_those_without_last(
    draft, office_user, office_client
):
    """Nội vụ follows up from the first page: the tasks due (and overdue) come first, those the
    plan gave no deadline after them, on SQLite as on PostgreSQL."""
    services.campaign_issue(actor=office_user, campaign=draft, issued_on=date(2022, 5, 25))
    dues = [
        t.due_date for t in office_client.get(reverse("campaigns:task-list")).context["targets"]
    ]
    assert None in dues
    dated = [d for d in dues if d is not None]
    assert dated
    assert dues == [*sorted(dated), *[None] * (len(dues) - len(dated))]


def test_a_source_document_entered_without_a_number_or_quote_is_named_by_what_was_typed(
    city, office_user, seed_text
):
    """A row of "Văn bản cấp trên" typed by hand in the plan's editor with its type, date and
    issuer only (the form takes it): the plan's page names it by them, never a blank line or
    "Luật số". (The review page shows the parsed source, whose documents have their text.)"""
    draft = services.campaign_import(actor=office_user, text=seed_text, owner_unit=city.city)
    Campaign.objects.filter(pk=draft.pk).update(
        parent_documents=[
            *draft.parent_documents,
            {"type": "Luật", "number": "", "date": "2022-06-15", "issuer": "Quốc hội", "text": ""},
        ]
    )
    page = verified_client(office_user).get(reverse("campaigns:campaign-detail", args=[draft.pk]))
    text = " ".join(page.content.decode().split())
    assert "Luật ngày 15/06/2022 của Quốc hội" in text
    assert "Luật số" not in text
