"""People (the persons awards go to) and emulation blocks."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from thidua.core.clock import today_local
from thidua.core.http import is_htmx, parse_id, require
from thidua.core.pagination import IdsFirstPaginator, paginate, querystring_without_page
from thidua.organizations import rules, selectors, services
from thidua.organizations.forms import BlockForm, PersonForm
from thidua.organizations.views.common import TEMPLATES, _user


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    query = request.GET.get("q", "").strip()
    unit_id = request.GET.get("don-vi")
    unit_pk = parse_id(unit_id)
    people = selectors.person_list_for(actor=user, query=query, unit_id=unit_pk)
    page = paginate(request, people, paginator_class=IdsFirstPaginator)
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
