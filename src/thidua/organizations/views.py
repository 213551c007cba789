from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from thidua.accounts.lockout import login_lock_status
from thidua.accounts.models import User
from thidua.accounts.selectors import totp_status_for
from thidua.core.bodylimit import accepts_uploads
from thidua.core.clock import today_local
from thidua.core.excel import RowError, error_report, write_workbook
from thidua.core.forms import SpreadsheetForm
from thidua.core.http import (
    export_response,
    is_htmx,
    parse_id,
    parse_vn_date,
    require,
    xlsx_response,
)
from thidua.core.import_flow import import_steps
from thidua.core.models import ActionLog
from thidua.core.pagination import paginate, querystring_without_page
from thidua.organizations import rules, selectors, services
from thidua.organizations.forms import (
    BlockForm,
    PersonForm,
    RoleGrantForm,
    UnitEditForm,
    UnitForm,
    UnitMergeForm,
    UserCreateForm,
)
from thidua.organizations.models import ImportBatch, Unit, UnitKind, UnitRole

TEMPLATES = {
    "unit_list": "organizations/unit_list.html",
    "unit_rows": "organizations/_partials/unit_rows.html",
    "person_list": "organizations/person_list.html",
    "person_rows": "organizations/_partials/person_rows.html",
}


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not rules.can_view_units(user):
        raise PermissionDenied
    return user


@login_required
def unit_tree(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    day = parse_vn_date(request.GET.get("ngay")) or today_local()
    tree = selectors.unit_tree_for(actor=user, day=day)
    return render(
        request,
        "organizations/unit_tree.html",
        {
            "tree": tree,
            "day": day,
            "can_manage": rules.can_manage_units(user),
            "title": "Cây đơn vị",
        },
    )


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    query = request.GET.get("q", "").strip()
    kind = request.GET.get("loai", "")
    include_past = request.GET.get("ca-cu") == "1"
    page = paginate(
        request,
        selectors.unit_list_for(actor=user, query=query, kind=kind, include_past=include_past),
    )
    context = {
        "page": page,
        "units": page.object_list,
        "q": query,
        "kind": kind,
        "include_past": include_past,
        "kinds": UnitKind.choices,
        "qs": querystring_without_page(request),
        "can_manage": rules.can_manage_units(user),
        "title": "Danh sách đơn vị",
    }
    template = "unit_rows" if is_htmx(request) else "unit_list"
    return render(request, TEMPLATES[template], context)


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    unit = get_object_or_404(selectors.unit_list_for(actor=user, include_past=True), pk=pk)
    history = ActionLog.objects.filter(
        target_type__model="unit", target_id=str(unit.pk)
    ).select_related("actor")[:50]
    events = unit.events_as_predecessor.all() | unit.events_as_successor.all()
    return render(
        request,
        "organizations/unit_detail.html",
        {
            "unit": unit,
            "children": unit.children.order_by("name_sort"),
            "events": events.prefetch_related("predecessors", "successors").distinct(),
            "history": history,
            "people_count": unit.people.count(),
            "can_manage": rules.can_manage_units(user),
            "title": unit.name,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    require(rules.can_manage_units(user))
    form = UnitForm(request.POST or None, initial={"parent": request.GET.get("cap-tren")})
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_create(actor=user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Đã thêm đơn vị “{unit.name}”.")
            return redirect("organizations:unit-detail", pk=unit.pk)
    return render(request, "organizations/form.html", {"form": form, "title": "Thêm đơn vị"})


@login_required
@require_http_methods(["GET", "POST"])
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    require(rules.can_manage_units(user))
    unit = get_object_or_404(Unit, pk=pk, valid_to__isnull=True)
    form = UnitEditForm(request.POST or None, instance=unit)
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_update(
                actor=user, unit=Unit.objects.get(pk=pk), bases=form.bases, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Đã lưu thay đổi.")
            return redirect("organizations:unit-detail", pk=pk)
    return render(
        request, "organizations/form.html", {"form": form, "title": f"Sửa thông tin: {unit.name}"}
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_merge(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    require(rules.can_manage_units(user))
    form = UnitMergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit = services.unit_merge(
                actor=user,
                predecessors=list(data["predecessors"]),
                code=data["code"],
                name=data["name"],
                short_name=data["short_name"],
                effective=data["effective"],
                legal_basis=data["legal_basis"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Đã sáp nhập thành “{unit.name}”.")
            return redirect("organizations:unit-detail", pk=unit.pk)
    return render(
        request,
        "organizations/form.html",
        {
            "form": form,
            "title": "Sáp nhập đơn vị",
            "intro": "Các đơn vị cũ giữ nguyên tên và hết hiệu lực từ ngày trước ngày sáp nhập; dữ liệu trước đó vẫn hiện tên cũ.",
        },
    )


def _import_view(request: HttpRequest, *, kind: str, title: str, back: str) -> HttpResponse:
    user = _user(request)
    batch = None
    step = import_steps(
        request,
        SpreadsheetForm(request.POST or None, request.FILES or None),
        source=f"organizations.{kind}",
        columns=services.UNIT_COLUMNS if kind == "units" else services.PERSON_COLUMNS,
        params={},
        back=reverse(back),
        title=title,
    )
    if step.response is not None:
        return step.response
    if step.sheet is not None:
        importer = services.units_import if kind == "units" else services.people_import
        batch = importer(actor=user, upload=step.sheet, filename=step.sheet.filename)
        step.finish(batch.rows, [RowError(**e) for e in batch.errors])
        if batch.status == ImportBatch.Status.IMPORTED:
            messages.success(request, f"Đã nhập {batch.rows} dòng.")
            return redirect(back)
    return render(
        request,
        "organizations/import.html",
        {
            "form": step.form,
            "batch": batch,
            "title": title,
            "kind": kind,
        },
    )


@accepts_uploads
@login_required
@require_http_methods(["GET", "POST"])
def unit_import(request: HttpRequest) -> HttpResponse:
    require(rules.can_manage_units(_user(request)))
    return _import_view(
        request, kind="units", title="Nhập đơn vị từ Excel", back="organizations:unit-list"
    )


@login_required
def unit_export(request: HttpRequest) -> HttpResponseBase:
    _user(request)
    return export_response(request, "organizations.units")


@login_required
def unit_template(request: HttpRequest) -> HttpResponse:
    _user(request)
    return xlsx_response(write_workbook(services.UNIT_COLUMNS, []), "mau-nhap-don-vi.xlsx")


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    query = request.GET.get("q", "").strip()
    unit_id = request.GET.get("don-vi")
    unit_pk = parse_id(unit_id)
    page = paginate(request, selectors.person_list_for(actor=user, query=query, unit_id=unit_pk))
    context = {
        "page": page,
        "people": page.object_list,
        "q": query,
        "unit_id": unit_pk,
        "units": selectors.unit_choices_for(actor=user),
        "qs": querystring_without_page(request),
        "title": "Danh sách cá nhân",
        "can_export_party": rules.can_see_party_membership(user),
    }
    template = "person_rows" if is_htmx(request) else "person_list"
    return render(request, TEMPLATES[template], context)


@login_required
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    require(rules.can_add_people(user))
    units = selectors.unit_list_for(actor=user)
    form = PersonForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(actor=user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Đã thêm “{person.full_name}”.")
            return redirect("organizations:person-list")
    return render(request, "organizations/form.html", {"form": form, "title": "Thêm cá nhân"})


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    person = get_object_or_404(selectors.person_list_for(actor=user), pk=pk)
    require(rules.can_manage_person(user, person))
    if request.method == "GET":
        services.person_record_viewed(actor=user, person=person, via="web")
    form = PersonForm(
        request.POST or None, instance=person, units=selectors.unit_list_for(actor=user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(actor=user, person=person, bases=form.bases, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Đã lưu thay đổi.")
            return redirect("organizations:person-list")
    return render(
        request, "organizations/form.html", {"form": form, "title": f"Sửa: {person.full_name}"}
    )


@accepts_uploads
@login_required
@require_http_methods(["GET", "POST"])
def person_import(request: HttpRequest) -> HttpResponse:
    require(rules.can_add_people(_user(request)))
    return _import_view(
        request, kind="people", title="Nhập cá nhân từ Excel", back="organizations:person-list"
    )


@login_required
def person_export(request: HttpRequest) -> HttpResponseBase:
    require(rules.can_add_people(_user(request)))
    return export_response(request, "organizations.people")


@login_required
def person_template(request: HttpRequest) -> HttpResponse:
    _user(request)
    return xlsx_response(write_workbook(services.PERSON_COLUMNS, []), "mau-nhap-ca-nhan.xlsx")


@login_required
def import_errors(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    batch = get_object_or_404(ImportBatch, pk=pk, created_by=user)
    return xlsx_response(error_report(batch.errors), f"loi-nhap-{batch.pk}.xlsx")


@login_required
def block_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    year = request.GET.get("nam")
    blocks = selectors.block_list_for(actor=user, year=parse_id(year))
    page = paginate(request, blocks)
    return render(
        request,
        "organizations/block_list.html",
        {
            "page": page,
            "blocks": page.object_list,
            "can_manage": rules.can_manage_units(user),
            "title": "Khối, cụm thi đua",
            "qs": querystring_without_page(request),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def block_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = _user(request)
    require(rules.can_manage_units(user))
    block = get_object_or_404(selectors.block_list_for(actor=user), pk=pk) if pk else None
    form = BlockForm(request.POST or None, instance=block, initial={"year": today_local().year})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.block_save(
                actor=user,
                block=block,
                year=data["year"],
                name=data["name"],
                kind=data["kind"],
                head_unit=data["head_unit"],
                deputy_unit=data["deputy_unit"],
                members=data["members"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Đã lưu khối thi đua.")
            return redirect("organizations:block-list")
    return render(request, "organizations/form.html", {"form": form, "title": "Khối thi đua"})


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    require(rules.can_manage_users(user))
    query = request.GET.get("q", "").strip()
    page = paginate(request, selectors.user_list_for(actor=user, query=query))
    return render(
        request,
        "organizations/user_list.html",
        {
            "page": page,
            "users": page.object_list,
            "q": query,
            "qs": querystring_without_page(request),
            "title": "Người dùng và phân quyền",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    require(rules.can_manage_users(user))
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.user_create(actor=user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                f"Đã tạo tài khoản “{created.username}”. Người dùng đặt mật khẩu qua chức năng Quên mật khẩu.",
            )
            return redirect("organizations:user-detail", pk=created.pk)
    return render(request, "organizations/form.html", {"form": form, "title": "Thêm người dùng"})


@login_required
@require_http_methods(["GET", "POST"])
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    require(rules.can_manage_users(user))
    account = get_object_or_404(selectors.user_list_for(actor=user), pk=pk)
    form = RoleGrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.unit_role_grant(actor=user, user=account, **form.cleaned_data)
        messages.success(request, "Đã cấp quyền.")
        return redirect("organizations:user-detail", pk=pk)
    history = ActionLog.objects.filter(
        target_type__model="user", target_id=str(account.pk)
    ).select_related("actor")[:30]
    return render(
        request,
        "organizations/user_detail.html",
        {
            "account": account,
            "totp": totp_status_for(account),
            "login_lock": login_lock_status(account),
            "form": form,
            "grants": account.unit_roles.select_related("unit"),
            "history": history,
            "title": account.get_full_name(),
        },
    )


@login_required
@require_POST
def user_role_revoke(request: HttpRequest, pk: int, grant_pk: int) -> HttpResponse:
    user = _user(request)
    account = get_object_or_404(selectors.user_list_for(actor=user), pk=pk)
    services.unit_role_revoke(
        actor=user, grant=get_object_or_404(UnitRole, pk=grant_pk, user=account)
    )
    messages.success(request, "Đã thu hồi quyền.")
    return redirect("organizations:user-detail", pk=pk)


@login_required
@require_POST
def user_toggle_active(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    account = get_object_or_404(selectors.user_list_for(actor=user), pk=pk)
    services.user_set_active(actor=user, user=account, active=not account.is_active)
    messages.success(
        request, "Đã mở khóa tài khoản." if account.is_active else "Đã khóa tài khoản."
    )
    return redirect("organizations:user-detail", pk=pk)


@never_cache
@login_required
@require_POST
def user_totp_enrolment(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue a one-time enrolment code: this never-cached page shows it once (it is neither
    stored nor put in a message), or it goes to the account's mailbox."""
    user = _user(request)
    require(rules.can_manage_users(user))
    account = get_object_or_404(selectors.user_list_for(actor=user), pk=pk)
    by_mail = request.POST.get("by_mail") == "1"
    try:
        enrolment, code = services.user_totp_enrolment_issue(
            actor=user, user=account, by_mail=by_mail
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("organizations:user-detail", pk=pk)
    if by_mail:
        messages.success(
            request,
            f"Đã gửi mã kích hoạt tới {enrolment.sent_to}; "
            f"mã hết hạn lúc {timezone.localtime(enrolment.expires_at):%H:%M ngày %d/%m/%Y}.",
        )
        return redirect("organizations:user-detail", pk=pk)
    return render(
        request,
        "organizations/user_totp_code.html",
        {"account": account, "enrolment": enrolment, "code": code, "title": "Mã kích hoạt"},
    )


@login_required
@require_POST
def user_login_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    account = get_object_or_404(selectors.user_list_for(actor=user), pk=pk)
    services.user_login_unlock(actor=user, user=account)
    messages.success(request, "Đã mở khóa đăng nhập cho tài khoản này.")
    return redirect("organizations:user-detail", pk=pk)
