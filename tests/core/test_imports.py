"""Large import files are imported by a background job: the same checks, all or nothing, and
a page with the outcome (rows written, or the errors and their report)."""

from datetime import date
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from tests.conftest import verified_client
from thidua.core.models import ActionLog, Job
from thidua.participation import services
from thidua.participation.models import Activity


def _activities_file(campaign, officer, unit) -> bytes:
    for n in range(3):
        services.activity_record(
            actor=officer,
            campaign=campaign,
            unit=unit,
            form=campaign.forms.first(),
            title=f"Nói chuyện chuyên đề {n}",
            held_on=date(2022, 7, n + 1),
            place="Nhà văn hóa",
            participants=10 * (n + 1),
        )
    client = verified_client(officer)
    url = reverse("participation:activity-export", kwargs={"pk": campaign.pk})
    return b"".join(client.get(url).streaming_content)


def _post(client, campaign, content: bytes, capture):
    url = reverse("participation:activity-import", kwargs={"pk": campaign.pk})
    with capture(execute=True):
        return client.post(url, {"file": SimpleUploadedFile("hoat-dong.xlsx", content)})


def test_a_large_file_is_imported_by_a_job(
    settings, campaign, officer, city, django_capture_on_commit_callbacks
):
    content = _activities_file(campaign, officer, city.suoi_hoa)
    workbook = load_workbook(BytesIO(content))
    workbook.active.append([workbook.active["A2"].value, "Triển lãm ảnh mới", "01/09/2022"])
    buffer = BytesIO()
    workbook.save(buffer)

    settings.THIDUA_IMPORT_INLINE_BYTES = 100
    client = verified_client(officer)
    response = _post(client, campaign, buffer.getvalue(), django_capture_on_commit_callbacks)
    job = Job.objects.get(kind="core.import")
    assert response["Location"] == reverse("core:job", args=[job.pk])
    assert job.status == Job.Status.DONE
    assert Activity.objects.filter(title="Triển lãm ảnh mới", unit=city.suoi_hoa).exists()
    page = client.get(response["Location"]).content.decode()
    assert "Nhập dữ liệu từ Excel" in page
    assert "Đã nhập 4 dòng từ tệp “hoat-dong.xlsx”." in page
    assert reverse("participation:activity-list", args=[campaign.pk]) in page
    assert ActionLog.objects.filter(action="core.import.started").count() == 1


def test_a_large_file_with_errors_writes_nothing_and_reports_every_error(
    settings, campaign, officer, city, django_capture_on_commit_callbacks
):
    content = _activities_file(campaign, officer, city.suoi_hoa)
    workbook = load_workbook(BytesIO(content))
    workbook.active.append(["Hình thức không có", "Hoạt động lỗi", "31/02/2022"])
    workbook.active.append([workbook.active["A2"].value, "Hoạt động đúng", "01/09/2022"])
    buffer = BytesIO()
    workbook.save(buffer)
    before = Activity.objects.count()

    settings.THIDUA_IMPORT_INLINE_BYTES = 100
    client = verified_client(officer)
    response = _post(client, campaign, buffer.getvalue(), django_capture_on_commit_callbacks)
    job = Job.objects.get(kind="core.import")
    assert Activity.objects.count() == before  # all or nothing
    assert job.result["error_count"] >= 2
    page = client.get(response["Location"]).content.decode()
    assert "Chưa nhập dòng nào." in page
    assert "<td>5</td>" in page
    report = client.get(reverse("core:job-download", args=[job.pk]))
    rows = list(
        load_workbook(BytesIO(b"".join(report.streaming_content))).active.iter_rows(
            values_only=True
        )
    )
    assert len(rows) == 1 + job.result["error_count"]
    assert {r[0] for r in rows[1:]} == {5}


def test_job_errors_are_listed_in_the_files_row_order(
    settings, city, office_user, django_capture_on_commit_callbacks
):
    from tests.factories.xlsx import xlsx_upload
    from thidua.organizations.services import UNIT_COLUMNS

    header = [c.header + (" *" if c.required else "") for c in UNIT_COLUMNS]
    upload = xlsx_upload(
        [
            header,
            ["P-SUOIHOA", "Phường Suối Hoa mới", "", "", "Phường"],  # a rename: checked late
            ["P-MOI", "Phường Mới", "", "", "Không có loại này"],  # a bad cell: checked first
        ]
    )
    settings.THIDUA_IMPORT_INLINE_BYTES = 100
    with django_capture_on_commit_callbacks(execute=True):
        verified_client(office_user).post(reverse("organizations:unit-import"), {"file": upload})
    rows = [e["row"] for e in Job.objects.get(kind="core.import").result["errors"]]
    assert rows == sorted(rows)
    assert rows[0] == 2


def test_an_import_run_again_after_a_crash_writes_its_rows_once(
    settings, campaign, officer, city, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage

    from thidua.core import jobs

    content = _activities_file(campaign, officer, city.suoi_hoa)
    workbook = load_workbook(BytesIO(content))
    workbook.active.append([workbook.active["A2"].value, "Tọa đàm mới", "02/09/2022"])
    buffer = BytesIO()
    workbook.save(buffer)
    settings.THIDUA_IMPORT_INLINE_BYTES = 100
    _post(verified_client(officer), campaign, buffer.getvalue(), django_capture_on_commit_callbacks)
    job = Job.objects.get(kind="core.import")
    assert not default_storage.exists(job.params["upload"])  # the upload is gone once imported

    # A redelivered task (the worker died after the commit) finds the job done.
    assert jobs.job_run(job.pk).result == job.result
    assert Activity.objects.filter(title="Tọa đàm mới").count() == 1


def test_a_refusal_in_the_worker_is_shown_with_its_reason(
    settings, campaign, officer, city, django_capture_on_commit_callbacks
):
    from thidua.core import jobs

    content = _activities_file(campaign, officer, city.suoi_hoa)
    settings.THIDUA_IMPORT_INLINE_BYTES = 100
    with django_capture_on_commit_callbacks(execute=False):  # queued, not yet run
        response = verified_client(officer).post(
            reverse("participation:activity-import", kwargs={"pk": campaign.pk}),
            {"file": SimpleUploadedFile("hoat-dong.xlsx", content)},
        )
    job = Job.objects.get(kind="core.import")
    officer.unit_roles.all().delete()  # the officer lost the role before the worker ran
    result = jobs.job_run(job.pk).result
    assert result["error_count"] == 1
    page = verified_client(officer).get(response["Location"]).content.decode()
    assert "Chưa nhập dòng nào." in page
    assert "Bạn không còn quyền nhập dữ liệu này." in page


def test_a_file_that_is_not_excel_is_refused_before_anything_is_kept(campaign, officer):
    response = verified_client(officer).post(
        reverse("participation:activity-import", kwargs={"pk": campaign.pk}),
        {"file": SimpleUploadedFile("hoat-dong.xlsx", b"Ten,Ngay\nA,01/01/2022\n")},
    )
    assert response.status_code == 200
    assert "Excel (.xlsx)" in response.content.decode()
    assert not Job.objects.exists()
