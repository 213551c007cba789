"""Excel imports that may be large. An app registers a named importer (the same service the page
calls); a file over THIDUA_IMPORT_INLINE_BYTES is stored and imported by a background job, whose
page shows the outcome: the rows written, or every error with the error report to download.

    imports.register("participation.activities", activities_import_file)

An importer checks every row before writing any (all or nothing) and the requester's rights
itself: it runs in the worker as the user who uploaded the file.
"""

import uuid
from collections.abc import Callable
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.text import get_valid_filename

from thidua.core.excel import RowError, error_report
from thidua.core.jobs import Progress, job_start
from thidua.core.models import Job
from thidua.core.services import action_log_record

JOB_KIND = "core.import"  # registered in CoreConfig.ready
SHOWN_ERRORS = 200

# (the user, the uploaded file, its parameters) -> (rows written, errors)
Importer = Callable[[Any, IO[bytes], dict[str, str]], tuple[int, list[RowError]]]
_IMPORTERS: dict[str, Importer] = {}


def register(name: str, importer: Importer) -> None:
    _IMPORTERS[name] = importer


def import_start(
    *, actor: Any, source: str, upload: UploadedFile, params: dict[str, str], back: str
) -> Job:
    """Keep the (already checked) file and queue its import; `back` is where the outcome links
    to. The file is deleted once imported; `jobs_files_expire` removes what a failure left."""
    if source not in _IMPORTERS:
        raise KeyError(source)
    filename = upload.name or "tep.xlsx"
    stored = default_storage.save(
        f"jobs/imports/{uuid.uuid4().hex}/{get_valid_filename(filename)}", upload
    )
    with transaction.atomic():
        job = job_start(
            actor=actor,
            kind=JOB_KIND,
            params={
                "source": source,
                "params": params,
                "upload": stored,
                "filename": filename,
                "back": back,
            },
        )
        action_log_record(
            actor=actor,
            action="core.import.started",
            target=job,
            data={"source": source, "filename": filename, "params": params},
        )
    return job


def _run(job: Job) -> tuple[int, list[RowError]]:
    if job.created_by is None:
        raise PermissionDenied
    importer = _IMPORTERS[job.params["source"]]
    try:
        with default_storage.open(job.params["upload"], "rb") as upload:
            return importer(job.created_by, upload, job.params["params"])
    except PermissionDenied:
        return 0, [RowError(0, "", "Bạn không còn quyền nhập dữ liệu này.")]
    except ValidationError as exc:  # e.g. the campaign closed since the upload
        return 0, [RowError(0, "", message) for message in exc.messages]


def import_job(job: Job, progress: Progress) -> dict[str, Any]:
    """The worker, registered atomic (core.jobs): rows without an id would be written again by a
    rerun, so the rows and the job's "done" commit together. The upload goes once committed."""
    count, errors = _run(job)
    result: dict[str, Any] = {"back": job.params["back"], "rows": count}
    if errors:
        rows = [e.as_dict() for e in sorted(errors, key=lambda e: e.row)]  # file order
        name = default_storage.save(f"jobs/{job.pk}/loi-nhap.xlsx", ContentFile(error_report(rows)))
        result.update(
            rows=0,
            errors=rows[:SHOWN_ERRORS],
            error_count=len(errors),
            file=name,
            filename=f"loi-nhap-{job.pk}.xlsx",
        )
    upload = job.params["upload"]
    transaction.on_commit(lambda: default_storage.delete(upload))
    return result
