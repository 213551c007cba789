"""Excel exports of any size. An app registers a named source that builds the export for a user
and the list's filters; `core.http.export_response` streams a small export in the request and
hands a large one to a background job (a long request would hit the app server's timeout), whose
page shows progress and then offers the file.

    exports.register("organizations.people", people_export)

A source checks the user's rights itself (it runs again in the worker, as the user who asked)
and returns its rows lazily (`.iterator(chunk_size=2000)`), so neither path loads them whole.
"""

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction

from thidua.core.excel import Column, stream_workbook
from thidua.core.jobs import Progress, job_start
from thidua.core.models import Job
from thidua.core.services import action_log_record

JOB_KIND = "core.export"  # registered in CoreConfig.ready
PROGRESS_EVERY = 1000


@dataclass
class Export:
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]
    count: int
    filename: str
    sheet_name: str = "Dữ liệu"


Source = Callable[[Any, dict[str, str]], Export]  # (the user, the list's filters)
_SOURCES: dict[str, Source] = {}


def register(name: str, source: Source) -> None:
    _SOURCES[name] = source


def export_build(name: str, actor: Any, params: dict[str, str]) -> Export:
    return _SOURCES[name](actor, params)


def export_logged(
    actor: Any, source: str, params: dict[str, str], rows: int | None, **extra: Any
) -> None:
    """Log a file handed to the user: who exported what (exports carry personal data)."""
    action_log_record(
        actor=actor,
        action="core.exported",
        target=actor,
        data={"source": source, "params": params, "rows": rows, **extra},
    )


def export_start(*, actor: Any, source: str, params: dict[str, str], total: int) -> Job:
    """Queue a large export; who exported what is logged (exports carry personal data)."""
    with transaction.atomic():
        job = job_start(
            actor=actor, kind=JOB_KIND, total=total, params={"source": source, "params": params}
        )
        action_log_record(
            actor=actor,
            action="core.export.started",
            target=job,
            data={"source": source, "params": params, "rows": total},
        )
    return job


def _counted(rows: Iterable[Sequence[Any]], progress: Progress) -> Iterator[Sequence[Any]]:
    for done, row in enumerate(rows, start=1):
        yield row
        if done % PROGRESS_EVERY == 0:
            progress(done)


def export_job(job: Job, progress: Progress) -> dict[str, Any]:
    """The worker: builds the whole file again on a rerun, under the same name."""
    if job.created_by is None:
        raise PermissionDenied
    export = export_build(job.params["source"], job.created_by, job.params["params"])
    handle = stream_workbook(export.columns, _counted(export.rows, progress), export.sheet_name)
    name = f"jobs/{job.pk}/{export.filename}"
    try:
        if default_storage.exists(name):
            default_storage.delete(name)
        name = default_storage.save(name, File(handle, name=export.filename))
    finally:
        handle.close()
    return {"file": name, "filename": export.filename, "count": export.count}
