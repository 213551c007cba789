"""A unit takes a wrong file off its report while the report is still with its drafters (not
yet sent, or returned for revision); never once it is sent, never on another unit's report."""

import html

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse

from tests.conftest import verified_client
from tests.factories.images import photo
from tests.factories.pdfs import pdf
from thidua.accounts.models import Role
from thidua.core.models import ActionLog
from thidua.reporting import services
from thidua.reporting.models import ReportAttachment, ReportStatus

pytestmark = pytest.mark.django_db


def with_files(report_request, officer, city):
    a = report_request.assignments.get(unit=city.suoi_hoa)
    services.report_attach(
        actor=officer, assignment=a, files=[pdf("bao-cao-nham.pdf"), photo("toa-dam.jpg")]
    )
    wrong, right = a.attachments.order_by("pk")
    return a, wrong, right


def test_an_officer_removes_a_wrong_file_from_the_draft(
    report_request, officer, city, django_capture_on_commit_callbacks
):
    a, wrong, right = with_files(report_request, officer, city)
    stored = wrong.file.name
    assert default_storage.exists(stored)
    client = verified_client(officer)
    url = reverse("reporting:report", args=[a.pk])
    page = html.unescape(client.get(url).content.decode())
    files = page[page.index('id="attachments"') :]
    assert reverse("reporting:attachment-remove", args=[wrong.pk]) in files
    assert 'data-confirm="Gỡ tệp “bao-cao-nham.pdf” khỏi báo cáo?' in files

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:attachment-remove", args=[wrong.pk]))

    assert response["Location"] == url
    page = html.unescape(client.get(url).content.decode())
    assert "Đã gỡ tệp “bao-cao-nham.pdf” khỏi báo cáo." in page
    files = page[page.index('id="attachments"') :]
    assert "bao-cao-nham.pdf" not in files.split("</ul>")[0]
    assert "toa-dam.jpg" in files
    assert list(a.attachments.all()) == [right]
    assert not default_storage.exists(stored)  # gone from storage
    assert default_storage.exists(right.file.name)
    assert client.get(reverse("reporting:attachment-file", args=[wrong.pk])).status_code == 404
    log = ActionLog.objects.get(action="reporting.report.file_removed")
    assert (log.actor, log.target_id, log.data) == (
        officer,
        str(a.pk),
        {"file": "bao-cao-nham.pdf"},
    )
    assert "Gỡ tệp đính kèm báo cáo" in page  # the history panel names it
    # A second click (the page still open) changes nothing.
    assert client.post(reverse("reporting:attachment-remove", args=[wrong.pk])).status_code == 404
    services.report_attachment_remove(actor=officer, attachment=wrong)
    assert ActionLog.objects.filter(action="reporting.report.file_removed").count() == 1


def test_a_returned_report_keeps_the_files_it_was_submitted_with(
    report_request, officer, head, office_user, city
):
    a, wrong, right = with_files(report_request, officer, city)
    client = verified_client(officer)
    url = reverse("reporting:report", args=[a.pk])
    remove = reverse("reporting:attachment-remove", args=[wrong.pk])
    a = services.report_send_for_approval(actor=officer, assignment=a)
    assert remove not in client.get(url).content.decode()  # no button once sent
    response = client.post(remove)  # a page left open, or a forged post
    assert response["Location"] == url
    assert "không gỡ tệp đính kèm được" in client.get(url).content.decode()
    a = services.report_submit(actor=head, assignment=a)
    with pytest.raises(ValidationError):
        services.report_attachment_remove(actor=officer, attachment=wrong)
    assert a.attachments.count() == 2
    assert default_storage.exists(wrong.file.name)
    assert not ActionLog.objects.filter(action="reporting.report.file_removed").exists()

    a = services.report_return(actor=office_user, assignment=a, note="Thay biên bản tọa đàm.")
    assert a.status == ReportStatus.RETURNED
    # Returned, the files submitted with version 1 stay (Nội vụ received them; a version keeps
    # no copy): a file attached since goes.
    page = client.get(url).content.decode()
    assert remove not in page
    assert "đã nộp lần trước" in page
    client.post(remove)
    assert "đã nộp cùng báo cáo lần trước: không gỡ được" in client.get(url).content.decode()
    assert default_storage.exists(wrong.file.name)
    services.report_attach(actor=officer, assignment=a, files=[pdf("bien-ban-sua.pdf")])
    fixed = a.attachments.get(original_name="bien-ban-sua.pdf")
    assert (
        reverse("reporting:attachment-remove", args=[fixed.pk]) in client.get(url).content.decode()
    )
    client.post(reverse("reporting:attachment-remove", args=[fixed.pk]))
    assert set(a.attachments.all()) == {wrong, right}


def test_another_units_officer_nor_noi_vu_remove_a_units_file(
    report_request, officer, city, make_user, office_user
):
    a, wrong, _ = with_files(report_request, officer, city)
    remove = reverse("reporting:attachment-remove", args=[wrong.pk])
    other_ward = make_user(Role.UNIT_OFFICER, city.vu_ninh)
    assert verified_client(other_ward).post(remove).status_code == 404  # not even seen
    assert verified_client(office_user).post(remove).status_code == 403  # reads, never drafts
    for user in (other_ward, office_user):
        with pytest.raises(PermissionDenied):
            services.report_attachment_remove(actor=user, attachment=wrong)
    page = verified_client(office_user).get(reverse("reporting:report", args=[a.pk]))
    assert remove not in page.content.decode()
    assert ReportAttachment.objects.filter(pk=wrong.pk).exists()
    assert default_storage.exists(wrong.file.name)
    assert not ActionLog.objects.filter(action="reporting.report.file_removed").exists()
