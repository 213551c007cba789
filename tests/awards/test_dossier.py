"""Dossier files (list, preview, replace, remove, versions), nominee list management,
the unit head's return, the appraisal deadline on resubmission, and the dossier's history."""

from datetime import date
from io import BytesIO

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from docx import Document
from PIL import Image

from tests.awards.test_services import complete, docx
from tests.conftest import verified_client
from tests.factories.images import photo
from tests.factories.pdfs import pdf
from thidua.accounts.models import Role
from thidua.awards import council, services
from thidua.awards.documents import submission_document
from thidua.awards.models import AppraisalRound, DossierDocument, Nomination, Nominee
from thidua.campaigns.models import Campaign
from thidua.core.models import ActionLog
from thidua.documents.official import render_docx
from thidua.notifications.models import Notice
from thidua.organizations.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(city):
    return [
        Person.objects.create(
            full_name=name, gender="female", unit=city.suoi_hoa, category="civil_servant"
        )
        for name in ("Nguyễn Thị Lan", "Trần Thị Mai", "Lê Thị Hoa")
    ]


@pytest.fixture
def draft(campaign, giay_khen, officer, city):
    return services.nomination_create(
        actor=officer, campaign=campaign, unit=city.suoi_hoa, award_type=giay_khen
    )


def _actions(n):
    return list(
        ActionLog.objects.filter(target_id=str(n.pk), target_type__model="nomination")
        .order_by("pk")
        .values_list("action", flat=True)
    )


# --- files: versions ---------------------------------------------------------------------


def test_replace_keeps_the_old_version_and_remove_retires(draft, officer, people):
    first = services.document_attach(
        actor=officer, nomination=draft, kind="submission", upload=pdf(pages=3)
    )
    assert (first.pages, first.version, first.content_type) == (3, 1, "application/pdf")
    second = services.document_replace(actor=officer, document=first, upload=pdf("moi.pdf"))
    first.refresh_from_db()
    assert first.retired == DossierDocument.Retired.REPLACED
    assert first.retired_by == officer
    assert first.retired_at is not None
    assert (second.version, second.previous, second.kind) == (2, first, "submission")
    assert second.original_name == "moi.pdf"
    with pytest.raises(ValidationError):  # an old version is not replaced again
        services.document_replace(actor=officer, document=first, upload=pdf())
    services.document_remove(actor=officer, document=second)
    second.refresh_from_db()
    assert second.retired == DossierDocument.Retired.REMOVED
    # Both files stay in storage, and the completeness check sees only current files.
    assert first.file.storage.exists(first.file.name)
    assert second.file.storage.exists(second.file.name)
    assert "Thiếu tờ trình." in services.eligibility_problems(draft, date(2022, 12, 1))
    assert _actions(draft)[-3:] == [
        "awards.document.attached",
        "awards.document.replaced",
        "awards.document.removed",
    ]


def test_files_are_frozen_once_submitted(draft, officer, head, people):
    complete(draft, officer, people[:1])
    document = draft.documents.first()
    services.nomination_submit(actor=head, nomination=draft)
    with pytest.raises(ValidationError, match="không thay tài liệu"):
        services.document_replace(actor=officer, document=document, upload=pdf())
    with pytest.raises(ValidationError, match="không gỡ tài liệu"):
        services.document_remove(actor=officer, document=document)
    with pytest.raises(ValidationError, match="không bỏ người"):
        services.nominee_remove(actor=officer, nominee=draft.nominees.first())


def test_only_the_unit_changes_files(draft, officer, make_user, city):
    document = services.document_attach(
        actor=officer, nomination=draft, kind="submission", upload=pdf()
    )
    outsider = make_user(Role.UNIT_OFFICER, city.vu_ninh)
    with pytest.raises(PermissionDenied):
        services.document_replace(actor=outsider, document=document, upload=pdf())
    with pytest.raises(PermissionDenied):
        services.document_remove(actor=outsider, document=document)


# --- files: who sees them, and how ----------------------------------------------------------


def _links(page: str, name: str, pk: int) -> int:
    """Links to a URL (with or without a query string)."""
    url = reverse(name, args=[pk])
    return page.count(f'href="{url}"') + page.count(f'href="{url}?')


def test_every_role_that_sees_the_nomination_sees_its_files(
    draft, officer, head, office_user, make_user, board, city, people, giay_khen
):
    document = services.document_attach(
        actor=officer, nomination=draft, kind="minutes", upload=pdf(pages=2)
    )
    url = reverse("awards:nomination-detail", args=[draft.pk])
    signer = make_user(Role.SIGNER, city.city)
    for user in (officer, head, office_user, signer):
        page = verified_client(user).get(url).content.decode()
        assert _links(page, "awards:document", document.pk) == 1, user
        assert _links(page, "awards:document-file", document.pk) == 1, user
    # A council member sees the dossier only once it is on a session's agenda.
    _body, members = board
    member = verified_client(members[3].user)
    assert member.get(url).status_code == 404
    assert member.get(reverse("awards:document", args=[document.pk])).status_code == 404
    complete(draft, officer, people[:1])
    services.nomination_submit(actor=head, nomination=draft)
    services.nomination_receive(actor=office_user, nomination=draft)
    services.nomination_appraise(
        actor=office_user, nomination=draft, eligible=True, checklist=AppraisalRound.every_check()
    )
    session = council.session_create(
        actor=office_user, council=board[0], title="Phiên", held_on=date(2022, 12, 27)
    )
    council.session_add_nominations(actor=office_user, session=session, nominations=[draft])
    page = member.get(url).content.decode()
    assert _links(page, "awards:document", document.pk) == 1
    preview = member.get(reverse("awards:document", args=[document.pk])).content.decode()
    for p in (1, 2):
        assert reverse("awards:document-page", args=[document.pk, p]) in preview
    # Another unit's officer still sees nothing.
    outsider = verified_client(make_user(Role.UNIT_OFFICER, city.vu_ninh))
    assert outsider.get(url).status_code == 404
    assert outsider.get(reverse("awards:document-file", args=[document.pk])).status_code == 404


def test_pdf_pages_are_drawn_as_images_and_the_file_downloads(draft, officer, office_client):
    document = services.document_attach(
        actor=officer, nomination=draft, kind="submission", upload=pdf(pages=2)
    )
    response = office_client.get(reverse("awards:document-page", args=[document.pk, 2]))
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    image = Image.open(BytesIO(response.content))
    assert image.format == "JPEG"
    assert max(image.size) == 1400
    assert image.size[1] > image.size[0]  # A4 portrait
    assert (
        office_client.get(reverse("awards:document-page", args=[document.pk, 3])).status_code == 404
    )
    download = office_client.get(reverse("awards:document-file", args=[document.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_images_show_inline_and_word_files_only_download(draft, officer, office_client):
    image = services.document_attach(
        actor=officer, nomination=draft, kind="other", upload=photo("bang-chung.jpg")
    )
    shown = office_client.get(reverse("awards:document-file", args=[image.pk]))
    assert shown["Content-Disposition"].startswith("inline")
    assert shown["Content-Type"] == "image/jpeg"
    b"".join(shown.streaming_content)
    thumb = office_client.get(reverse("awards:document-file", args=[image.pk]) + "?anh=nho")
    assert max(Image.open(BytesIO(b"".join(thumb.streaming_content))).size) == 480
    page = office_client.get(reverse("awards:document", args=[image.pk])).content.decode()
    assert f'src="{reverse("awards:document-file", args=[image.pk])}"' in page
    word = services.document_attach(
        actor=officer, nomination=draft, kind="minutes", upload=docx("bien-ban.docx")
    )
    page = office_client.get(reverse("awards:document", args=[word.pk])).content.decode()
    assert "Tệp Word không xem trước được" in page
    response = office_client.get(reverse("awards:document-file", args=[word.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    b"".join(response.streaming_content)


def test_old_versions_open_for_the_office_and_the_unit_only(
    draft, officer, head, office_user, make_user, city
):
    old = services.document_attach(
        actor=officer, nomination=draft, kind="submission", upload=pdf("cu.pdf")
    )
    new = services.document_replace(actor=officer, document=old, upload=pdf("moi.pdf"))
    url = reverse("awards:document-file", args=[old.pk])
    for user in (office_user, officer, head):
        response = verified_client(user).get(url + "?tai-ve=1")
        assert response.status_code == 200, user
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
    signer = verified_client(make_user(Role.SIGNER, city.city))
    assert signer.get(url).status_code == 404
    current = signer.get(reverse("awards:document-file", args=[new.pk]))
    assert current.status_code == 200
    b"".join(current.streaming_content)
    office = verified_client(office_user)
    page = office.get(reverse("awards:nomination-detail", args=[draft.pk])).content.decode()
    assert "Các bản đã thay thế, đã gỡ (1)" in page
    assert "cu.pdf" in page
    assert "Đã được thay thế" in page
    versions = office.get(reverse("awards:document", args=[new.pk])).content.decode()
    assert "Bản thứ 1: cu.pdf" in versions
    assert "Bản thứ 2: moi.pdf" in versions
    signer_page = signer.get(reverse("awards:nomination-detail", args=[draft.pk])).content
    assert "cu.pdf" not in signer_page.decode()


def test_replace_and_remove_from_the_page(draft, officer, client_for):
    client = verified_client(officer)
    client.post(
        reverse("awards:document-attach", args=[draft.pk]),
        {"kind": "submission", "file": pdf("v1.pdf")},
    )
    document = draft.documents.get()
    client.post(reverse("awards:document-replace", args=[document.pk]), {"file": pdf("v2.pdf")})
    current = draft.documents.get(retired="")
    assert current.original_name == "v2.pdf"
    response = client.post(reverse("awards:document-remove", args=[current.pk]), follow=True)
    assert "Đã gỡ tài liệu khỏi hồ sơ" in response.content.decode()
    assert not draft.documents.filter(retired="").exists()
    assert draft.documents.count() == 2


def test_the_same_file_sent_twice_is_attached_once(draft, officer):
    """A double click on "Đính kèm" (or the same file chosen again) leaves one copy in the
    dossier, not two identical files for Nội vụ and the council to open; another file of the
    same name is attached beside it."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = verified_client(officer)
    url = reverse("awards:document-attach", args=[draft.pk])
    content = docx("to-trinh.docx").read()
    for _ in range(2):
        page = client.post(
            url, {"kind": "submission", "file": SimpleUploadedFile("to-trinh.docx", content)}
        )
        assert page.status_code == 302
    assert draft.documents.count() == 1
    assert _actions(draft).count("awards.document.attached") == 1

    services.document_attach(
        actor=officer, nomination=draft, kind="submission", upload=pdf("to-trinh.pdf")
    )
    other = pdf("to-trinh.pdf", pages=2)
    services.document_attach(actor=officer, nomination=draft, kind="submission", upload=other)
    assert draft.documents.filter(retired="").count() == 3


@pytest.mark.parametrize("rows", [1, 8])
def test_detail_page_queries_are_flat(
    rows, draft, officer, office_user, city, django_assert_max_num_queries
):
    for i in range(rows):
        person = Person.objects.create(
            full_name=f"Người {i}", gender="male", unit=city.suoi_hoa, category="civil_servant"
        )
        services.nominee_add(actor=officer, nomination=draft, person=person, achievements="Tốt")
        document = services.document_attach(
            actor=officer, nomination=draft, kind="other", upload=pdf(f"t{i}.pdf")
        )
        services.document_replace(actor=officer, document=document, upload=pdf(f"m{i}.pdf"))
    client = verified_client(office_user)
    url = reverse("awards:nomination-detail", args=[draft.pk])
    with django_assert_max_num_queries(40):
        response = client.get(url)
    assert len(response.context["documents"]) == rows
    assert len(response.context["old_documents"]) == rows


# --- nominees ---------------------------------------------------------------------------------


def _docx_text(n: Nomination) -> str:
    return "\n".join(
        p.text for p in Document(BytesIO(render_docx(submission_document(n)))).paragraphs
    )


@pytest.mark.parametrize(
    ("title", "read"),
    [
        ("Phát động phong trào thi đua “Chung sức xây dựng nông thôn mới”",
         "thực hiện phong trào thi đua “Chung sức xây dựng nông thôn mới”, "),
        ("phát động Phong trào thi đua yêu nước năm 2022",
         "thực hiện phong trào thi đua yêu nước năm 2022, "),
        ("PHÁT ĐỘNG PHONG TRÀO THI ĐUA CHUYỂN ĐỔI SỐ", "thực hiện PHONG TRÀO THI ĐUA CHUYỂN ĐỔI SỐ, "),
        ("Phat dong: phong trào Dân vận khéo", "thực hiện phong trào Dân vận khéo, "),
        ("Phong trào thi đua “Dân vận khéo”", "thực hiện Phong trào thi đua “Dân vận khéo”, "),
        ("Phát động Tết trồng cây đời đời nhớ ơn Bác Hồ", "thực hiện Tết trồng cây đời đời nhớ ơn Bác Hồ, "),
        ("Phát động Hà Nội xanh", "thực hiện Hà Nội xanh, "),
        ("Phát động Cuộc thi tìm hiểu về Tổng Bí thư Nguyễn Văn Cừ", "thực hiện cuộc thi tìm hiểu về Tổng Bí thư Nguyễn Văn Cừ, "),
    ],
)  # fmt: skip
def test_the_submission_does_not_double_the_verb_of_a_launched_campaign(draft, title, read):
    """A campaign titled "Phát động phong trào …" made the tờ trình read "Căn cứ kết quả thực
    hiện Phát động phong trào …"."""
    Campaign.objects.filter(pk=draft.campaign_id).update(title=title)
    draft.refresh_from_db()
    text = _docx_text(draft)
    assert f"Căn cứ kết quả {read}" in text
    assert "hiện phát động" not in text.lower()


def test_remove_reorder_and_the_submission_order(draft, officer, people):
    for person in people:
        services.nominee_add(actor=officer, nomination=draft, person=person)
    lan, mai, hoa = (draft.nominees.get(person=p) for p in people)
    services.nominee_move(actor=officer, nominee=hoa, offset=-1)
    services.nominee_move(actor=officer, nominee=hoa, offset=-1)
    services.nominee_move(actor=officer, nominee=hoa, offset=-1)  # already first: nothing
    assert [x.person.full_name for x in draft.nominees.all()] == [
        "Lê Thị Hoa",
        "Nguyễn Thị Lan",
        "Trần Thị Mai",
    ]
    services.nominee_remove(actor=officer, nominee=lan)
    assert list(draft.nominees.values_list("position", flat=True)) == [0, 1]
    text = _docx_text(draft)
    assert text.index("Lê Thị Hoa") < text.index("Trần Thị Mai")
    assert "Nguyễn Thị Lan" not in text
    assert text.count("Trần Thị Mai") == 1
    assert _actions(draft).count("awards.nominee.moved") == 2
    assert "awards.nominee.removed" in _actions(draft)
    assert not Nominee.objects.filter(pk=lan.pk).exists()
    assert mai.pk in set(draft.nominees.values_list("pk", flat=True))


def test_a_person_is_printed_once_and_the_database_refuses_a_second_line(draft, officer, people):
    services.nominee_add(actor=officer, nomination=draft, person=people[0])
    with pytest.raises(ValidationError, match="đã có trong hồ sơ này"):
        services.nominee_add(actor=officer, nomination=draft, person=people[0])
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Nominee.objects.create(nomination=draft, person=people[0], subject="individual", position=5)
    assert _docx_text(draft).count("Nguyễn Thị Lan") == 1


def test_the_quota_error_is_cleared_by_removing_nominees(draft, officer, head, people):
    complete(draft, officer, people)  # quota_per_unit = 2
    with pytest.raises(ValidationError) as exc:
        services.nomination_submit(actor=head, nomination=draft)
    assert any(m.startswith("Vượt số lượng") for m in exc.value.messages)
    services.nominee_remove(actor=officer, nominee=draft.nominees.last())
    assert services.eligibility_problems(draft, date(2022, 12, 1)) == []
    services.nomination_submit(actor=head, nomination=draft)
    draft.refresh_from_db()
    assert draft.status == Nomination.Status.SUBMITTED


def test_removing_a_nominee_retires_their_files(draft, officer, people):
    services.nominee_add(actor=officer, nomination=draft, person=people[0])
    nominee = draft.nominees.get()
    report = services.document_attach(
        actor=officer,
        nomination=draft,
        kind="achievement_report",
        upload=pdf(),
        nominee=nominee,
    )
    services.nominee_remove(actor=officer, nominee=nominee)
    report.refresh_from_db()
    assert report.retired == DossierDocument.Retired.REMOVED
    assert report.nominee is None


def test_delete_a_draft_nomination(
    draft, officer, head, people, campaign, giay_khen, city, django_capture_on_commit_callbacks
):
    document = services.document_attach(
        actor=officer, nomination=draft, kind="submission", upload=pdf()
    )
    services.nominee_add(actor=officer, nomination=draft, person=people[0])
    name = document.file.name
    storage = document.file.storage
    client = verified_client(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("awards:nomination-delete", args=[draft.pk]), follow=True)
    assert "Đã xóa hồ sơ đề nghị." in response.content.decode()
    assert not Nomination.objects.filter(pk=draft.pk).exists()
    assert not storage.exists(name)
    assert ActionLog.objects.filter(
        action="awards.nomination.deleted", target_id=str(draft.pk)
    ).exists()
    # A dossier that reached Nội vụ is kept.
    sent = services.nomination_create(
        actor=officer, campaign=campaign, unit=city.suoi_hoa, award_type=giay_khen
    )
    complete(sent, officer, people[:1])
    services.nomination_submit(actor=head, nomination=sent)
    with pytest.raises(ValidationError, match="Chỉ xóa được hồ sơ đang soạn"):
        services.nomination_delete(actor=officer, nomination=sent)


def test_duplicates_across_the_campaign_are_shown_to_the_unit_and_the_office(
    draft, officer, head, office_user, people, campaign, giay_khen, make_user, city
):
    other_officer = make_user(Role.UNIT_OFFICER, city.vu_ninh)
    from thidua.campaigns.models import Delivery

    Delivery.objects.get_or_create(campaign=campaign, unit=city.vu_ninh)
    other = services.nomination_create(
        actor=other_officer, campaign=campaign, unit=city.vu_ninh, award_type=giay_khen
    )
    # nominated by Vũ Ninh, then moved to Suối Hoa, which nominates them too
    Person.objects.filter(pk=people[0].pk).update(unit=city.vu_ninh)
    services.nominee_add(
        actor=other_officer, nomination=other, person=Person.objects.get(pk=people[0].pk)
    )
    Person.objects.filter(pk=people[0].pk).update(unit=city.suoi_hoa)
    services.nominee_add(actor=officer, nomination=draft, person=people[0])
    for user in (officer, office_user):
        page = (
            verified_client(user)
            .get(reverse("awards:nomination-detail", args=[draft.pk]))
            .content.decode()
        )
        assert "cũng được đề nghị trong hồ sơ khác" in page
        assert f"{people[0]} cũng có trong hồ sơ đề nghị" in page
        assert city.vu_ninh.name in page


# --- the unit head, the deadline ------------------------------------------------------------


def test_the_unit_head_sees_what_is_missing_before_approving(draft, officer, head, people):
    """A dossier sent to the head without its tờ trình and biên bản: the head's page lists
    what is missing (the head's "Duyệt và gửi" would be refused), so they return it instead."""
    services.nominee_add(actor=officer, nomination=draft, person=people[0], achievements="Tốt")
    services.nomination_send_for_approval(actor=officer, nomination=draft)
    page = (
        verified_client(head)
        .get(reverse("awards:nomination-detail", args=[draft.pk]))
        .content.decode()
    )
    # Which sending it blocks: the officer may send it to the head, who cannot send it on.
    assert "Hồ sơ cần hoàn thiện trước khi thủ trưởng gửi Phòng Nội vụ" in page
    assert "Thiếu tờ trình." in page
    assert "Thiếu biên bản họp xét của đơn vị." in page


def test_the_unit_head_returns_the_dossier_to_the_drafter(draft, officer, head, people):
    complete(draft, officer, people[:1])
    services.nomination_send_for_approval(actor=officer, nomination=draft)
    with pytest.raises(ValidationError, match="Cần ghi rõ"):
        services.nomination_return_to_drafter(actor=head, nomination=draft, note=" ")
    with pytest.raises(PermissionDenied):
        services.nomination_return_to_drafter(actor=officer, nomination=draft, note="Sửa")
    client = verified_client(head)
    url = reverse("awards:nomination-detail", args=[draft.pk])
    assert "Trả lại để sửa" in client.get(url).content.decode()
    client.post(
        reverse("awards:nomination-head-return", args=[draft.pk]),
        {"note": "Bổ sung biên bản họp xét"},
    )
    draft.refresh_from_db()
    assert draft.status == Nomination.Status.DRAFT
    assert draft.head_note == "Bổ sung biên bản họp xét"
    notice = Notice.objects.get(user=officer)
    assert notice.body == "Bổ sung biên bản họp xét"
    page = verified_client(officer).get(url).content.decode()
    assert "Thủ trưởng đơn vị trả lại để sửa: Bổ sung biên bản họp xét" in page
    assert "Thủ trưởng trả lại hồ sơ để sửa" in page  # the history, in Vietnamese
    services.nomination_send_for_approval(actor=officer, nomination=draft)
    draft.refresh_from_db()
    assert draft.head_note == ""


def test_the_appraisal_deadline_resets_on_resubmission(draft, officer, head, office_user, people):
    complete(draft, officer, people[:1])
    with time_machine.travel(date(2022, 12, 1)):
        services.nomination_submit(actor=head, nomination=draft)
        services.nomination_receive(actor=office_user, nomination=draft)
        draft.refresh_from_db()
        assert draft.appraisal_due == date(2022, 12, 15)
        services.nomination_return(actor=office_user, nomination=draft, note="Bổ sung")
    with time_machine.travel(date(2023, 3, 1)):
        services.nomination_submit(actor=head, nomination=draft)
        draft.refresh_from_db()
        assert draft.appraisal_due is None  # the old deadline no longer applies
        services.nomination_receive(actor=office_user, nomination=draft)
        draft.refresh_from_db()
        assert draft.appraisal_due == date(2023, 3, 15)  # 10 working days from 01/03/2023


def test_history_reads_in_vietnamese(draft, officer, office_client, people):
    services.nominee_add(actor=officer, nomination=draft, person=people[0])
    page = office_client.get(reverse("awards:nomination-detail", args=[draft.pk])).content.decode()
    assert "Lập hồ sơ đề nghị khen thưởng" in page
    assert "Thêm người, tập thể được đề nghị" in page
    assert "awards.nominee.added" not in page
