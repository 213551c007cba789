"""The steps of every spreadsheet import, driven from the app's own import page:

    step = import_steps(request, SpreadsheetForm(request.POST or None, request.FILES or None),
                        source="participation.activities", columns=..., params=..., back=...)
    if step.response:            # the mapping or confirmation step, or the job's page
        return step.response
    if step.sheet is not None:   # ready: import now, in the request
        count, errors = services.activities_import(..., upload=step.sheet)
        step.finish(count, errors)

1. Upload: the form checks the file; it is kept (core.imports.import_receive) with its hash.
2. Repeat: the same content already imported into the same place needs a confirmation.
3. Columns: matched by header and synonym (core.excel), with the user's remembered choices;
   when a required column is missing, or unknown columns remain beside unmatched fields, the
   user maps each column on a page showing the headers and the first five rows.
4. Import: a small file in the request (the page shows the outcome as before), a large one in a
   background job (core.imports.import_start).

Step forms post back to the same page with `import-token` and `import-step`, so an app needs no
URL of its own; `carry` holds the page's own hidden fields (the acting unit, a form action), and
`frame` the page's own frame (breadcrumb, a campaign's tabs, heading size), which the steps keep.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from xlsxwriter.utility import xl_col_to_name

from thidua.core.excel import (
    HEADER_SCAN,
    IGNORE,
    Column,
    Layout,
    RowError,
    SheetFile,
    cell_text,
    find_layout,
)
from thidua.core.http import parse_id
from thidua.core.imports import (
    import_abandon,
    import_confirm_repeat,
    import_finish,
    import_layout,
    import_map,
    import_previous,
    import_receive,
    import_sheet_file,
    import_sheets,
    import_start,
    layout_needs_user,
    preview_rows,
    remembered_headers,
    scope_of,
)
from thidua.core.models import ImportFile
from thidua.core.sheets import Sheet

PREVIEW_LIMIT = HEADER_SCAN + 10  # rows read to find the header and show the first five


@dataclass
class ImportStep:
    form: forms.Form  # the upload form to show on the app's page
    response: HttpResponse | None = None
    sheet: SheetFile | None = None
    record: ImportFile | None = None
    request: HttpRequest | None = None  # where an imported file's warnings are shown

    def finish(self, rows: int, errors: Sequence[RowError]) -> None:
        """Record the outcome of an import run in the request; rows the file hides but were
        imported (a filter) are named in a warning on the next page."""
        if self.record is not None:
            import_finish(record=self.record, rows=rows, errors=errors)
        notice = self.sheet.hidden.notice() if self.sheet is not None else ""
        if notice and rows and not errors and self.request is not None:
            messages.warning(self.request, notice)


@dataclass(frozen=True)
class Frame:
    """The frame of the page an import starts from, kept on its steps (columns, repeat)."""

    heading: str = "h4"  # the class of the page's h1 ("h3" on the units and people pages)
    crumbs: Sequence[tuple[str, str]] = ()  # breadcrumb links (label, url) above the page
    here: str = ""  # the page itself, last in the breadcrumb
    campaign: Any = None  # shows the campaign's breadcrumb and tabs (core imports no app)
    nav_section: str | None = None  # the top navigation's item, when not the URL's own


@dataclass
class _Page:
    request: HttpRequest
    source: str
    columns: Sequence[Column]
    params: dict[str, str]
    back: str
    title: str
    carry: Mapping[str, Any]
    frame: Frame


def import_steps(
    request: HttpRequest,
    form: forms.Form,
    *,
    source: str,
    columns: Sequence[Column],
    params: dict[str, str],
    back: str,
    title: str = "Nhập dữ liệu từ Excel",
    carry: Mapping[str, Any] | None = None,
    frame: Frame | None = None,
) -> ImportStep:
    page = _Page(request, source, columns, params, back, title, carry or {}, frame or Frame())
    if request.method != "POST":
        return ImportStep(form=form)
    token = request.POST.get("import-token")
    if token:
        return _step(page, form, token)
    if not form.is_valid():
        return ImportStep(form=form)
    upload = form.cleaned_data["file"]
    record = import_receive(
        actor=request.user,
        source=source,
        upload=upload,
        filename=upload.name or "",
        params=params,
        back=back,
    )
    return _advance(page, type(form)(), record)


def _step(page: _Page, form: forms.Form, token: str) -> ImportStep:
    request, fresh = page.request, type(form)()
    try:
        record = ImportFile.objects.get(
            token=token,
            created_by=request.user.pk,
            source=page.source,
            scope=scope_of(page.params),
            status=ImportFile.Status.PENDING,
        )
    except (ImportFile.DoesNotExist, ValidationError):
        messages.error(request, "Phiên nhập tệp đã kết thúc hoặc hết hạn. Vui lòng chọn lại tệp.")
        return ImportStep(form=fresh)
    action = request.POST.get("import-step")
    if action == "cancel":
        import_abandon(actor=request.user, record=record)
        messages.info(
            request, f"Đã hủy nhập tệp “{record.filename}”; không có dữ liệu nào thay đổi."
        )
        return ImportStep(form=fresh, response=redirect(request.get_full_path()))
    if action == "repeat":
        record = import_confirm_repeat(actor=request.user, record=record)
    elif action in {"map", "header"}:
        sheets = [s for s in import_sheets(record, limit=PREVIEW_LIMIT) if s.rows]
        if not sheets:
            return _advance(page, fresh, record)
        sheet = next((s for s in sheets if s.name == request.POST.get("sheet")), sheets[0])
        line = parse_id(request.POST.get("header_row"))
        if line not in {n for n, _ in sheet.rows}:
            line = None  # another sheet was chosen: find its header again
        layout = find_layout(
            sheet, page.columns, remembered_headers(request.user, page.source), header_row=line
        )
        if action == "header":
            return ImportStep(
                form=fresh, response=_mapping_page(page, record, sheets, sheet, layout)
            )
        chosen, problems = _chosen(page, layout, sheet)
        if problems:
            response = _mapping_page(
                page, record, sheets, sheet, layout, chosen=chosen, problems=problems
            )
            return ImportStep(form=fresh, response=response)
        record = import_map(
            actor=request.user, record=record, layout=layout, mapping=chosen, by_hand=True
        )
    return _advance(page, fresh, record)


def _advance(page: _Page, fresh: forms.Form, record: ImportFile) -> ImportStep:
    """The next step for a kept file: confirm a repeat, map the columns, or import."""
    request = page.request
    if not record.repeat_confirmed and (previous := import_previous(record)) is not None:
        return ImportStep(form=fresh, response=_repeat_page(page, record, previous))
    if not record.mapping:
        try:
            sheets = import_sheets(record, limit=PREVIEW_LIMIT)
        except ValidationError:
            sheets = []  # unreadable: the importer reports why, as for any file
        if not any(s.rows for s in sheets):
            return ImportStep(
                form=fresh, sheet=import_sheet_file(record), record=record, request=request
            )
        sheet, layout = import_layout(record, page.columns, sheets)
        if layout_needs_user(layout, page.columns):
            return ImportStep(
                form=fresh, response=_mapping_page(page, record, sheets, sheet, layout)
            )
        record = import_map(
            actor=request.user, record=record, layout=layout, mapping=layout.mapping, by_hand=False
        )
    if record.size > settings.THIDUA_IMPORT_INLINE_BYTES:
        job = import_start(actor=request.user, record=record)
        return ImportStep(form=fresh, response=redirect("core:job", pk=job.pk), record=record)
    return ImportStep(form=fresh, sheet=import_sheet_file(record), record=record, request=request)


def _width(sheet: Sheet, layout: Layout) -> int:
    widths = [len(layout.headers)] + [len(r) for r in preview_rows(sheet, layout)]
    return max(widths)


def _chosen(page: _Page, layout: Layout, sheet: Sheet) -> tuple[dict[str, int], list[str]]:
    """The user's choice per file column, checked: each field once, every required one."""
    keys = {c.key: c for c in page.columns}
    chosen: dict[str, int] = {}
    twice: dict[str, list[int]] = {}
    for pos in range(_width(sheet, layout)):
        key = page.request.POST.get(f"col-{pos}", IGNORE)
        if key not in keys:
            continue
        if key in chosen:
            twice.setdefault(key, [chosen[key]]).append(pos)
        else:
            chosen[key] = pos
    problems = [
        f"Trường “{keys[key].header}” được chọn cho nhiều cột "
        f"({', '.join(xl_col_to_name(p) for p in positions)}); mỗi trường chỉ một cột."
        for key, positions in twice.items()
    ]
    missing = [c.header for c in page.columns if c.required and c.key not in chosen]
    if missing:
        problems.append(
            "Chưa chọn cột cho trường bắt buộc: " + ", ".join(f"“{m}”" for m in missing) + "."
        )
    return chosen, problems


def _hidden(page: _Page, record: ImportFile) -> dict[str, Any]:
    return {**page.carry, "import-token": record.token}


def _framed(page: _Page) -> dict[str, Any]:
    """The context every step's page shares: its title in the import page's own frame."""
    context: dict[str, Any] = {"title": page.title, "frame": page.frame, "back": page.back}
    if page.frame.nav_section is not None:
        context["nav_section"] = page.frame.nav_section
    return context


def _mapping_page(
    page: _Page,
    record: ImportFile,
    sheets: Sequence[Sheet],
    sheet: Sheet,
    layout: Layout,
    *,
    chosen: Mapping[str, int] | None = None,
    problems: Sequence[str] = (),
) -> HttpResponse:
    samples = preview_rows(sheet, layout)
    by_position = {pos: key for key, pos in (layout.mapping if chosen is None else chosen).items()}
    file_columns = []
    for pos in range(_width(sheet, layout)):
        header = layout.headers[pos] if pos < len(layout.headers) else ""
        # one entry per sample row, so each column's samples line up (a row ends at its last
        # filled cell: a blank one after it shows as blank, as one before it does)
        values = [row[pos] if pos < len(row) else "" for row in samples]
        file_columns.append(
            {
                "position": pos,
                "letter": xl_col_to_name(pos),
                "header": header,
                "samples": values,
                "choice": by_position.get(pos, IGNORE),
                "known": pos in by_position,
            }
        )
    candidates = [
        {
            "line": line,
            "text": " | ".join(cell_text(c) for c in cells if c is not None)[:120],
        }
        for line, cells in sheet.rows[:HEADER_SCAN]
    ]
    missing = [c for c in page.columns if c.required and c.key not in by_position.values()]
    return render(
        page.request,
        "core/import_map.html",
        {
            **_framed(page),
            "record": record,
            "hidden": _hidden(page, record),
            "sheet": sheet,
            "several_sheets": len(sheets) > 1,
            "sheet_names": [s.name for s in sheets],
            "layout": layout,
            "file_columns": file_columns,
            "fields": page.columns,
            "missing": missing,
            "candidates": candidates,
            "problems": problems,
            "samples": samples,
            # the whole sheet's hidden lines (read even for this preview), under the header
            "hidden_rows": sorted(n for n in sheet.hidden_lines if n > layout.header_row),
        },
    )


def _repeat_page(page: _Page, record: ImportFile, previous: ImportFile) -> HttpResponse:
    return render(
        page.request,
        "core/import_repeat.html",
        {
            **_framed(page),
            "record": record,
            "previous": previous,
            "hidden": _hidden(page, record),
        },
    )
