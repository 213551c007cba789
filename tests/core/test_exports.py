"""Large exports run as a background job; small ones stream. Both give the same workbook."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from tests.conftest import verified_client
from thidua.accounts.models import Role
from thidua.core import jobs
from thidua.core.models import ActionLog, Job


def _rows(content: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def test_a_large_export_becomes_a_job_whose_file_matches_the_streamed_one(
    settings, city, office_user, make_user, django_capture_on_commit_callbacks
):
    client = verified_client(office_user)
    url = reverse("organizations:unit-export")
    streamed = _rows(b"".join(client.get(url).streaming_content))
    assert len(streamed) == 7  # header + 6 units
    logged = ActionLog.objects.get(action="core.exported")
    assert logged.data == {"source": "organizations.units", "params": {}, "rows": 6}

    settings.THIDUA_EXPORT_INLINE_ROWS = 5
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(url)
    job = Job.objects.get(kind="core.export")
    assert response.status_code == 302
    assert response["Location"] == reverse("core:job", args=[job.pk])
    assert (job.status, job.total) == (Job.Status.DONE, 6)
    assert job.result["filename"] == "don-vi.xlsx"

    page = client.get(response["Location"]).content.decode()
    assert "Xuất dữ liệu ra Excel" in page
    assert "Đã xuất 6 dòng." in page
    assert reverse("core:job-download", args=[job.pk]) in page
    download = client.get(reverse("core:job-download", args=[job.pk]))
    assert _rows(b"".join(download.streaming_content)) == streamed
    assert ActionLog.objects.filter(action="core.export.started", target_id=str(job.pk)).exists()

    # The file belongs to whoever asked for it.
    other = verified_client(make_user(Role.EMULATION_OFFICE, username="khac"))
    assert other.get(reverse("core:job-download", args=[job.pk])).status_code == 403


def test_the_job_checks_the_rights_of_who_asked_again(make_user):
    officer = make_user(Role.COUNCIL_MEMBER)
    job = Job.objects.create(
        kind="core.export",
        total=1,
        created_by=officer,
        params={"source": "organizations.people", "params": {}},
    )
    done = jobs.job_run(job.pk)
    assert done.status == Job.Status.FAILED
    assert done.error == "PermissionDenied"


def test_job_files_are_deleted_after_seven_days(
    settings, city, office_user, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.core.files.storage import default_storage

    from thidua.core import clock

    settings.THIDUA_EXPORT_INLINE_ROWS = 1
    client = verified_client(office_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("organizations:unit-export"))
    job = Job.objects.get(kind="core.export")
    assert default_storage.exists(job.result["file"])
    assert jobs.jobs_files_expire() == 0  # still fresh
    Job.objects.filter(pk=job.pk).update(finished_at=clock.now() - timedelta(days=8))
    assert jobs.jobs_files_expire() == 1
    assert not default_storage.exists(job.result["file"])
    assert jobs.jobs_files_expire() == 0  # once
    page = client.get(reverse("core:job", args=[job.pk])).content.decode()
    assert "đã được xóa sau 7 ngày" in page
    assert client.get(reverse("core:job-download", args=[job.pk])).status_code == 404
