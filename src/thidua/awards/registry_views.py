"""The award registry, statistics, certificates, printers and the public pages (verification,
honour board)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from thidua.accounts.requests import request_user
from thidua.awards import printing, registry, rules, selectors, services
from thidua.awards.certificates import (
    DATA_FIELDS,
    default_fields,
    layout_for,
    layout_problems,
    sample_values,
    svg_preview,
)
from thidua.awards.forms import AwardStatisticsForm, HoldForm, PrinterForm
from thidua.awards.models import (
    AwardRecord,
    AwardType,
    CertificateLayout,
    Household,
    PrinterProfile,
)
from thidua.awards.registry_import import registry_import as registry_import_service
from thidua.awards.statistics import can_see_statistics
from thidua.campaigns.models import Campaign
from thidua.core.bodylimit import accepts_uploads
from thidua.core.clock import today_local
from thidua.core.excel import error_report, write_workbook
from thidua.core.forms import SpreadsheetForm
from thidua.core.http import (
    export_response,
    parse_id,
    require,
    run_action,
    run_form,
    too_many_requests,
    xlsx_response,
)
from thidua.core.import_flow import Frame, import_steps
from thidua.core.pagination import paginate
from thidua.core.text import fold, parse_vn_float
from thidua.documents.certificates import Offset, calibration_pdf, render_certificates
from thidua.documents.http import pdf_response
from thidua.organizations.models import Person, Unit
from thidua.organizations.rules import roles_of


@login_required
def registry_list(request: HttpRequest) -> HttpResponseBase:
    user = request_user(request)
    require(registry.can_search_registry(user))
    f = registry.RegistryFilter.from_params(request.GET)
    if request.GET.get("xuat") == "excel":
        return export_response(request, "awards.registry")
    records = registry.registry_search(actor=user, f=f)
    return render(
        request,
        "awards/registry.html",
        {
            "page": paginate(request, records),
            "f": f,
            "award_types": AwardType.objects.order_by("name"),
            "levels": AwardType.Level.choices,
            "statuses": AwardRecord.Status.choices,
            "campaigns": Campaign.objects.exclude(status="draft").order_by("-created_at")[:50],
            "can_manage": rules.can_appraise(user),
            "can_see_printers": rules.can_view_printers(user),
            # Both statistics pages are city-wide; a unit's staff were shown buttons to a 403.
            "can_see_statistics": can_see_statistics(user),
            "years": sorted(
                set(AwardRecord.objects.values_list("year", flat=True).distinct()), reverse=True
            ),
            "nav_section": "registry",
        },
    )


@accepts_uploads
@login_required
@require_http_methods(["GET", "POST"])
def registry_import(request: HttpRequest) -> HttpResponse:
    """Awards granted before the system, from the old registry; an export imports back as is."""
    user = request_user(request)
    require(rules.can_appraise(user))
    errors: list[Any] = []
    step = import_steps(
        request,
        SpreadsheetForm(request.POST or None, request.FILES or None),
        source="awards.registry",
        columns=registry.registry_columns(),
        params={},
        back=reverse("awards:registry"),
        title="Nhập sổ vàng từ Excel",
        frame=Frame(
            crumbs=[("Sổ vàng", reverse("awards:registry"))],
            here="Nhập từ Excel",
            nav_section="registry",
        ),
    )
    if step.response is not None:
        return step.response
    if step.sheet is not None:
        created, unchanged, errors = registry_import_service(actor=user, upload=step.sheet)
        step.finish(created, errors)
        if not errors:
            kept = f"; {unchanged} dòng đã có trong sổ, giữ nguyên" if unchanged else ""
            messages.success(request, f"Đã nhập {created} khen thưởng vào sổ vàng{kept}.")
            return redirect("awards:registry")
        request.session["registry_import_errors"] = [e.as_dict() for e in errors]
    return render(
        request,
        "awards/registry_import.html",
        {"form": step.form, "errors": errors, "nav_section": "registry"},
    )


@login_required
def registry_template(request: HttpRequest) -> HttpResponse:
    require(rules.can_appraise(request_user(request)))
    return xlsx_response(write_workbook(registry.registry_columns(), []), "mau-so-vang.xlsx")


@login_required
def registry_import_errors(request: HttpRequest) -> HttpResponse:
    require(rules.can_appraise(request_user(request)))
    return xlsx_response(
        error_report(request.session.get("registry_import_errors", [])), "loi-nhap-so-vang.xlsx"
    )


@login_required
def registry_history(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """A person's, a collective's or a household's awards, one click from any registry line."""
    user = request_user(request)
    person = get_object_or_404(Person, pk=pk) if kind == "ca-nhan" else None
    unit = get_object_or_404(Unit, pk=pk) if kind == "tap-the" else None
    household = get_object_or_404(Household, pk=pk) if kind == "ho-gia-dinh" else None
    if person is None and unit is None and household is None:
        raise Http404
    records = registry.history_of(actor=user, person=person, unit=unit, household=household)
    if not roles_of(user).city_wide and not records.exists():
        raise Http404
    return render(
        request,
        "awards/registry_history.html",
        {"subject": person or household or unit, "records": records, "nav_section": "registry"},
    )


def _record_for(request: HttpRequest, pk: int) -> AwardRecord:
    user = request_user(request)
    record = get_object_or_404(
        registry.registry_search(actor=user, f=registry.RegistryFilter()).select_related(
            "decision__campaign", "person", "unit"
        ),
        pk=pk,
    )
    return record


@login_required
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    record = _record_for(request, pk)
    can_print = (
        record.decision is not None
        and rules.can_print_certificates(user, record.decision)
        and record.status == AwardRecord.Status.VALID
        and not record.is_imported
    )
    return render(
        request,
        "awards/record.html",
        {
            "r": record,
            "prints": record.prints.select_related("by", "printer"),
            "can_print": can_print,
            "not_printed_here": "" if can_print else _not_printed_here(record),
            "printers": selectors.printers_to_print_with(actor=user) if can_print else [],
            "nav_section": "registry",
        },
    )


def _not_printed_here(record: AwardRecord) -> str:
    """Why this page offers no print button, instead of a bare "Chưa in lần nào"."""
    title = record.award_type.certificate_title
    issuer = record.issuer_name  # its code unless read through registry.with_issuer
    if not record.is_valid:
        return f"Khen thưởng {record.get_status_display().lower()}: không in {title.lower()}."
    if record.is_imported:
        return (
            f"Nhập từ sổ vàng cũ: {title.lower()} đã được {issuer} in và trao "
            "theo quyết định gốc; không in tại đây."
        )
    return f"{title} do {issuer} (cơ quan ban hành quyết định) in và trao; không in tại đây."


@login_required
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    record = _record_for(request, pk)
    printer = PrinterProfile.objects.filter(pk=parse_id(request.GET.get("may_in")) or 0).first()
    try:
        content = printing.certificate_pdf(
            actor=user, record=record, printer=printer, on_blank=request.GET.get("phoi") == "1"
        )
    except ValidationError as exc:
        raise Http404(exc.messages[0]) from exc
    return pdf_response(content, f"giay-khen-{record.year}-{record.number:04d}")


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(roles_of(user).city_wide)
    form = AwardStatisticsForm(request.GET, today=today_local())
    if not form.is_valid():  # the page again with what was typed and why it is refused
        return render(request, "awards/statistics.html", {"form": form, "nav_section": "registry"})
    start, end = form.cleaned_data["tu"], form.cleaned_data["den"]
    stats = registry.award_statistics(actor=user, start=start, end=end)
    if request.GET.get("xuat") == "excel":
        content = write_workbook(
            registry.STATISTICS_COLUMNS, registry.statistics_rows(stats), "Thống kê"
        )
        return xlsx_response(content, f"thong-ke-khen-thuong-{start:%Y%m%d}-{end:%Y%m%d}.xlsx")
    return render(
        request,
        "awards/statistics.html",
        {"form": form, "stats": stats, "start": start, "end": end, "nav_section": "registry"},
    )


# --------------------------------------------------------------------------- layouts, printers


LAYOUT_KEYS = ("field", "text", "x", "y", "size", "font", "align", "width", "colour")
# The editor's table never holds this many rows; a posted "rows" beyond it is not looped over
# (a forged huge number held a worker reading empty rows).
MAX_LAYOUT_ROWS = 200


def _layout_fields(request: HttpRequest) -> list[dict[str, Any]]:
    """Rows f-<i>-<key> of the editor's table; a row without a field is dropped."""
    post = request.POST
    fields: list[dict[str, Any]] = []
    for i in range(min(parse_id(post.get("rows")) or 0, MAX_LAYOUT_ROWS)):
        row = {key: post.get(f"f-{i}-{key}", "").strip() for key in LAYOUT_KEYS}
        if not row["field"] or post.get(f"f-{i}-delete"):
            continue
        if row["field"] == "text":
            if not row["text"]:
                continue
            row["field"] = f"text:{row['text']}"
        spec: dict[str, Any] = {"field": row["field"], "font": row["font"] or "regular"}
        spec["align"] = row["align"] or "left"
        for key in ("x", "y", "size", "width"):
            if row[key]:
                try:
                    spec[key] = parse_vn_float(row[key])
                except ValueError as exc:
                    raise ValidationError(f"Dòng {i + 1}: “{row[key]}” không phải là số.") from exc
        if row["colour"]:
            spec["colour"] = row["colour"]
        if post.get(f"f-{i}-preprinted"):
            spec["preprinted"] = True
        fields.append(spec)
    return fields


def _editor_rows(fields: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for spec in [*fields, {}]:  # one empty row to add a field
        name = str(spec.get("field", ""))
        rows.append(
            {
                **spec,
                "field": "text" if name.startswith("text:") else name,
                "text": name[5:] if name.startswith("text:") else "",
            }
        )
    return rows


def _layout_of(request: HttpRequest, pk: int) -> tuple[AwardType, CertificateLayout]:
    user = request_user(request)
    require(rules.can_view_certificate_layouts(user))
    award = get_object_or_404(AwardType, pk=pk)
    return award, layout_for(award)


def _posted_layout(
    request: HttpRequest, layout: CertificateLayout
) -> tuple[list[dict[str, Any]], list[str]]:
    """The fields as typed on the page, and what is wrong with them."""
    try:
        fields = _layout_fields(request)
    except ValidationError as exc:
        return layout.fields, list(exc.messages)
    return fields, layout_problems(fields, layout.page_width_mm, layout.page_height_mm)


def _layout_page(
    request: HttpRequest, award: AwardType, layout: CertificateLayout, problems: list[str]
) -> HttpResponse:
    return render(
        request,
        "awards/layout.html",
        {
            "award": award,
            "layout": layout,
            "rows": _editor_rows(layout.fields),
            "preview": svg_preview(
                layout.fields, layout.page_width_mm, layout.page_height_mm, sample_values(award)
            ),
            "problems": problems,
            "data_fields": DATA_FIELDS,
            "can_edit": rules.can_edit_certificate_layouts(request_user(request)),
        },
    )


def _layout_save(
    request: HttpRequest, award: AwardType, layout: CertificateLayout, fields: list[dict[str, Any]]
) -> HttpResponse:
    try:
        printing.certificate_layout_save(
            actor=request_user(request),
            layout=layout,
            fields=fields,
            border=request.POST.get("border") == "1",
        )
    except ValidationError as exc:
        layout.fields = fields  # keep what the admin typed
        return _layout_page(request, award, layout, list(exc.messages))
    return redirect("awards:layout", pk=award.pk)


@login_required
@require_http_methods(["GET", "POST"])
def layout_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Each field's position, font, size and alignment, with a live preview."""
    award, layout = _layout_of(request, pk)
    if request.method != "POST":
        return _layout_page(request, award, layout, [])
    require(rules.can_edit_certificate_layouts(request_user(request)))  # before parsing (R26)
    fields, problems = _posted_layout(request, layout)
    if problems:
        layout.fields = fields  # keep what the admin typed
        return _layout_page(request, award, layout, problems)
    return _layout_save(request, award, layout, fields)


@login_required
@require_POST
def layout_sample(request: HttpRequest, pk: int) -> HttpResponse:
    """A sample certificate printed with the fields as typed, saved or not."""
    award, layout = _layout_of(request, pk)
    fields, problems = _posted_layout(request, layout)
    layout.fields = fields
    if problems:
        return _layout_page(request, award, layout, problems)
    return pdf_response(render_certificates(layout, [sample_values(award)]), "mau-giay-khen")


@login_required
@require_POST
def layout_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """Back to the award kind's default layout (saved)."""
    award, layout = _layout_of(request, pk)
    require(rules.can_edit_certificate_layouts(request_user(request)))
    return _layout_save(request, award, layout, default_fields(award))


@login_required
@require_POST
def layout_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: the SVG preview of the unsaved layout, redrawn as the admin types."""
    require(rules.can_view_certificate_layouts(request_user(request)))
    award = get_object_or_404(AwardType, pk=pk)
    layout = layout_for(award)
    try:
        fields = _layout_fields(request)
    except ValidationError as exc:
        # The message quotes what was typed: escaped, never markup (issue 21).
        return HttpResponse(format_html('<p class="text-danger">{}</p>', exc.messages[0]))
    problems = layout_problems(fields, layout.page_width_mm, layout.page_height_mm)
    return render(
        request,
        "awards/_layout_preview.html",
        {
            "preview": svg_preview(
                fields, layout.page_width_mm, layout.page_height_mm, sample_values(award)
            ),
            "problems": problems,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def printer_list(request: HttpRequest) -> HttpResponse:
    """The printers of the bodies the user keeps (docs/security.md R26): add, correct, and
    print each one's calibration page."""
    user = request_user(request)
    require(rules.can_view_printers(user))
    owners = selectors.printer_owner_choices(actor=user)
    if request.method == "POST":
        require(rules.can_edit_printers(user))
        form = PrinterForm(request.POST)
        by_pk = {u.pk: u for u in owners}
        if run_form(
            request,
            form,
            lambda: printing.printer_save(
                actor=user,
                # another body's printer is the service's refusal (403), not a missing row
                printer=PrinterProfile.objects.filter(pk=form.cleaned_data["pk"] or 0).first(),
                owner=by_pk.get(form.cleaned_data["owner"] or 0)
                or (owners[0] if len(owners) == 1 else None),
                name=form.cleaned_data["name"],
                offset_x_mm=form.cleaned_data["offset_x_mm"],
                offset_y_mm=form.cleaned_data["offset_y_mm"],
            ),
            "Đã lưu máy in.",
        ):
            return redirect("awards:printer-list")
    return render(
        request,
        "awards/printers.html",
        {
            "shelves": selectors.printer_shelves(actor=user),
            "owners": owners,
            "award_types": AwardType.objects.order_by("name"),
            "post": request.POST,
            "can_edit_layouts": rules.can_edit_certificate_layouts(user),
        },
    )


@login_required
def calibration(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    require(rules.can_view_printers(user))
    printer = get_object_or_404(selectors.printers_visible_to(actor=user), pk=pk)
    award = AwardType.objects.filter(pk=parse_id(request.GET.get("hinh_thuc")) or 0).first()
    layout = (
        layout_for(award)
        if award
        else CertificateLayout(fields=default_fields())  # the usual Giấy khen layout
    )
    offset = Offset.of(printer.offset_x_mm, printer.offset_y_mm)
    return pdf_response(calibration_pdf(layout, offset, DATA_FIELDS), f"can-chinh-{printer.pk}")


# ------------------------------------------------------------------------------ public pages


# Per client address (core.clientip), as the portal's certificate check: a ceremony's crowd
# scanning behind one school or mobile-carrier address gets through.
VERIFY_RATE = "120/m"


def verify(request: HttpRequest, token: str) -> HttpResponse:
    """Opened from the certificate's QR code: only what the certificate prints, or "revoked"."""
    if is_ratelimited(request, group="awards-verify", key="ip", rate=VERIFY_RATE, increment=True):
        return too_many_requests(request, "Bạn kiểm tra quá nhiều lần, vui lòng thử lại sau.")
    record = registry.certificate_by_token(token)
    if record is None:
        return render(request, "awards/verify.html", {"record": None}, status=404)
    return render(
        request, "awards/verify.html", {**registry.certificate_facts(record), "public": True}
    )


def _refusal(exc: ValidationError | PermissionDenied) -> ValidationError:
    """A service's refusal as a form error: its Vietnamese messages (a PermissionDenied raised
    with one, such as services.HOLD_REFUSED)."""
    if isinstance(exc, ValidationError):
        return exc
    return ValidationError(str(exc) or "Bạn không có quyền thực hiện thao tác này.")


def _retry_subject(form: HoldForm | None, people: Any, units: Any) -> dict[str, Any] | None:
    """The person or collective of a hold form that was refused, to show that form again with
    its input and errors: in the search results when it is among them (`shown`), else alone."""
    if form is None or not form.errors:
        return None
    data = form.cleaned_data if hasattr(form, "cleaned_data") else {}
    person, unit = data.get("person"), data.get("unit")
    if person is not None:
        kind, subject = "person", person
        label, detail = person.full_name, person.unit.name
        shown = any(p.pk == person.pk for p in people)
    elif unit is not None:
        kind, subject, label, detail = "unit", unit, unit.name, "Tập thể"
        shown = any(u.pk == unit.pk for u in units)
    else:
        return {"kind": "", "pk": None, "label": "", "detail": "", "shown": False}
    return {"kind": kind, "pk": subject.pk, "label": label, "detail": detail, "shown": shown}


@login_required
@require_POST
def hold_end(request: HttpRequest, pk: int) -> HttpResponse:
    """End a hold from today."""
    user = request_user(request)
    require(rules.can_appraise(user))
    hold = get_object_or_404(selectors.holds_for(actor=user), pk=pk)
    run_action(
        request,
        lambda: services.hold_end(actor=user, hold=hold, day=today_local()),
        "Đã kết thúc.",
    )
    return redirect("awards:hold-list")


HOLD_PEOPLE, HOLD_UNITS = 20, 10  # search results shown on the holds page


@login_required
@require_http_methods(["GET", "POST"])
def hold_list(request: HttpRequest) -> HttpResponse:
    """Disciplinary and inspection holds: sensitive, each body's Nội vụ sees its own (R17)."""
    user = request_user(request)
    require(rules.can_appraise(user))
    today = today_local()
    retry: HoldForm | None = None
    if request.method == "POST":
        retry = HoldForm(request.POST)
        if retry.is_valid():
            try:
                services.hold_add(actor=user, **retry.cleaned_data)
            except (ValidationError, PermissionDenied) as exc:
                # The service's refusal (a subject outside the user's bodies included) is an
                # error on the form just sent, its input kept, not a 403 page.
                retry.add_error(None, _refusal(exc))
            else:
                messages.success(request, "Đã ghi nhận trường hợp tạm dừng xét khen.")
                return redirect("awards:hold-list")
    q = request.GET.get("q", "").strip()
    words = fold(q).split()
    people: Any = Person.objects.none()
    units: Any = Unit.objects.none()
    if words:
        units = selectors.units_held_by(actor=user)
        people = Person.objects.filter(unit__in=units.values("pk")).select_related("unit")
        for word in words:
            people = people.filter(search_text__contains=word)
            units = units.filter(search_text__contains=word)
    holds = (
        selectors.holds_for(actor=user)
        .select_related("person__unit", "unit", "placed_by")
        .order_by("-active_from", "-pk")
    )
    # One more than shown of each, to say when the search should be narrowed.
    people, units = list(people[: HOLD_PEOPLE + 1]), list(units[: HOLD_UNITS + 1])
    more = len(people) > HOLD_PEOPLE or len(units) > HOLD_UNITS
    people, units = people[:HOLD_PEOPLE], units[:HOLD_UNITS]
    page = paginate(request, holds)
    # A hold a body above placed (the city's on a ward's people) is read here, not ended (R17).
    endable = {h.pk for h in page.object_list if rules.can_end_hold(user, h)}
    return render(
        request,
        "awards/holds.html",
        {
            "page": page,
            "endable": endable,
            "q": q,
            "people": people,
            "units": units,
            "today": today,
            "retry": retry,
            "more": more,
            "retry_subject": _retry_subject(retry, people, units),
        },
    )
