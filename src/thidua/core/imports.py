"""Spreadsheet imports, the same way for every kind. An app registers a named importer (the same
service its page calls):

    imports.register("participation.activities", activities_import_file)

An upload becomes an `ImportFile`, kept in storage through its steps (core.import_flow): the
columns are matched by header (core.excel) or by the user on the mapping step, remembered for the
user's next file of that kind; a file whose content was imported into the same place before
needs the user's confirmation. Then a small file is imported in the request, and a file over
THIDUA_IMPORT_INLINE_BYTES by a background job whose page shows the outcome.

An importer checks every row before writing any (all or nothing) and the requester's rights
itself: it runs in the worker as the user who uploaded the file.
"""

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.text import get_valid_filename

from thidua.core import clock
from thidua.core.excel import (
    IGNORE,
    Column,
    Layout,
    RowError,
    SheetFile,
    cell_text,
    choose_layout,
    error_report,
    fill_merged,
    header_key,
    in_file_order,
)
from thidua.core.jobs import Progress, job_start
from thidua.core.models import ImportFile, Job
from thidua.core.services import action_log_record
from thidua.core.sheets import MAX_IMPORT_BYTES, Sheet, read_sheets
from thidua.core.text import clean_text

JOB_KIND = "core.import"  # registered in CoreConfig.ready
SHOWN_ERRORS = 200
PREVIEW_ROWS = 5
PENDING_KEPT = timedelta(days=1)  # an upload left on the mapping or confirmation step


@dataclass(frozen=True)
class Outcome:
    """An importer's outcome when a count of rows says too little: `changes`, in the user's
    words ("thêm mới 1 người, cập nhật 1 người, 10 người không thay đổi"), follows "Đã nhập
    N dòng" on the job's page."""

    rows: int
    errors: list[RowError]
    changes: str = ""


# (the user, the uploaded file, its parameters) -> (rows written, errors), or an Outcome
Importer = Callable[[Any, SheetFile, dict[str, str]], tuple[int, list[RowError]] | Outcome]
_IMPORTERS: dict[str, Importer] = {}


def register(name: str, importer: Importer) -> None:
    _IMPORTERS[name] = importer


def scope_of(params: Mapping[str, str]) -> str:
    """What an import writes into, from its parameters ("campaign=3&unit=7"); the file's name
    is not part of it: the same content under another name is the same import."""
    return "&".join(f"{k}={v}" for k, v in sorted(params.items()) if k != "filename")[:255]


def import_receive(
    *, actor: Any, source: str, upload: IO[bytes], filename: str, params: dict[str, str], back: str
) -> ImportFile:
    """Keep an (already checked) upload for its steps, with its content hash."""
    if source not in _IMPORTERS:
        raise KeyError(source)
    data = upload.read(MAX_IMPORT_BYTES + 1)
    name = clean_text(filename or "tep.xlsx").strip() or "tep.xlsx"
    record = ImportFile(
        source=source,
        scope=scope_of(params),
        params=params,
        back=back,
        filename=name[:255],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        created_by=actor,
    )
    record.file = default_storage.save(
        f"imports/{record.token.hex}/{get_valid_filename(name)[-100:]}", ContentFile(data)
    )
    record.save()
    return record


def import_data(record: ImportFile) -> bytes:
    with default_storage.open(record.file, "rb") as handle:
        data: bytes = handle.read()
    return data


def import_sheet_file(record: ImportFile, data: bytes | None = None) -> SheetFile:
    """The kept file with the layout confirmed for it, as the importers read it."""
    return SheetFile(
        data=import_data(record) if data is None else data,
        filename=record.filename,
        sheet=record.sheet,
        header_row=record.header_row,
        mapping={k: int(v) for k, v in record.mapping.items()} if record.mapping else None,
    )


def import_previous(record: ImportFile) -> ImportFile | None:
    """The last import of the same content into the same place, if any."""
    return (
        ImportFile.objects.filter(
            source=record.source,
            scope=record.scope,
            sha256=record.sha256,
            status=ImportFile.Status.IMPORTED,
        )
        .exclude(pk=record.pk)
        .select_related("created_by")
        .order_by("-finished_at", "-pk")
        .first()
    )


def remembered_headers(actor: Any, source: str) -> dict[str, str]:
    """How this user mapped headers by hand for this kind of import last time."""
    found = (
        ImportFile.objects.filter(created_by=actor, source=source, mapped_by_hand=True)
        .order_by("-pk")
        .values_list("chosen_headers", flat=True)
        .first()
    )
    return dict(found or {})


def import_sheets(record: ImportFile, *, limit: int | None = None) -> list[Sheet]:
    return read_sheets(import_data(record), limit=limit)


def import_layout(
    record: ImportFile, columns: Sequence[Column], sheets: Sequence[Sheet]
) -> tuple[Sheet, Layout]:
    """The layout to propose: found by header, with this user's remembered choices."""
    return choose_layout(sheets, columns, remembered_headers(record.created_by, record.source))


def layout_needs_user(layout: Layout, columns: Sequence[Column]) -> bool:
    """Ask the user when a required column is missing, or when the file has columns nobody
    recognised while some of the import's columns found no header (they may be the same)."""
    if layout.missing(columns):
        return True
    unmatched = [c for c in columns if c.key not in layout.mapping]
    return bool(layout.unknown and unmatched)


def import_map(
    *,
    actor: Any,
    record: ImportFile,
    layout: Layout,
    mapping: Mapping[str, int],
    by_hand: bool,
) -> ImportFile:
    """Fix the layout the file is read with; one chosen by hand is remembered (by header) for
    this user's next file of the same kind."""
    with transaction.atomic():
        r = ImportFile.objects.select_for_update().get(pk=record.pk)
        if r.created_by_id != actor.pk:
            raise PermissionDenied
        if r.status != ImportFile.Status.PENDING:
            raise ValidationError("Tệp này đã được xử lý.")
        r.sheet, r.header_row, r.mapping = layout.sheet, layout.header_row, dict(mapping)
        update = ["sheet", "header_row", "mapping"]
        if by_hand:
            chosen = {header_key(text): IGNORE for text in layout.headers if header_key(text)} | {
                header_key(layout.headers[pos]): key
                for key, pos in mapping.items()
                if pos < len(layout.headers) and header_key(layout.headers[pos])
            }
            r.mapped_by_hand, r.chosen_headers = True, chosen
            update += ["mapped_by_hand", "chosen_headers"]
            action_log_record(
                actor=actor,
                action="core.import.mapped",
                target=r,
                data={"source": r.source, "filename": r.filename, "columns": chosen},
            )
        r.save(update_fields=update)
    return r


def import_confirm_repeat(*, actor: Any, record: ImportFile) -> ImportFile:
    """The user was told the same file was imported before and imports it again."""
    with transaction.atomic():
        r = ImportFile.objects.select_for_update().get(pk=record.pk)
        if r.created_by_id != actor.pk:
            raise PermissionDenied
        if r.repeat_confirmed:
            return r
        r.repeat_confirmed = True
        r.save(update_fields=["repeat_confirmed"])
        previous = import_previous(r)
        action_log_record(
            actor=actor,
            action="core.import.repeat_confirmed",
            target=r,
            data={
                "source": r.source,
                "filename": r.filename,
                "previous": previous.pk if previous else None,
            },
        )
    return r


def _drop_file(record: ImportFile) -> None:
    name = record.file
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))


def import_finish(*, record: ImportFile, rows: int, errors: Sequence[RowError]) -> ImportFile:
    """The outcome: imported (its hash now marks the content as imported here) or rejected.
    The kept file goes once this commits."""
    with transaction.atomic():
        r = ImportFile.objects.select_for_update().get(pk=record.pk)
        if r.status in {ImportFile.Status.IMPORTED, ImportFile.Status.REJECTED}:
            return r  # a rerun
        r.status = ImportFile.Status.REJECTED if errors else ImportFile.Status.IMPORTED
        r.rows, r.finished_at = (0 if errors else rows), clock.now()
        _drop_file(r)
        r.file = ""
        r.save(update_fields=["status", "rows", "finished_at", "file"])
    return r


def import_abandon(*, actor: Any, record: ImportFile) -> None:
    """The user left the steps ("Hủy"): the file is deleted, nothing imported."""
    with transaction.atomic():
        updated = ImportFile.objects.filter(
            pk=record.pk, created_by=actor.pk, status=ImportFile.Status.PENDING
        ).update(status=ImportFile.Status.ABANDONED, file="", finished_at=clock.now())
        if updated:
            _drop_file(record)


def imports_expire() -> int:
    """Delete uploads left on a step for a day (periodic); claimed row by row."""
    cutoff = clock.now() - PENDING_KEPT
    expired = 0
    stale = ImportFile.objects.filter(status=ImportFile.Status.PENDING, created_at__lt=cutoff)
    for pk, name in stale.values_list("pk", "file")[:500]:
        if ImportFile.objects.filter(pk=pk, status=ImportFile.Status.PENDING).update(
            status=ImportFile.Status.ABANDONED, file="", finished_at=clock.now()
        ):
            if name:
                default_storage.delete(name)
            expired += 1
    return expired


def import_start(*, actor: Any, record: ImportFile) -> Job:
    """Queue the import of a kept file whose layout is settled; `record.back` is where the
    outcome links to. The file is deleted once imported; `imports_expire` and
    `jobs_files_expire` remove what a failure left."""
    with transaction.atomic():
        r = ImportFile.objects.select_for_update().get(pk=record.pk)
        if r.created_by_id != actor.pk:
            raise PermissionDenied
        job = job_start(
            actor=actor,
            kind=JOB_KIND,
            params={
                "source": r.source,
                "params": r.params,
                "import": r.pk,
                "upload": r.file,
                "filename": r.filename,
                "back": r.back,
            },
        )
        r.status = ImportFile.Status.QUEUED
        r.save(update_fields=["status"])
        action_log_record(
            actor=actor,
            action="core.import.started",
            target=job,
            data={"source": r.source, "filename": r.filename, "params": r.params},
        )
    return job


def _run(job: Job, record: ImportFile, sheet: SheetFile) -> Outcome:
    if job.created_by is None:
        raise PermissionDenied
    importer = _IMPORTERS[job.params["source"]]
    try:
        outcome = importer(job.created_by, sheet, job.params["params"])
    except PermissionDenied:
        return Outcome(0, [RowError(0, "", "Bạn không còn quyền nhập dữ liệu này.")])
    except ValidationError as exc:  # e.g. the campaign closed since the upload
        return Outcome(0, [RowError(0, "", message) for message in exc.messages])
    return outcome if isinstance(outcome, Outcome) else Outcome(*outcome)


def import_job(job: Job, progress: Progress) -> dict[str, Any]:
    """The worker, registered atomic (core.jobs): rows without an id would be written again by a
    rerun, so the rows, the file's outcome and the job's "done" commit together."""
    record = ImportFile.objects.get(pk=job.params["import"])
    sheet = import_sheet_file(record)
    outcome = _run(job, record, sheet)
    count, errors = outcome.rows, outcome.errors
    result: dict[str, Any] = {"back": job.params["back"], "rows": count}
    if count and not errors and outcome.changes:
        result["changes"] = outcome.changes
    if count and not errors and sheet.hidden.lines:
        result["notice"] = sheet.hidden.notice()
    if errors:
        rows = [e.as_dict() for e in in_file_order(errors)]
        name = default_storage.save(f"jobs/{job.pk}/loi-nhap.xlsx", ContentFile(error_report(rows)))
        result.update(
            rows=0,
            errors=rows[:SHOWN_ERRORS],
            error_count=len(errors),
            file=name,
            filename=f"loi-nhap-{job.pk}.xlsx",
        )
    import_finish(record=record, rows=count, errors=errors)
    return result


def preview_rows(sheet: Sheet, layout: Layout, count: int = PREVIEW_ROWS) -> list[list[str]]:
    """The first data rows under the header, as text, for the mapping step: a cell merged over
    several rows shows its value in each, in every column (any may be chosen), as the import
    reads it (core.excel.fill_merged)."""
    start = layout.first_data_row
    rows = [(line, list(cells)) for line, cells in sheet.rows[start : start + count]]
    width = max([len(layout.headers), *(len(cells) for _, cells in rows)])
    fill_merged(rows, sheet.merges, range(width))
    return [["" if c is None else cell_text(c) for c in cells] for _, cells in rows]
