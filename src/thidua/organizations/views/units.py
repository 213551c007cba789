"""Units: the tree, the list, a unit's page, creating, editing and merging units."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from thidua.core.clock import today_local
from thidua.core.http import is_htmx, parse_vn_date, require
from thidua.core.pagination import paginate, querystring_without_page
from thidua.core.selectors import action_log_for
from thidua.organizations import rules, selectors, services
from thidua.organizations.forms import UnitEditForm, UnitForm, UnitMergeForm
from thidua.organizations.models import Unit, UnitKind
from thidua.organizations.views.common import TEMPLATES, _user


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
    history = action_log_for(unit)
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
